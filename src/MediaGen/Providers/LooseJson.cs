using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace MediaGen.Providers;

/// <summary>
/// Tolerant readers for vendor JSON whose types are loose or undocumented: numbers that may come as text, values that
/// may be absent or null, fields whose JSON type varies. None of them throws; a value they cannot read is null.
/// </summary>
/// <remarks>
/// Part of the provider-authoring kit (the <c>MediaGen.Providers</c> namespace): for vendor adapters, not for callers.
/// Numbers are read as exact <see cref="decimal"/>s (money, durations and counts alike). Where a vendor answer is read,
/// numeric text (<c>"0.30"</c>) and boolean text (<c>"true"</c>) are accepted; where a caller's value is checked before
/// sending, pass <c>acceptText: false</c> so only the JSON type the vendor expects passes.
/// </remarks>
public static class LooseJson
{
    /// <summary>Gets whether a value is absent (missing) or JSON <c>null</c>.</summary>
    /// <param name="value">The value.</param>
    /// <returns>Whether there is no value.</returns>
    public static bool IsAbsent(JsonElement value) => value.ValueKind is JsonValueKind.Undefined or JsonValueKind.Null;

    /// <summary>Gets whether a node is absent or JSON <c>null</c>.</summary>
    /// <param name="value">The node.</param>
    /// <returns>Whether there is no value.</returns>
    public static bool IsAbsent(JsonNode? value) => value is null || (value is JsonValue v && v.GetValueKind() == JsonValueKind.Null);

    /// <summary>Reads a JSON string; any other JSON type is null.</summary>
    /// <param name="value">The value.</param>
    /// <returns>The string, or null.</returns>
    public static string? Text(JsonElement value) => value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    /// <summary>Reads a JSON string node; any other JSON type is null.</summary>
    /// <param name="value">The node.</param>
    /// <returns>The string, or null.</returns>
    public static string? Text(JsonNode? value) =>
        value is JsonValue v && v.GetValueKind() == JsonValueKind.String && v.TryGetValue<string>(out var text) ? text : null;

    /// <summary>Reads the JSON string property <paramref name="name"/> of an object; null when absent or not a string.</summary>
    /// <param name="value">The object.</param>
    /// <param name="name">The property name.</param>
    /// <returns>The string, or null.</returns>
    public static string? Text(JsonElement value, string name) => TryGetProperty(value, name, out var property) ? Text(property) : null;

    /// <summary>Reads a value of any JSON type for display: a string as is, anything else as its raw JSON; null when absent or null.</summary>
    /// <param name="value">The value.</param>
    /// <returns>The text, or null.</returns>
    public static string? Display(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Undefined or JsonValueKind.Null => null,
        JsonValueKind.String => value.GetString(),
        _ => value.GetRawText(),
    };

    /// <summary>Reads a node of any JSON type for display: a string as is, anything else as its JSON; null when absent or null.</summary>
    /// <param name="value">The node.</param>
    /// <returns>The text, or null.</returns>
    public static string? Display(JsonNode? value) => IsAbsent(value) ? null : Text(value) ?? value!.ToJsonString();

    /// <summary>Reads a number as an exact decimal.</summary>
    /// <param name="value">The value.</param>
    /// <param name="acceptText">Whether numeric text (<c>"0.30"</c>, invariant culture) counts as a number.</param>
    /// <returns>The number, or null when absent, of another type or out of the decimal range.</returns>
    public static decimal? Number(JsonElement value, bool acceptText = true) => value.ValueKind switch
    {
        JsonValueKind.Number when value.TryGetDecimal(out var number) => number,
        JsonValueKind.String when acceptText => ParseNumber(value.GetString()),
        _ => null,
    };

    /// <summary>Reads a number node as an exact decimal.</summary>
    /// <param name="value">The node.</param>
    /// <param name="acceptText">Whether numeric text (<c>"0.30"</c>, invariant culture) counts as a number.</param>
    /// <returns>The number, or null when absent, of another type or out of the decimal range.</returns>
    public static decimal? Number(JsonNode? value, bool acceptText = true) => value is not JsonValue v ? null : v.GetValueKind() switch
    {
        JsonValueKind.Number => ParseNumber(v.ToJsonString()),
        JsonValueKind.String when acceptText => ParseNumber(Text(v)),
        _ => null,
    };

    /// <summary>Reads the number property <paramref name="name"/> of an object as an exact decimal.</summary>
    /// <param name="value">The object.</param>
    /// <param name="name">The property name.</param>
    /// <param name="acceptText">Whether numeric text counts as a number.</param>
    /// <returns>The number, or null.</returns>
    public static decimal? Number(JsonElement value, string name, bool acceptText = true) =>
        TryGetProperty(value, name, out var property) ? Number(property, acceptText) : null;

    /// <summary>Reads a boolean.</summary>
    /// <param name="value">The value.</param>
    /// <param name="acceptText">Whether the text <c>"true"</c> or <c>"false"</c> (any case) counts as a boolean.</param>
    /// <returns>The boolean, or null.</returns>
    public static bool? Bool(JsonElement value, bool acceptText = true) => value.ValueKind switch
    {
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        JsonValueKind.String when acceptText && bool.TryParse(value.GetString(), out var b) => b,
        _ => null,
    };

    /// <summary>Reads a boolean node.</summary>
    /// <param name="value">The node.</param>
    /// <param name="acceptText">Whether the text <c>"true"</c> or <c>"false"</c> (any case) counts as a boolean.</param>
    /// <returns>The boolean, or null.</returns>
    public static bool? Bool(JsonNode? value, bool acceptText = true) => value is not JsonValue v ? null : v.GetValueKind() switch
    {
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        JsonValueKind.String when acceptText && bool.TryParse(Text(v), out var b) => b,
        _ => null,
    };

    /// <summary>Reads an ISO 8601 timestamp string; one without an offset is taken as UTC.</summary>
    /// <param name="value">The value.</param>
    /// <returns>The time, or null.</returns>
    public static DateTimeOffset? Time(JsonElement value) =>
        value.ValueKind == JsonValueKind.String
        && DateTimeOffset.TryParse(value.GetString(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time)
            ? time
            : null;

    /// <summary>Gets a property of an object; false when <paramref name="value"/> is not an object or has no such property.</summary>
    /// <param name="value">The object.</param>
    /// <param name="name">The property name (exact case).</param>
    /// <param name="property">The property's value.</param>
    /// <returns>Whether the property exists.</returns>
    public static bool TryGetProperty(JsonElement value, string name, out JsonElement property)
    {
        if (value.ValueKind == JsonValueKind.Object && value.TryGetProperty(name, out property))
        {
            return true;
        }

        property = default;
        return false;
    }

    /// <summary>Follows a dotted path (<c>credits.purchased</c>) through nested objects.</summary>
    /// <param name="value">The root object.</param>
    /// <param name="path">The property names, separated by dots.</param>
    /// <param name="found">The value at the path.</param>
    /// <returns>Whether every step exists.</returns>
    public static bool TryGetPath(JsonElement value, string path, out JsonElement found)
    {
        ArgumentNullException.ThrowIfNull(path);
        found = value;
        foreach (var name in path.Split('.'))
        {
            if (!TryGetProperty(found, name, out found))
            {
                return false;
            }
        }

        return true;
    }

    private static decimal? ParseNumber(string? text) =>
        decimal.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) ? number : null;
}
