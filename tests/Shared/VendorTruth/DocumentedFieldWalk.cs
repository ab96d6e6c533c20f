using System.Text.Json.Nodes;
using MediaGen.Testing;

namespace MediaGen.Tests.VendorTruth;

/// <summary>
/// One documented request field walked through a provider to its emulator: the request that sets it, the wire path it
/// must arrive on, the JSON it must arrive as (null: not sent, and reported so), and the certainty the report must give.
/// </summary>
public sealed record FieldRow(string Name, Func<GenerationRequest> Request, string WirePath, string? Sent, TranslationCertainty Certainty = TranslationCertainty.Documented)
{
    /// <inheritdoc/>
    public override string ToString() => Name;
}

/// <summary>The assertions of the per-vendor field walks (docs/providers/*.md, "Every documented parameter").</summary>
public static class DocumentedFieldWalk
{
    /// <summary>The body of the last POST the emulator received on <paramref name="path"/>, asserting it was sent as JSON.</summary>
    public static JsonObject LastBody(EmulatorHost host, string path)
    {
        var post = host.Requests.Last(r => r.Method == "POST" && r.Path == path);
        Assert.StartsWith("application/json", post.Header("Content-Type"), StringComparison.OrdinalIgnoreCase);
        return Assert.IsType<JsonObject>(JsonNode.Parse(post.Body));
    }

    /// <summary>The node at a dotted path (<c>niji7Options.stylize</c>), or null.</summary>
    public static JsonNode? At(JsonObject body, string path)
    {
        JsonNode? node = body;
        foreach (var part in path.Split('.'))
        {
            node = node is JsonObject o && o.TryGetPropertyValue(part, out var child) ? child : null;
        }

        return node;
    }

    /// <summary>
    /// Asserts the row arrived as documented (or was reported not sent), and that everything the emulator did not
    /// recognise is what the report marks as sent on an undocumented field — nothing else.
    /// </summary>
    public static void AssertWalked(FieldRow row, JsonObject body, TranslationReport report, IReadOnlyList<string> unknownToEmulator)
    {
        var arrived = At(body, row.WirePath);
        if (row.Sent is null)
        {
            Assert.Null(arrived);
            Assert.Contains(report.Entries, e => e.Certainty == TranslationCertainty.NotSent);
        }
        else
        {
            Assert.NotNull(arrived);
            Assert.True(JsonNode.DeepEquals(JsonNode.Parse(row.Sent), arrived), $"{row.WirePath}: expected {row.Sent}, got {arrived.ToJsonString()}");
        }

        var guessed = report.Entries.Where(e => e.Certainty == TranslationCertainty.Undocumented).Select(e => e.WireField!).ToList();
        if (row.Certainty == TranslationCertainty.Undocumented)
        {
            Assert.Contains(row.WirePath, guessed);
            Assert.Contains(unknownToEmulator, u => Covers(u, row.WirePath));
        }
        else if (row.Sent is not null)
        {
            Assert.DoesNotContain(row.WirePath, guessed);
        }

        foreach (var unknown in unknownToEmulator)
        {
            Assert.True(guessed.Exists(g => Covers(unknown, g)), $"the client sent '{unknown}', which the docs do not name, and its report does not mark it undocumented ({report})");
        }
    }

    // The emulator records the outermost unknown name: a guessed parameters object covers every field inside it.
    private static bool Covers(string unknown, string wireField) => unknown == wireField || wireField.StartsWith(unknown + ".", StringComparison.Ordinal);
}
