using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace MediaGen.Cli;

/// <summary>
/// Hides API keys from what the sandbox console shows: secret-looking headers, query parameters and JSON fields, any
/// value the request carried as a key elsewhere, and strings shaped like the vendors' keys.
/// </summary>
internal static partial class SecretMask
{
    /// <summary>What a hidden value is shown as.</summary>
    public const string Mask = "••••";

    private static readonly string[] SecretWords = ["key", "token", "secret", "password", "passwd", "auth", "cookie", "signature", "credential"];

    // Idempotency keys identify a logical request; they are not credentials, and seeing them is the point.
    private static readonly string[] NotSecret = ["idempotencykey", "xidempotencykey", "idempotencykeys"];

    /// <summary>Whether a header, query parameter or JSON field of this name carries a secret.</summary>
    public static bool IsSecretName(string name)
    {
        string normalized = new([.. name.Where(char.IsLetterOrDigit).Select(char.ToLowerInvariant)]);
        return !NotSecret.Contains(normalized) && SecretWords.Any(w => normalized.Contains(w, StringComparison.Ordinal));
    }

    /// <summary>The values a request carries in secret-named headers (the bearer token without its scheme), to hide wherever else they appear.</summary>
    public static IReadOnlyList<string> SecretsOf(IReadOnlyDictionary<string, string> headers, string query)
    {
        var secrets = new List<string>();
        foreach ((string name, string value) in headers)
        {
            if (IsSecretName(name))
            {
                AddSecret(secrets, value);
                int space = value.IndexOf(' ', StringComparison.Ordinal);
                if (space > 0)
                {
                    AddSecret(secrets, value[(space + 1)..]);
                }
            }
        }

        foreach ((string name, string value) in QueryPairs(query))
        {
            if (IsSecretName(name))
            {
                AddSecret(secrets, Uri.UnescapeDataString(value));
            }
        }

        return secrets;
    }

    /// <summary>A header's value as shown: a secret header keeps only its scheme (<c>Bearer ••••</c>).</summary>
    public static string Header(string name, string value, IReadOnlyList<string> secrets)
    {
        if (IsSecretName(name))
        {
            int space = value.IndexOf(' ', StringComparison.Ordinal);
            return space > 0 && space < 20 ? value[..space] + " " + Mask : Mask;
        }

        return Text(value, secrets);
    }

    /// <summary>A query string (with its <c>?</c>) with secret parameters hidden.</summary>
    public static string Query(string query, IReadOnlyList<string> secrets)
    {
        if (string.IsNullOrEmpty(query))
        {
            return string.Empty;
        }

        var parts = QueryPairs(query).Select(p => p.Value.Length == 0 && !query.Contains(p.Name + "=", StringComparison.Ordinal)
            ? p.Name
            : p.Name + "=" + (IsSecretName(p.Name) ? Mask : Text(p.Value, secrets)));
        return "?" + string.Join('&', parts);
    }

    /// <summary>A body as shown: JSON with secret fields hidden (and re-indented), or text with key-shaped strings hidden.</summary>
    public static string Body(string body, IReadOnlyList<string> secrets)
    {
        if (string.IsNullOrWhiteSpace(body))
        {
            return string.Empty;
        }

        JsonNode? node;
        try
        {
            node = JsonNode.Parse(body);
        }
        catch (JsonException)
        {
            return Text(body, secrets);
        }

        return node is null ? Text(body, secrets) : Text(MaskNode(node, secrets)!.ToJsonString(new JsonSerializerOptions { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }), secrets);
    }

    /// <summary>Free text with every known secret and every key-shaped string hidden.</summary>
    public static string Text(string text, IReadOnlyList<string> secrets)
    {
        foreach (string secret in secrets)
        {
            text = text.Replace(secret, Mask, StringComparison.Ordinal);
        }

        return KeyShaped().Replace(text, m => m.Groups["prefix"].Value + Mask);
    }

    private static JsonNode? MaskNode(JsonNode? node, IReadOnlyList<string> secrets) => node switch
    {
        JsonObject obj => new JsonObject(obj.Select(p => KeyValuePair.Create(p.Key,
            IsSecretName(p.Key) && p.Value is JsonValue ? JsonValue.Create(Mask) : MaskNode(p.Value, secrets)))),
        JsonArray array => new JsonArray([.. array.Select(item => MaskNode(item, secrets))]),
        JsonValue value when value.GetValueKind() == JsonValueKind.String => JsonValue.Create(Text(value.GetValue<string>(), secrets)),
        _ => node?.DeepClone(),
    };

    private static void AddSecret(List<string> secrets, string value)
    {
        value = value.Trim();
        if (value.Length >= 4 && !secrets.Contains(value, StringComparer.Ordinal))
        {
            secrets.Add(value);
        }
    }

    private static IEnumerable<(string Name, string Value)> QueryPairs(string query) =>
        query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries).Select(p =>
        {
            int eq = p.IndexOf('=', StringComparison.Ordinal);
            return eq < 0 ? (p, string.Empty) : (p[..eq], p[(eq + 1)..]);
        });

    // The vendors' documented key forms (meigen_sk_…, afk_…) and the common sk-/sk_/pk_ forms.
    [GeneratedRegex(@"\b(?<prefix>meigen_sk_|afk_|sk-|sk_|pk_|rk_)[A-Za-z0-9_\-]{6,}", RegexOptions.CultureInvariant)]
    private static partial Regex KeyShaped();
}
