using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading.RateLimiting;
using MediaGen.Http;
using MediaGen.Providers;

namespace MediaGen.MeiGen.Internal;

/// <summary>Submitting, paying once: one idempotency key per logical request, recovery by key after an ambiguous POST.</summary>
internal sealed partial class MeiGenGenerator
{
    /// <summary>The longest the resend after an ambiguous first attempt waits for a limiter permit (MeiGen's window is a minute).</summary>
    private static readonly TimeSpan MaxResendPermitWait = TimeSpan.FromMinutes(2);

    private enum PostKind
    {
        Accepted,
        Rejected,
        NotSent,
        Ambiguous,
        Canceled,
        Conflict,
    }

    private enum LookupKind
    {
        Found,
        NeverAccepted,
        Unknown,
    }

    protected override async Task<Result<GenerationJob>> SendAsync(VendorSubmission<MeiGenResolvedModel, MeiGenTranslation> submission, CancellationToken cancellationToken)
    {
        var key = submission.IdempotencyKey;
        var p = new Prepared(submission.Model.Model, submission.Payload, submission.Quote.Price);

        // The key is attached now, to a copy: the quoted body stays as it was priced, and resends reuse these bytes.
        var body = (JsonObject)p.Translation.Body.DeepClone();
        body["idempotencyKey"] = key;
        var json = body.ToJsonString();
        var submittedAt = _time.GetUtcNow();
        var attempts = new SubmitAttempts(); // one POST budget for the pipeline's retries and the resend below
        PostOutcome? first = null;
        while (true)
        {
            if (first is null)
            {
                if (TryTakePermit() is { } limited)
                {
                    return limited;
                }
            }
            else if (await WaitForPermitAsync(cancellationToken).ConfigureAwait(false) is { } notPermitted)
            {
                // The first POST may have been accepted: never report this as "nothing was charged".
                return ResendFailed(key, first, notPermitted, null);
            }

            var post = await PostAsync(json, p, attempts, cancellationToken).ConfigureAwait(false);
            switch (post.Kind)
            {
                case PostKind.Accepted:
                    Log.Accepted(_logger, post.Response!.Id!, key);
                    return Adopt(post.Response!, p, key, submittedAt);
                case PostKind.Rejected:
                case PostKind.NotSent:
                    return first is null ? post.Error! : ResendFailed(key, first, post.Reason ?? post.Error!.Message, post);
                case PostKind.Canceled:
                    Log.OutcomeUnknown(_logger, key, "canceled while the submit was in flight");
                    return new OutcomeUnknownError(
                        $"The MeiGen submit was canceled while in flight, so it may have been accepted and charged. Resubmit the same request with idempotency key {key} to recover it without paying twice.",
                        MeiGenProvider.Name,
                        key);
                case PostKind.Conflict:
                    return await ResolveConflictAsync(post, p, key, submittedAt, cancellationToken).ConfigureAwait(false);
            }

            // Ambiguous: the vendor may have accepted (and charged) the request. Ask it by key before anything else.
            Log.SubmitAmbiguous(_logger, key, post.Reason!);
            var lookup = await LookUpAsync(key, cancellationToken).ConfigureAwait(false);
            switch (lookup.Kind)
            {
                case LookupKind.Found:
                    Log.Recovered(_logger, key, lookup.Response!.Id!);
                    return Adopt(lookup.Response!, p, key, submittedAt);
                case LookupKind.NeverAccepted when first is null && !post.WasSuccess && !attempts.CanSendAnother:
                    return ResendFailed(key, post, $"no resend was made: this submit already made {attempts.Count} POST(s), the cap per submit (MediaGen:MeiGen:Http:MaxSubmitAttempts)", null);
                case LookupKind.NeverAccepted when first is null && !post.WasSuccess:
                    // Only a first attempt that was not a 2xx may be re-sent: a 2xx proves MeiGen accepted it.
                    Log.Resending(_logger, key);
                    first = post;
                    continue;
                case LookupKind.NeverAccepted:
                    Log.OutcomeUnknown(_logger, key, "request_not_found after " + (post.WasSuccess ? "a 2xx" : "a second ambiguous attempt"));
                    return new OutcomeUnknownError(
                        post.WasSuccess
                            ? $"MeiGen answered the submit with {post.Reason}, which means it accepted it, but its request log has no entry for idempotency key {key} yet; it may have been charged. Do not submit it anew: resubmit with idempotency key {key} (MeiGen dedupes by it), or look it up later."
                            : $"The MeiGen submit failed ambiguously twice ({first!.Reason}; then {post.Reason}) and its request log had no entry for idempotency key {key} either time; a late commit may still have charged it. Do not submit it anew: resubmit with idempotency key {key} (MeiGen dedupes by it), or look it up later.",
                        MeiGenProvider.Name,
                        key)
                    {
                        StatusCode = post.StatusCode,
                        VendorMessage = post.VendorMessage,
                    };
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

    /// <summary>The resend after an ambiguous first attempt did not settle it: whatever it ended in, the first may have been charged.</summary>
    private OutcomeUnknownError ResendFailed(string key, PostOutcome first, string why, PostOutcome? resend)
    {
        Log.OutcomeUnknown(_logger, key, "the resend " + why);
        return new OutcomeUnknownError(
            $"The first MeiGen submit failed ambiguously ({first.Reason}; its request log had no entry for idempotency key {key} yet) and the resend did not settle it ({why}). The first attempt may still have been accepted and charged. Do not submit it anew: resubmit with idempotency key {key} (MeiGen dedupes by it), or look it up later.",
            MeiGenProvider.Name,
            key)
        {
            StatusCode = resend?.StatusCode ?? first.StatusCode,
            VendorMessage = resend?.VendorMessage ?? first.VendorMessage,
        };
    }

    /// <summary>
    /// Waits for a limiter permit for the resend (refusing it would hide that the first attempt may have been charged):
    /// asks with <see cref="RateLimiter.AcquireAsync"/> and, while it is refused with a retry-after, sleeps that long on
    /// the provider's clock, for at most <see cref="MaxResendPermitWait"/> in all.
    /// </summary>
    /// <returns>Null when a permit was taken (or there is no limiter), else why not.</returns>
    private async Task<string?> WaitForPermitAsync(CancellationToken cancellationToken)
    {
        if (_limiter is null)
        {
            return null;
        }

        var waited = TimeSpan.Zero;
        try
        {
            while (true)
            {
                TimeSpan wait;
                using (var lease = await _limiter.AcquireAsync(1, cancellationToken).ConfigureAwait(false))
                {
                    if (lease.IsAcquired)
                    {
                        return null;
                    }

                    if (!lease.TryGetMetadata(MetadataName.RetryAfter, out wait) || wait <= TimeSpan.Zero || waited + wait > MaxResendPermitWait)
                    {
                        return $"the client-side rate limiter refused a permit for it{(waited > TimeSpan.Zero ? $" after {waited.TotalSeconds:0} s of waiting" : string.Empty)}";
                    }
                }

                await Task.Delay(wait, _time, cancellationToken).ConfigureAwait(false);
                waited += wait;
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return "canceled while waiting for a rate-limiter permit";
        }
    }

    /// <summary>409: a job already exists under this key. Look it up: adopt it when it is this request's model, else report it.</summary>
    private async Task<Result<GenerationJob>> ResolveConflictAsync(PostOutcome post, Prepared prepared, string key, DateTimeOffset submittedAt, CancellationToken cancellationToken)
    {
        var said = post.VendorMessage is null ? string.Empty : $": \"{post.VendorMessage}\"";
        var lookup = await LookUpAsync(key, cancellationToken).ConfigureAwait(false);
        if (lookup.Kind == LookupKind.Found)
        {
            var found = lookup.Response!;
            if (string.IsNullOrWhiteSpace(found.ModelId) || string.Equals(found.ModelId, prepared.Model.Id.Value, StringComparison.OrdinalIgnoreCase))
            {
                Log.Recovered(_logger, key, found.Id!);
                return Adopt(found, prepared, key, submittedAt);
            }

            Log.OutcomeUnknown(_logger, key, $"409: the key belongs to job {found.Id} of model {found.ModelId}");
            return new OutcomeUnknownError(
                $"MeiGen says idempotency key {key} was already used (HTTP 409{said}): it belongs to job {found.Id} of model {found.ModelId}, not {prepared.Model.Id}. That job was charged; nothing new was. To resume it use its handle; for a new request use a new key (MediaGen does not mint one silently).",
                MeiGenProvider.Name,
                key,
                new JobHandle(MeiGenProvider.Name, found.Id!) { Model = new ModelId(found.ModelId!), IdempotencyKey = key })
            {
                StatusCode = post.StatusCode,
                VendorMessage = post.VendorMessage,
            };
        }

        Log.OutcomeUnknown(_logger, key, "409 and the look-up did not find the job" + (lookup.Reason is null ? string.Empty : $" ({lookup.Reason})"));
        return new OutcomeUnknownError(
            $"MeiGen says idempotency key {key} was already used (HTTP 409{said}), so a job may exist and be charged under it, but looking it up {(lookup.Kind == LookupKind.NeverAccepted ? "found no entry yet" : $"failed ({lookup.Reason})")}. Do not submit it anew or fail over: resubmit the original request with idempotency key {key}, or look it up later; for a new request use a new key (MediaGen does not mint one silently).",
            MeiGenProvider.Name,
            key)
        {
            StatusCode = post.StatusCode,
            VendorMessage = post.VendorMessage,
        };
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

    private async Task<PostOutcome> PostAsync(string json, Prepared prepared, SubmitAttempts attempts, CancellationToken cancellationToken)
    {
        HttpResponseMessage response;
        try
        {
            // Marked as a submit the transport must not resend on an ambiguous failure: this provider looks the
            // request up by its key first (only a connection never made or a short 429 is resent by the pipeline).
            using var request = NewRequest(HttpMethod.Post, "generate/v2", new StringContent(json, Encoding.UTF8, "application/json")).MarkSubmit(vendorDedupes: false, attempts);
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
                    return PostOutcome.Of(PostKind.Ambiguous, $"HTTP {status} with {(truncated ? "an oversized" : "a non-JSON")} body") with { StatusCode = status, WasSuccess = true };
                }

                MeiGenGenerationResponse? parsed;
                try
                {
                    parsed = JsonSerializer.Deserialize(body, MeiGenJsonContext.Default.MeiGenGenerationResponse);
                }
                catch (JsonException ex)
                {
                    return PostOutcome.Of(PostKind.Ambiguous, $"HTTP {status} with unreadable JSON ({ex.Message})") with { StatusCode = status, WasSuccess = true };
                }

                return parsed?.Id is null
                    ? PostOutcome.Of(PostKind.Ambiguous, $"HTTP {status} without a generationId") with { StatusCode = status, WasSuccess = true }
                    : new PostOutcome(PostKind.Accepted, parsed, null, null, status, null);
            }

            var error = MeiGenErrors.Read(response, body, _time);
            if (response.StatusCode == HttpStatusCode.Conflict)
            {
                return PostOutcome.Of(PostKind.Conflict, "HTTP 409") with { StatusCode = status, VendorMessage = error.VendorMessage };
            }

            if (MeiGenErrors.IsAmbiguousSubmitStatus(response.StatusCode))
            {
                return PostOutcome.Of(PostKind.Ambiguous, $"HTTP {status}{(error.VendorMessage is null ? string.Empty : $" \"{error.VendorMessage}\"")}") with
                {
                    StatusCode = status,
                    VendorMessage = error.VendorMessage,
                };
            }

            var mapped = MeiGenErrors.Map(error, "the generate request", prepared.Price.Amount);
            return new PostOutcome(PostKind.Rejected, null, mapped, $"HTTP {status}{(error.VendorMessage is null ? string.Empty : $" \"{error.VendorMessage}\"")}", status, error.VendorMessage);
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

        return MapJob(response, handle, submitted: true);
    }

    private sealed record PostOutcome(PostKind Kind, MeiGenGenerationResponse? Response, MediaGenError? Error, string? Reason, int? StatusCode, string? VendorMessage)
    {
        /// <summary>Gets a value indicating whether the answer was a 2xx (MeiGen accepted the request even if the body was unreadable).</summary>
        public bool WasSuccess { get; init; }

        public static PostOutcome Of(PostKind kind, string reason) => new(kind, null, null, reason, null, null);
    }

    private sealed record LookupOutcome(LookupKind Kind, MeiGenGenerationResponse? Response, string? Reason);
}
