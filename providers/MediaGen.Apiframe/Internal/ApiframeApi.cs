using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization.Metadata;
using MediaGen.Http;
using MediaGen.Providers;

namespace MediaGen.Apiframe.Internal;

/// <summary>The job id Apiframe accepted a submit under.</summary>
internal sealed record SubmitAccepted(string JobId, string? Status, int Attempts);

/// <summary>Apiframe's HTTP calls: auth header, bounded reads, error mapping, and the idempotent submit (through the core's submit engine).</summary>
internal sealed class ApiframeApi
{
    private const string Provider = ApiframeProvider.Name;

    // Header values are never changed once made, so every request shares this one.
    private static readonly MediaTypeWithQualityHeaderValue AcceptJson = new("application/json");
    private readonly HttpClient _http;
    private readonly ApiframeOptions _options;
    private readonly TimeProvider _time;
    private readonly Uri _base;
    private readonly SubmitEngine _submits;

    public ApiframeApi(HttpClient http, ApiframeOptions options, TimeProvider time)
    {
        _http = http;
        _options = options;
        _time = time;
        var b = options.BaseAddress.AbsoluteUri;
        _base = new Uri(b.EndsWith('/') ? b : b + "/");
        _submits = new SubmitEngine(http, ApiframeErrors.Table, time)
        {
            DedupesByIdempotencyKey = true,
            PipelineMayResend = true,
            MaxBodyBytes = HttpResponseReader.MaxErrorBodyChars * 8,
            MaxAttemptsSetting = $"{ApiframeOptions.SectionName}:Http:MaxSubmitAttempts",
        };
    }

    public Uri Resolve(string relative) => new(_base, relative);

    /// <summary>GET and deserialize; every failure is a typed error (transport and garbage: provider unavailable).</summary>
    public Task<Result<(T Value, string Raw)>> GetAsync<T>(string relative, JsonTypeInfo<T> type, string operation, CancellationToken cancellationToken)
        where T : class =>
        GetAsync(relative, type, operation, static (value, body, _) => (Result<(T, string)>)(value, body.Text), 0, cancellationToken);

    /// <summary>
    /// GET, deserialize from the body's bytes, and map while the body is still readable: <paramref name="map"/> gets the
    /// value and the body (whose text it reads only for a message), so a poll that maps makes no string of its body.
    /// </summary>
    public async Task<Result<TResult>> GetAsync<T, TState, TResult>(string relative, JsonTypeInfo<T> type, string operation, Func<T, ResponseBody, TState, Result<TResult>> map, TState state, CancellationToken cancellationToken)
        where T : class
    {
        using var request = NewRequest(HttpMethod.Get, relative);
        HttpResponseMessage response;
        try
        {
            response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (SubmitEngine.IsTransportFailure(ex, cancellationToken))
        {
            return new ProviderUnavailableError($"Apiframe could not be reached for {operation} ({ex.GetType().Name}: {ex.Message}). Retry later.", Provider);
        }

        using (response)
        {
            ResponseBody read;
            try
            {
                read = await HttpResponseReader.ReadBodyUtf8Async(response, cancellationToken: cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (SubmitEngine.IsTransportFailure(ex, cancellationToken))
            {
                return new ProviderUnavailableError($"Apiframe's answer to {operation} was cut off ({ex.GetType().Name}). Retry later.", Provider) { StatusCode = (int)response.StatusCode };
            }

            using var body = read;
            if (!response.IsSuccessStatusCode)
            {
                return ApiframeErrors.Map(response.StatusCode, body.Text, HttpResponseReader.GetRetryAfter(response, _time), operation, VendorCall.Read);
            }

            if (body.Truncated || !HttpResponseReader.IsJson(response))
            {
                return Garbage(operation, response, body.Text, body.Truncated ? "the body exceeded the size limit" : $"the content type is {response.Content.Headers.ContentType?.MediaType}, not JSON");
            }

            T? value;
            try
            {
                // Parsed from the bytes read: a string of the body is made only for a message.
                value = JsonSerializer.Deserialize(body.Utf8, type);
            }
            catch (JsonException ex)
            {
                return Garbage(operation, response, body.Text, $"the JSON is malformed or has unexpected types ({ex.Message})");
            }

            return value is null ? Garbage(operation, response, body.Text, "the body is JSON null") : map(value, body, state);
        }
    }

    /// <summary>
    /// POSTs a generate request with its <c>Idempotency-Key</c> through the core's <see cref="SubmitEngine"/>, marked so
    /// the shared HTTP pipeline may resend it: Apiframe deduplicates by that header, so the pipeline re-sends the same
    /// bytes with the same key after a dropped connection, a timeout, a 429, a 5xx or any status Apiframe does not
    /// document as a refusal (within <c>MediaGenHttpOptions.MaxSubmitAttempts</c> POSTs for this submit). What only the
    /// engine can see, a 2xx it cannot read or an answer cut off while read, <see cref="ApiframeSettlement"/> settles the
    /// Apiframe way: by resending the same key, from the same budget. The engine returns a documented refusal as rejected
    /// before billing only while no POST may have reached Apiframe; otherwise it is <see cref="OutcomeUnknownError"/>
    /// carrying the key, as is a 409 (the key is already in use).
    /// </summary>
    public async Task<Result<SubmitAccepted>> SubmitAsync(string path, JsonObject body, string idempotencyKey, PriceQuote quote, CancellationToken cancellationToken)
    {
        var json = JsonBodies.ToUtf8(body);
        var call = new SubmitCall<SubmitAccepted>(idempotencyKey, () => NewSubmitRequest(path, json, idempotencyKey), ReadAccepted)
        {
            Operation = $"POST /{path}",
            Quoted = quote.Amount,
        };
        var sent = await _submits.SubmitAsync(call, new ApiframeSettlement(), cancellationToken).ConfigureAwait(false);
        if (!sent.TryGetValue(out var accepted))
        {
            return sent;
        }

        var posts = call.Budget.Count;
        return accepted.Attempts == posts ? accepted : accepted with { Attempts = posts };
    }

    /// <summary>Reads Apiframe's 2xx answer to a submit: a <c>jobId</c>, else why not.</summary>
    private static SubmitAccepted? ReadAccepted(HttpResponseMessage response, ReadOnlySpan<byte> text, out string? problem)
    {
        try
        {
            var dto = JsonSerializer.Deserialize(text, ApiframeJsonContext.Default.SubmitResponseDto);
            if (string.IsNullOrWhiteSpace(dto?.JobId))
            {
                problem = "no jobId in " + HttpResponseReader.Excerpt(System.Text.Encoding.UTF8.GetString(text));
                return null;
            }

            problem = null;
            return new SubmitAccepted(dto.JobId.Trim(), dto.Status, 1);
        }
        catch (JsonException ex)
        {
            problem = $"malformed JSON ({ex.Message})";
            return null;
        }
    }

    private HttpRequestMessage NewSubmitRequest(string path, byte[] json, string idempotencyKey)
    {
        var request = NewRequest(HttpMethod.Post, path);
        request.Headers.TryAddWithoutValidation("Idempotency-Key", idempotencyKey);
        request.Content = JsonBodies.Content(json);
        return request;
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
        request.Headers.Accept.Add(AcceptJson);
        return request;
    }
}
