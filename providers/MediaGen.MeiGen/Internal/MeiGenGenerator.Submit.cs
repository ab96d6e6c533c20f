using System.Net;
using System.Text;
using System.Text.Json;
using System.Threading.RateLimiting;
using MediaGen.Http;
using MediaGen.Providers;

namespace MediaGen.MeiGen.Internal;

/// <summary>Submitting, paying once: one idempotency key per logical request, recovery by key after an ambiguous POST.</summary>
internal sealed partial class MeiGenGenerator
{
    private enum PostKind
    {
        Accepted,
        Rejected,
        NotSent,
        Ambiguous,
        Canceled,
    }

    private enum LookupKind
    {
        Found,
        NeverAccepted,
        Unknown,
    }

    public async Task<Result<GenerationJob>> SubmitAsync(GenerationRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var key = IdempotencyKeys.For(request);
        var prepared = await PrepareAsync(request, key, cancellationToken).ConfigureAwait(false);
        if (!prepared.TryGetValue(out var p))
        {
            return prepared.Error!;
        }

        var json = p.Translation.Body.ToJsonString();
        var submittedAt = _time.GetUtcNow();
        for (var attempt = 1; ; attempt++)
        {
            if (TryTakePermit() is { } limited)
            {
                return limited;
            }

            var post = await PostAsync(json, p, cancellationToken).ConfigureAwait(false);
            switch (post.Kind)
            {
                case PostKind.Accepted:
                    Log.Accepted(_logger, post.Response!.Id!, key);
                    return Adopt(post.Response!, p, key, submittedAt);
                case PostKind.Rejected:
                case PostKind.NotSent:
                    return post.Error!;
                case PostKind.Canceled:
                    Log.OutcomeUnknown(_logger, key, "canceled while the submit was in flight");
                    return new OutcomeUnknownError(
                        $"The MeiGen submit was canceled while in flight, so it may have been accepted and charged. Resubmit the same request with idempotency key {key} to recover it without paying twice.",
                        MeiGenProvider.Name,
                        key);
            }

            // Ambiguous: the vendor may have accepted (and charged) the request. Ask it by key before anything else.
            Log.SubmitAmbiguous(_logger, key, post.Reason!);
            var lookup = await LookUpAsync(key, cancellationToken).ConfigureAwait(false);
            switch (lookup.Kind)
            {
                case LookupKind.Found:
                    Log.Recovered(_logger, key, lookup.Response!.Id!);
                    return Adopt(lookup.Response!, p, key, submittedAt);
                case LookupKind.NeverAccepted when attempt == 1:
                    Log.Resending(_logger, key);
                    continue;
                case LookupKind.NeverAccepted:
                    return new ProviderUnavailableError(
                        $"MeiGen did not accept the request on two attempts ({post.Reason}; each time its request log had no entry for idempotency key {key}), so nothing was charged. Retry later or use another provider.",
                        MeiGenProvider.Name,
                        true);
                default:
                    Log.OutcomeUnknown(_logger, key, lookup.Reason!);
                    return new OutcomeUnknownError(
                        $"The MeiGen submit failed ambiguously ({post.Reason}) and looking it up by idempotency key failed too ({lookup.Reason}); it may have been accepted and charged. Do not submit it anew: resubmit with idempotency key {key} (MeiGen dedupes by it), or look it up later.",
                        MeiGenProvider.Name,
                        key)
                    {
                        StatusCode = post.StatusCode,
                        VendorMessage = post.VendorMessage,
                    };
            }
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

    private async Task<PostOutcome> PostAsync(string json, Prepared prepared, CancellationToken cancellationToken)
    {
        HttpResponseMessage response;
        try
        {
            // Marked as a submit the transport must not resend on an ambiguous failure: this provider looks the
            // request up by its key first (only a connection never made or a short 429 is resent by the pipeline).
            using var request = NewRequest(HttpMethod.Post, "generate/v2", new StringContent(json, Encoding.UTF8, "application/json")).MarkSubmit(vendorDedupes: false);
            response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return PostOutcome.Of(PostKind.Canceled, "canceled");
        }
        catch (HttpRequestException ex) when (TransportFailure.Classify(ex) == TransportFailureKind.NotSent)
        {
            return new PostOutcome(PostKind.NotSent, null, new ProviderUnavailableError(
                $"Could not connect to MeiGen ({ex.HttpRequestError}); the request never left, so nothing was charged. Retry later or use another provider.",
                MeiGenProvider.Name,
                true), null, null, null);
        }
        catch (Polly.CircuitBreaker.BrokenCircuitException ex)
        {
            return new PostOutcome(PostKind.NotSent, null, new ProviderUnavailableError(
                "MeiGen's circuit breaker is open after repeated failures; the request was not sent, so nothing was charged. Retry later or use another provider.",
                MeiGenProvider.Name,
                true,
                ex.RetryAfter), null, null, null);
        }
        catch (Exception ex) when (IsTransportFailure(ex))
        {
            return PostOutcome.Of(PostKind.Ambiguous, ex is OperationCanceledException or Polly.Timeout.TimeoutRejectedException or TimeoutException ? "the HTTP call timed out" : $"the connection failed mid-request ({(ex as HttpRequestException)?.HttpRequestError.ToString() ?? ex.GetType().Name})");
        }

        using (response)
        {
            string body;
            bool truncated;
            try
            {
                (body, truncated) = await HttpResponseReader.ReadBodyAsync(response, cancellationToken: cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return PostOutcome.Of(PostKind.Canceled, "canceled");
            }
            catch (Exception ex) when (IsTransportFailure(ex))
            {
                return PostOutcome.Of(PostKind.Ambiguous, $"the response to HTTP {(int)response.StatusCode} was cut off") with { StatusCode = (int)response.StatusCode };
            }

            var status = (int)response.StatusCode;
            if (response.IsSuccessStatusCode)
            {
                if (truncated || !HttpResponseReader.IsJson(response))
                {
                    return PostOutcome.Of(PostKind.Ambiguous, $"HTTP {status} with {(truncated ? "an oversized" : "a non-JSON")} body") with { StatusCode = status };
                }

                MeiGenGenerationResponse? parsed;
                try
                {
                    parsed = JsonSerializer.Deserialize(body, MeiGenJsonContext.Default.MeiGenGenerationResponse);
                }
                catch (JsonException ex)
                {
                    return PostOutcome.Of(PostKind.Ambiguous, $"HTTP {status} with unreadable JSON ({ex.Message})") with { StatusCode = status };
                }

                return parsed?.Id is null
                    ? PostOutcome.Of(PostKind.Ambiguous, $"HTTP {status} without a generationId") with { StatusCode = status }
                    : new PostOutcome(PostKind.Accepted, parsed, null, null, status, null);
            }

            var error = MeiGenErrors.Read(response, body, _time);
            if (MeiGenErrors.IsAmbiguous(response.StatusCode))
            {
                return PostOutcome.Of(PostKind.Ambiguous, $"HTTP {status}{(error.VendorMessage is null ? string.Empty : $" \"{error.VendorMessage}\"")}") with
                {
                    StatusCode = status,
                    VendorMessage = error.VendorMessage,
                };
            }

            var key = JsonNodes.Text(prepared.Translation.Body["idempotencyKey"])!;
            var mapped = response.StatusCode == HttpStatusCode.Conflict
                ? MeiGenErrors.IdempotencyConflict(error, key)
                : MeiGenErrors.Map(error, "the generate request", prepared.Price.Amount);
            return new PostOutcome(PostKind.Rejected, null, mapped, null, status, error.VendorMessage);
        }
    }

    private async Task<LookupOutcome> LookUpAsync(string key, CancellationToken cancellationToken)
    {
        try
        {
            using var request = NewRequest(HttpMethod.Get, $"generate/v2/requests/{Uri.EscapeDataString(key)}", null);
            using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
            var (body, truncated) = await HttpResponseReader.ReadBodyAsync(response, cancellationToken: cancellationToken).ConfigureAwait(false);
            var status = (int)response.StatusCode;
            if (truncated || !HttpResponseReader.IsJson(response))
            {
                return new LookupOutcome(LookupKind.Unknown, null, $"the look-up answered HTTP {status} with {(truncated ? "an oversized" : "a non-JSON")} body");
            }

            if (response.IsSuccessStatusCode)
            {
                var found = JsonSerializer.Deserialize(body, MeiGenJsonContext.Default.MeiGenGenerationResponse);
                return found?.Id is null
                    ? new LookupOutcome(LookupKind.Unknown, null, $"the look-up answered HTTP {status} without a generationId")
                    : new LookupOutcome(LookupKind.Found, found, null);
            }

            var error = MeiGenErrors.Read(response, body, _time);
            return response.StatusCode == HttpStatusCode.NotFound && string.Equals(error.Code, "request_not_found", StringComparison.Ordinal)
                ? new LookupOutcome(LookupKind.NeverAccepted, null, null)
                : new LookupOutcome(LookupKind.Unknown, null, $"the look-up answered HTTP {status}{(error.VendorMessage is null ? string.Empty : $" \"{error.VendorMessage}\"")}");
        }
        catch (JsonException ex)
        {
            return new LookupOutcome(LookupKind.Unknown, null, $"the look-up answered unreadable JSON ({ex.Message})");
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return new LookupOutcome(LookupKind.Unknown, null, "the look-up was canceled");
        }
        catch (Exception ex) when (IsTransportFailure(ex))
        {
            return new LookupOutcome(LookupKind.Unknown, null, $"the look-up failed ({(ex as HttpRequestException)?.HttpRequestError.ToString() ?? ex.GetType().Name})");
        }
    }

    private Result<GenerationJob> Adopt(MeiGenGenerationResponse response, Prepared prepared, string key, DateTimeOffset submittedAt)
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

        var mapped = MapJob(response, handle, submitted: true);
        return mapped.Map(job => job with { Quote = prepared.Price, Translation = prepared.Translation.Report });
    }

    private sealed record PostOutcome(PostKind Kind, MeiGenGenerationResponse? Response, MediaGenError? Error, string? Reason, int? StatusCode, string? VendorMessage)
    {
        public static PostOutcome Of(PostKind kind, string reason) => new(kind, null, null, reason, null, null);
    }

    private sealed record LookupOutcome(LookupKind Kind, MeiGenGenerationResponse? Response, string? Reason);
}
