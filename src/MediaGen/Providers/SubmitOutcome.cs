namespace MediaGen.Providers;

/// <summary>What one POST of a submit ended in, as far as money goes (docs/paying-once.md).</summary>
/// <remarks>Part of the provider-authoring kit (the <c>MediaGen.Providers</c> namespace): for vendor adapters, not for callers.</remarks>
public enum SubmitOutcomeKind
{
    /// <summary>The vendor accepted it: a 2xx whose body carries a readable job.</summary>
    Accepted,

    /// <summary>The vendor refused it with one of its documented refusals: it created nothing, so nothing was charged.</summary>
    RefusedBeforeBilling,

    /// <summary>It provably never reached the vendor (the connection was never made, or a circuit breaker held it back).</summary>
    NeverSent,

    /// <summary>It may have reached the vendor and been charged, and the answer does not say: the vendor's settlement decides.</summary>
    Ambiguous,

    /// <summary>The caller canceled while it was in flight, waiting to be resent, or while its answer was read.</summary>
    Canceled,
}

/// <summary>Why a submit's outcome is ambiguous: what the vendor's settlement has to go on.</summary>
/// <remarks>Part of the provider-authoring kit (the <c>MediaGen.Providers</c> namespace): for vendor adapters, not for callers.</remarks>
public enum SubmitAmbiguity
{
    /// <summary>The exchange failed after the request may have been sent (a dropped connection, a timeout).</summary>
    Transport,

    /// <summary>The answer's status came, but its body was cut off while it was read (the shared HTTP pipeline cannot see this).</summary>
    AnswerCutOff,

    /// <summary>
    /// A 2xx, so the vendor accepted it, whose body cannot be read (not JSON, over the size limit, no job id). The shared
    /// HTTP pipeline cannot see this either.
    /// </summary>
    UnreadableAcceptance,

    /// <summary>A status that is not one of the vendor's documented refusals (a 5xx, a redirect, 408, 425, 499, …).</summary>
    Status,

    /// <summary>HTTP 409 at a vendor that dedupes by idempotency key: a job already exists under the key.</summary>
    KeyInUse,
}

/// <summary>
/// One POST of a logical submit, classified once by <see cref="SubmitEngine"/> from what the exchange showed and the
/// vendor's refusal table (<see cref="VendorErrorMap"/>).
/// </summary>
/// <remarks>Part of the provider-authoring kit (the <c>MediaGen.Providers</c> namespace): for vendor adapters, not for callers.</remarks>
public sealed record SubmitOutcome
{
    private SubmitOutcome(SubmitOutcomeKind kind, string reason)
    {
        Kind = kind;
        Reason = reason;
    }

    /// <summary>Gets what the POST ended in.</summary>
    public SubmitOutcomeKind Kind { get; }

    /// <summary>Gets why the outcome is ambiguous (only for <see cref="SubmitOutcomeKind.Ambiguous"/>).</summary>
    public SubmitAmbiguity? Ambiguity { get; private init; }

    /// <summary>Gets what happened, as a clause for messages (<c>HTTP 502 "Bad gateway", which does not say …</c>).</summary>
    public string Reason { get; }

    /// <summary>Gets the HTTP status the vendor answered with, when an answer came.</summary>
    public int? StatusCode { get; private init; }

    /// <summary>Gets the vendor's own text, verbatim, when it gave one.</summary>
    public string? VendorMessage { get; private init; }

    /// <summary>Gets the error to return (only for <see cref="SubmitOutcomeKind.RefusedBeforeBilling"/> and <see cref="SubmitOutcomeKind.NeverSent"/>).</summary>
    public MediaGenError? Error { get; private init; }

    /// <summary>Gets whether this POST may have reached the vendor (and so may have created and charged a job).</summary>
    public bool MayHaveReachedVendor => Kind is SubmitOutcomeKind.Accepted or SubmitOutcomeKind.Ambiguous or SubmitOutcomeKind.Canceled;

    /// <summary>The vendor accepted the POST.</summary>
    /// <param name="statusCode">The 2xx status.</param>
    /// <returns>The outcome.</returns>
    public static SubmitOutcome Accepted(int statusCode) =>
        new(SubmitOutcomeKind.Accepted, $"accepted with HTTP {statusCode}") { StatusCode = statusCode };

    /// <summary>The vendor refused the POST with a documented refusal.</summary>
    /// <param name="error">The error, rejected before billing, with its status and the vendor's text.</param>
    /// <param name="reason">What happened, as a clause.</param>
    /// <returns>The outcome.</returns>
    public static SubmitOutcome Refused(MediaGenError error, string reason)
    {
        ArgumentNullException.ThrowIfNull(error);
        ArgumentException.ThrowIfNullOrWhiteSpace(reason);
        return new(SubmitOutcomeKind.RefusedBeforeBilling, reason) { Error = error, StatusCode = error.StatusCode, VendorMessage = error.VendorMessage };
    }

    /// <summary>The POST provably never reached the vendor.</summary>
    /// <param name="error">The error, rejected before billing.</param>
    /// <param name="reason">What happened, as a clause.</param>
    /// <returns>The outcome.</returns>
    public static SubmitOutcome NeverSent(MediaGenError error, string reason)
    {
        ArgumentNullException.ThrowIfNull(error);
        ArgumentException.ThrowIfNullOrWhiteSpace(reason);
        return new(SubmitOutcomeKind.NeverSent, reason) { Error = error };
    }

    /// <summary>The POST may have reached the vendor, and the answer does not say whether a job was created.</summary>
    /// <param name="ambiguity">Why it is ambiguous.</param>
    /// <param name="reason">What happened, as a clause.</param>
    /// <param name="statusCode">The status, when an answer came.</param>
    /// <param name="vendorMessage">The vendor's text, when it gave one.</param>
    /// <returns>The outcome.</returns>
    public static SubmitOutcome AmbiguousAnswer(SubmitAmbiguity ambiguity, string reason, int? statusCode = null, string? vendorMessage = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(reason);
        return new(SubmitOutcomeKind.Ambiguous, reason) { Ambiguity = ambiguity, StatusCode = statusCode, VendorMessage = vendorMessage };
    }

    /// <summary>The caller canceled while the POST was in flight, waiting to be resent, or while its answer was read.</summary>
    /// <param name="reason">What happened, as a clause.</param>
    /// <param name="statusCode">The status, when the answer's headers had come.</param>
    /// <returns>The outcome.</returns>
    public static SubmitOutcome Canceled(string reason, int? statusCode = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(reason);
        return new(SubmitOutcomeKind.Canceled, reason) { StatusCode = statusCode };
    }
}
