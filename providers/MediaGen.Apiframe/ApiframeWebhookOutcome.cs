namespace MediaGen.Apiframe;

/// <summary>What <see cref="ApiframeWebhookReceiver"/> did with one delivery.</summary>
public enum ApiframeWebhookOutcome
{
    /// <summary>Verified and new: the job update was published.</summary>
    Accepted,

    /// <summary>Verified, but the same delivery (job, event, status and progress) was already accepted: ignored.</summary>
    Duplicate,

    /// <summary>Verified, but older than what is known (e.g. a progress event after the job ended): ignored.</summary>
    Stale,

    /// <summary>The signature is missing or wrong (forged, or signed with another key): ignored.</summary>
    InvalidSignature,

    /// <summary>Correctly signed, but the body is not a job event MediaGen can read: ignored.</summary>
    Malformed,
}

/// <summary>The result of receiving one webhook delivery.</summary>
/// <param name="Outcome">What was done.</param>
/// <param name="Event">The event type (<c>progress</c>, <c>completed</c>, <c>failed</c>), when read.</param>
/// <param name="Job">The job update, for verified deliveries.</param>
/// <param name="Reason">Why the delivery was not accepted.</param>
public sealed record ApiframeWebhookResult(ApiframeWebhookOutcome Outcome, string? Event = null, GenerationJob? Job = null, string? Reason = null)
{
    /// <summary>Gets whether the delivery carried a valid signature.</summary>
    public bool IsVerified => Outcome is ApiframeWebhookOutcome.Accepted or ApiframeWebhookOutcome.Duplicate or ApiframeWebhookOutcome.Stale;

    /// <summary>
    /// Gets the HTTP status to answer the delivery with: 200 for verified deliveries (duplicates too, so the vendor
    /// stops re-sending), 401 for a bad signature, 400 for an unreadable body.
    /// </summary>
    public int StatusCode => Outcome switch
    {
        ApiframeWebhookOutcome.InvalidSignature => 401,
        ApiframeWebhookOutcome.Malformed => 400,
        _ => 200,
    };
}
