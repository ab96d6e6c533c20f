using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace MediaGen.Reliability.Tests.Mutations;

/// <summary>A documented vendor answer the mutations start from.</summary>
/// <param name="Name">A short name for reports.</param>
/// <param name="Status">The documented status code.</param>
/// <param name="Body">The documented body.</param>
public sealed record Seed(string Name, int Status, string Body);

/// <summary>One mutated answer: status, content type (null for none), raw bytes, extra headers and what was done.</summary>
public sealed record MutatedResponse(int Status, string? ContentType, byte[] Body, IReadOnlyDictionary<string, string> Headers, string Description)
{
    /// <summary>Gets the mutation operators applied, for counting.</summary>
    public required IReadOnlyList<string> Operators { get; init; }
}

/// <summary>
/// Deterministic mutations of documented responses: truncation, wrong JSON types, missing and null fields, unknown
/// enum values, hostile URLs, edge numbers, huge strings, deep nesting, non-JSON bodies, invalid UTF-8, wrong content
/// type, unexpected status codes and unreadable <c>Retry-After</c> headers. The same seed gives the same mutations.
/// </summary>
public static class ResponseMutator
{
    private static readonly string[] UnknownEnums = ["EXPLODED", "queued_for_review", "Completed ", "COMPLETED", "", " ", "success", "done", "cancelled", "unknown", "null", "процесс", "完成", "completed\u0000", "failed\n"];
    private static readonly string[] HostileUrls = ["file:///etc/passwd", "javascript:alert(1)", "/relative/path.png", "ftp://example.com/x.png", "http://", "https://", "not a url", "https://exa mple.com/x.png", "data:image/png;base64,AAAA", "\\\\server\\share\\x.png", "https://images.meigen.art/../../etc/passwd", "https://[::1", "c:\\windows\\x.png"];
    private static readonly string[] EdgeNumbers = ["-1", "0", "-0.0", "1e400", "-1e400", "79228162514264337593543950336", "1e-400", "3.4028235e+39", "9223372036854775808", "0.0000000000000000000000000001", "123456789012345678901234567890.5"];
    private static readonly string[] NonJson =
    [
        "", " ", "null", "[]", "42", "\"processing\"", "true", "{}", "{", "}", "[{]", "<html><body><h1>502 Bad Gateway</h1></body></html>",
        "Internal Server Error", "OK", "<?xml version=\"1.0\"?><error>boom</error>", "{\"a\":1}{\"b\":2}", "\u0000\u0001\u0002", "\uFEFF",
        "upstream connect error or disconnect/reset before headers. reset reason: connection termination",
    ];
    private static readonly string?[] ContentTypes = ["text/html; charset=utf-8", "text/plain", "application/xml", "application/octet-stream", null, "application/json; charset=utf-16", "application/problem+json", "image/png"];
    private static readonly int[] Statuses = [200, 201, 202, 204, 301, 304, 400, 401, 402, 403, 404, 408, 409, 410, 413, 418, 422, 429, 500, 501, 502, 503, 504, 520, 599];
    private static readonly string[] RetryAfters = ["-5", "abc", "1e9", "Wed, 21 Oct 2015 07:28:00 GMT", "Fri, 31 Dec 9999 23:59:59 GMT", "", "3600", "0.5", "99999999999999999999"];

    /// <summary>Mutates one seed.</summary>
    public static MutatedResponse Mutate(Seed seed, Random random)
    {
        var operators = new List<string>();
        var status = seed.Status;
        string? contentType = "application/json; charset=utf-8";
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        byte[] body;

        var roll = random.Next(100);
        if (roll < 8)
        {
            operators.Add("non-JSON body");
            body = Encoding.UTF8.GetBytes(Pick(random, NonJson));
        }
        else if (roll < 14)
        {
            operators.Add("truncated");
            var text = Encoding.UTF8.GetBytes(seed.Body);
            body = text[..random.Next(0, text.Length)];
        }
        else if (roll < 17)
        {
            operators.Add("invalid UTF-8");
            var text = Encoding.UTF8.GetBytes(seed.Body).ToList();
            text.InsertRange(random.Next(0, text.Count), [0xFF, 0xFE, 0xC3]);
            body = [.. text];
        }
        else
        {
            var root = JsonNode.Parse(seed.Body, documentOptions: new JsonDocumentOptions { AllowTrailingCommas = true })!;
            var count = 1 + random.Next(3);
            for (var i = 0; i < count; i++)
            {
                root = MutateTree(root, random, operators);
            }

            var json = root.ToJsonString();
            if (random.Next(20) == 0)
            {
                operators.Add("deep nesting");
                var depth = 65 + random.Next(1000);
                json = json.Insert(json.Length - 1, $",\"nested\":{new string('[', depth)}{new string(']', depth)}");
            }

            if (random.Next(25) == 0)
            {
                operators.Add("duplicate key");
                json = json.Insert(1, "\"status\":\"failed\",\"status\":7,");
            }

            body = Encoding.UTF8.GetBytes(json);
        }

        if (random.Next(8) == 0)
        {
            operators.Add("wrong content type");
            contentType = Pick(random, ContentTypes);
        }

        if (random.Next(6) == 0)
        {
            operators.Add("status code");
            status = Pick(random, Statuses);
        }

        if (random.Next(12) == 0)
        {
            operators.Add("unreadable Retry-After");
            headers["Retry-After"] = Pick(random, RetryAfters);
        }

        return new MutatedResponse(status, contentType, body, headers, $"{seed.Name}: {string.Join(" + ", operators)} → HTTP {status} {contentType ?? "(no content type)"}, {body.Length} bytes")
        {
            Operators = operators,
        };
    }

    private static JsonNode MutateTree(JsonNode root, Random random, List<string> operators)
    {
        var nodes = Descendants(root).ToList();
        if (nodes.Count == 0)
        {
            operators.Add("root replaced");
            return WrongType(root, random) ?? JsonValue.Create(0);
        }

        var (parent, key, index, node) = nodes[random.Next(nodes.Count)];
        var which = random.Next(100);
        JsonNode? replacement;
        string op;
        switch (which)
        {
            case < 18 when key is not null:
                ((JsonObject)parent).Remove(key);
                operators.Add("missing field");
                return root;
            case < 30:
                replacement = null;
                op = "null field";
                break;
            case < 50:
                replacement = WrongType(node, random);
                op = "wrong JSON type";
                break;
            case < 62:
                replacement = JsonValue.Create(Pick(random, UnknownEnums));
                op = "unknown enum value";
                break;
            case < 72:
                replacement = JsonValue.Create(Pick(random, HostileUrls));
                op = "hostile URL";
                break;
            case < 82:
                replacement = JsonNode.Parse(Pick(random, EdgeNumbers));
                op = "edge number";
                break;
            case < 90:
                replacement = JsonValue.Create(HugeString(random));
                op = "huge string";
                break;
            default:
                if (parent is JsonObject extra)
                {
                    extra["x-unknown-" + random.Next(1000).ToString(CultureInfo.InvariantCulture)] = WrongType(null, random);
                    operators.Add("unknown field");
                    return root;
                }

                replacement = WrongType(node, random);
                op = "wrong JSON type";
                break;
        }

        operators.Add(op);
        if (key is not null)
        {
            ((JsonObject)parent)[key] = replacement;
        }
        else
        {
            ((JsonArray)parent)[index] = replacement;
        }

        return root;
    }

    private static JsonNode? WrongType(JsonNode? node, Random random)
    {
        var kind = node?.GetValueKind();
        var options = new List<Func<JsonNode?>>
        {
            () => JsonValue.Create(random.Next(-1000, 1000)),
            () => JsonValue.Create("text-" + random.Next(100).ToString(CultureInfo.InvariantCulture)),
            () => JsonValue.Create(random.Next(2) == 0),
            () => new JsonObject { ["unexpected"] = 1 },
            () => new JsonArray(1, "two", null),
            () => new JsonArray(),
            () => new JsonObject(),
        };
        JsonNode? result;
        do
        {
            result = options[random.Next(options.Count)]();
        }
        while (result is not null && kind is not null && result.GetValueKind() == kind && random.Next(4) != 0);

        return result;
    }

    private static string HugeString(Random random)
    {
        // Mostly 64 KB–1 MB; 1 in 40 above the providers' 4 MB body cap.
        var length = random.Next(40) == 0 ? 4 * 1024 * 1024 + random.Next(1024) : 64 * 1024 + random.Next(1024 * 1024);
        return new string((char)('a' + random.Next(26)), length);
    }

    private static IEnumerable<(JsonNode Parent, string? Key, int Index, JsonNode? Node)> Descendants(JsonNode root)
    {
        switch (root)
        {
            case JsonObject o:
                foreach (var (key, value) in o.ToList())
                {
                    yield return (o, key, -1, value);
                    if (value is not null)
                    {
                        foreach (var d in Descendants(value))
                        {
                            yield return d;
                        }
                    }
                }

                break;
            case JsonArray a:
                for (var i = 0; i < a.Count; i++)
                {
                    yield return (a, null, i, a[i]);
                    if (a[i] is { } item)
                    {
                        foreach (var d in Descendants(item))
                        {
                            yield return d;
                        }
                    }
                }

                break;
        }
    }

    private static T Pick<T>(Random random, IReadOnlyList<T> items) => items[random.Next(items.Count)];
}
