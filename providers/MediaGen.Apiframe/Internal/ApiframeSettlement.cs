using MediaGen.Providers;

namespace MediaGen.Apiframe.Internal;

/// <summary>
/// How Apiframe settles an ambiguous submit: it deduplicates by the <c>Idempotency-Key</c> header, so resending the same
/// key returns the same job and cannot charge twice. The shared HTTP pipeline resends everything it can see (a dropped
/// connection, a timeout, a 5xx, an undocumented status) by itself; what only the engine sees, a 2xx that cannot be read
/// or an answer cut off while read, is resent here. A 409 (a job already exists under the key) is never resent.
/// </summary>
internal sealed class ApiframeSettlement : SubmitSettlement<SubmitAccepted>
{
    /// <inheritdoc/>
    public override string WhereToLook => "look the job up in GET /v2/jobs";

    /// <inheritdoc/>
    public override ValueTask<Settlement<SubmitAccepted>> SettleAsync(AmbiguousSubmit submit, CancellationToken cancellationToken) =>
        ValueTask.FromResult(submit.Ambiguity switch
        {
            SubmitAmbiguity.UnreadableAcceptance or SubmitAmbiguity.AnswerCutOff => Resend("Apiframe dedupes the key, so resending it cannot charge twice"),
            SubmitAmbiguity.KeyInUse => Unresolved("a job already exists under this key (in progress, or the key was used before)"),
            _ => Unresolved("the shared HTTP pipeline had resent it with the same key as long as it could, and no answer settled it"),
        });
}
