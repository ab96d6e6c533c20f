using OneOf;

namespace MediaGen;

/// <summary>
/// An expected failure: one of a closed set (see <see cref="ErrorKind"/>). Every error says which provider
/// produced it and whether the vendor rejected the request before billing (so a retry or failover cannot pay twice).
/// </summary>
/// <remarks>
/// <para>
/// The set is closed: only MediaGen declares error types, so <see cref="Match{TResult}"/> and <see cref="Switch"/>
/// (one handler per kind) are exhaustive, and so is <see cref="Result{T}"/>'s per-kind <c>Match</c>/<c>Switch</c>. Both are
/// built on the OneOf union <see cref="AsOneOf"/> returns: when MediaGen adds a kind, that union gains a case and every
/// per-kind <c>Match</c>/<c>Switch</c> gains a handler, so code that handles each kind stops compiling instead of
/// silently missing one.
/// </para>
/// <para>
/// How the ten kinds fit OneOf's nine cases: the union keeps <see cref="ErrorKind"/>'s order and nests the two kinds
/// that mean "a job may be live at the vendor: settle it before submitting again" in one case,
/// <c>OneOf&lt;OutcomeUnknownError, TimedOutError&gt;</c>. Each of the two carries what settles it (the idempotency
/// key, the handle) and is never rejected before billing. The grouping is not by billing: whether an error was
/// billed is a fact about one error, not about its kind (a poll that fails after the vendor accepted the job
/// reports <see cref="RejectedBeforeBilling"/> = false whatever its kind), so read <see cref="RejectedBeforeBilling"/>.
/// </para>
/// </remarks>
public abstract record MediaGenError
{
    private protected MediaGenError(string message, string? provider, bool rejectedBeforeBilling)
    {
        Message = string.IsNullOrWhiteSpace(message) ? GetType().Name : message;
        Provider = provider;
        RejectedBeforeBilling = rejectedBeforeBilling;
    }

    /// <summary>Gets the kind of failure.</summary>
    public abstract ErrorKind Kind { get; }

    /// <summary>Gets a human-readable message naming the vendor and what to do.</summary>
    public string Message { get; init; }

    /// <summary>Gets the provider that produced the error, or null for errors raised before choosing one.</summary>
    public string? Provider { get; init; }

    /// <summary>Gets whether the request was provably not billed (safe to retry or fail over).</summary>
    public bool RejectedBeforeBilling { get; init; }

    /// <summary>Gets the HTTP status code the vendor answered with, when there was one.</summary>
    public int? StatusCode { get; init; }

    /// <summary>Gets the vendor's own error text or code, verbatim, when there was one.</summary>
    public string? VendorMessage { get; init; }

    /// <summary>Gets the router's attempt trail that led to this error (empty when no router was involved).</summary>
    public IReadOnlyList<RouteAttempt> Attempts { get; init; } = [];

    /// <summary>
    /// Gets, for a submit whose answer alone did not settle it (a dropped connection, a 5xx), the vendor's own proof that
    /// it was not accepted (<c>its request log had no entry for the key: request_not_found</c>): what made this error
    /// <see cref="RejectedBeforeBilling"/>. Null when the answer itself was the refusal. The router fails over on it
    /// unless <see cref="Routing.RouterOptions.FailOverOnNotAcceptedProof"/> is off (docs/paying-once.md).
    /// </summary>
    public string? NotAcceptedProof { get; init; }

    /// <summary>
    /// Gets this error as a OneOf union over the closed set, in <see cref="ErrorKind"/> order, with
    /// <see cref="OutcomeUnknownError"/> and <see cref="TimedOutError"/> (a job may be live: settle it first) nested
    /// in one case. Use it for OneOf's own API (<c>TryPickT7</c>, <c>IsT0</c>, <c>MapT8</c>, …) or to pass the
    /// union on; <see cref="Match{TResult}"/> and <see cref="Switch"/> flatten it to one handler per kind.
    /// </summary>
    /// <returns>The union; no allocation.</returns>
    public OneOf<InvalidRequestError, UnauthorizedError, InsufficientFundsError, RateLimitedError, NotFoundError, ContentRejectedError, ProviderUnavailableError, OneOf<OutcomeUnknownError, TimedOutError>, NoRouteError> AsOneOf() => this switch
    {
        InvalidRequestError e => e,
        UnauthorizedError e => e,
        InsufficientFundsError e => e,
        RateLimitedError e => e,
        NotFoundError e => e,
        ContentRejectedError e => e,
        ProviderUnavailableError e => e,
        OutcomeUnknownError e => (OneOf<OutcomeUnknownError, TimedOutError>)e,
        TimedOutError e => (OneOf<OutcomeUnknownError, TimedOutError>)e,
        NoRouteError e => e,
        _ => throw new InvalidOperationException($"{GetType().Name} is not one of MediaGen's error kinds."),
    };

    /// <summary>Calls the handler for this error's kind (exhaustive over the closed set).</summary>
    /// <typeparam name="TResult">The result type.</typeparam>
    /// <param name="invalidRequest">Handles <see cref="InvalidRequestError"/>.</param>
    /// <param name="unauthorized">Handles <see cref="UnauthorizedError"/>.</param>
    /// <param name="insufficientFunds">Handles <see cref="InsufficientFundsError"/>.</param>
    /// <param name="rateLimited">Handles <see cref="RateLimitedError"/>.</param>
    /// <param name="notFound">Handles <see cref="NotFoundError"/>.</param>
    /// <param name="contentRejected">Handles <see cref="ContentRejectedError"/>.</param>
    /// <param name="providerUnavailable">Handles <see cref="ProviderUnavailableError"/>.</param>
    /// <param name="outcomeUnknown">Handles <see cref="OutcomeUnknownError"/>.</param>
    /// <param name="timedOut">Handles <see cref="TimedOutError"/>.</param>
    /// <param name="noRoute">Handles <see cref="NoRouteError"/>.</param>
    /// <returns>The handler's result.</returns>
    public TResult Match<TResult>(
        Func<InvalidRequestError, TResult> invalidRequest,
        Func<UnauthorizedError, TResult> unauthorized,
        Func<InsufficientFundsError, TResult> insufficientFunds,
        Func<RateLimitedError, TResult> rateLimited,
        Func<NotFoundError, TResult> notFound,
        Func<ContentRejectedError, TResult> contentRejected,
        Func<ProviderUnavailableError, TResult> providerUnavailable,
        Func<OutcomeUnknownError, TResult> outcomeUnknown,
        Func<TimedOutError, TResult> timedOut,
        Func<NoRouteError, TResult> noRoute)
    {
        ArgumentNullException.ThrowIfNull(invalidRequest);
        ArgumentNullException.ThrowIfNull(unauthorized);
        ArgumentNullException.ThrowIfNull(insufficientFunds);
        ArgumentNullException.ThrowIfNull(rateLimited);
        ArgumentNullException.ThrowIfNull(notFound);
        ArgumentNullException.ThrowIfNull(contentRejected);
        ArgumentNullException.ThrowIfNull(providerUnavailable);
        ArgumentNullException.ThrowIfNull(outcomeUnknown);
        ArgumentNullException.ThrowIfNull(timedOut);
        ArgumentNullException.ThrowIfNull(noRoute);
        return AsOneOf().Match(
            invalidRequest,
            unauthorized,
            insufficientFunds,
            rateLimited,
            notFound,
            contentRejected,
            providerUnavailable,
            unsettled => unsettled.Match(outcomeUnknown, timedOut),
            noRoute);
    }

    /// <summary>Runs the handler for this error's kind (exhaustive over the closed set).</summary>
    /// <param name="invalidRequest">Handles <see cref="InvalidRequestError"/>.</param>
    /// <param name="unauthorized">Handles <see cref="UnauthorizedError"/>.</param>
    /// <param name="insufficientFunds">Handles <see cref="InsufficientFundsError"/>.</param>
    /// <param name="rateLimited">Handles <see cref="RateLimitedError"/>.</param>
    /// <param name="notFound">Handles <see cref="NotFoundError"/>.</param>
    /// <param name="contentRejected">Handles <see cref="ContentRejectedError"/>.</param>
    /// <param name="providerUnavailable">Handles <see cref="ProviderUnavailableError"/>.</param>
    /// <param name="outcomeUnknown">Handles <see cref="OutcomeUnknownError"/>.</param>
    /// <param name="timedOut">Handles <see cref="TimedOutError"/>.</param>
    /// <param name="noRoute">Handles <see cref="NoRouteError"/>.</param>
    public void Switch(
        Action<InvalidRequestError> invalidRequest,
        Action<UnauthorizedError> unauthorized,
        Action<InsufficientFundsError> insufficientFunds,
        Action<RateLimitedError> rateLimited,
        Action<NotFoundError> notFound,
        Action<ContentRejectedError> contentRejected,
        Action<ProviderUnavailableError> providerUnavailable,
        Action<OutcomeUnknownError> outcomeUnknown,
        Action<TimedOutError> timedOut,
        Action<NoRouteError> noRoute)
    {
        ArgumentNullException.ThrowIfNull(invalidRequest);
        ArgumentNullException.ThrowIfNull(unauthorized);
        ArgumentNullException.ThrowIfNull(insufficientFunds);
        ArgumentNullException.ThrowIfNull(rateLimited);
        ArgumentNullException.ThrowIfNull(notFound);
        ArgumentNullException.ThrowIfNull(contentRejected);
        ArgumentNullException.ThrowIfNull(providerUnavailable);
        ArgumentNullException.ThrowIfNull(outcomeUnknown);
        ArgumentNullException.ThrowIfNull(timedOut);
        ArgumentNullException.ThrowIfNull(noRoute);
        AsOneOf().Switch(
            invalidRequest,
            unauthorized,
            insufficientFunds,
            rateLimited,
            notFound,
            contentRejected,
            providerUnavailable,
            unsettled => unsettled.Switch(outcomeUnknown, timedOut),
            noRoute);
    }

    /// <summary>
    /// Creates the exception for this error: <see cref="OutcomeUnknownException"/> for <see cref="OutcomeUnknownError"/>
    /// (the one callers catch on its own: the request may have been billed), otherwise <see cref="MediaGenException"/>.
    /// Either way <see cref="MediaGenException.Error"/> is this error.
    /// </summary>
    /// <returns>The exception (not thrown).</returns>
    public MediaGenException ToException() => this is OutcomeUnknownError unknown ? new OutcomeUnknownException(unknown) : new MediaGenException(this);

    /// <inheritdoc/>
    public sealed override string ToString() => Provider is null ? $"{Kind}: {Message}" : $"{Kind} ({Provider}): {Message}";
}

/// <summary>The request is invalid; <see cref="Errors"/> names every bad field. Never billed.</summary>
public sealed record InvalidRequestError : MediaGenError
{
    /// <summary>Creates the error.</summary>
    /// <param name="errors">The field errors (at least one).</param>
    /// <param name="provider">The provider, or null when validation ran before choosing one.</param>
    public InvalidRequestError(IReadOnlyList<FieldError> errors, string? provider = null)
        : base(Describe(errors, provider), provider, rejectedBeforeBilling: true)
    {
        Errors = errors;
    }

    /// <summary>Creates the error for one field.</summary>
    /// <param name="field">The field.</param>
    /// <param name="message">What is wrong.</param>
    /// <param name="provider">The provider.</param>
    public InvalidRequestError(string field, string message, string? provider = null)
        : this([new FieldError(field, message)], provider)
    {
    }

    /// <inheritdoc/>
    public override ErrorKind Kind => ErrorKind.InvalidRequest;

    /// <summary>Gets the field errors.</summary>
    public IReadOnlyList<FieldError> Errors { get; }

    private static string Describe(IReadOnlyList<FieldError> errors, string? provider)
    {
        ArgumentNullException.ThrowIfNull(errors);
        var prefix = provider is null ? "Invalid request" : $"Invalid request for {provider}";
        return errors.Count == 0 ? prefix + "." : $"{prefix}: {string.Join("; ", errors)}";
    }
}

/// <summary>The API key was missing, invalid or inactive. Never billed.</summary>
/// <param name="Message">What the vendor said and what to check.</param>
/// <param name="Provider">The provider.</param>
public sealed record UnauthorizedError(string Message, string? Provider) : MediaGenError(Message, Provider, true)
{
    /// <inheritdoc/>
    public override ErrorKind Kind => ErrorKind.Unauthorized;
}

/// <summary>The account lacks funds. Never billed.</summary>
/// <param name="Message">What the vendor said.</param>
/// <param name="Provider">The provider.</param>
/// <param name="Required">What the generation costs, when the vendor said.</param>
/// <param name="Balance">The balance, when the vendor said.</param>
public record InsufficientFundsError(string Message, string? Provider, Money? Required = null, Money? Balance = null)
    : MediaGenError(Message, Provider, true)
{
    /// <inheritdoc/>
    public override ErrorKind Kind => ErrorKind.InsufficientFunds;
}

/// <summary>The vendor throttled the request. Never billed.</summary>
/// <param name="Message">What the vendor said.</param>
/// <param name="Provider">The provider.</param>
/// <param name="RetryAfter">How long the vendor asked to wait, when it said.</param>
public sealed record RateLimitedError(string Message, string? Provider, TimeSpan? RetryAfter = null)
    : MediaGenError(Message, Provider, true)
{
    /// <inheritdoc/>
    public override ErrorKind Kind => ErrorKind.RateLimited;
}

/// <summary>The job, request or model does not exist at the vendor.</summary>
/// <param name="Message">What was not found.</param>
/// <param name="Provider">The provider.</param>
public sealed record NotFoundError(string Message, string? Provider) : MediaGenError(Message, Provider, true)
{
    /// <inheritdoc/>
    public override ErrorKind Kind => ErrorKind.NotFound;
}

/// <summary>The vendor's moderation refused the content. Failing over does not help.</summary>
/// <param name="Message">What the vendor said.</param>
/// <param name="Provider">The provider.</param>
/// <param name="Handle">The job, when it had been accepted before being refused.</param>
public sealed record ContentRejectedError(string Message, string? Provider, JobHandle? Handle = null)
    : MediaGenError(Message, Provider, Handle is null)
{
    /// <inheritdoc/>
    public override ErrorKind Kind => ErrorKind.ContentRejected;
}

/// <summary>The vendor is down or failing. <see cref="MediaGenError.RejectedBeforeBilling"/> tells whether it provably took no job.</summary>
/// <param name="Message">What happened.</param>
/// <param name="Provider">The provider.</param>
/// <param name="RejectedBeforeBilling">Whether no job can have been created.</param>
/// <param name="RetryAfter">How long the vendor asked to wait, when it said.</param>
public sealed record ProviderUnavailableError(string Message, string? Provider, bool RejectedBeforeBilling = true, TimeSpan? RetryAfter = null)
    : MediaGenError(Message, Provider, RejectedBeforeBilling)
{
    /// <inheritdoc/>
    public override ErrorKind Kind => ErrorKind.ProviderUnavailable;
}

/// <summary>
/// The request may have been accepted and billed, and it could not be settled. Do not resubmit with a new
/// key: resume with <see cref="Handle"/> when known, or resubmit with the same <see cref="IdempotencyKey"/>
/// where the vendor dedupes.
/// </summary>
/// <param name="Message">What happened, naming <paramref name="IdempotencyKey"/> (and <paramref name="Handle"/> when known) once: callers show it as it is and add nothing.</param>
/// <param name="Provider">The provider.</param>
/// <param name="IdempotencyKey">The key the submit carried.</param>
/// <param name="Handle">The job, when known.</param>
public sealed record OutcomeUnknownError(string Message, string? Provider, string IdempotencyKey, JobHandle? Handle = null)
    : MediaGenError(Message, Provider, false)
{
    /// <inheritdoc/>
    public override ErrorKind Kind => ErrorKind.OutcomeUnknown;
}

/// <summary>
/// Waiting ended before the job did: at the deadline, or after too many status answers in a row could not be read
/// (<see cref="Reason"/>). The job lives on and may be billed: resume with <see cref="Handle"/>.
/// </summary>
/// <param name="Message">What happened.</param>
/// <param name="Provider">The provider.</param>
/// <param name="Handle">The job.</param>
/// <param name="LastKnown">The job as last seen.</param>
public sealed record TimedOutError(string Message, string? Provider, JobHandle Handle, GenerationJob? LastKnown = null)
    : MediaGenError(Message, Provider, false)
{
    /// <inheritdoc/>
    public override ErrorKind Kind => ErrorKind.TimedOut;

    /// <summary>Gets why waiting ended.</summary>
    /// <value>The default is <see cref="TimedOutReason.Deadline"/>.</value>
    public TimedOutReason Reason { get; init; }
}

/// <summary>Why a wait ended with <see cref="TimedOutError"/> while the job may still be running.</summary>
public enum TimedOutReason
{
    /// <summary>The wait's deadline passed.</summary>
    Deadline,

    /// <summary>
    /// Several status answers in a row (<see cref="WaitOptions.MaxConsecutiveStatusFailures"/>) could not be read or
    /// failed: an HTML page with 200, JSON of the wrong shape, a body cut off, a 5xx, a dropped connection.
    /// </summary>
    StatusUnreadable,
}

/// <summary>No vendor could take the request; <see cref="MediaGenError.Attempts"/> says why each was skipped or failed.</summary>
public sealed record NoRouteError : MediaGenError
{
    /// <summary>Creates the error.</summary>
    /// <param name="message">A summary.</param>
    /// <param name="attempts">The attempt trail.</param>
    public NoRouteError(string message, IReadOnlyList<RouteAttempt> attempts)
        : base(message, null, true)
    {
        Attempts = attempts ?? [];
    }

    /// <inheritdoc/>
    public override ErrorKind Kind => ErrorKind.NoRoute;
}
