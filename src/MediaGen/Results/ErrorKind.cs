namespace MediaGen;

/// <summary>The closed set of expected failures.</summary>
public enum ErrorKind
{
    /// <summary>The request is invalid (for this vendor): see the field errors.</summary>
    InvalidRequest,

    /// <summary>The API key is missing, invalid or inactive.</summary>
    Unauthorized,

    /// <summary>The account has too little balance or credit.</summary>
    InsufficientFunds,

    /// <summary>The vendor throttled the request.</summary>
    RateLimited,

    /// <summary>The job or model does not exist at the vendor.</summary>
    NotFound,

    /// <summary>The vendor refused the content (moderation).</summary>
    ContentRejected,

    /// <summary>The vendor is down or failing.</summary>
    ProviderUnavailable,

    /// <summary>The request may have been accepted (and billed); the handle or idempotency key settles it.</summary>
    OutcomeUnknown,

    /// <summary>Waiting hit its deadline; the job lives on at the vendor.</summary>
    TimedOut,

    /// <summary>No vendor could take the request.</summary>
    NoRoute,
}
