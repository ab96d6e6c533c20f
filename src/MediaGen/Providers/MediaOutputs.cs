using System.Diagnostics.CodeAnalysis;

namespace MediaGen.Providers;

/// <summary>Accepting a vendor's output addresses and telling their content type, the same way for every vendor.</summary>
/// <remarks>Part of the provider-authoring kit (the <c>MediaGen.Providers</c> namespace): for vendor adapters, not for callers.</remarks>
public static class MediaOutputs
{
    /// <summary>
    /// Accepts only a web address as an output: absolute, <c>http</c> or <c>https</c>, with a host. The caller downloads
    /// what a job returns, so a vendor (or anyone between) must not be able to hand it <c>file:</c>, <c>ftp:</c> or
    /// <c>javascript:</c> addresses; and on Unix <c>"/x.png"</c> parses as an absolute <c>file:</c> URI.
    /// </summary>
    /// <param name="text">The vendor's text.</param>
    /// <param name="url">The address.</param>
    /// <returns>Whether it is a web address.</returns>
    public static bool TryWebUrl(string? text, [NotNullWhen(true)] out Uri? url)
    {
        if (Uri.TryCreate(text, UriKind.Absolute, out url)
            && (url.Scheme == Uri.UriSchemeHttps || url.Scheme == Uri.UriSchemeHttp)
            && url.Host.Length > 0)
        {
            return true;
        }

        url = null;
        return false;
    }

    /// <summary>Guesses the content type from the address's file extension.</summary>
    /// <param name="url">The address.</param>
    /// <returns>The media type (<c>image/png</c>, <c>video/mp4</c>, …), or null for an unknown extension.</returns>
    public static string? ContentTypeOf(Uri? url) => Path.GetExtension(url?.AbsolutePath ?? string.Empty).ToLowerInvariant() switch
    {
        ".png" => "image/png",
        ".jpg" or ".jpeg" => "image/jpeg",
        ".webp" => "image/webp",
        ".gif" => "image/gif",
        ".mp4" => "video/mp4",
        ".webm" => "video/webm",
        ".mov" => "video/quicktime",
        ".mp3" => "audio/mpeg",
        ".wav" => "audio/wav",
        _ => null,
    };

    /// <summary>The media kind a content type names.</summary>
    /// <param name="contentType">The media type, such as <c>video/mp4</c>.</param>
    /// <returns>The kind, or null when the type is absent or not image, video or audio.</returns>
    public static MediaKind? KindOf(string? contentType) => contentType switch
    {
        not null when contentType.StartsWith("image/", StringComparison.OrdinalIgnoreCase) => MediaKind.Image,
        not null when contentType.StartsWith("video/", StringComparison.OrdinalIgnoreCase) => MediaKind.Video,
        not null when contentType.StartsWith("audio/", StringComparison.OrdinalIgnoreCase) => MediaKind.Audio,
        _ => null,
    };
}
