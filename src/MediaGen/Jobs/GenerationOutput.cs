namespace MediaGen;

/// <summary>One generated file. A job may have several (Midjourney returns 4 candidates).</summary>
/// <param name="Url">Where to download it (vendor URLs may expire: download promptly).</param>
/// <param name="Kind">Image, video or audio.</param>
/// <param name="ContentType">The MIME type, when known.</param>
public sealed record GenerationOutput(Uri Url, MediaKind Kind, string? ContentType = null)
{
    /// <summary>Gets an alternative URL that forces a download, when the vendor gives one.</summary>
    public Uri? DownloadUrl { get; init; }

    /// <summary>Gets what this output is, when the vendor distinguishes (e.g. <c>grid</c> for a Midjourney 2×2 grid).</summary>
    public string? Role { get; init; }
}
