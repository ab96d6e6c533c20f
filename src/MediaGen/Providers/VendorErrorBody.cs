using System.Text.Json;

namespace MediaGen.Providers;

/// <summary>
/// A vendor's error answer, read leniently: the status, the vendor's own words (verbatim), its error code, field
/// errors, the amounts a funds refusal names, <c>Retry-After</c>, and an excerpt of the raw body.
/// </summary>
/// <remarks>Part of the provider-authoring kit (the <c>MediaGen.Providers</c> namespace): for vendor adapters, not for callers.</remarks>
/// <param name="Status">The HTTP status.</param>
public sealed record VendorErrorBody(int Status)
{
    /// <summary>The name of a field error that names no field.</summary>
    private const string UnnamedField = "Request";

    /// <summary>Gets the vendor's error text (its <c>error</c> and <c>message</c>, or its code), or null when it gave none.</summary>
    public string? Text { get; init; }

    /// <summary>Gets the vendor's error code, when it gave one.</summary>
    public string? Code { get; init; }

    /// <summary>Gets the field errors the vendor listed, with request field names where the format maps them.</summary>
    public IReadOnlyList<FieldError> Fields { get; init; } = [];

    /// <summary>Gets what the refused generation costs, when the vendor said.</summary>
    public Money? Required { get; init; }

    /// <summary>Gets the account balance, when the vendor said.</summary>
    public Money? Balance { get; init; }

    /// <summary>Gets how long the vendor asked to wait, when it said.</summary>
    public TimeSpan? RetryAfter { get; init; }

    /// <summary>Gets whether the body was a JSON object.</summary>
    public bool IsJson { get; init; }

    /// <summary>Gets a bounded excerpt of the raw body, or null when the body was empty.</summary>
    public string? Excerpt { get; init; }

    /// <summary>Gets what to surface as <see cref="MediaGenError.VendorMessage"/>: the vendor's text, else the body excerpt, else null.</summary>
    public string? VendorMessage => Text ?? Excerpt;

    /// <summary>Reads an error answer.</summary>
    /// <param name="status">The HTTP status.</param>
    /// <param name="body">The body text (already bounded and redacted by <see cref="HttpResponseReader.ReadBodyAsync"/>).</param>
    /// <param name="retryAfter">The <c>Retry-After</c> delay, when the response carried one.</param>
    /// <param name="format">Where this vendor puts its text, code, field errors and amounts.</param>
    /// <returns>The body; never throws, whatever the text.</returns>
    public static VendorErrorBody Read(int status, string? body, TimeSpan? retryAfter, VendorErrorBodyFormat format)
    {
        ArgumentNullException.ThrowIfNull(format);
        var read = new VendorErrorBody(status) { RetryAfter = retryAfter, Excerpt = string.IsNullOrWhiteSpace(body) ? null : HttpResponseReader.Excerpt(body) };
        if (body is null || !body.AsSpan().TrimStart().StartsWith("{"))
        {
            return read;
        }

        try
        {
            using var document = JsonDocument.Parse(body);
            var root = document.RootElement;
            var code = FirstString(root, format.CodeNames);
            return read with
            {
                IsJson = true,
                Text = ReadText(root, format.TextNames) ?? code,
                Code = code,
                Fields = ReadFields(root, format),
                Required = FirstAmount(root, format.RequiredNames, format.Unit),
                Balance = FirstAmount(root, format.BalanceNames, format.Unit),
            };
        }
        catch (JsonException)
        {
            return read;
        }
    }

    private static string? ReadText(JsonElement root, IReadOnlyList<string> names)
    {
        string? text = null;
        foreach (var name in names)
        {
            if (!LooseJson.TryGetProperty(root, name, out var value))
            {
                continue;
            }

            // A string as is; an object by its own "message" (or as JSON); any other JSON type as JSON.
            var part = value.ValueKind == JsonValueKind.Object ? LooseJson.Text(value, "message") ?? value.GetRawText() : LooseJson.Display(value);
            if (string.IsNullOrWhiteSpace(part) || part == text)
            {
                continue;
            }

            // "Insufficient balance." + "This costs $0.30." reads as two sentences; "Insufficient credits" + "…" as a label.
            text = text is null ? part : text.TrimEnd() is [.., '.' or ':' or '!' or '?'] ? $"{text} {part}" : $"{text}: {part}";
        }

        return text;
    }

    private static List<FieldError> ReadFields(JsonElement root, VendorErrorBodyFormat format)
    {
        var fields = new List<FieldError>();
        foreach (var name in format.FieldErrorNames)
        {
            if (!LooseJson.TryGetProperty(root, name, out var value))
            {
                continue;
            }

            switch (value.ValueKind)
            {
                case JsonValueKind.String:
                    fields.Add(new(UnnamedField, value.GetString()!));
                    break;
                case JsonValueKind.Array:
                    foreach (var item in value.EnumerateArray())
                    {
                        if (item.ValueKind == JsonValueKind.Object)
                        {
                            var wire = LooseJson.Text(item, "field") ?? LooseJson.Text(item, "param") ?? PathOf(item);
                            fields.Add(new(wire is null ? UnnamedField : format.FieldName(wire), LooseJson.Text(item, "message") ?? item.GetRawText()));
                        }
                        else if (LooseJson.Display(item) is { } text)
                        {
                            fields.Add(new(UnnamedField, text));
                        }
                    }

                    break;
                case JsonValueKind.Object:
                    foreach (var property in value.EnumerateObject())
                    {
                        var message = property.Value.ValueKind == JsonValueKind.Array
                            ? string.Join(" ", property.Value.EnumerateArray().Select(LooseJson.Text).Where(t => t is not null))
                            : LooseJson.Display(property.Value) ?? string.Empty;
                        fields.Add(new(format.FieldName(property.Name), message));
                    }

                    break;
            }
        }

        return fields;
    }

    private static string? PathOf(JsonElement item)
    {
        if (!LooseJson.TryGetProperty(item, "path", out var path))
        {
            return null;
        }

        return path.ValueKind == JsonValueKind.Array
            ? string.Join(".", path.EnumerateArray().Select(p => LooseJson.Display(p)))
            : LooseJson.Text(path);
    }

    private static string? FirstString(JsonElement root, IReadOnlyList<string> names)
    {
        foreach (var name in names)
        {
            if (LooseJson.TryGetPath(root, name, out var value) && LooseJson.Text(value) is { Length: > 0 } text)
            {
                return text;
            }
        }

        return null;
    }

    private static Money? FirstAmount(JsonElement root, IReadOnlyList<string> names, MoneyUnit unit)
    {
        foreach (var name in names)
        {
            if (LooseJson.TryGetPath(root, name, out var value) && LooseJson.Number(value) is { } amount and >= 0)
            {
                return new Money(amount, unit);
            }
        }

        return null;
    }
}
