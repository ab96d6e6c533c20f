using System.Text.Json;
using MediaGen.Providers;

namespace MediaGen.Apiframe.Internal;

/// <summary>
/// Maps Apiframe job JSON (poll, list item or webhook) to a <see cref="GenerationJob"/>, or says what was wrong. The
/// <c>result</c> is read in every documented shape: a URL string (docs-v2 jobs/get, jobs/list, webhooks),
/// <c>{images[], gridUrl}</c> (apiframe.ai/docs/jobs/get; Midjourney: 4 images and a 2×2 grid), <c>{videoUrl}</c>,
/// <c>{videos[]}</c> (Midjourney Video) and <c>{tracks[]}</c> (music).
/// </summary>
internal static class ApiframeJobMapper
{
    /// <summary>
    /// Apiframe's statuses: "QUEUED → PROCESSING → COMPLETED | FAILED" (docs-v2 jobs/get), plus a cancellation in either
    /// spelling. The docs ask for a poll "every 2–3 s for images, 5–10 s for video and music".
    /// </summary>
    public static VendorStatusMap Statuses { get; } = new(
    [
        new("QUEUED", GenerationStatus.Queued),
        new("PROCESSING", GenerationStatus.Running),
        new("COMPLETED", GenerationStatus.Succeeded),
        new("FAILED", GenerationStatus.Failed),
        new("CANCELED", GenerationStatus.Canceled),
        new("CANCELLED", GenerationStatus.Canceled),
    ])
    {
        PollIntervals = new Dictionary<MediaKind, TimeSpan> { [MediaKind.Video] = TimeSpan.FromSeconds(5), [MediaKind.Audio] = TimeSpan.FromSeconds(5) },
    };

    /// <summary>The vendor fields of a job, whatever JSON they came from.</summary>
    internal readonly record struct JobFields(
        string? Id,
        string? Status,
        string? Model,
        JsonElement Progress,
        JsonElement Result,
        string? Error,
        JsonElement CreditCost,
        DateTimeOffset? CompletedAt);

    public static JobFields From(JobDto dto) => new(dto.Id, dto.Status, dto.Model, dto.Progress, dto.Result, dto.Error, dto.CreditCost, dto.CompletedAt);

    public static JobFields From(WebhookPayloadDto dto) => new(dto.JobId, dto.Status, dto.Model, dto.Progress, dto.Result, dto.Error, dto.CreditCost, dto.CompletedAt);

    /// <summary>Maps the fields; returns the problem text when the JSON does not describe a job.</summary>
    public static GenerationJob? TryMap(JobFields f, JobHandle? known, object raw, out string? problem)
    {
        problem = null;
        if (string.IsNullOrWhiteSpace(f.Id) && known is null)
        {
            problem = "the job has no id";
            return null;
        }

        if (known is not null && !string.IsNullOrWhiteSpace(f.Id) && !string.Equals(f.Id, known.VendorJobId, StringComparison.Ordinal))
        {
            problem = $"asked for job '{known.VendorJobId}' and got job '{f.Id}'";
            return null;
        }

        if (string.IsNullOrWhiteSpace(f.Status))
        {
            problem = "the job has no status";
            return null;
        }

        if (!Statuses.TryMap(f.Status, out var status))
        {
            problem = $"unknown job status '{f.Status}' (expected QUEUED, PROCESSING, COMPLETED or FAILED)";
            return null;
        }

        int? progress = null;
        if (!LooseJson.IsAbsent(f.Progress))
        {
            if (LooseJson.Number(f.Progress) is not { } p)
            {
                problem = $"progress is not a number ({f.Progress.ValueKind})";
                return null;
            }

            progress = (int)Math.Clamp(Math.Round(p), 0, 100);
        }

        Money? charge = null;
        if (!LooseJson.IsAbsent(f.CreditCost))
        {
            if (LooseJson.Number(f.CreditCost) is not { } cost || cost < 0)
            {
                problem = $"creditCost is not a non-negative number ({f.CreditCost.ValueKind})";
                return null;
            }

            charge = Money.Credits(cost, ApiframeProvider.Name);
        }

        ModelId? model = known?.Model ?? (string.IsNullOrWhiteSpace(f.Model) ? (ModelId?)null : new ModelId(f.Model));
        var catalogKind = model is { } m ? ApiframeCatalog.Find(m)?.Kind : null;
        var kind = known?.Kind ?? catalogKind;
        List<GenerationOutput> outputs = [];
        if (!LooseJson.IsAbsent(f.Result))
        {
            if (!TryParseResult(f.Result, kind, out var parsed, out var resultProblem))
            {
                problem = resultProblem;
                return null;
            }

            outputs = parsed;
        }

        if (status == GenerationStatus.Succeeded && outputs.Count == 0)
        {
            problem = "the job is COMPLETED but has no result";
            return null;
        }

        var handle = known ?? new JobHandle(ApiframeProvider.Name, f.Id!) { Model = model, Kind = kind };
        if (known is not null && known.Model is null && model.HasValue)
        {
            handle = new JobHandle(ApiframeProvider.Name, known.VendorJobId) { Model = model, IdempotencyKey = known.IdempotencyKey, SubmittedAt = known.SubmittedAt, Kind = known.Kind ?? catalogKind };
        }

        JobFailure? failure = null;
        if (status == GenerationStatus.Failed)
        {
            var message = string.IsNullOrWhiteSpace(f.Error) ? "Apiframe reported the job FAILED without a reason." : f.Error;

            // The docs: "FAILED: error contains the reason. Credits are refunded."
            failure = new JobFailure(FailureClassifier.Classify(message), message, Refunded: charge is null || charge.Value.Amount == 0);
        }

        return new GenerationJob
        {
            Handle = handle,
            Status = status,
            Progress = status == GenerationStatus.Succeeded ? progress ?? 100 : progress,
            Outputs = outputs,
            Charge = charge,
            Failure = failure,
            CompletedAt = f.CompletedAt,
            RawRepresentation = raw,
            PollAfter = Statuses.PollAfter(status, kind),
        };
    }

    /// <summary>The status of a just-accepted submit (<c>{"jobId", "status": "QUEUED"}</c>): running when it says so, else queued.</summary>
    /// <param name="status">The submit answer's status.</param>
    /// <returns>The status.</returns>
    public static GenerationStatus SubmittedStatus(string? status) =>
        Statuses.TryMap(status, out var mapped) && mapped == GenerationStatus.Running ? GenerationStatus.Running : GenerationStatus.Queued;

    private static bool TryParseResult(JsonElement result, MediaKind? kind, out List<GenerationOutput> outputs, out string? problem)
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
            if (result.TryGetProperty(name, out var list) && !LooseJson.IsAbsent(list))
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
            if (result.TryGetProperty(name, out var single) && !LooseJson.IsAbsent(single))
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
        if (!MediaOutputs.TryWebUrl(LooseJson.Text(item) ?? LooseJson.Text(item, "url"), out var url))
        {
            problem = $"{where} is not an absolute http(s) URL";
            return false;
        }

        outputs.Add(new GenerationOutput(url, kind, MediaOutputs.ContentTypeOf(url)) { Role = role });
        return true;
    }

    private static MediaKind GuessKind(string? url) =>
        MediaOutputs.TryWebUrl(url, out var uri) ? MediaOutputs.KindOf(MediaOutputs.ContentTypeOf(uri)) ?? MediaKind.Image : MediaKind.Image;
}
