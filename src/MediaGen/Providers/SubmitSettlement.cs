using MediaGen.Http;

namespace MediaGen.Providers;

/// <summary>
/// How one vendor settles a submit whose outcome is ambiguous: the only part of the paying-once ladder a vendor writes
/// (MeiGen looks the key up, VeoGen reconciles its generation list, Apiframe resends the same key). Everything else —
/// classifying each POST, the POST budget, when a refusal still proves nothing, cancellation, and the
/// <see cref="OutcomeUnknownError"/> message — is <see cref="SubmitEngine"/>'s. Create one per logical submit.
/// </summary>
/// <remarks>Part of the provider-authoring kit (the <c>MediaGen.Providers</c> namespace): for vendor adapters, not for callers.</remarks>
/// <typeparam name="TAccepted">What the vendor's accepted answer is read into.</typeparam>
public abstract class SubmitSettlement<TAccepted>
    where TAccepted : class
{
    /// <summary>
    /// Gets how the caller can find the job by hand, as a clause for the <see cref="OutcomeUnknownError"/> message
    /// (<c>look it up in GET /v2/jobs</c>), or null. Read when the message is written, so it may name a time window.
    /// </summary>
    public virtual string? WhereToLook => null;

    /// <summary>
    /// Settles an ambiguous POST: the vendor has the job (<see cref="Found"/>), sending the same request again cannot
    /// charge twice (<see cref="Resend"/>; the engine resends while the POST budget allows), or it cannot be settled
    /// (<see cref="Unresolved"/>; the engine returns <see cref="OutcomeUnknownError"/>). Never submits anything new.
    /// </summary>
    /// <param name="submit">The ambiguous POST, the ones before it, the key and the budget.</param>
    /// <param name="cancellationToken">The caller's token; when it is canceled the engine reports outcome unknown.</param>
    /// <returns>The decision.</returns>
    public abstract ValueTask<Settlement<TAccepted>> SettleAsync(AmbiguousSubmit submit, CancellationToken cancellationToken);

    /// <summary>
    /// Gets ready to resend after <see cref="Resend"/> (for example waits for a rate-limiter permit: refusing the resend
    /// must not read as "nothing was charged", since the first POST may have been).
    /// </summary>
    /// <param name="cancellationToken">The caller's token.</param>
    /// <returns>Null to resend now, or why no resend can be made (the engine then reports outcome unknown).</returns>
    public virtual ValueTask<string?> PrepareResendAsync(CancellationToken cancellationToken) => ValueTask.FromResult<string?>(null);

    /// <summary>The vendor has the job (its answer to a look-up, or a match in its job list).</summary>
    /// <param name="accepted">The job, as the vendor's accepted answer would have read.</param>
    /// <returns>The decision.</returns>
    protected static Settlement<TAccepted> Found(TAccepted accepted)
    {
        ArgumentNullException.ThrowIfNull(accepted);
        return new(SettlementKind.Found, accepted, null, null);
    }

    /// <summary>Sending the same request again cannot charge twice (the vendor dedupes it, or says it never accepted it).</summary>
    /// <param name="finding">What the settlement found, as a clause (<c>its request log has no entry for the key</c>).</param>
    /// <returns>The decision.</returns>
    protected static Settlement<TAccepted> Resend(string finding)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(finding);
        return new(SettlementKind.Resend, null, finding, null);
    }

    /// <summary>
    /// The vendor's own records prove that no POST of this submit so far was accepted (MeiGen's request log answers
    /// <c>request_not_found</c> for the key; VeoGen's generation list covers the attempt's window without the job). The
    /// engine then settles the submit as refused before billing (the router may fail over) and writes the rule's message,
    /// naming the proof; with <paramref name="resendFirst"/>, it first sends the same request once more while the POST
    /// budget allows (a refusal of that resend is then a plain refusal, since the earlier POSTs are proven not accepted).
    /// </summary>
    /// <param name="proof">What proves it, as a clause (<c>its request log had no entry for the key: request_not_found</c>).</param>
    /// <param name="resendFirst">Whether sending the same request again with the same key is worth a try first.</param>
    /// <returns>The decision.</returns>
    protected static Settlement<TAccepted> NotAccepted(string proof, bool resendFirst = false)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(proof);
        return new(SettlementKind.NotAccepted, null, proof, null) { ResendFirst = resendFirst };
    }

    /// <summary>
    /// Whether a documented refusal of a later POST proves that the earlier, ambiguous POSTs of the same submit were not
    /// accepted either (a vendor that dedupes by the key would have returned the existing job instead of refusing).
    /// Without a proof (the default) such a refusal proves nothing about billing and the submit is outcome unknown.
    /// </summary>
    /// <param name="refusal">The refusal (a <see cref="SubmitOutcomeKind.RefusedBeforeBilling"/> outcome with the vendor's status).</param>
    /// <param name="trail">Every POST the engine made for this submit, the refusal last.</param>
    /// <returns>The proof, as a clause, or null.</returns>
    public virtual string? ProveNotAcceptedByRefusal(SubmitOutcome refusal, IReadOnlyList<SubmitOutcome> trail) => null;

    /// <summary>It cannot be settled: the engine returns <see cref="OutcomeUnknownError"/> with the key and these facts.</summary>
    /// <param name="finding">What the settlement found or tried, as a clause.</param>
    /// <param name="candidate">The job that is most likely this submit's, when there is one (it goes on the error).</param>
    /// <returns>The decision.</returns>
    protected static Settlement<TAccepted> Unresolved(string finding, JobHandle? candidate = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(finding);
        return new(SettlementKind.Unresolved, null, finding, candidate);
    }
}

/// <summary>What a <see cref="SubmitSettlement{TAccepted}"/> decided about an ambiguous POST.</summary>
/// <remarks>Part of the provider-authoring kit (the <c>MediaGen.Providers</c> namespace): for vendor adapters, not for callers.</remarks>
public enum SettlementKind
{
    /// <summary>The vendor has the job: adopt it.</summary>
    Found,

    /// <summary>The same request may be sent again with the same key (while the POST budget allows).</summary>
    Resend,

    /// <summary>It cannot be settled: outcome unknown.</summary>
    Unresolved,

    /// <summary>The vendor's own records prove the submit was not accepted: refused before billing (after an optional resend).</summary>
    NotAccepted,
}

/// <summary>The decision of a <see cref="SubmitSettlement{TAccepted}"/>, made with its protected helpers.</summary>
/// <remarks>Part of the provider-authoring kit (the <c>MediaGen.Providers</c> namespace): for vendor adapters, not for callers.</remarks>
/// <typeparam name="TAccepted">What the vendor's accepted answer is read into.</typeparam>
public sealed record Settlement<TAccepted>
    where TAccepted : class
{
    internal Settlement(SettlementKind kind, TAccepted? accepted, string? finding, JobHandle? candidate)
    {
        Kind = kind;
        Accepted = accepted;
        Finding = finding;
        Candidate = candidate;
    }

    /// <summary>Gets the decision.</summary>
    public SettlementKind Kind { get; }

    /// <summary>Gets the job the vendor has (for <see cref="SettlementKind.Found"/>).</summary>
    public TAccepted? Accepted { get; }

    /// <summary>Gets what the settlement found or tried, as a clause (for <see cref="SettlementKind.Resend"/> and <see cref="SettlementKind.Unresolved"/>), or the proof (for <see cref="SettlementKind.NotAccepted"/>).</summary>
    public string? Finding { get; }

    /// <summary>Gets whether a <see cref="SettlementKind.NotAccepted"/> settlement asks for one resend with the same key first.</summary>
    public bool ResendFirst { get; internal init; }

    /// <summary>Gets the job that is most likely this submit's, when an unresolved settlement has one.</summary>
    public JobHandle? Candidate { get; }

    /// <summary>
    /// Gets what the caller should do, replacing the engine's advice (resume with the candidate handle, resubmit with the
    /// same key, where to look) for a case where that advice would be wrong (the key belongs to another request's job).
    /// Null for the engine's.
    /// </summary>
    public string? Advice { get; init; }
}

/// <summary>An ambiguous POST handed to a <see cref="SubmitSettlement{TAccepted}"/>, with the facts of the submit so far.</summary>
/// <remarks>Part of the provider-authoring kit (the <c>MediaGen.Providers</c> namespace): for vendor adapters, not for callers.</remarks>
public sealed class AmbiguousSubmit
{
    internal AmbiguousSubmit(string idempotencyKey, IReadOnlyList<SubmitOutcome> trail, SubmitAttempts budget)
    {
        IdempotencyKey = idempotencyKey;
        Trail = trail;
        Budget = budget;
    }

    /// <summary>Gets the key every POST of this submit carried.</summary>
    public string IdempotencyKey { get; }

    /// <summary>Gets the ambiguous POST (the last of <see cref="Trail"/>).</summary>
    public SubmitOutcome Outcome => Trail[^1];

    /// <summary>Gets why it is ambiguous.</summary>
    public SubmitAmbiguity Ambiguity => Outcome.Ambiguity ?? SubmitAmbiguity.Transport;

    /// <summary>Gets every POST the engine made for this submit so far, in order (the shared pipeline's own resends not counted).</summary>
    public IReadOnlyList<SubmitOutcome> Trail { get; }

    /// <summary>Gets which POST of the engine this is (1 for the first).</summary>
    public int Attempt => Trail.Count;

    /// <summary>Gets the submit's POST budget (every layer's POSTs counted).</summary>
    public SubmitAttempts Budget { get; }
}
