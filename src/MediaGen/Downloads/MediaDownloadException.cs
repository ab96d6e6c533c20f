namespace MediaGen;

/// <summary>Why a download failed.</summary>
public enum DownloadFailure
{
    /// <summary>The output is larger than the configured cap.</summary>
    TooLarge,

    /// <summary>The server answered with an error status.</summary>
    HttpError,

    /// <summary>
    /// The URL, a redirect or the address it resolves to is refused by <see cref="MediaDownloadOptions"/> (plain http,
    /// loopback, private, link-local, multicast or unspecified target, or too many redirects). Nothing was fetched from
    /// it; the job is unaffected and its outputs can be downloaded later with other options.
    /// </summary>
    Refused,
}

/// <summary>Thrown when an output cannot be downloaded. No partial file is left behind.</summary>
public sealed class MediaDownloadException : IOException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="url">The output URL.</param>
    /// <param name="failure">Why.</param>
    /// <param name="message">The message.</param>
    public MediaDownloadException(Uri url, DownloadFailure failure, string message)
        : this(url, failure, message, null, null)
    {
    }

    /// <summary>Creates the exception for an output of a known job.</summary>
    /// <param name="url">The output URL.</param>
    /// <param name="failure">Why.</param>
    /// <param name="message">The message.</param>
    /// <param name="job">The job the output belongs to, when known.</param>
    /// <param name="innerException">The cause, when there is one.</param>
    public MediaDownloadException(Uri url, DownloadFailure failure, string message, JobHandle? job, Exception? innerException)
        : base(message, innerException)
    {
        Url = url;
        Failure = failure;
        Job = job;
    }

    /// <summary>Gets the output URL.</summary>
    public Uri Url { get; }

    /// <summary>Gets why the download failed.</summary>
    public DownloadFailure Failure { get; }

    /// <summary>Gets the job the output belongs to, when the download was told (<see cref="MediaDownloadOptions.Job"/>); the job is not lost.</summary>
    public JobHandle? Job { get; }

    /// <summary>Gets the vendor that returned the output, when the job is known.</summary>
    public string? Provider => Job?.Provider;
}
