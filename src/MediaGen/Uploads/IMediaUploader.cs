namespace MediaGen;

/// <summary>Puts media held as bytes where a vendor can fetch it, and returns its public HTTPS address.</summary>
/// <remarks>
/// <para>
/// Vendors take reference images (and videos and audio) as public HTTPS URLs, never as bytes. An uploader bridges
/// callers that hold bytes, for example Microsoft.Extensions.AI's image-edit path, which passes the image to edit as
/// a <c>DataContent</c>.
/// </para>
/// <para>
/// No vendor MediaGen supports documents an upload endpoint, so MediaGen ships no vendor uploader: supply one over
/// your own storage (a blob container, a CDN bucket) by implementing this interface or with
/// <see cref="DelegateMediaUploader"/>. The returned address must stay readable by the vendor until the job has
/// ended; MediaGen never deletes what was uploaded. Implementations are thread-safe.
/// </para>
/// </remarks>
public interface IMediaUploader
{
    /// <summary>Uploads the media and returns where the vendor can fetch it.</summary>
    /// <param name="upload">The bytes, their media type and an optional file name.</param>
    /// <param name="cancellationToken">Cancels the upload.</param>
    /// <returns>An absolute <c>https://</c> URL the vendor can read without credentials.</returns>
    ValueTask<Uri> UploadAsync(MediaUpload upload, CancellationToken cancellationToken = default);
}
