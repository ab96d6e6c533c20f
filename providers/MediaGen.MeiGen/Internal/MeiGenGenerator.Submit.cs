using System.Text.Json;
using System.Threading.RateLimiting;
using MediaGen.Providers;

namespace MediaGen.MeiGen.Internal;

/// <summary>Submitting, paying once: one idempotency key per logical request, sent through the core's <see cref="SubmitEngine"/>, settled by <see cref="MeiGenSettlement"/>.</summary>
internal sealed partial class MeiGenGenerator
{
    protected override async Task<Result<GenerationJob>> SendAsync(VendorSubmission<MeiGenResolvedModel, MeiGenTranslation> submission, CancellationToken cancellationToken)
    {
        var key = submission.IdempotencyKey;
        var p = new Prepared(submission.Model.Model, submission.Payload, submission.Quote.Price);

        // The key is attached now, in the bytes sent: the quoted body stays as it was priced, and resends reuse these bytes.
        var json = JsonBodies.ToUtf8(p.Translation.Body, "idempotencyKey", key);
        var submittedAt = _time.GetUtcNow();
        if (TryTakePermit() is { } limited)
        {
            return limited;
        }

        var engine = new SubmitEngine(_http, MeiGenErrors.Table, _time)
        {
            DedupesByIdempotencyKey = true,

            // The pipeline must not resend an ambiguous POST: this provider looks the request up by its key first (only a
            // connection never made or a short 429 is resent by the pipeline).
            PipelineMayResend = false,
            Limiter = _limiter,
            MaxAttemptsSetting = $"{MeiGenOptions.SectionName}:Http:MaxSubmitAttempts",
        };
        var call = new SubmitCall<MeiGenGenerationResponse>(key, () => NewRequest(HttpMethod.Post, "generate/v2", JsonBodies.Content(json)), ReadAccepted)
        {
            Operation = "the generate request",
            Quoted = p.Price.Amount,
        };
        var settlement = new MeiGenSettlement(_http, NewRequest, _time, _limiter, _logger, key, p.Model.Id);
        var sent = await engine.SubmitAsync(call, settlement, cancellationToken).ConfigureAwait(false);
        if (!sent.TryGetValue(out var response))
        {
            if (sent.Error is OutcomeUnknownError unknown)
            {
                Log.OutcomeUnknown(_logger, key, unknown.Message);
            }

            return sent.Error;
        }

        if (!settlement.Recovered)
        {
            Log.Accepted(_logger, response.Id!, key);
        }

        return Adopt(response, p, key, submittedAt, submission.Quote);
    }

    /// <summary>Reads MeiGen's 2xx answer: a job with a <c>generationId</c>, else why not.</summary>
    private static MeiGenGenerationResponse? ReadAccepted(HttpResponseMessage response, ReadOnlySpan<byte> body, out string? problem)
    {
        try
        {
            var parsed = JsonSerializer.Deserialize(body, MeiGenJsonContext.Default.MeiGenGenerationResponse);
            problem = parsed?.Id is null ? "no generationId" : null;
            return parsed?.Id is null ? null : parsed;
        }
        catch (JsonException ex)
        {
            problem = $"unreadable JSON ({ex.Message})";
            return null;
        }
    }

    private RateLimitedError? TryTakePermit()
    {
        if (_limiter is null)
        {
            return null;
        }

        using var lease = _limiter.AttemptAcquire(1);
        if (lease.IsAcquired)
        {
            return null;
        }

        TimeSpan? retryAfter = lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : null;
        return new RateLimitedError(
            $"MeiGen allows {MeiGenOptions.DocumentedGenerateRequestsPerMinute} generate requests per minute; the client-side limiter held this one back{(retryAfter is { } w ? $" (retry in {Math.Ceiling(w.TotalSeconds):0} s)" : string.Empty)}. Nothing was sent or charged.",
            MeiGenProvider.Name,
            retryAfter);
    }

    private Result<GenerationJob> Adopt(MeiGenGenerationResponse response, Prepared prepared, string key, DateTimeOffset submittedAt, GenerationQuote sent)
    {
        var handle = new JobHandle(MeiGenProvider.Name, response.Id!)
        {
            Model = string.IsNullOrWhiteSpace(response.ModelId) ? prepared.Model.Id : new ModelId(response.ModelId),
            IdempotencyKey = key,
            SubmittedAt = submittedAt,
            Kind = prepared.Model.Capabilities.Kind,
        };
        if (response.CreditsUsed is { } credits and >= 0)
        {
            RememberCharge(response.Id!, credits);
        }

        return MapJob(response, handle, submitted: true, sent); // with the sent quote's price and report: the job is made once
    }
}
