namespace MediaGen;

/// <summary>Why a job failed.</summary>
public enum FailureReason
{
    /// <summary>The vendor's moderation refused the content.</summary>
    ContentPolicy,

    /// <summary>The vendor (or its upstream model) failed.</summary>
    ProviderError,

    /// <summary>The job or its outputs expired.</summary>
    Expired,
}

/// <summary>Why a job failed, with the vendor's text verbatim and whether the charge was refunded.</summary>
/// <param name="Reason">The reason.</param>
/// <param name="Message">The vendor's error text.</param>
/// <param name="Refunded">Whether the vendor refunded (or never took) the charge, when known.</param>
public sealed record JobFailure(FailureReason Reason, string Message, bool? Refunded = null);
