using System.Text.Json;
using System.Text.Json.Serialization;

namespace MediaGen.Serialization;

/// <summary>
/// Writes a <see cref="JobHandle"/> as a JSON object with every field; reads that object or the
/// <c>provider:vendorId</c> string form. Hand-written, so it is trim- and AOT-safe.
/// </summary>
public sealed class JobHandleJsonConverter : JsonConverter<JobHandle>
{
    /// <inheritdoc/>
    public override JobHandle? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            return null;
        }

        if (reader.TokenType == JsonTokenType.String)
        {
            var text = reader.GetString();
            return JobHandle.TryParse(text, out var parsed) ? parsed : throw new JsonException($"'{text}' is not a job handle ('provider:jobId').");
        }

        if (reader.TokenType != JsonTokenType.StartObject)
        {
            throw new JsonException("A job handle is a JSON object or a 'provider:jobId' string.");
        }

        string? provider = null, id = null, model = null, key = null, kind = null, variant = null;
        DateTimeOffset? submittedAt = null;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
        {
            if (reader.TokenType != JsonTokenType.PropertyName)
            {
                throw new JsonException("Malformed job handle.");
            }

            var name = reader.GetString();
            reader.Read();
            if (reader.TokenType == JsonTokenType.Null)
            {
                continue;
            }

            switch (name)
            {
                case "provider": provider = reader.GetString(); break;
                case "vendorJobId": id = reader.GetString(); break;
                case "model": model = reader.GetString(); break;
                case "idempotencyKey": key = reader.GetString(); break;
                case "submittedAt": submittedAt = reader.GetDateTimeOffset(); break;
                case "kind": kind = reader.GetString(); break;
                case "variant": variant = reader.GetString(); break;
                default: reader.Skip(); break;
            }
        }

        if (string.IsNullOrWhiteSpace(provider) || string.IsNullOrWhiteSpace(id))
        {
            throw new JsonException("A job handle needs 'provider' and 'vendorJobId'.");
        }

        return new JobHandle(provider, id)
        {
            Model = string.IsNullOrWhiteSpace(model) ? null : (ModelId?)new ModelId(model),
            IdempotencyKey = key,
            SubmittedAt = submittedAt,
            Kind = kind is not null && Enum.TryParse<MediaKind>(kind, true, out var k) ? (MediaKind?)k : null,
            Variant = string.IsNullOrWhiteSpace(variant) ? null : variant,
        };
    }

    /// <inheritdoc/>
    public override void Write(Utf8JsonWriter writer, JobHandle value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(value);
        writer.WriteStartObject();
        writer.WriteString("provider", value.Provider);
        writer.WriteString("vendorJobId", value.VendorJobId);
        if (value.Model is { } model)
        {
            writer.WriteString("model", model.Value);
        }

        if (value.IdempotencyKey is { } key)
        {
            writer.WriteString("idempotencyKey", key);
        }

        if (value.SubmittedAt is { } at)
        {
            writer.WriteString("submittedAt", at);
        }

        if (value.Kind is { } kind)
        {
            writer.WriteString("kind", kind.ToString().ToLowerInvariant());
        }

        if (value.Variant is { } variant)
        {
            writer.WriteString("variant", variant);
        }

        writer.WriteEndObject();
    }
}
