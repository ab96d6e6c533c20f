namespace MediaGen;

/// <summary>Media held as bytes, to be uploaded by an <see cref="IMediaUploader"/>.</summary>
public sealed class MediaUpload
{
    /// <summary>Initializes a new instance of the <see cref="MediaUpload"/> class.</summary>
    /// <param name="data">The bytes. They are not copied: do not change them until the upload has finished.</param>
    /// <param name="mediaType">The IANA media type, e.g. <c>image/png</c>.</param>
    /// <exception cref="ArgumentException"><paramref name="mediaType"/> is empty or white space.</exception>
    /// <exception cref="ArgumentNullException"><paramref name="mediaType"/> is <see langword="null"/>.</exception>
    public MediaUpload(ReadOnlyMemory<byte> data, string mediaType)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(mediaType);
        Data = data;
        MediaType = mediaType;
    }

    /// <summary>Gets the bytes.</summary>
    public ReadOnlyMemory<byte> Data { get; }

    /// <summary>Gets the IANA media type, e.g. <c>image/png</c>.</summary>
    public string MediaType { get; }

    /// <summary>Gets the file name the caller gave the media, if any (e.g. <c>dotnet.png</c>).</summary>
    /// <value>The default is <see langword="null"/>.</value>
    public string? Name { get; init; }
}
