using System.Text.Json;
using MediaGen.Providers;

namespace MediaGen.VeoGen.Internal;

/// <summary>Maps the vendor's generation object onto a <see cref="GenerationJob"/>.</summary>
internal static class VeoGenJobMapper
{
    /// <summary>
    /// VeoGen's statuses (provider-apis.md §2.4, quickstart): <c>pending</c> queued, <c>processing</c> running,
    /// <c>completed</c> "output.url is ready", <c>failed</c> "check error field. You were not charged." Video is polled
    /// at the documented cadence ("every 5–10 s"); images use the provider's 3 s interval.
    /// </summary>
    public static VendorStatusMap Statuses { get; } = new(
    [
        new("pending", GenerationStatus.Queued),
        new("processing", GenerationStatus.Running),
        new("completed", GenerationStatus.Succeeded),
        new("failed", GenerationStatus.Failed),
    ])
    {
        PollIntervals = new Dictionary<MediaKind, TimeSpan> { [MediaKind.Video] = TimeSpan.FromSeconds(5) },
    };

    /// <summary>Maps one generation; returns null and a problem when the object cannot be read.</summary>
    /// <param name="wire">The generation object.</param>
    /// <param name="handle">The handle as known before (its key, submit time, model and kind are kept).</param>
    /// <param name="kindHint">The media kind when the object does not say.</param>
    /// <param name="problem">What was wrong.</param>
    /// <param name="retryAfter">The answer's <c>Retry-After</c>, which says when to poll next over the status's default.</param>
    /// <param name="raw">The answer, as the job's <see cref="GenerationJob.RawRepresentation"/> (set here: the job is made once).</param>
    /// <returns>The job, or null.</returns>
    public static GenerationJob? Map(GenerationWire? wire, JobHandle? handle, MediaKind? kindHint, out string? problem, TimeSpan? retryAfter = null, object? raw = null)
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

        if (!Statuses.TryMap(wire.Status, out var state))
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

        var created = LooseJson.Time(wire.CreatedAt);
        var model = !string.IsNullOrWhiteSpace(wire.Model) ? new ModelId(wire.Model) : handle?.Model;
        var newHandle = new JobHandle(VeoGenProvider.Name, wire.Id)
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
            var text = LooseJson.Display(wire.Error);
            failure = new JobFailure(FailureClassifier.Classify(text), text ?? "VeoGen reported the generation failed without an error text.", Refunded: true);
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
            CompletedAt = LooseJson.Time(wire.CompletedAt),
            PollAfter = retryAfter ?? Statuses.PollAfter(state, newHandle.Kind),
            RawRepresentation = raw,
        };
    }

    public static MediaKind? ParseKind(string? type) => type?.Trim().ToLowerInvariant() switch
    {
        "video" => MediaKind.Video,
        "image" => MediaKind.Image,
        "audio" => MediaKind.Audio,
        _ => null,
    };

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
        var url = output.TryGetProperty("url", out var u) ? LooseJson.Display(u) : null;
        if (url is null)
        {
            // A pending job may carry an empty output object.
            return true;
        }

        if (!MediaOutputs.TryWebUrl(url, out var uri))
        {
            problem = $"output.url '{(url.Length > 200 ? string.Concat(url.AsSpan(0, 200), "…") : url)}' is not an absolute URL (http or https)";
            return false;
        }

        var contentType = output.TryGetProperty("content_type", out var ct) ? LooseJson.Display(ct) : null;
        var download = output.TryGetProperty("download_url", out var d) && MediaOutputs.TryWebUrl(LooseJson.Display(d), out var dlUri) ? dlUri : null;
        var outputKind = MediaOutputs.KindOf(contentType) ?? kind ?? MediaKind.Image;
        outputs.Add(new GenerationOutput(uri, outputKind, contentType) { DownloadUrl = download });
        return true;
    }
}
