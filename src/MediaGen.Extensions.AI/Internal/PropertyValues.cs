using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace MediaGen.Extensions.AI.Internal;

/// <summary>Reads <c>AdditionalProperties</c> values (CLR primitives or JSON, as after a JSON round trip) without reflection.</summary>
internal static class PropertyValues
{
    public static bool TryGetString(object? value, out string text)
    {
        switch (value)
        {
            case string s:
                text = s;
                return true;
            case JsonElement { ValueKind: JsonValueKind.String } e:
                text = e.GetString()!;
                return true;
            case JsonValue v when v.TryGetValue(out string? s2):
                text = s2;
                return true;
            default:
                text = string.Empty;
                return false;
        }
    }

    public static bool TryGetInt64(object? value, out long number)
    {
        switch (value)
        {
            case int i:
                number = i;
                return true;
            case long l:
                number = l;
                return true;
            case short s:
                number = s;
                return true;
            case uint u:
                number = u;
                return true;
            case decimal d when decimal.Truncate(d) == d && d >= long.MinValue && d <= long.MaxValue:
                number = (long)d;
                return true;
            case double f when Math.Floor(f) == f && f >= long.MinValue && f <= long.MaxValue:
                number = (long)f;
                return true;
            case string text:
                return long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out number);
            case JsonElement { ValueKind: JsonValueKind.Number } e:
                return e.TryGetInt64(out number);
            case JsonElement { ValueKind: JsonValueKind.String } e:
                return long.TryParse(e.GetString(), NumberStyles.Integer, CultureInfo.InvariantCulture, out number);
            case JsonValue v when v.TryGetValue(out long l2):
                number = l2;
                return true;
            case JsonValue v when v.TryGetValue(out int i2):
                number = i2;
                return true;
            case JsonValue v when v.TryGetValue(out JsonElement e2):
                return TryGetInt64(e2, out number);
            default:
                number = 0;
                return false;
        }
    }

    public static bool TryGetBoolean(object? value, out bool flag)
    {
        switch (value)
        {
            case bool b:
                flag = b;
                return true;
            case string text:
                return bool.TryParse(text, out flag);
            case JsonElement { ValueKind: JsonValueKind.True }:
                flag = true;
                return true;
            case JsonElement { ValueKind: JsonValueKind.False }:
                flag = false;
                return true;
            case JsonValue v when v.TryGetValue(out bool b2):
                flag = b2;
                return true;
            default:
                flag = false;
                return false;
        }
    }

    /// <summary>Converts a value to a JSON node for provider options; false for types that need reflection to serialize.</summary>
    public static bool TryToJsonNode(object? value, out JsonNode? node)
    {
        node = value switch
        {
            null => null,
            JsonNode n => n.DeepClone(),
            JsonElement e => JsonNode.Parse(e.GetRawText()),
            string s => JsonValue.Create(s),
            bool b => JsonValue.Create(b),
            int i => JsonValue.Create(i),
            long l => JsonValue.Create(l),
            short s => JsonValue.Create(s),
            uint u => JsonValue.Create(u),
            ulong u => JsonValue.Create(u),
            double d => JsonValue.Create(d),
            float f => JsonValue.Create(f),
            decimal m => JsonValue.Create(m),
            Uri uri => JsonValue.Create(uri.ToString()),
            _ => Unsupported,
        };

        if (ReferenceEquals(node, Unsupported))
        {
            node = null;
            return false;
        }

        return true;
    }

    private static readonly JsonNode Unsupported = JsonValue.Create("unsupported");
}
