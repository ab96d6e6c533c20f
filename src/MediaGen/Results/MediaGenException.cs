namespace MediaGen;

/// <summary>The exception form of a <see cref="MediaGenError"/>; one subtype per <see cref="ErrorKind"/>.</summary>
public class MediaGenException : Exception
{
    /// <summary>Creates the exception for an error.</summary>
    /// <param name="error">The error.</param>
    public MediaGenException(MediaGenError error)
        : base((error ?? throw new ArgumentNullException(nameof(error))).ToString())
    {
        Error = error;
    }

    /// <summary>Creates the exception with a message (no error value).</summary>
    public MediaGenException()
        : this(new ProviderUnavailableError("Unspecified MediaGen failure.", null))
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">The message.</param>
    public MediaGenException(string message)
        : this(new ProviderUnavailableError(message, null))
    {
    }

    /// <summary>Creates the exception with a message and an inner exception.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause.</param>
    public MediaGenException(string message, Exception innerException)
        : base(message, innerException)
    {
        Error = new ProviderUnavailableError(message, null);
    }

    /// <summary>Gets the error.</summary>
    public MediaGenError Error { get; }

    /// <summary>Gets the provider that produced the error, if any.</summary>
    public string? Provider => Error.Provider;
}

/// <summary>Thrown for <see cref="InvalidRequestError"/>.</summary>
/// <param name="error">The error.</param>
public sealed class InvalidRequestException(InvalidRequestError error) : MediaGenException(error)
{
    /// <summary>Gets the field errors.</summary>
    public IReadOnlyList<FieldError> Errors => error.Errors;
}

/// <summary>Thrown for <see cref="UnauthorizedError"/>.</summary>
/// <param name="error">The error.</param>
public sealed class UnauthorizedException(UnauthorizedError error) : MediaGenException(error);

/// <summary>Thrown for <see cref="InsufficientFundsError"/>.</summary>
/// <param name="error">The error.</param>
public sealed class InsufficientFundsException(InsufficientFundsError error) : MediaGenException(error)
{
    /// <summary>Gets what the generation costs, when known.</summary>
    public Money? Required => error.Required;

    /// <summary>Gets the balance, when known.</summary>
    public Money? Balance => error.Balance;
}

/// <summary>Thrown for <see cref="RateLimitedError"/>.</summary>
/// <param name="error">The error.</param>
public sealed class RateLimitedException(RateLimitedError error) : MediaGenException(error)
{
    /// <summary>Gets how long the vendor asked to wait, when known.</summary>
    public TimeSpan? RetryAfter => error.RetryAfter;
}

/// <summary>Thrown for <see cref="NotFoundError"/>.</summary>
/// <param name="error">The error.</param>
public sealed class NotFoundException(NotFoundError error) : MediaGenException(error);

/// <summary>Thrown for <see cref="ContentRejectedError"/>.</summary>
/// <param name="error">The error.</param>
public sealed class ContentRejectedException(ContentRejectedError error) : MediaGenException(error);

/// <summary>Thrown for <see cref="ProviderUnavailableError"/>.</summary>
/// <param name="error">The error.</param>
public sealed class ProviderUnavailableException(ProviderUnavailableError error) : MediaGenException(error);

/// <summary>Thrown for <see cref="OutcomeUnknownError"/>: the request may have been billed.</summary>
/// <param name="error">The error.</param>
public sealed class OutcomeUnknownException(OutcomeUnknownError error) : MediaGenException(error)
{
    /// <summary>Gets the job, when known.</summary>
    public JobHandle? Handle => error.Handle;

    /// <summary>Gets the idempotency key the submit carried.</summary>
    public string IdempotencyKey => error.IdempotencyKey;
}

/// <summary>Thrown for <see cref="TimedOutError"/>: waiting stopped, the job lives on.</summary>
/// <param name="error">The error.</param>
public sealed class GenerationTimedOutException(TimedOutError error) : MediaGenException(error)
{
    /// <summary>Gets the job to resume.</summary>
    public JobHandle Handle => error.Handle;
}

/// <summary>Thrown for <see cref="NoRouteError"/>.</summary>
/// <param name="error">The error.</param>
public sealed class NoRouteException(NoRouteError error) : MediaGenException(error)
{
    /// <summary>Gets the attempt trail.</summary>
    public IReadOnlyList<RouteAttempt> Attempts => error.Attempts;
}

/// <summary>Thrown by <see cref="GenerationJob.EnsureSucceeded"/> when a job ended failed or canceled.</summary>
public sealed class GenerationFailedException : MediaGenException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="job">The failed job.</param>
    public GenerationFailedException(GenerationJob job)
        : base(new ProviderUnavailableError(
            $"Job {job?.Handle} ended {job?.Status}: {job?.Failure?.Message ?? "no reason given"}.",
            job?.Handle.Provider,
            false))
    {
        Job = job!;
    }

    /// <summary>Gets the job.</summary>
    public GenerationJob Job { get; }
}

/// <summary>
/// Thrown when waiting for a job is canceled by the caller. The job is not canceled at the vendor:
/// resume it with <see cref="Handle"/>.
/// </summary>
public sealed class JobWaitCanceledException : OperationCanceledException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="handle">The job.</param>
    /// <param name="token">The token that was canceled.</param>
    public JobWaitCanceledException(JobHandle handle, CancellationToken token)
        : base($"Stopped waiting for job {handle}; the job goes on at the vendor and can be resumed by its handle.", token)
    {
        Handle = handle;
    }

    /// <summary>Gets the job to resume.</summary>
    public JobHandle Handle { get; }
}
