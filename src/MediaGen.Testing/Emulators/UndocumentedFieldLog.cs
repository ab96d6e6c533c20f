using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace MediaGen.Testing.Emulators;

/// <summary>
/// What an emulator received that the vendor's documents do not name: request fields (ignored, as the real vendor
/// plausibly would) and a missing or non-JSON <c>Content-Type</c>. Tests assert a client sent nothing here except what
/// its translation report marks <see cref="TranslationAction.SentUndocumented"/>.
/// </summary>
public sealed class UndocumentedFieldLog
{
    private readonly ConcurrentQueue<string> _entries = new();

    /// <summary>Gets every entry so far, e.g. <c>wanParams</c>, <c>fluxParams.foo</c> or <c>header Content-Type: text/plain</c>.</summary>
    public IReadOnlyList<string> Entries => [.. _entries];

    /// <summary>Forgets every entry.</summary>
    public void Clear() => _entries.Clear();

    /// <summary>Records the request's <c>Content-Type</c> when it is not JSON (every documented body is).</summary>
    internal void CheckContentType(HttpRequest request)
    {
        var type = request.ContentType;
        if (type is null || !type.StartsWith("application/json", StringComparison.OrdinalIgnoreCase))
        {
            _entries.Enqueue($"header Content-Type: {type ?? "(none)"}");
        }
    }

    /// <summary>Records one entry, such as a header value outside the documented form.</summary>
    internal void Record(string entry) => _entries.Enqueue(entry);

    /// <summary>Records every property of <paramref name="body"/> not in <paramref name="known"/> (as <c>prefix</c><c>name</c>).</summary>
    internal void RecordUnknown(JsonObject body, IReadOnlyCollection<string> known, string prefix = "")
    {
        foreach (var (name, _) in body)
        {
            if (!known.Contains(name))
            {
                _entries.Enqueue(prefix + name);
            }
        }
    }
}
