namespace MediaGen;

/// <summary>What happened at one vendor while routing a request.</summary>
public enum RouteOutcome
{
    /// <summary>The vendor was not tried (cannot serve the request, over the cost ceiling, circuit open, not allowed).</summary>
    Skipped,

    /// <summary>The vendor refused or failed the submit.</summary>
    Failed,

    /// <summary>The vendor accepted the job.</summary>
    Accepted,

    /// <summary>The vendor accepted the job, which then failed; the router resubmitted elsewhere.</summary>
    JobFailed,
}

/// <summary>One entry of the router's attempt trail.</summary>
/// <param name="Provider">The vendor.</param>
/// <param name="Model">The vendor's model id.</param>
/// <param name="Outcome">What happened.</param>
/// <param name="Reason">Why, in words.</param>
public sealed record RouteAttempt(string Provider, ModelId Model, RouteOutcome Outcome, string? Reason = null)
{
    /// <summary>Gets the quote at this vendor, when one was made.</summary>
    public PriceQuote? Quote { get; init; }

    /// <summary>Gets the error, when the attempt failed.</summary>
    public MediaGenError? Error { get; init; }

    /// <summary>Gets the idempotency key the attempt carried.</summary>
    public string? IdempotencyKey { get; init; }
}
