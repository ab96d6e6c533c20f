using System.Globalization;
using MediaGen.Providers;
using Microsoft.Extensions.Logging;

namespace MediaGen.VeoGen.Internal;

/// <summary>
/// How VeoGen settles an ambiguous submit. VeoGen has no idempotency key: look for the job in the generation list (same
/// model, same prompt, created within the attempt's window). Exactly one dated match not already returned by this
/// generator is adopted; no match while the list covers the window (it shows a generation created after the window
/// closed) proves it was not accepted; anything else is unresolved with what was found. Nothing is ever resent. One per
/// logical submit.
/// </summary>
/// <param name="api">The HTTP side (list pages take limiter permits like every request).</param>
/// <param name="options">The reconciliation settings (clock skew, page size, page limit).</param>
/// <param name="time">The clock.</param>
/// <param name="owned">Whether this generator already returned a generation (submitted or adopted): never a candidate.</param>
/// <param name="claim">Claims a generation for this generator; false when it was claimed meanwhile (never adopt it twice).</param>
/// <param name="attempt">What was sent, with which key, and when.</param>
/// <param name="logger">Logs the ambiguous submit and, when the job is found, its recovery.</param>
internal sealed class VeoGenSettlement(VeoGenApi api, VeoGenOptions options, TimeProvider time, Func<string, bool> owned, Func<string, bool> claim, SubmitAttempt attempt, ILogger logger)
    : SubmitSettlement<GenerationJob>
{
    /// <summary>VeoGen's proof of "not accepted" (docs/providers/veogen.md).</summary>
    internal const string ListProof = "VeoGen's generation list covers the submit's time window (it already shows a generation created after the window closed) and has no job of this submit";

    /// <summary>Gets a value indicating whether the job was found in the generation list rather than read from the POST's answer.</summary>
    public bool Recovered { get; private set; }

    /// <inheritdoc/>
    public override string WhereToLook =>
        $"look in the generation list or the VeoGen dashboard for a {attempt.Slug} generation with the prompt \"{HttpResponseReader.Excerpt(attempt.Prompt)}\" {Window()}";

    /// <inheritdoc/>
    public override async ValueTask<Settlement<GenerationJob>> SettleAsync(AmbiguousSubmit submit, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        Log.SubmitAmbiguous(logger, attempt.Slug, attempt.IdempotencyKey, submit.Outcome.Reason);
        var skew = options.ReconciliationClockSkew;
        var from = attempt.StartedAt - skew;
        var until = time.GetUtcNow() + skew;
        var type = attempt.Kind == MediaKind.Video ? "video" : "image";
        var size = Math.Clamp(options.ReconciliationPageSize, 1, 100);
        var candidates = new List<(GenerationWire Wire, bool Dated)>();
        string? unsettled = null;
        var covered = false;

        for (var page = 1; ; page++)
        {
            var path = string.Create(CultureInfo.InvariantCulture, $"generations?type={type}&per_page={size}&page={page}");
            var got = await api.GetAsync(path, "the generation list (paying-once lookup)", cancellationToken).ConfigureAwait(false);
            if (!got.TryGetValue(out var listed))
            {
                unsettled = $"the generation list could not be read: {got.Error.Message}";
                break;
            }

            var list = VeoGenApi.Deserialize(listed, VeoGenJsonContext.Default.GenerationListWire, out var problem);
            if (list?.Data is not { } items)
            {
                unsettled = $"the generation list could not be read: {problem ?? "it has no 'data'"}";
                break;
            }

            var reachedOlder = false;
            foreach (var item in items)
            {
                if (item?.Id is not { Length: > 0 } id)
                {
                    continue;
                }

                var created = LooseJson.Time(item.CreatedAt);
                covered |= created > until; // indexed after the window closed: the list has caught up with it
                if (created < from)
                {
                    reachedOlder = true; // newest first: everything after this is older than the attempt
                    continue;
                }

                if (created > until
                    || !string.Equals(item.Model?.Trim(), attempt.Slug, StringComparison.OrdinalIgnoreCase)
                    || !string.Equals(item.Prompt?.Trim(), attempt.Prompt.Trim(), StringComparison.Ordinal) // Laravel trims input strings
                    || owned(id))
                {
                    continue;
                }

                candidates.Add((item, created is not null));
            }

            var last = list.Meta?.LastPage;
            if (reachedOlder || items.Count < size || list.Meta is null || (last is { } l && page >= l))
            {
                break;
            }

            if (page >= Math.Max(1, options.ReconciliationMaxPages))
            {
                unsettled = $"more than {page} pages of {type} generations are newer than the submit; the lookup stopped there";
                break;
            }
        }

        var window = $"created between {from:O} and {until:O}";
        const string Looked = "MediaGen looked for the job in the generation list: ";
        if (candidates.Count == 1 && candidates[0].Dated && claim(candidates[0].Wire.Id!))
        {
            var adopted = VeoGenJobMapper.Map(candidates[0].Wire, null, attempt.Kind, out var problem);
            if (adopted is not null)
            {
                Recovered = true;
                Log.Recovered(logger, attempt.Slug, attempt.IdempotencyKey, adopted.Handle.VendorJobId);
                return Found(attempt.Adopt(adopted));
            }

            return Unresolved($"{Looked}generation '{candidates[0].Wire.Id}' matches but cannot be read ({problem})", attempt.HandleFor(candidates[0].Wire.Id!));
        }

        if (candidates.Count > 1)
        {
            var ids = string.Join(", ", candidates.Select(c => c.Wire.Id));
            return Unresolved($"{Looked}{candidates.Count} generations match (same model and prompt, {window}): {ids}; the one this submit created cannot be told apart");
        }

        if (candidates.Count == 1)
        {
            return Unresolved($"{Looked}generation '{candidates[0].Wire.Id}' matches the model and prompt but its created_at cannot be read, so it may be an older job", attempt.HandleFor(candidates[0].Wire.Id!));
        }

        if (unsettled is null && covered)
        {
            // VeoGen's proof of "not accepted": the list already shows a generation created after the window closed, so
            // it covers the window, and no job of this submit is in it.
            return NotAccepted($"{ListProof} (no {attempt.Slug} job with this prompt {window})");
        }

        return Unresolved(Looked + (unsettled ?? $"the generation list shows no {attempt.Slug} job with this prompt {window}, but it shows nothing created after that window either, so it is not known to cover it yet and the submit may still have been accepted"));
    }

    private string Window()
    {
        var skew = options.ReconciliationClockSkew;
        return $"created between {attempt.StartedAt - skew:O} and {time.GetUtcNow() + skew:O}";
    }
}
