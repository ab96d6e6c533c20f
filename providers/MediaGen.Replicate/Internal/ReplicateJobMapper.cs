using System.Text.Json;
using MediaGen.Providers;

namespace MediaGen.Replicate.Internal;

/// <summary>Maps Replicate's prediction object onto a <see cref="GenerationJob"/>.</summary>
internal static class ReplicateJobMapper
{
    /// <summary>
    /// Replicate's statuses (D2, R0): <c>starting</c> queued (a long one is a cold boot), <c>processing</c> running, and
    /// four terminal ones — <c>succeeded</c>, <c>failed</c>, <c>canceled</c> (by the user, or the deadline hit while it
    /// ran: charged) and <c>aborted</c> (the deadline hit before it started: not charged, D8). The official clients poll
    /// <c>aborted</c> forever (§1.12); here it ends the wait as failed. Polls back off from 2 s (images) / 5 s (video),
    /// not the official clients' fixed 500 ms (§1.11, §1.13).
    /// </summary>
    public static VendorStatusMap Statuses { get; } = new(
    [
        new("starting", GenerationStatus.Queued),
        new("processing", GenerationStatus.Running),
        new("succeeded", GenerationStatus.Succeeded),
        new("failed", GenerationStatus.Failed),
        new("canceled", GenerationStatus.Canceled),
        new("aborted", GenerationStatus.Failed),
    ])
    {
        PollIntervals = new Dictionary<MediaKind, TimeSpan> { [MediaKind.Image] = TimeSpan.FromSeconds(2), [MediaKind.Video] = TimeSpan.FromSeconds(5) },
    };

    /// <summary>What a succeeded job's outputs are followed by in messages: they are deleted an hour after completion.</summary>
    public const string Retention = "Replicate deletes API prediction outputs one hour after completion (D4)";

    /// <summary>Maps one prediction; returns null and a problem when the object cannot be read.</summary>
    /// <param name="wire">The prediction object.</param>
    /// <param name="handle">The handle as known before (its key, submit time, model and kind are kept), or null.</param>
    /// <param name="kindHint">The media kind when nothing else says.</param>
    /// <param name="problem">What was wrong.</param>
    /// <returns>The job, or null.</returns>
    public static GenerationJob? Map(PredictionWire? wire, JobHandle? handle, MediaKind? kindHint, out string? problem)
    {
        if (wire is null)
        {
            problem = "the body is not a prediction object";
            return null;
        }

        if (string.IsNullOrWhiteSpace(wire.Id))
        {
            problem = "the prediction has no 'id'";
            return null;
        }

        var id = wire.Id.Trim();
        if (handle is not null && !string.Equals(handle.VendorJobId, id, StringComparison.Ordinal))
        {
            problem = $"Replicate answered with prediction '{id}' instead of '{handle.VendorJobId}'";
            return null;
        }

        if (!Statuses.TryMap(wire.Status, out var state))
        {
            problem = $"the prediction has an unknown status '{wire.Status ?? "(none)"}' (documented: {Statuses.Documented})";
            return null;
        }

        var kind = handle?.Kind ?? kindHint;
        var outputs = new List<GenerationOutput>();
        if (!ReadOutputs(wire.Output, kind, outputs, out problem))
        {
            return null;
        }

        var created = LooseJson.Time(wire.CreatedAt);
        var newHandle = new JobHandle(ReplicateProvider.Name, id)
        {
            Model = handle?.Model ?? (string.IsNullOrWhiteSpace(wire.Model) ? (ModelId?)null : new ModelId(wire.Model.Trim())),
            IdempotencyKey = handle?.IdempotencyKey,
            SubmittedAt = handle?.SubmittedAt ?? created,
            Kind = kind ?? outputs.FirstOrDefault()?.Kind,
        };

        var status = wire.Status!.Trim().ToLowerInvariant();
        JobFailure? failure = null;
        Money? charge = null;
        switch (status)
        {
            case "succeeded" when outputs.Count == 0:
                if (wire.DataRemoved == true)
                {
                    // The output key stays but is null once the retention window has passed (R0, D4, D5).
                    state = GenerationStatus.Failed;
                    failure = new JobFailure(FailureReason.Expired, $"The prediction succeeded, but its outputs were removed ('data_removed': true): {Retention}.", Refunded: false);
                    break;
                }

                problem = $"the prediction 'succeeded' but its output has no URL ({LooseJson.Display(wire.Output) ?? "null"})";
                return null;
            case "failed":
                var text = LooseJson.Display(wire.Error);
                failure = new JobFailure(FailureClassifier.Classify(text), text ?? "Replicate reported the prediction failed without an error text.");
                break;
            case "aborted":
                // D8: "for public models only canceled predictions are charged, aborted are not".
                failure = new JobFailure(FailureReason.Expired, "Replicate aborted the prediction: its Cancel-After deadline passed before it started. It was not charged.", Refunded: true);
                charge = Money.Usd(0m);
                break;
            case "canceled":
                failure = new JobFailure(
                    FailureReason.ProviderError,
                    LooseJson.Display(wire.Error) is { } why
                        ? $"Replicate canceled the prediction ({why}); canceled predictions are charged (D8)."
                        : "The prediction was canceled (by a cancel call, or its Cancel-After deadline passed while it ran); canceled predictions are charged (D8).",
                    Refunded: false);
                break;
        }

        return new GenerationJob
        {
            Handle = newHandle,
            Status = state,
            Outputs = outputs,
            Failure = failure,
            Charge = charge,
            CompletedAt = LooseJson.Time(wire.CompletedAt),
            PollAfter = Statuses.PollAfter(state, newHandle.Kind),
        };
    }

    /// <summary>Reads <c>output</c>: one URI string or an array of them (§1.5); only http(s) values are outputs.</summary>
    private static bool ReadOutputs(JsonElement output, MediaKind? kind, List<GenerationOutput> outputs, out string? problem)
    {
        problem = null;
        switch (output.ValueKind)
        {
            case JsonValueKind.Undefined or JsonValueKind.Null:
                return true;
            case JsonValueKind.String:
                return Add(output.GetString(), kind, outputs, out problem);
            case JsonValueKind.Array:
                foreach (var item in output.EnumerateArray())
                {
                    if (item.ValueKind == JsonValueKind.Null)
                    {
                        continue; // a file not uploaded yet
                    }

                    if (item.ValueKind != JsonValueKind.String)
                    {
                        problem = $"an 'output' item is a {item.ValueKind}, not a URL";
                        return false;
                    }

                    if (!Add(item.GetString(), kind, outputs, out problem))
                    {
                        return false;
                    }
                }

                return true;
            default:
                problem = $"'output' is a {output.ValueKind}; the image and video models return a URL or an array of URLs";
                return false;
        }
    }

    private static bool Add(string? text, MediaKind? kind, List<GenerationOutput> outputs, out string? problem)
    {
        problem = null;
        if (string.IsNullOrWhiteSpace(text))
        {
            return true;
        }

        if (text.StartsWith("data:", StringComparison.OrdinalIgnoreCase))
        {
            // Sync-mode outputs briefly came back as data URLs in Oct 2024 and that was reverted (§1.5). MediaGen hands
            // callers web addresses only (MediaOutputs.TryWebUrl; the downloads take http(s)), so one is unreadable here.
            problem = "an output is a data: URL; Replicate reverted those (replicate-http-api.md §1.5) and MediaGen returns http(s) outputs only";
            return false;
        }

        if (!MediaOutputs.TryWebUrl(text, out var url))
        {
            problem = $"output '{(text.Length > 200 ? string.Concat(text.AsSpan(0, 200), "…") : text)}' is not an absolute http(s) or data URL";
            return false;
        }

        var contentType = MediaOutputs.ContentTypeOf(url);
        outputs.Add(new GenerationOutput(url, MediaOutputs.KindOf(contentType) ?? kind ?? MediaKind.Image, contentType));
        return true;
    }
}
