using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization.Metadata;
using MediaGen.Http;
using MediaGen.Providers;

namespace MediaGen.Apiframe.Internal;

/// <summary>The job id Apiframe accepted a submit under.</summary>
internal sealed record SubmitAccepted(string JobId, string? Status, int Attempts);

/// <summary>Apiframe's HTTP calls: auth header, bounded reads, error mapping, and the idempotent submit (resent by the shared pipeline).</summary>
internal sealed class ApiframeApi
{
    private const string Provider = ApiframeProvider.Name;
    private readonly HttpClient _http;
    private readonly ApiframeOptions _options;
    private readonly TimeProvider _time;
    private readonly Uri _base;

    public ApiframeApi(HttpClient http, ApiframeOptions options, TimeProvider time)
    {
        _http = http;
        _options = options;
        _time = time;
        var b = options.BaseAddress.AbsoluteUri;
        _base = new Uri(b.EndsWith('/') ? b : b + "/");
    }

    public Uri Resolve(string relative) => new(_base, relative);

    /// <summary>GET and deserialize; every failure is a typed error (transport and garbage: provider unavailable).</summary>
    public async Task<Result<(T Value, string Raw)>> GetAsync<T>(string relative, JsonTypeInfo<T> type, string operation, CancellationToken cancellationToken)
        where T : class
    {
        using var request = NewRequest(HttpMethod.Get, relative);
        HttpResponseMessage response;
        try
        {
            response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (IsTransport(ex, cancellationToken))
        {
            return new ProviderUnavailableError($"Apiframe could not be reached for {operation} ({ex.GetType().Name}: {ex.Message}). Retry later.", Provider);
        }

        using (response)
        {
            string text;
            bool truncated;
            try
            {
                (text, truncated) = await HttpResponseReader.ReadBodyAsync(response, cancellationToken: cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (IsTransport(ex, cancellationToken))
            {
                return new ProviderUnavailableError($"Apiframe's answer to {operation} was cut off ({ex.GetType().Name}). Retry later.", Provider) { StatusCode = (int)response.StatusCode };
            }

            if (!response.IsSuccessStatusCode)
            {
                return ApiframeErrors.Map(response.StatusCode, text, HttpResponseReader.GetRetryAfter(response, _time), operation, VendorCall.Read);
            }

            if (truncated || !HttpResponseReader.IsJson(response))
            {
                return Garbage(operation, response, text, truncated ? "the body exceeded the size limit" : $"the content type is {response.Content.Headers.ContentType?.MediaType}, not JSON");
            }

            try
            {
                var value = JsonSerializer.Deserialize(text, type);
                return value is null ? Garbage(operation, response, text, "the body is JSON null") : (value, text);
            }
            catch (JsonException ex)
            {
                return Garbage(operation, response, text, $"the JSON is malformed or has unexpected types ({ex.Message})");
            }
        }
    }

    /// <summary>
    /// POSTs a generate request with its <c>Idempotency-Key</c>, marked <c>vendorDedupes</c>: Apiframe deduplicates by that
    /// header, so the shared HTTP pipeline re-sends the same bytes with the same key after a dropped connection, a
    /// timeout, a 429, a 5xx or any status Apiframe does not document as a refusal (with back-off honouring
    /// <c>Retry-After</c>, within <c>MediaGenHttpOptions.MaxSubmitAttempts</c> POSTs for this submit). What only this
    /// provider can see, a 2xx it cannot read or an answer cut off while read, it settles the Apiframe way: by resending
    /// the same key, drawing from the same budget. Only the documented refusals (400/401/402/403/404/422, and 429/503 once
    /// the pipeline stops resending) are returned as rejected before billing, and only while no POST may have reached
    /// Apiframe: once one may have, every unsettled answer is <see cref="OutcomeUnknownError"/> carrying the key. A 409
    /// (the key is already in use) is always outcome unknown. A caller's cancellation is never retried: before anything
    /// was sent it throws, afterwards it is outcome unknown with the key.
    /// </summary>
    public async Task<Result<SubmitAccepted>> SubmitAsync(string path, JsonObject body, string idempotencyKey, PriceQuote quote, CancellationToken cancellationToken)
    {
        var json = Encoding.UTF8.GetBytes(body.ToJsonString());
        var operation = $"POST /{path}";
        var attempts = new SubmitAttempts();
        var mayHaveReached = false; // from what this method saw; the pipeline's attempts are in `attempts`
        string? lastProblem = null;

        while (true)
        {
            if (cancellationToken.IsCancellationRequested && MayHaveReached())
            {
                return Unknown(operation, idempotencyKey, $"the caller canceled before the resend (before that: {lastProblem})", null, null);
            }

            cancellationToken.ThrowIfCancellationRequested(); // nothing was sent yet

            using var request = NewRequest(HttpMethod.Post, path);
            request.Headers.TryAddWithoutValidation("Idempotency-Key", idempotencyKey);
            request.Content = new ByteArrayContent(json);
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
            request.MarkSubmit(vendorDedupes: true, attempts);

            HttpResponseMessage response;
            try
            {
                response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                // Canceled while a POST was in flight or while the pipeline waited to resend one. Without the MediaGen
                // pipeline nothing tells which, so the POST may have been sent.
                if (attempts.Observed > 0 && !MayHaveReached())
                {
                    throw; // every POST provably never left: nothing can have been charged
                }

                return Unknown(operation, idempotencyKey, $"the caller canceled while the request was in flight or waiting to be resent{(lastProblem is null ? string.Empty : $" (before that: {lastProblem})")}", null, null);
            }
            catch (Exception ex) when (IsTransport(ex, cancellationToken))
            {
                // The pipeline has resent what it could; this is the last attempt's failure.
                var kind = ex is OperationCanceledException ? TransportFailureKind.Ambiguous : TransportFailure.Classify(ex);
                mayHaveReached |= kind == TransportFailureKind.Ambiguous;
                var problem = kind == TransportFailureKind.NotSent
                    ? $"the connection could not be opened ({ex.Message})"
                    : $"the connection failed after the request may have been sent ({ex.GetType().Name}: {ex.Message})";
                return MayHaveReached()
                    ? Unknown(operation, idempotencyKey, $"no answer could be read after {attempts.Count} POST(s) (last: {problem})", null, null)
                    : new ProviderUnavailableError($"Apiframe could not be reached for {operation}: {problem}. Nothing was sent; retry later.", Provider);
            }

            using (response)
            {
                var status = (int)response.StatusCode;
                string text;
                bool truncated;
                try
                {
                    (text, truncated) = await HttpResponseReader.ReadBodyAsync(response, HttpResponseReader.MaxErrorBodyChars * 8, cancellationToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
                {
                    return Unknown(operation, idempotencyKey, $"the caller canceled while the HTTP {status} answer was being read", status, null);
                }
                catch (Exception ex) when (IsTransport(ex, cancellationToken))
                {
                    mayHaveReached = true;
                    lastProblem = $"the HTTP {status} answer was cut off ({ex.GetType().Name})";
                    if (attempts.CanSendAnother)
                    {
                        continue; // settle by resending the same key
                    }

                    return Unknown(operation, idempotencyKey, $"no answer could be read after {attempts.Count} POST(s) (last: {lastProblem})", status, null);
                }

                if (response.IsSuccessStatusCode)
                {
                    if (TryReadAccepted(response, text, truncated, out var accepted, out var problem))
                    {
                        return accepted with { Attempts = attempts.Count };
                    }

                    // A 2xx we cannot read may well be an accepted job: only the same key may settle it.
                    mayHaveReached = true;
                    lastProblem = $"HTTP {status} with an unreadable body: {problem}";
                    if (attempts.CanSendAnother)
                    {
                        continue;
                    }

                    return Unknown(operation, idempotencyKey, $"no answer could be read after {attempts.Count} POST(s) (last: {lastProblem})", status, null);
                }

                var error = ApiframeErrors.Map(response.StatusCode, text, HttpResponseReader.GetRetryAfter(response, _time), operation, VendorCall.Submit, quote);
                if (status == 409)
                {
                    // A job already exists under this key (in progress, or the key was used before): never "rejected".
                    return Unknown(operation, idempotencyKey, $"HTTP 409 (a job already exists under this key): {error.VendorMessage}", status, error.VendorMessage);
                }

                if (IsRefusal(status))
                {
                    if (MayHaveReached())
                    {
                        // An earlier attempt may have created the job: this refusal may be about that job (402: its
                        // credits are spent; 404/400: the key's job), so it proves nothing about billing.
                        return Unknown(operation, idempotencyKey, $"after an earlier attempt may have reached Apiframe, HTTP {status}: {error.VendorMessage}", status, error.VendorMessage);
                    }

                    return error; // a documented refusal (429/503: the pipeline stopped resending) of a request that never reached Apiframe
                }

                // A 5xx, or any status Apiframe does not document as a refusal (a redirect, 408, 425, 499, …), can come
                // after the job was created; the pipeline resent it as long as it could.
                return Unknown(operation, idempotencyKey, $"no answer could be read after {attempts.Count} POST(s) (last: HTTP {status}: {error.VendorMessage})", status, error.VendorMessage);
            }
        }

        bool MayHaveReached() => mayHaveReached || attempts.MayHaveReachedVendor(IsRefusal);
    }

    /// <summary>The statuses Apiframe documents as refusals of a submit before any work (nothing is created or charged).</summary>
    private static bool IsRefusal(int status) => status is 400 or 401 or 402 or 403 or 404 or 422 or 429 or 503;

    private static OutcomeUnknownError Unknown(string operation, string idempotencyKey, string what, int? status, string? vendorMessage) =>
        new(
            $"Apiframe may have accepted {operation}, but {what}. Do not resubmit with a new key: resubmit with idempotency key '{idempotencyKey}' (Apiframe deduplicates it, so it cannot charge twice) or look the job up in GET /v2/jobs.",
            Provider,
            idempotencyKey)
        {
            StatusCode = status,
            VendorMessage = vendorMessage,
        };

    private static bool TryReadAccepted(HttpResponseMessage response, string text, bool truncated, out SubmitAccepted accepted, out string? problem)
    {
        accepted = null!;
        problem = null;
        if (truncated)
        {
            problem = "the body exceeded the size limit";
            return false;
        }

        if (!HttpResponseReader.IsJson(response))
        {
            problem = $"the content type is {response.Content.Headers.ContentType?.MediaType}, not JSON";
            return false;
        }

        try
        {
            var dto = JsonSerializer.Deserialize(text, ApiframeJsonContext.Default.SubmitResponseDto);
            if (string.IsNullOrWhiteSpace(dto?.JobId))
            {
                problem = "no jobId in " + HttpResponseReader.Excerpt(text);
                return false;
            }

            accepted = new SubmitAccepted(dto.JobId.Trim(), dto.Status, 1);
            return true;
        }
        catch (JsonException ex)
        {
            problem = $"malformed JSON ({ex.Message})";
            return false;
        }
    }

    private static ProviderUnavailableError Garbage(string operation, HttpResponseMessage response, string text, string what) =>
        new($"Apiframe answered {operation} with HTTP {(int)response.StatusCode} that MediaGen cannot read: {what}. Retry later; if it persists the API may have changed.", Provider)
        {
            StatusCode = (int)response.StatusCode,
            VendorMessage = HttpResponseReader.Excerpt(text),
        };

    private HttpRequestMessage NewRequest(HttpMethod method, string relative)
    {
        var request = new HttpRequestMessage(method, Resolve(relative));
        request.AddSecretHeader("X-API-Key", _options.ApiKey);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        return request;
    }

    // The shared resilience handler (MediaGenHttp, and every DI client) ends an attempt that outlives its timeout with
    // Polly's TimeoutRejectedException, which is not an OperationCanceledException: it is a transport failure too.
    private static bool IsTransport(Exception ex, CancellationToken cancellationToken) =>
        ex is HttpRequestException or IOException or TimeoutException or Polly.ExecutionRejectedException
        || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested); // HttpClient.Timeout
}
