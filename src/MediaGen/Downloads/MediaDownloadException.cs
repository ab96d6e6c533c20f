namespace MediaGen;

/// <summary>Why a download failed.</summary>
public enum DownloadFailure
{
    /// <summary>The output is larger than the configured cap.</summary>
    TooLarge,

    /// <summary>The server answered with an error status.</summary>
    HttpError,
}

/// <summary>Thrown when an output cannot be downloaded. No partial file is left behind.</summary>
public sealed class MediaDownloadException : IOException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="url">The output URL.</param>
    /// <param name="failure">Why.</param>
    /// <param name="message">The message.</param>
    public MediaDownloadException(Uri url, DownloadFailure failure, string message)
        : base(message)
    {
        Url = url;
        Failure = failure;
    }

    /// <summary>Gets the output URL.</summary>
    public Uri Url { get; }

    /// <summary>Gets why the download failed.</summary>
    public DownloadFailure Failure { get; }
}
