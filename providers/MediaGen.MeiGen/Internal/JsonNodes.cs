using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace MediaGen.MeiGen.Internal;

/// <summary>Reads values from <see cref="JsonNode"/>s without reflection or type surprises.</summary>
internal static class JsonNodes
{
    public static double? Number(JsonNode? node) =>
        node is JsonValue value && value.GetValueKind() == JsonValueKind.Number
        && double.TryParse(value.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var d) ? d : null;

    public static string? Text(JsonNode? node) =>
        node is JsonValue value && value.GetValueKind() == JsonValueKind.String ? value.GetValue<string>() : null;

    public static bool? Bool(JsonNode? node) =>
        node is JsonValue value ? value.GetValueKind() switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            _ => null,
        } : null;

    /// <summary>A short display form: strings unquoted, everything else as JSON.</summary>
    public static string? Display(JsonNode? node) => node is null ? null : Text(node) ?? node.ToJsonString();
}
