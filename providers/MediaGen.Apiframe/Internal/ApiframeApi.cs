using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization.Metadata;
using MediaGen.Providers;

namespace MediaGen.Apiframe.Internal;

/// <summary>The job id Apiframe accepted a submit under.</summary>
internal sealed record SubmitAccepted(string JobId, string? Status, int Attempts);

/// <summary>Apiframe's HTTP calls: auth header, bounded reads, error mapping, and the idempotent submit with retries.</summary>
internal sealed class ApiframeApi
{
    private const string Provider = "apiframe";
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
                return ErrorMapper.Map(response.StatusCode, ErrorMapper.ReadBody(text), HttpResponseReader.GetRetryAfter(response, _time), operation, null);
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
    /// POSTs a generate request with its <c>Idempotency-Key</c>. Apiframe deduplicates by that header, so the same
    /// bytes with the same key are re-sent (bounded, jittered back-off, honouring <c>Retry-After</c>) after a dropped
    /// connection, a timeout, an unreadable 2xx, a 429 or a 5xx. What cannot be settled becomes
    /// <see cref="OutcomeUnknownError"/> carrying the key; a caller's cancellation is never retried.
    /// </summary>
    public async Task<Result<SubmitAccepted>> SubmitAsync(string path, JsonObject body, string idempotencyKey, PriceQuote quote, CancellationToken cancellationToken)
    {
        var json = Encoding.UTF8.GetBytes(body.ToJsonString());
        var operation = $"POST /{path}";
        var mayHaveReached = false;
        MediaGenError? last = null;
        string? lastProblem = null;
        TimeSpan? retryAfter = null;

        for (var attempt = 1; attempt <= _options.MaxSubmitAttempts; attempt++)
        {
            if (attempt > 1)
            {
                var delay = Backoff(attempt, retryAfter);
                if (delay is null)
                {
                    break; // the vendor asked for a longer wait than we are allowed to sleep
                }

                await Task.Delay(delay.Value, _time, cancellationToken).ConfigureAwait(false);
            }

            retryAfter = null;
            using var request = NewRequest(HttpMethod.Post, path);
            request.Headers.TryAddWithoutValidation("Idempotency-Key", idempotencyKey);
            request.Content = new ByteArrayContent(json);
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };

            HttpResponseMessage response;
            try
            {
                response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (IsTransport(ex, cancellationToken))
            {
                var kind = ex is OperationCanceledException ? TransportFailureKind.Ambiguous : TransportFailure.Classify(ex);
                mayHaveReached |= kind == TransportFailureKind.Ambiguous;
                lastProblem = kind == TransportFailureKind.NotSent
                    ? $"the connection could not be opened ({ex.Message})"
                    : $"the connection failed after the request may have been sent ({ex.GetType().Name}: {ex.Message})";
                last = new ProviderUnavailableError($"Apiframe could not be reached for {operation}: {lastProblem}. Nothing was sent; retry later.", Provider);
                continue;
            }

            using (response)
            {
                string text;
                bool truncated;
                try
                {
                    (text, truncated) = await HttpResponseReader.ReadBodyAsync(response, HttpResponseReader.MaxErrorBodyChars * 8, cancellationToken).ConfigureAwait(false);
                }
                catch (Exception ex) when (IsTransport(ex, cancellationToken))
                {
                    mayHaveReached = true;
                    lastProblem = $"the HTTP {(int)response.StatusCode} answer was cut off ({ex.GetType().Name})";
                    last = null;
                    continue;
                }

                if (response.IsSuccessStatusCode)
                {
                    if (TryReadAccepted(response, text, truncated, out var accepted, out var problem))
                    {
                        return accepted with { Attempts = attempt };
                    }

                    // A 2xx we cannot read may well be an accepted job: only the same key may settle it.
                    mayHaveReached = true;
                    lastProblem = $"HTTP {(int)response.StatusCode} with an unreadable body: {problem}";
                    last = null;
                    continue;
                }

                var status = (int)response.StatusCode;
                retryAfter = HttpResponseReader.GetRetryAfter(response, _time);
                var error = ErrorMapper.Map(response.StatusCode, ErrorMapper.ReadBody(text), retryAfter, operation, quote);
                if (status is 429 or 503)
                {
                    last = error; // refused before billing; safe to retry with the same key
                    lastProblem = error.Message;
                    continue;
                }

                if (status >= 500)
                {
                    // A 500/502/504 can come after the job was created; the same key makes the retry safe.
                    mayHaveReached = true;
                    last = error;
                    lastProblem = $"HTTP {status}: {error.VendorMessage}";
                    continue;
                }

                return error;
            }
        }

        if (mayHaveReached)
        {
            // No job id was read, so there is no handle: the key is what settles it.
            return new OutcomeUnknownError(
                $"Apiframe may have accepted {operation} but no answer could be read after {_options.MaxSubmitAttempts} attempt(s) (last: {lastProblem}). Do not resubmit with a new key: resubmit with idempotency key '{idempotencyKey}' (Apiframe deduplicates it, so it cannot charge twice) or look the job up in GET /v2/jobs.",
                Provider,
                idempotencyKey)
            {
                StatusCode = last?.StatusCode,
                VendorMessage = last?.VendorMessage,
            };
        }

        return last ?? new ProviderUnavailableError($"Apiframe could not be reached for {operation}.", Provider);
    }

    private TimeSpan? Backoff(int attempt, TimeSpan? retryAfter)
    {
        if (retryAfter is { } hint && hint > _options.SubmitRetryMaxDelay)
        {
            return null;
        }

        var exponential = _options.SubmitRetryBaseDelay * Math.Pow(2, attempt - 2);

        // Jitter in [50 %, 100 %] so a fleet does not retry in lock-step.
        var jittered = exponential * (0.5 + (RandomNumberGenerator.GetInt32(0, 1001) / 2000.0));
        var delay = retryAfter is { } r && r > jittered ? r : jittered;
        return delay > _options.SubmitRetryMaxDelay ? _options.SubmitRetryMaxDelay : delay;
    }

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
        request.Headers.TryAddWithoutValidation("X-API-Key", _options.ApiKey);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        return request;
    }

    private static bool IsTransport(Exception ex, CancellationToken cancellationToken) =>
        ex is HttpRequestException or IOException
        || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested); // HttpClient.Timeout
}
