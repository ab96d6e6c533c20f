namespace MediaGen.Replicate;

/// <summary>What <see cref="ReplicateWebhookReceiver"/> did with one delivery.</summary>
public enum ReplicateWebhookOutcome
{
    /// <summary>Verified and new: the job update was published.</summary>
    Accepted,

    /// <summary>Verified, but its <c>webhook-id</c> was already accepted (Replicate retries the final webhook): ignored.</summary>
    Duplicate,

    /// <summary>Verified, but older than what is known (an intermediate state after the job was seen ended): ignored.</summary>
    Stale,

    /// <summary>The signature is missing or wrong (forged, altered, or signed with another secret): ignored.</summary>
    InvalidSignature,

    /// <summary>The <c>webhook-timestamp</c> is missing or outside the tolerance (a replay, or a badly wrong clock): ignored.</summary>
    InvalidTimestamp,

    /// <summary>Correctly signed, but the body is not a prediction MediaGen can read: ignored.</summary>
    Malformed,
}

/// <summary>The result of receiving one webhook delivery.</summary>
/// <param name="Outcome">What was done.</param>
/// <param name="WebhookId">The <c>webhook-id</c>, when present.</param>
/// <param name="Job">The job update, for verified deliveries.</param>
/// <param name="Reason">Why the delivery was not accepted.</param>
public sealed record ReplicateWebhookResult(ReplicateWebhookOutcome Outcome, string? WebhookId = null, GenerationJob? Job = null, string? Reason = null)
{
    /// <summary>Gets whether the delivery carried a valid signature and timestamp.</summary>
    public bool IsVerified => Outcome is ReplicateWebhookOutcome.Accepted or ReplicateWebhookOutcome.Duplicate or ReplicateWebhookOutcome.Stale or ReplicateWebhookOutcome.Malformed;

    /// <summary>
    /// Gets the HTTP status to answer with: 200 for verified deliveries (duplicates too, so Replicate stops retrying),
    /// 401 for a bad signature or timestamp, 400 for an unreadable body.
    /// </summary>
    public int StatusCode => Outcome switch
    {
        ReplicateWebhookOutcome.InvalidSignature or ReplicateWebhookOutcome.InvalidTimestamp => 401,
        ReplicateWebhookOutcome.Malformed => 400,
        _ => 200,
    };
}
