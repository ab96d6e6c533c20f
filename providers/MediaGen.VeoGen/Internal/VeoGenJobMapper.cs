using System.Globalization;
using System.Text.Json;

namespace MediaGen.VeoGen.Internal;

/// <summary>Maps the vendor's generation object onto a <see cref="GenerationJob"/>.</summary>
internal static class VeoGenJobMapper
{
    /// <summary>The documented polling cadence for video ("every 5–10 s"); images use the provider's 3 s interval.</summary>
    public static readonly TimeSpan VideoPollInterval = TimeSpan.FromSeconds(5);

    /// <summary>Maps one generation; returns null and a problem when the object cannot be read.</summary>
    /// <param name="wire">The generation object.</param>
    /// <param name="handle">The handle as known before (its key, submit time, model and kind are kept).</param>
    /// <param name="kindHint">The media kind when the object does not say.</param>
    /// <param name="problem">What was wrong.</param>
    /// <returns>The job, or null.</returns>
    public static GenerationJob? Map(GenerationWire? wire, JobHandle? handle, MediaKind? kindHint, out string? problem)
    {
        if (wire is null)
        {
            problem = "the generation object ('data') is missing";
            return null;
        }

        if (string.IsNullOrWhiteSpace(wire.Id))
        {
            problem = "the generation has no 'id'";
            return null;
        }

        if (handle is not null && !string.Equals(handle.VendorJobId, wire.Id.Trim(), StringComparison.Ordinal))
        {
            problem = $"the vendor answered with generation '{wire.Id}' instead of '{handle.VendorJobId}'";
            return null;
        }

        GenerationStatus? status = wire.Status?.Trim().ToLowerInvariant() switch
        {
            "pending" => GenerationStatus.Queued,
            "processing" => GenerationStatus.Running,
            "completed" => GenerationStatus.Succeeded,
            "failed" => GenerationStatus.Failed,
            _ => null,
        };
        if (status is not { } state)
        {
            problem = $"the generation has an unknown status '{wire.Status ?? "(none)"}'";
            return null;
        }

        var kind = ParseKind(wire.Type) ?? handle?.Kind ?? kindHint;
        var outputs = new List<GenerationOutput>();
        if (!ReadOutputs(wire.Output, kind, outputs, out problem))
        {
            return null;
        }

        if (state == GenerationStatus.Succeeded && outputs.Count == 0)
        {
            problem = "the generation is 'completed' but has no output.url";
            return null;
        }

        var created = ReadTime(wire.CreatedAt);
        var model = !string.IsNullOrWhiteSpace(wire.Model) ? new ModelId(wire.Model) : handle?.Model;
        var newHandle = new JobHandle(VeoGenApi.Provider, wire.Id)
        {
            Model = handle?.Model ?? model,
            IdempotencyKey = handle?.IdempotencyKey,
            SubmittedAt = handle?.SubmittedAt ?? created,
            Kind = handle?.Kind ?? kind ?? outputs.FirstOrDefault()?.Kind,
        };

        JobFailure? failure = null;
        Money? charge = null;
        if (state == GenerationStatus.Failed)
        {
            // "failed — check error field. You were not charged." The error's JSON type is not documented: read any.
            var text = VeoGenApi.ReadText(wire.Error);
            failure = new JobFailure(ClassifyFailure(text), text ?? "VeoGen reported the generation failed without an error text.", Refunded: true);
            charge = Money.Usd(0m);
        }

        AspectRatio? applied = null;
        if (wire.Parameters.ValueKind == JsonValueKind.Object
            && wire.Parameters.TryGetProperty("aspect_ratio", out var ratio)
            && ratio.ValueKind == JsonValueKind.String
            && AspectRatio.TryParse(ratio.GetString(), out var parsed))
        {
            applied = parsed;
        }

        problem = null;
        return new GenerationJob
        {
            Handle = newHandle,
            Status = state,
            Outputs = outputs,
            Failure = failure,
            Charge = charge,
            AppliedAspectRatio = applied,
            CompletedAt = ReadTime(wire.CompletedAt),
            PollAfter = state is GenerationStatus.Queued or GenerationStatus.Running && newHandle.Kind == MediaKind.Video ? VideoPollInterval : null,
        };
    }

    public static DateTimeOffset? ReadTime(JsonElement element) =>
        element.ValueKind == JsonValueKind.String
        && DateTimeOffset.TryParse(element.GetString(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time)
            ? time
            : null;

    public static MediaKind? ParseKind(string? type) => type?.Trim().ToLowerInvariant() switch
    {
        "video" => MediaKind.Video,
        "image" => MediaKind.Image,
        "audio" => MediaKind.Audio,
        _ => null,
    };

    private static FailureReason ClassifyFailure(string? text)
    {
        // Undocumented: the vendor's failure texts are not published. Moderation words are the only signal.
        if (text is not null
            && (text.Contains("policy", StringComparison.OrdinalIgnoreCase)
                || text.Contains("moderat", StringComparison.OrdinalIgnoreCase)
                || text.Contains("nsfw", StringComparison.OrdinalIgnoreCase)
                || text.Contains("safety", StringComparison.OrdinalIgnoreCase)))
        {
            return FailureReason.ContentPolicy;
        }

        return FailureReason.ProviderError;
    }

    private static bool ReadOutputs(JsonElement output, MediaKind? kind, List<GenerationOutput> outputs, out string? problem)
    {
        problem = null;
        switch (output.ValueKind)
        {
            case JsonValueKind.Undefined or JsonValueKind.Null:
                return true;
            case JsonValueKind.Object:
                return ReadOutput(output, kind, outputs, out problem);
            case JsonValueKind.Array:
                // Only a single object is documented; an array (several images) is read item by item.
                foreach (var item in output.EnumerateArray())
                {
                    if (item.ValueKind != JsonValueKind.Object || !ReadOutput(item, kind, outputs, out problem))
                    {
                        problem ??= "an 'output' array item is not an object";
                        return false;
                    }
                }

                return true;
            default:
                problem = $"'output' is a {output.ValueKind}, not an object";
                return false;
        }
    }

    private static bool ReadOutput(JsonElement output, MediaKind? kind, List<GenerationOutput> outputs, out string? problem)
    {
        problem = null;
        var url = output.TryGetProperty("url", out var u) ? VeoGenApi.ReadText(u) : null;
        if (url is null)
        {
            // A pending job may carry an empty output object.
            return true;
        }

        // Only a web address is an output: on Unix "/x.png" parses as an absolute file: URI, and a vendor (or anyone
        // between) must not be able to hand the caller file:, ftp: or javascript: addresses to download.
        if (!TryWebUrl(url, out var uri))
        {
            problem = $"output.url '{(url.Length > 200 ? string.Concat(url.AsSpan(0, 200), "…") : url)}' is not an absolute URL (http or https)";
            return false;
        }

        var contentType = output.TryGetProperty("content_type", out var ct) ? VeoGenApi.ReadText(ct) : null;
        var download = output.TryGetProperty("download_url", out var d) && VeoGenApi.ReadText(d) is { } dl && TryWebUrl(dl, out var dlUri) ? dlUri : null;
        var outputKind = contentType switch
        {
            not null when contentType.StartsWith("video/", StringComparison.OrdinalIgnoreCase) => MediaKind.Video,
            not null when contentType.StartsWith("image/", StringComparison.OrdinalIgnoreCase) => MediaKind.Image,
            not null when contentType.StartsWith("audio/", StringComparison.OrdinalIgnoreCase) => MediaKind.Audio,
            _ => kind ?? MediaKind.Image,
        };
        outputs.Add(new GenerationOutput(uri, outputKind, contentType) { DownloadUrl = download });
        return true;
    }

    private static bool TryWebUrl(string text, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out Uri? uri) =>
        Uri.TryCreate(text, UriKind.Absolute, out uri) && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp) && uri.Host.Length > 0;
}
