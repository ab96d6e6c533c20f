namespace MediaGen;

/// <summary>An <see cref="IMediaUploader"/> that calls a delegate you supply, typically over your own storage.</summary>
/// <example>
/// <code>
/// // storage: your own store that serves what it holds over HTTPS (a bucket behind a CDN, a container with read links).
/// var uploader = new DelegateMediaUploader(async (upload, ct) =>
///     await storage.PutPublicAsync($"refs/{Guid.NewGuid():N}", upload.Data, upload.MediaType, ct));
/// </code>
/// </example>
public sealed class DelegateMediaUploader : IMediaUploader
{
    private readonly Func<MediaUpload, CancellationToken, ValueTask<Uri>> _upload;

    /// <summary>Initializes a new instance of the <see cref="DelegateMediaUploader"/> class.</summary>
    /// <param name="upload">Uploads the media and returns an absolute <c>https://</c> URL the vendor can read.</param>
    /// <exception cref="ArgumentNullException"><paramref name="upload"/> is <see langword="null"/>.</exception>
    public DelegateMediaUploader(Func<MediaUpload, CancellationToken, ValueTask<Uri>> upload)
    {
        ArgumentNullException.ThrowIfNull(upload);
        _upload = upload;
    }

    /// <inheritdoc/>
    /// <exception cref="ArgumentNullException"><paramref name="upload"/> is <see langword="null"/>.</exception>
    public ValueTask<Uri> UploadAsync(MediaUpload upload, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(upload);
        return _upload(upload, cancellationToken);
    }
}
