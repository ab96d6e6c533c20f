using System.Net;
using System.Text.Json;
using System.Threading.RateLimiting;
using MediaGen.Providers;
using Microsoft.Extensions.Logging;

namespace MediaGen.MeiGen.Internal;

/// <summary>
/// How MeiGen settles an ambiguous submit: look the key up in its request log (<c>GET /api/generate/v2/requests/{key}</c>).
/// Found → adopt the job; <c>404 request_not_found</c> after a POST that was not a 2xx → not accepted (MeiGen's proof:
/// the engine settles it as refused before billing), after one resend with the same key the first time (waiting for a
/// limiter permit); a 409 (the key is in use) → adopt the job when it is this request's model. Anything else is
/// unresolved. One per logical submit.
/// </summary>
internal sealed class MeiGenSettlement(
    HttpClient http,
    Func<HttpMethod, string, HttpContent?, HttpRequestMessage> newRequest,
    TimeProvider time,
    RateLimiter? limiter,
    ILogger logger,
    string key,
    ModelId model) : SubmitSettlement<MeiGenGenerationResponse>
{
    /// <summary>The longest the resend after an ambiguous first attempt waits for a limiter permit (MeiGen's window is a minute).</summary>
    private static readonly TimeSpan MaxResendPermitWait = TimeSpan.FromMinutes(2);

    /// <summary>MeiGen's proof that a submit was not accepted (docs/providers/meigen.md).</summary>
    internal const string NotFoundProof = "MeiGen's request log had no entry for the key (404 request_not_found)";

    private const string NewKeyAdvice = "for a new request use a new key (MediaGen does not mint one silently)";

    private enum LookupKind
    {
        Found,
        NeverAccepted,
        Unknown,
    }

    /// <summary>Gets a value indicating whether the job was found by its key rather than read from the POST's answer.</summary>
    public bool Recovered { get; private set; }

    /// <inheritdoc/>
    public override string WhereToLook => "look it up by the key later (GET /api/generate/v2/requests/{key})";

    /// <inheritdoc/>
    public override async ValueTask<Settlement<MeiGenGenerationResponse>> SettleAsync(AmbiguousSubmit submit, CancellationToken cancellationToken)
    {
        // The vendor may have accepted (and charged) the request. Ask it by key before anything else.
        Log.SubmitAmbiguous(logger, key, submit.Outcome.Reason);
        var lookup = await LookUpAsync(cancellationToken).ConfigureAwait(false);
        if (submit.Ambiguity == SubmitAmbiguity.KeyInUse)
        {
            return Conflict(lookup);
        }

        switch (lookup.Kind)
        {
            case LookupKind.Found:
                return Adopt(lookup.Response!);
            case LookupKind.NeverAccepted when submit.Ambiguity == SubmitAmbiguity.UnreadableAcceptance:
                // A 2xx proves MeiGen accepted it, whatever its log says yet.
                return Unresolved("a 2xx means MeiGen accepted it, but its request log has no entry for the key yet");
            case LookupKind.NeverAccepted:
                // MeiGen's proof of "not accepted": its request log has no entry for the key after the failed POST. The
                // first time, one resend with the same key may still be served here (MeiGen dedupes by it).
                var resend = submit.Attempt == 1 && submit.Budget.CanSendAnother;
                if (resend)
                {
                    Log.Resending(logger, key);
                }

                return NotAccepted(submit.Attempt == 1 ? NotFoundProof : $"{NotFoundProof}, after each of the {submit.Attempt} POSTs", resend);
            default:
                return Unresolved($"looking it up by idempotency key failed too ({lookup.Reason})");
        }
    }

    /// <summary>
    /// Waits for a limiter permit for the resend (refusing it would hide that the first attempt may have been charged):
    /// asks with <see cref="RateLimiter.AcquireAsync"/> and, while it is refused with a retry-after, sleeps that long on
    /// the provider's clock, for at most <see cref="MaxResendPermitWait"/> in all.
    /// </summary>
    /// <returns>Null when a permit was taken (or there is no limiter), else why not.</returns>
    public override async ValueTask<string?> PrepareResendAsync(CancellationToken cancellationToken)
    {
        if (limiter is null)
        {
            return null;
        }

        var waited = TimeSpan.Zero;
        try
        {
            while (true)
            {
                TimeSpan wait;
                using (var lease = await limiter.AcquireAsync(1, cancellationToken).ConfigureAwait(false))
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

                await Task.Delay(wait, time, cancellationToken).ConfigureAwait(false);
                waited += wait;
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return "canceled while waiting for a rate-limiter permit";
        }
    }

    /// <summary>409: a job already exists under this key. Adopt it when it is this request's model, else report it.</summary>
    private Settlement<MeiGenGenerationResponse> Conflict(LookupOutcome lookup)
    {
        if (lookup.Kind == LookupKind.Found)
        {
            var found = lookup.Response!;
            if (string.IsNullOrWhiteSpace(found.ModelId) || string.Equals(found.ModelId, model.Value, StringComparison.OrdinalIgnoreCase))
            {
                return Adopt(found);
            }

            return Unresolved(
                $"it belongs to job {found.Id} of model {found.ModelId}, not {model}: that job was charged, nothing new was",
                new JobHandle(MeiGenProvider.Name, found.Id!) { Model = new ModelId(found.ModelId!), IdempotencyKey = key }) with
            {
                Advice = $"To resume it use its handle; {NewKeyAdvice}.",
            };
        }

        return Unresolved($"looking it up {(lookup.Kind == LookupKind.NeverAccepted ? "found no entry yet" : $"failed ({lookup.Reason})")}") with
        {
            Advice = $"Do not submit it anew or fail over: resubmit the original request with idempotency key {key}, or look it up later; {NewKeyAdvice}.",
        };
    }

    private Settlement<MeiGenGenerationResponse> Adopt(MeiGenGenerationResponse found)
    {
        Log.Recovered(logger, key, found.Id!);
        Recovered = true;
        return Found(found);
    }

    private async Task<LookupOutcome> LookUpAsync(CancellationToken cancellationToken)
    {
        try
        {
            using var request = newRequest(HttpMethod.Get, $"generate/v2/requests/{Uri.EscapeDataString(key)}", null);
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
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

            var error = MeiGenErrors.Read(response, body, time);
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
        catch (Exception ex) when (SubmitEngine.IsTransportFailure(ex, cancellationToken))
        {
            return new LookupOutcome(LookupKind.Unknown, null, $"the look-up failed ({(ex as HttpRequestException)?.HttpRequestError.ToString() ?? ex.GetType().Name})");
        }
    }

    private sealed record LookupOutcome(LookupKind Kind, MeiGenGenerationResponse? Response, string? Reason);
}
