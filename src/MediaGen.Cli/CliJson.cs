using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace MediaGen.Cli;

/// <summary>Writes the CLI's JSON documents by hand (no reflection), one document per command.</summary>
internal static class CliJson
{
    private static readonly JsonWriterOptions Options = new() { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static string Write(Action<Utf8JsonWriter> body)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream, Options))
        {
            body(writer);
        }

        return Encoding.UTF8.GetString(stream.ToArray());
    }

    public static void Money(Utf8JsonWriter w, string name, Money? money)
    {
        if (money is not { } m)
        {
            w.WriteNull(name);
            return;
        }

        w.WriteStartObject(name);
        w.WriteNumber("amount", m.Amount);
        w.WriteString("unit", Unit(m.Unit));
        w.WriteEndObject();
    }

    public static string Unit(MoneyUnit unit) => unit.IsCredits ? "credits" : unit.Code;

    public static void Error(Utf8JsonWriter w, string kind, string message, JobHandle? handle = null, IEnumerable<FieldError>? fields = null, string? idempotencyKey = null)
    {
        w.WriteStartObject("error");
        w.WriteString("kind", kind);
        w.WriteString("message", message);
        if (handle is not null)
        {
            w.WriteString("job", handle.ToString());
        }

        if (idempotencyKey is not null)
        {
            w.WriteString("idempotencyKey", idempotencyKey);
        }

        if (fields is not null)
        {
            w.WriteStartArray("fields");
            foreach (var f in fields)
            {
                w.WriteStartObject();
                w.WriteString("field", f.Field);
                w.WriteString("message", f.Message);
                w.WriteEndObject();
            }

            w.WriteEndArray();
        }

        w.WriteEndObject();
    }

    public static string Kind(ErrorKind kind) => JsonNamingPolicy.CamelCase.ConvertName(kind.ToString());

    public static string Status(GenerationStatus status) => status.ToString().ToLowerInvariant();

    public static string Number(decimal value) => value.ToString("0.############", CultureInfo.InvariantCulture);
}
