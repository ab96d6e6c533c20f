using MediaGen.Providers;

namespace MediaGen.Apiframe.Internal;

/// <summary>
/// How Apiframe settles an ambiguous submit: it deduplicates by the <c>Idempotency-Key</c> header, so resending the same
/// key returns the same job and cannot charge twice. The shared HTTP pipeline resends everything it can see (a dropped
/// connection, a timeout, a 5xx, an undocumented status) by itself; what only the engine sees, a 2xx that cannot be read
/// or an answer cut off while read, is resent here. A 409 (a job already exists under the key) is never resent. Its proof
/// of "not accepted": a documented refusal of a POST that carried the same key (<see cref="ProveNotAcceptedByRefusal"/>).
/// </summary>
internal sealed class ApiframeSettlement : SubmitSettlement<SubmitAccepted>
{
    /// <inheritdoc/>
    public override string WhereToLook => "look the job up in GET /v2/jobs";

    /// <summary>Apiframe's proof of "not accepted" (docs/providers/apiframe.md).</summary>
    internal const string DedupeProof = "Apiframe dedupes by the Idempotency-Key header, so a refusal of a POST carrying the same key shows that no job exists under it: none of the earlier POSTs was accepted";

    /// <summary>
    /// A documented refusal of a POST with the same key proves the earlier ambiguous ones were not accepted: a job under
    /// the key would have been returned (or answered 409). Only a 4xx counts, an answer Apiframe's API gave after reading
    /// the request: a 5xx or a 429 can come from the gateway or the job queue before the key is looked up (the router chaos
    /// test found a brownout 503 to the resend of an accepted, timed-out POST taken as proof: the job was lost and the
    /// request paid for again elsewhere). Not after a 2xx (that was an acceptance), and not for a 402, whose balance may be
    /// what an earlier job spent.
    /// </summary>
    /// <param name="refusal">The refusal.</param>
    /// <param name="trail">Every POST of the submit.</param>
    /// <returns>The proof, or null.</returns>
    public override string? ProveNotAcceptedByRefusal(SubmitOutcome refusal, IReadOnlyList<SubmitOutcome> trail)
    {
        ArgumentNullException.ThrowIfNull(refusal);
        ArgumentNullException.ThrowIfNull(trail);
        return refusal.StatusCode is >= 400 and < 500 and not 402 and not 429 && !trail.Any(o => o.StatusCode is >= 200 and < 300) ? DedupeProof : null;
    }

    /// <inheritdoc/>
    public override ValueTask<Settlement<SubmitAccepted>> SettleAsync(AmbiguousSubmit submit, CancellationToken cancellationToken) =>
        ValueTask.FromResult(submit.Ambiguity switch
        {
            SubmitAmbiguity.UnreadableAcceptance or SubmitAmbiguity.AnswerCutOff => Resend("Apiframe dedupes the key, so resending it cannot charge twice"),
            SubmitAmbiguity.KeyInUse => Unresolved("a job already exists under this key (in progress, or the key was used before)"),
            _ => Unresolved("the shared HTTP pipeline had resent it with the same key as long as it could, and no answer settled it"),
        });
}
