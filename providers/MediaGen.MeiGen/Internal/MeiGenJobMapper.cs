using System.Globalization;
using MediaGen.Providers;

namespace MediaGen.MeiGen.Internal;

/// <summary>MeiGen's status shape (<c>GET /api/generate/v2/status/{id}</c>, also the submit answer) mapped onto <see cref="GenerationJob"/>.</summary>
internal static class MeiGenJobMapper
{
    /// <summary>
    /// MeiGen's statuses: <c>processing</c>, <c>completed</c>, <c>failed</c> (meigen-generate-v2 "Check Generation Status");
    /// its own client maps the database's <c>pending</c> to processing (provider-apis.md §1.4), so both are running.
    /// MeiGen documents one 3 s interval for every kind, so there is no per-kind poll hint.
    /// </summary>
    public static readonly VendorStatusMap Statuses = new(
    [
        new("processing", GenerationStatus.Running),
        new("pending", GenerationStatus.Running),
        new("completed", GenerationStatus.Succeeded),
        new("failed", GenerationStatus.Failed),
    ]);

    public static ProviderUnavailableError Unreadable(JobHandle handle, int status, string what) => new(
        $"MeiGen answered the status of job {handle.VendorJobId} (HTTP {status}) with {what}; the job is unaffected, poll again later.",
        MeiGenProvider.Name,
        true)
    {
        StatusCode = status,
    };

    /// <summary>
    /// Maps the status shape. After a submit the job was accepted whatever the body says, so odd content reads as
    /// running; on a poll, odd content is an error naming what was wrong.
    /// </summary>
    /// <param name="response">The answer.</param>
    /// <param name="handle">The job's handle.</param>
    /// <param name="submitted">Whether this is the submit's answer (else a poll's).</param>
    /// <param name="now">The time of the answer.</param>
    /// <param name="rememberedCharge">The credits the submit reported, for an answer that does not repeat them.</param>
    /// <param name="quote">The price the submit was sent at (set on the job here, so it is made once).</param>
    /// <param name="translation">The submit's translation report (likewise).</param>
    /// <returns>The job, or why a poll's answer cannot be read.</returns>
    public static Result<GenerationJob> Map(MeiGenGenerationResponse response, JobHandle handle, bool submitted, DateTimeOffset now, decimal? rememberedCharge, PriceQuote? quote = null, TranslationReport? translation = null)
    {
        var status = response.Status?.Trim().ToLowerInvariant();
        GenerationStatus? state = Statuses.TryMap(status, out var mapped) ? mapped : null;
        AspectRatio? applied = AspectRatio.TryParse(response.AspectRatio, out var ratio) ? ratio : default(AspectRatio?);
        DateTimeOffset? estimate = response.ExpectedWaitSeconds is { } wait && double.IsFinite(wait) && wait >= 0
            ? (handle.SubmittedAt ?? now) + TimeSpan.FromSeconds(Math.Min(wait, TimeSpan.FromDays(1).TotalSeconds))
            : null;
        Money? charge = response.CreditsUsed is { } used and >= 0 // a negative creditsUsed is unreadable, not a refund
            ? Money.Credits(used, MeiGenProvider.Name)
            : rememberedCharge is { } remembered ? Money.Credits(remembered, MeiGenProvider.Name) : (Money?)null;
        var outputs = state == GenerationStatus.Succeeded ? Outputs(response) : null;
        if (outputs is { Count: > 0 })
        {
            // The common end of a wait, made once (not a running job copied with the outputs).
            return new GenerationJob
            {
                Handle = handle,
                Status = GenerationStatus.Succeeded,
                Outputs = outputs,
                Progress = 100,
                Charge = charge,
                AppliedAspectRatio = applied,
                RawRepresentation = response,
                Quote = quote,
                Translation = translation,
            };
        }

        var job = new GenerationJob
        {
            Handle = handle,
            Status = GenerationStatus.Running,
            Charge = charge,
            AppliedAspectRatio = applied,
            EstimatedCompletionAt = estimate,
            RawRepresentation = response,
            Quote = quote,
            Translation = translation,
        };

        switch (state)
        {
            case GenerationStatus.Succeeded:
                return submitted
                    ? job
                    : Unreadable(handle, 200, "status 'completed' but no usable imageUrls, imageUrl or videoUrl");
            case GenerationStatus.Failed:
                var message = (response.Error is { } error ? LooseJson.Display(error) : null) ?? response.FailureCode ?? "MeiGen reported the generation failed without a reason";
                return job with
                {
                    Status = GenerationStatus.Failed,
                    Failure = new JobFailure(FailureClassifier.Classify(message, response.FailureCode), message, Refunded: true),
                    Charge = Money.Zero(MoneyUnit.Credits(MeiGenProvider.Name)), // "When a generation fails, credits are automatically refunded."
                    EstimatedCompletionAt = null,
                };
            case GenerationStatus.Running:
                if (!submitted && response.PollHintSeconds is { } hint && hint <= 0)
                {
                    return new TimedOutError(
                        $"MeiGen's observation window for job {handle.VendorJobId} has ended (pollHintSeconds = {hint.ToString(CultureInfo.InvariantCulture)}) while it is still {status}. That is not proof of failure: MeiGen refunds jobs that never ran. Check it again later with its handle.",
                        MeiGenProvider.Name,
                        handle,
                        job);
                }

                return job;
            default:
                return submitted
                    ? job
                    : Unreadable(handle, 200, status is null ? "no status field" : $"an unknown status '{response.Status}' (expected {Statuses.Documented})");
        }
    }

    private static List<GenerationOutput> Outputs(MeiGenGenerationResponse response)
    {
        var outputs = new List<GenerationOutput>();
        if (response.ImageUrls is { Count: > 0 } urls)
        {
            foreach (var url in urls)
            {
                Add(outputs, url, MediaKind.Image);
            }
        }

        if (outputs.Count == 0)
        {
            Add(outputs, response.ImageUrl, MediaKind.Image);
        }

        Add(outputs, response.VideoUrl, MediaKind.Video);
        return outputs;
    }

    private static void Add(List<GenerationOutput> outputs, string? url, MediaKind kind)
    {
        if (MediaOutputs.TryWebUrl(url, out var uri))
        {
            outputs.Add(new GenerationOutput(uri, kind, MediaOutputs.ContentTypeOf(uri)));
        }
    }
}
