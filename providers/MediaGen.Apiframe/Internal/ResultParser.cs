using System.Text.Json;

namespace MediaGen.Apiframe.Internal;

/// <summary>
/// Reads a job's <c>result</c> in every documented shape: a URL string (docs-v2 A3/A4/A5), <c>{images[], gridUrl}</c>
/// (B1; Midjourney: 4 images and a 2×2 grid), <c>{videoUrl}</c>, <c>{videos[]}</c> (Midjourney Video) and
/// <c>{tracks[]}</c> (music).
/// </summary>
internal static class ResultParser
{
    public static bool TryParse(JsonElement result, MediaKind? kind, out List<GenerationOutput> outputs, out string? problem)
    {
        outputs = [];
        problem = null;
        switch (result.ValueKind)
        {
            case JsonValueKind.String:
                return Add(outputs, result, kind ?? GuessKind(result.GetString()), null, "result", out problem);
            case JsonValueKind.Array:
                return AddAll(outputs, result, kind ?? MediaKind.Image, null, "result", out problem);
            case JsonValueKind.Object:
                break;
            default:
                problem = $"result is a JSON {result.ValueKind}, not a URL or an object";
                return false;
        }

        var found = false;
        foreach (var (name, itemKind) in new[] { ("images", MediaKind.Image), ("videos", MediaKind.Video), ("tracks", MediaKind.Audio) })
        {
            if (result.TryGetProperty(name, out var list) && !WireValues.IsAbsent(list))
            {
                found = true;
                if (!AddAll(outputs, list, itemKind, null, $"result.{name}", out problem))
                {
                    return false;
                }
            }
        }

        foreach (var (name, itemKind, role) in new[] { ("videoUrl", MediaKind.Video, (string?)null), ("imageUrl", MediaKind.Image, null), ("audioUrl", MediaKind.Audio, null), ("url", kind ?? MediaKind.Image, null), ("gridUrl", MediaKind.Image, "grid") })
        {
            if (result.TryGetProperty(name, out var single) && !WireValues.IsAbsent(single))
            {
                found = true;
                if (!Add(outputs, single, itemKind, role, $"result.{name}", out problem))
                {
                    return false;
                }
            }
        }

        if (!found)
        {
            problem = "result has none of images, gridUrl, videoUrl, videos or tracks";
            return false;
        }

        return true;
    }

    private static bool AddAll(List<GenerationOutput> outputs, JsonElement list, MediaKind kind, string? role, string where, out string? problem)
    {
        problem = null;
        if (list.ValueKind != JsonValueKind.Array)
        {
            problem = $"{where} is a JSON {list.ValueKind}, not an array";
            return false;
        }

        var i = 0;
        foreach (var item in list.EnumerateArray())
        {
            if (!Add(outputs, item, kind, role, $"{where}[{i++}]", out problem))
            {
                return false;
            }
        }

        return true;
    }

    private static bool Add(List<GenerationOutput> outputs, JsonElement item, MediaKind kind, string? role, string where, out string? problem)
    {
        problem = null;
        var text = item.ValueKind switch
        {
            JsonValueKind.String => item.GetString(),
            JsonValueKind.Object when item.TryGetProperty("url", out var u) && u.ValueKind == JsonValueKind.String => u.GetString(),
            _ => null,
        };
        if (!Uri.TryCreate(text, UriKind.Absolute, out var url) || (url.Scheme != Uri.UriSchemeHttps && url.Scheme != Uri.UriSchemeHttp))
        {
            problem = $"{where} is not an absolute http(s) URL";
            return false;
        }

        outputs.Add(new GenerationOutput(url, kind, ContentTypeOf(url)) { Role = role });
        return true;
    }

    private static MediaKind GuessKind(string? url) => ContentTypeOf(Uri.TryCreate(url, UriKind.Absolute, out var u) ? u : null) switch
    {
        { } t when t.StartsWith("video/", StringComparison.Ordinal) => MediaKind.Video,
        { } t when t.StartsWith("audio/", StringComparison.Ordinal) => MediaKind.Audio,
        _ => MediaKind.Image,
    };

    internal static string? ContentTypeOf(Uri? url) => Path.GetExtension(url?.AbsolutePath ?? string.Empty).ToLowerInvariant() switch
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
}
