using System.Text.Json;

namespace MediaGen.Apiframe.Internal;

/// <summary>Maps Apiframe job JSON (poll, list item or webhook) to a <see cref="GenerationJob"/>, or says what was wrong.</summary>
internal static class JobMapper
{
    public const string Provider = "apiframe";

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

        GenerationStatus status;
        switch (f.Status?.Trim().ToUpperInvariant())
        {
            case "QUEUED": status = GenerationStatus.Queued; break;
            case "PROCESSING": status = GenerationStatus.Running; break;
            case "COMPLETED": status = GenerationStatus.Succeeded; break;
            case "FAILED": status = GenerationStatus.Failed; break;
            case "CANCELED" or "CANCELLED": status = GenerationStatus.Canceled; break;
            case null or "": problem = "the job has no status"; return null;
            default: problem = $"unknown job status '{f.Status}' (expected QUEUED, PROCESSING, COMPLETED or FAILED)"; return null;
        }

        int? progress = null;
        if (!WireValues.IsAbsent(f.Progress))
        {
            if (WireValues.Number(f.Progress) is not { } p)
            {
                problem = $"progress is not a number ({f.Progress.ValueKind})";
                return null;
            }

            progress = (int)Math.Clamp(Math.Round(p), 0, 100);
        }

        Money? charge = null;
        if (!WireValues.IsAbsent(f.CreditCost))
        {
            if (WireValues.Number(f.CreditCost) is not { } cost || cost < 0)
            {
                problem = $"creditCost is not a non-negative number ({f.CreditCost.ValueKind})";
                return null;
            }

            charge = Money.Credits(cost, Provider);
        }

        ModelId? model = known?.Model ?? (string.IsNullOrWhiteSpace(f.Model) ? (ModelId?)null : new ModelId(f.Model));
        var catalogKind = model is { } m ? ModelCatalog.Find(m)?.Kind : null;
        var kind = known?.Kind ?? catalogKind;
        List<GenerationOutput> outputs = [];
        if (!WireValues.IsAbsent(f.Result))
        {
            if (!ResultParser.TryParse(f.Result, kind, out var parsed, out var resultProblem))
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

        var handle = known ?? new JobHandle(Provider, f.Id!) { Model = model, Kind = kind };
        if (known is not null && known.Model is null && model.HasValue)
        {
            handle = new JobHandle(Provider, known.VendorJobId) { Model = model, IdempotencyKey = known.IdempotencyKey, SubmittedAt = known.SubmittedAt, Kind = known.Kind ?? catalogKind };
        }

        JobFailure? failure = null;
        if (status == GenerationStatus.Failed)
        {
            var message = string.IsNullOrWhiteSpace(f.Error) ? "Apiframe reported the job FAILED without a reason." : f.Error;

            // The docs: "FAILED: error contains the reason. Credits are refunded."
            failure = new JobFailure(ClassifyFailure(message), message, Refunded: charge is null || charge.Value.Amount == 0);
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

            // The docs: poll every 2–3 s for images and 5–10 s for video and music (A3).
            PollAfter = status is GenerationStatus.Queued or GenerationStatus.Running && (kind ?? MediaKind.Image) != MediaKind.Image ? TimeSpan.FromSeconds(5) : null,
        };
    }

    private static FailureReason ClassifyFailure(string message) =>
        message.Contains("content policy", StringComparison.OrdinalIgnoreCase)
        || message.Contains("moderation", StringComparison.OrdinalIgnoreCase)
        || message.Contains("safety", StringComparison.OrdinalIgnoreCase)
        || message.Contains("nsfw", StringComparison.OrdinalIgnoreCase)
            ? FailureReason.ContentPolicy
            : message.Contains("expired", StringComparison.OrdinalIgnoreCase) ? FailureReason.Expired : FailureReason.ProviderError;
}
