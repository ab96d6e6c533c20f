using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using MediaGen.Providers;
using Microsoft.Extensions.Logging;

namespace MediaGen.Replicate.Internal;

/// <summary>
/// How Replicate settles an ambiguous create. There is no idempotency key (§1.9): look for the prediction in
/// <c>GET /v1/predictions?created_after=…&amp;created_before=…</c> (the attempt's window widened by the clock skew), and
/// match the model and the input sent (every input field sent must be there with the same value; Replicate may add its
/// defaults, §1.14). Exactly one match not already returned by this generator is adopted; anything else is unresolved
/// (outcome unknown). Nothing is ever sent again. One per logical submit.
/// </summary>
internal sealed class ReplicateSettlement(ReplicateApi api, ReplicateOptions options, Func<string, bool> owned, Func<string, bool> claim, SubmitAttempt attempt, ILogger logger)
    : SubmitSettlement<GenerationJob>
{
    /// <summary>Gets a value indicating whether the prediction was found in the list rather than read from the create's answer.</summary>
    public bool Recovered { get; private set; }

    /// <inheritdoc/>
    public override string WhereToLook =>
        $"look in GET /v1/predictions (or replicate.com/predictions) for a {attempt.Slug} prediction with the prompt \"{HttpResponseReader.Excerpt(attempt.Prompt)}\" {Window()}";

    /// <inheritdoc/>
    public override async ValueTask<Settlement<GenerationJob>> SettleAsync(AmbiguousSubmit submit, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        Log.SubmitAmbiguous(logger, attempt.Slug, attempt.IdempotencyKey, submit.Outcome.Reason);
        var (from, until) = Bounds();
        var path = string.Create(CultureInfo.InvariantCulture, $"predictions?created_after={Uri.EscapeDataString(from.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture))}&created_before={Uri.EscapeDataString(until.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture))}");
        var candidates = new List<(PredictionWire Wire, bool InputSeen)>();
        string? unsettled = null;

        for (var page = 1; ; page++)
        {
            var got = await api.SendAsync(HttpMethod.Get, path, "the prediction list (paying-once lookup)", cancellationToken).ConfigureAwait(false);
            if (!got.TryGetValue(out var listed))
            {
                unsettled = $"the prediction list could not be read: {got.Error.Message}";
                break;
            }

            var list = ReplicateApi.Deserialize(listed, ReplicateJsonContext.Default.PredictionListWire, out var problem);
            if (list?.Results is not { } items)
            {
                unsettled = $"the prediction list could not be read: {problem ?? "it has no 'results'"}";
                break;
            }

            foreach (var item in items)
            {
                if (item?.Id is not { Length: > 0 } id
                    || !string.Equals(item.Model?.Trim(), attempt.Slug, StringComparison.OrdinalIgnoreCase)
                    || owned(id.Trim()))
                {
                    continue;
                }

                var created = LooseJson.Time(item.CreatedAt);
                if (created is { } at && (at < from || at >= until))
                {
                    continue; // the filter is the server's; check it again on what came back
                }

                if (item.Input.ValueKind == JsonValueKind.Object)
                {
                    if (InputMatches(item.Input, attempt.Prepared.Translation.Input))
                    {
                        candidates.Add((item, true));
                    }
                }
                else
                {
                    candidates.Add((item, false)); // the list entry shows no input (removed after the retention window): cannot be told apart
                }
            }

            if (string.IsNullOrWhiteSpace(list.Next))
            {
                break;
            }

            if (page >= Math.Max(1, options.ReconciliationMaxPages))
            {
                unsettled = $"more than {page} pages of predictions fall in the window; the lookup stopped there";
                break;
            }

            path = list.Next.Trim(); // follow 'next' as is: the cursor is inside it (§1.6)
        }

        var window = $"created between {from:O} and {until:O}";
        const string Looked = "MediaGen looked for the prediction in GET /v1/predictions: ";
        var verified = candidates.Where(c => c.InputSeen).ToList();
        if (verified.Count == 1 && candidates.Count == 1 && claim(verified[0].Wire.Id!.Trim()))
        {
            var adopted = ReplicateJobMapper.Map(verified[0].Wire, null, attempt.Kind, out var problem);
            if (adopted is not null)
            {
                Recovered = true;
                Log.Recovered(logger, attempt.Slug, attempt.IdempotencyKey, adopted.Handle.VendorJobId);
                return Found(attempt.Adopt(adopted));
            }

            return Unresolved($"{Looked}prediction '{verified[0].Wire.Id}' matches but cannot be read ({problem})", attempt.HandleFor(verified[0].Wire.Id!.Trim()));
        }

        if (candidates.Count > 1)
        {
            return Unresolved($"{Looked}{candidates.Count} predictions of {attempt.Slug} could be this one ({window}): {string.Join(", ", candidates.Select(c => c.Wire.Id))}; the one this create made cannot be told apart");
        }

        if (candidates.Count == 1)
        {
            var id = candidates[0].Wire.Id!.Trim();
            return Unresolved($"{Looked}prediction '{id}' of {attempt.Slug} falls in the window but {(candidates[0].InputSeen ? "was claimed by another submit meanwhile" : "shows no input to compare")}", attempt.HandleFor(id));
        }

        return Unresolved(Looked + (unsettled ?? $"no {attempt.Slug} prediction with this input was {window}; the list is not known to be complete at once, so the create may still have been accepted"));
    }

    /// <summary>Whether every input field sent is in the listed input with the same value (Replicate may add defaults).</summary>
    internal static bool InputMatches(JsonElement listed, JsonObject sent)
    {
        var node = JsonNode.Parse(listed.GetRawText()) as JsonObject;
        if (node is null)
        {
            return false;
        }

        foreach (var (key, value) in sent)
        {
            if (!node.TryGetPropertyValue(key, out var other) || !JsonNode.DeepEquals(Normalize(value), Normalize(other)))
            {
                return false;
            }
        }

        return true;
    }

    // Strings compared as sent; numbers by value (5 and 5.0 are the same input).
    private static JsonNode? Normalize(JsonNode? node) =>
        node is JsonValue v && v.GetValueKind() == JsonValueKind.Number && LooseJson.Number(v) is { } n ? JsonValue.Create(n) : node;

    private (DateTimeOffset From, DateTimeOffset Until) Bounds()
    {
        var skew = options.ReconciliationClockSkew;
        return (attempt.StartedAt - skew, api.Time.GetUtcNow() + skew);
    }

    private string Window()
    {
        var (from, until) = Bounds();
        return $"created between {from:O} and {until:O}";
    }
}
