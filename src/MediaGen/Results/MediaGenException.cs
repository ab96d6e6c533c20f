namespace MediaGen;

/// <summary>
/// The exception form of a <see cref="MediaGenError"/>, thrown by <see cref="Result{T}.GetValueOrThrow"/> and by the
/// exception-based adapters. <see cref="Error"/> is the error value: branch on its type
/// (<c>catch (MediaGenException ex) when (ex.Error is RateLimitedError limited)</c>) or on <see cref="MediaGenError.Kind"/>.
/// </summary>
/// <remarks>
/// Only the failures callers handle on their own have a subtype: <see cref="OutcomeUnknownException"/> (the request
/// may have been billed: settle it, never resubmit with a new key), <see cref="GenerationFailedException"/> (the job
/// ended failed or canceled) and, outside this hierarchy because it is a cancellation, <see cref="JobWaitCanceledException"/>.
/// </remarks>
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

/// <summary>
/// Thrown for <see cref="OutcomeUnknownError"/>: the request may have been accepted and billed. Do not resubmit with a
/// new idempotency key: resume with <see cref="Handle"/> when known, or resubmit with the same <see cref="IdempotencyKey"/>.
/// </summary>
/// <param name="error">The error.</param>
public sealed class OutcomeUnknownException(OutcomeUnknownError error) : MediaGenException(error)
{
    /// <summary>Gets the job, when known.</summary>
    public JobHandle? Handle => error.Handle;

    /// <summary>Gets the idempotency key the submit carried.</summary>
    public string IdempotencyKey => error.IdempotencyKey;
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
