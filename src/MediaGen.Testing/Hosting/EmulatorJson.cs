using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace MediaGen.Testing;

/// <summary>The JSON plumbing the emulators share: reading a request body, strict value readers, writing an answer.</summary>
internal static class EmulatorJson
{
    private const string JsonContentType = "application/json";

    /// <summary>Reads the request body as JSON.</summary>
    /// <returns>The body when it is a JSON object (else <see langword="null"/>), and the parser's message when it is not JSON at all.</returns>
    public static async Task<(JsonObject? Body, string? ParseError)> ReadObjectAsync(HttpContext http)
    {
        using var reader = new StreamReader(http.Request.Body, Encoding.UTF8);
        string text = await reader.ReadToEndAsync(http.RequestAborted).ConfigureAwait(false);
        try
        {
            return (JsonNode.Parse(text) as JsonObject, null);
        }
        catch (JsonException ex)
        {
            return (null, ex.Message);
        }
    }

    /// <summary>A JSON string's value; <see langword="null"/> for any other kind of node.</summary>
    public static string? String(JsonNode? node) =>
        node is JsonValue value && value.GetValueKind() == JsonValueKind.String ? value.GetValue<string>() : null;

    /// <summary>A JSON number as a decimal; <see langword="null"/> for any other kind of node or a number out of range.</summary>
    public static decimal? Decimal(JsonNode? node) =>
        node is JsonValue value && value.GetValueKind() == JsonValueKind.Number
        && decimal.TryParse(value.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture, out decimal d) ? d : null;

    /// <summary>A JSON number as a double; <see langword="null"/> for any other kind of node.</summary>
    public static double? Double(JsonNode? node) =>
        node is JsonValue value && value.GetValueKind() == JsonValueKind.Number
        && double.TryParse(value.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture, out double d) ? d : null;

    /// <summary>A JSON array of strings.</summary>
    public static JsonArray Strings(IEnumerable<string> values) => new([.. values.Select(v => (JsonNode)v)]);

    /// <summary>An answer with a JSON body.</summary>
    /// <param name="status">The status code.</param>
    /// <param name="body">The body.</param>
    /// <param name="charset">Whether the content type names its charset (<c>application/json; charset=utf-8</c>), as the vendor sends it.</param>
    public static IResult Result(int status, JsonNode body, bool charset = true) =>
        Results.Text(body.ToJsonString(), JsonContentType, charset ? Encoding.UTF8 : null, status);
}
