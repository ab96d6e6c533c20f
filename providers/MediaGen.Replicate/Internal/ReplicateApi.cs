using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using System.Threading.RateLimiting;
using MediaGen.Providers;

namespace MediaGen.Replicate.Internal;

/// <summary>A Replicate response read in full (bounded): status, body, whether it is JSON, the delay to wait before retrying.</summary>
internal sealed record ApiResponse(int Status, string Body, bool Truncated, bool IsJson, TimeSpan? RetryAfter)
{
    public bool IsSuccess => Status is >= 200 and < 300;
}

/// <summary>
/// The HTTP side of the provider: bearer auth (<c>Authorization: Bearer r8_…</c>, R0 <c>bearerAuth</c>), the client-side
/// rate limiter, bounded reads, and Replicate's error table (<see cref="ReplicateErrors"/>). The token is only ever in the
/// <c>Authorization</c> header of a request message.
/// </summary>
internal sealed class ReplicateApi
{
    public const string Provider = ReplicateProvider.Name;

    private readonly HttpClient _http;
    private readonly string _apiKey;
    private readonly RateLimiter _limiter;

    public ReplicateApi(HttpClient http, Uri baseAddress, string apiKey, RateLimiter limiter, TimeProvider time)
    {
        _http = http;
        BaseAddress = baseAddress.AbsoluteUri.EndsWith('/') ? baseAddress : new Uri(baseAddress.AbsoluteUri + "/");
        _apiKey = apiKey;
        _limiter = limiter;
        Time = time;
        Submits = new SubmitEngine(http, ReplicateErrors.Table, time)
        {
            // No idempotency key exists on the hosted API (§1.9): a create that may have reached Replicate is never sent
            // again by the pipeline; only a 429 (nothing created) or a connection never made is.
            DedupesByIdempotencyKey = false,
            PipelineMayResend = false,
            MaxAttemptsSetting = $"{ReplicateOptions.SectionName}:Http:MaxSubmitAttempts",
        };
    }

    public Uri BaseAddress { get; }

    public TimeProvider Time { get; }

    /// <summary>Gets the core's submit engine over this client and Replicate's refusal table.</summary>
    public SubmitEngine Submits { get; }

    /// <summary>Takes one permit from the limiter; returns the refusal, or null when granted.</summary>
    public RateLimitedError? TryAcquire(string operation)
    {
        using var lease = _limiter.AttemptAcquire(1);
        if (lease.IsAcquired)
        {
            return null;
        }

        TimeSpan? retryAfter = lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : null;
        return new RateLimitedError(
            $"The client-side Replicate rate limiter refused {operation} before it was sent; nothing reached Replicate. Retry{(retryAfter is { } r ? $" after {r.TotalSeconds.ToString("0.#", CultureInfo.InvariantCulture)} s" : " later")}.",
            Provider,
            retryAfter);
    }

    /// <summary>Builds one request: bearer auth, JSON accepted, the body when there is one, and extra headers.</summary>
    public HttpRequestMessage NewRequest(HttpMethod method, string relativeOrAbsolute, string? json, IEnumerable<KeyValuePair<string, string>>? headers = null)
    {
        var uri = Uri.TryCreate(relativeOrAbsolute, UriKind.Absolute, out var absolute) && absolute.Scheme.StartsWith("http", StringComparison.Ordinal)
            ? absolute
            : new Uri(BaseAddress, relativeOrAbsolute);
        var message = new HttpRequestMessage(method, uri);
        message.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _apiKey);
        message.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        foreach (var (name, value) in headers ?? [])
        {
            message.Headers.TryAddWithoutValidation(name, value);
        }

        if (json is not null)
        {
            message.Content = new StringContent(json, Encoding.UTF8, "application/json");
        }

        return message;
    }

    /// <summary>The response as this provider reads it, from a body already read.</summary>
    public ApiResponse Read(HttpResponseMessage response, string text, bool truncated = false) =>
        new(
            (int)response.StatusCode,
            text,
            truncated,
            HttpResponseReader.IsJson(response) && LooksLikeJson(text),
            HttpResponseReader.GetRetryAfter(response, Time) ?? ReplicateErrors.RetryAfterFromBody((int)response.StatusCode, text));

    /// <summary>
    /// A call that bills nothing (GET, or the cancel POST): takes a permit, sends, maps transport failures and error
    /// statuses. Success is a 2xx whose body the caller parses. <paramref name="path"/> may be an absolute URL (a list's <c>next</c>).
    /// </summary>
    public async Task<Result<ApiResponse>> SendAsync(HttpMethod method, string path, string operation, CancellationToken cancellationToken)
    {
        if (TryAcquire(operation) is { } refused)
        {
            return refused;
        }

        ApiResponse response;
        try
        {
            using var message = NewRequest(method, path, method == HttpMethod.Post ? "{}" : null);
            using var answer = await _http.SendAsync(message, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
            var (text, truncated) = await HttpResponseReader.ReadBodyAsync(answer, HttpResponseReader.MaxBodyBytes, cancellationToken).ConfigureAwait(false);
            response = Read(answer, text, truncated);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            return new ProviderUnavailableError(
                $"Replicate could not be reached for {operation} ({Describe(ex)}). Nothing is billed by this call; retry later.",
                Provider);
        }

        return response.IsSuccess ? response : ReplicateErrors.ToError(response, operation);
    }

    public static T? Deserialize<T>(ApiResponse response, JsonTypeInfo<T> typeInfo, out string? problem)
        where T : class
    {
        if (!response.IsJson)
        {
            problem = $"the body is not JSON: {HttpResponseReader.Excerpt(response.Body)}";
            return null;
        }

        if (response.Truncated)
        {
            problem = "the body exceeds the size limit";
            return null;
        }

        return Deserialize(response.Body, typeInfo, out problem);
    }

    public static T? Deserialize<T>(string body, JsonTypeInfo<T> typeInfo, out string? problem)
        where T : class
    {
        try
        {
            var value = JsonSerializer.Deserialize(body, typeInfo);
            problem = value is null ? "the body is JSON null" : null;
            return value;
        }
        catch (JsonException ex)
        {
            problem = $"the JSON is malformed or has unexpected types ({ex.Message})";
            return null;
        }
    }

    public static string Describe(Exception ex) => ex switch
    {
        HttpRequestException http => $"{nameof(HttpRequestException)} {http.HttpRequestError}: {http.Message}",
        OperationCanceledException or TimeoutException => "the request timed out",
        _ => $"{ex.GetType().Name}: {ex.Message}",
    };

    private static bool LooksLikeJson(string body)
    {
        var trimmed = body.AsSpan().TrimStart();
        return trimmed.Length > 0 && (trimmed[0] == '{' || trimmed[0] == '[');
    }
}
