using System.Globalization;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using System.Threading.RateLimiting;
using MediaGen.Http;
using MediaGen.Providers;

namespace MediaGen.VeoGen.Internal;

/// <summary>
/// A vendor response read in full (bounded): status, body (UTF-8 bytes, credentials redacted; text made on first use, for
/// messages), whether it is JSON, <c>Retry-After</c>.
/// </summary>
internal sealed class ApiResponse(int status, byte[] utf8, bool truncated, bool isJson, TimeSpan? retryAfter)
{
    private string? _body;

    public int Status { get; } = status;

    /// <summary>Gets the body's bytes, what the JSON reader parses.</summary>
    public ReadOnlySpan<byte> Utf8 => utf8;

    /// <summary>Gets the body as text (decoded on first use).</summary>
    public string Body => _body ??= System.Text.Encoding.UTF8.GetString(utf8);

    public bool Truncated { get; } = truncated;

    public bool IsJson { get; } = isJson;

    public TimeSpan? RetryAfter { get; } = retryAfter;

    public bool IsSuccess => Status is >= 200 and < 300;
}

/// <summary>
/// The HTTP side of the provider: bearer auth, the shared client-side rate limiter and bounded reads (error statuses
/// are mapped by <see cref="VeoGenErrors"/>). The API key goes only into the <c>Authorization</c> header of each
/// request message; it is never in a message, log or exception.
/// </summary>
/// <summary>What a call is for, in its error messages; a job's status read names its handle only when a message is made.</summary>
/// <param name="Text">The description.</param>
/// <param name="StatusOf">The job whose status is read (when <paramref name="Text"/> is null).</param>
internal readonly record struct ReadOperation(string? Text, JobHandle? StatusOf = null)
{
    public static implicit operator ReadOperation(string text) => new(text);

    public override string ToString() => Text ?? $"the status of {StatusOf}";
}

internal sealed class VeoGenApi
{
    public const string Provider = VeoGenProvider.Name;

    private static readonly MediaTypeWithQualityHeaderValue AcceptJson = new("application/json");

    private readonly HttpClient _http;
    private readonly AuthenticationHeaderValue _authorization; // shared by every request (header values are never changed once made)
    private readonly RateLimiter _limiter;
    private readonly TimeProvider _time;

    public VeoGenApi(HttpClient http, Uri baseAddress, string apiKey, RateLimiter limiter, TimeProvider time)
    {
        _http = http;
        BaseAddress = baseAddress.AbsoluteUri.EndsWith('/') ? baseAddress : new Uri(baseAddress.AbsoluteUri + "/");
        _authorization = new AuthenticationHeaderValue("Bearer", apiKey);
        _limiter = limiter;
        _time = time;
        Submits = new SubmitEngine(http, VeoGenErrors.Table, time)
        {
            // VeoGen does not dedupe: the pipeline must not resend a submit unless it provably never left.
            DedupesByIdempotencyKey = false,
            PipelineMayResend = false,
            Limiter = limiter,
            MaxAttemptsSetting = $"{VeoGenOptions.SectionName}:Http:MaxSubmitAttempts",
        };
    }

    public Uri BaseAddress { get; }

    /// <summary>
    /// Gets where <c>GET /balance</c> goes. The docs give it on <c>https://api.veogen.studio/api/v1/balance</c> (provider-apis.md
    /// §2.2–2.3), a different host from the generations' <c>veogen.studio</c>: with the default (vendor) base address the
    /// documented host is used; any other base address (an emulator, a proxy) serves it beside the other routes.
    /// </summary>
    public string BalancePath => string.Equals(BaseAddress.Host, VendorHost, StringComparison.OrdinalIgnoreCase)
        ? DocumentedBalanceAddress
        : "balance";

    /// <summary>The host of the generation endpoints in the docs.</summary>
    public const string VendorHost = "veogen.studio";

    /// <summary>The balance endpoint's documented address.</summary>
    public const string DocumentedBalanceAddress = "https://api.veogen.studio/api/v1/balance";

    /// <summary>Gets the core's submit engine over this client and VeoGen's refusal table (the POST goes through it).</summary>
    public SubmitEngine Submits { get; }

    public TimeProvider Time => _time;

    /// <summary>
    /// Gets how many of the shared budget's permits a status read leaves to submits (VeoGen's reads and submits share
    /// its 120 requests a minute: <see cref="VeoGenPacing"/>), so polls near completion cannot starve the next submit.
    /// </summary>
    public int SubmitReserve { get; init; }

    /// <summary>Takes one permit from the limiter shared by every request; returns the refusal, or null when granted.</summary>
    /// <param name="operation">What the permit is for, for the message.</param>
    /// <param name="statusRead">Whether it is a job's status read, which leaves <see cref="SubmitReserve"/> permits to submits.</param>
    public RateLimitedError? TryAcquire(ReadOperation operation, bool statusRead = false)
    {
        if (statusRead && SubmitReserve > 0 && _limiter.GetStatistics() is { } stats && stats.CurrentAvailablePermits <= SubmitReserve)
        {
            // Held back before it could use the submits' headroom: poll again after one documented interval.
            var later = VeoGenPacing.Documented.ImagePollFloor;
            return new RateLimitedError(
                $"The client-side VeoGen rate limiter keeps its last {SubmitReserve} permits of the 120 a minute (shared by submits and polls) for submits, so {operation} waits; nothing reached VeoGen. Retry after {later?.TotalSeconds ?? 3:0} s.",
                Provider,
                later);
        }

        using var lease = _limiter.AttemptAcquire(1);
        if (lease.IsAcquired)
        {
            return null;
        }

        TimeSpan? retryAfter = lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : null;
        return new RateLimitedError(
            $"The client-side VeoGen rate limiter (the vendor allows 120 requests per minute, submits and polls together) refused {operation} before it was sent; nothing reached VeoGen. Retry{(retryAfter is { } r ? $" after {r.TotalSeconds.ToString("0.#", CultureInfo.InvariantCulture)} s" : " later")}.",
            Provider,
            retryAfter);
    }

    /// <summary>Builds one request: bearer auth, JSON accepted, the body when there is one.</summary>
    public HttpRequestMessage NewRequest(HttpMethod method, string relativePath, byte[]? json)
    {
        var message = new HttpRequestMessage(method, new Uri(BaseAddress, relativePath)).WithRateLimiter(_limiter); // resends take permits too
        message.Headers.Authorization = _authorization;
        message.Headers.Accept.Add(AcceptJson);
        if (json is not null)
        {
            message.Content = JsonBodies.Content(json);
        }

        return message;
    }

    /// <summary>Sends one read (after a permit was taken) and reads the response; transport failures propagate.</summary>
    public async Task<ApiResponse> SendAsync(HttpMethod method, string relativePath, byte[]? json, CancellationToken cancellationToken)
    {
        using var message = NewRequest(method, relativePath, json);
        using var response = await _http.SendAsync(message, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        using var body = await HttpResponseReader.ReadBodyUtf8Async(response, HttpResponseReader.MaxBodyBytes, cancellationToken).ConfigureAwait(false);
        return Read(response, body.Utf8, body.Truncated);
    }

    /// <summary>The response as this provider reads it, from a body already read (its bytes are copied: the answer outlives the read).</summary>
    public ApiResponse Read(HttpResponseMessage response, ReadOnlySpan<byte> utf8, bool truncated = false) =>
        new(
            (int)response.StatusCode,
            utf8.ToArray(),
            truncated,
            HttpResponseReader.IsJson(response) && LooksLikeJson(utf8),
            HttpResponseReader.GetRetryAfter(response, _time));

    /// <summary>
    /// A safe (non-billing) GET: takes a permit, sends, and maps transport failures and error statuses. Success means a
    /// 2xx response whose body is to be parsed by the caller.
    /// </summary>
    public async Task<Result<ApiResponse>> GetAsync(string relativePath, ReadOperation operation, CancellationToken cancellationToken, bool statusRead = false)
    {
        if (TryAcquire(operation, statusRead) is { } refused)
        {
            return refused;
        }

        ApiResponse response;
        try
        {
            response = await SendAsync(HttpMethod.Get, relativePath, null, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            // Transport failures, timeouts (HttpClient's or the resilience pipeline's) and unreadable bodies alike.
            return new ProviderUnavailableError(
                $"VeoGen could not be reached for {operation} ({Describe(ex)}). Nothing is billed by a read; retry later.",
                Provider);
        }

        return response.IsSuccess ? response : VeoGenErrors.ToError(response, operation.ToString(), submit: false);
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

        try
        {
            var value = JsonSerializer.Deserialize(response.Utf8, typeInfo);
            problem = value is null ? "the body is JSON null" : null;
            return value;
        }
        catch (JsonException ex)
        {
            problem = $"the JSON is malformed or has unexpected types ({ex.Message})";
            return null;
        }
    }

    /// <summary>
    /// Reads a generation envelope with one parse: the body's JSON tree is both the job's raw representation and what
    /// the typed fields are read from (the typed DTO plus a second <see cref="JsonDocument"/> parsed every body twice,
    /// and each of its <see cref="JsonElement"/> fields copied again).
    /// </summary>
    public static GenerationEnvelope? ReadGeneration(ApiResponse response, out JsonElement? raw, out string? problem)
    {
        raw = null;
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

        JsonElement root;
        try
        {
            root = JsonElement.Parse(response.Utf8);
        }
        catch (JsonException ex)
        {
            problem = $"the JSON is malformed or has unexpected types ({ex.Message})";
            return null;
        }

        raw = root;
        if (root.ValueKind == JsonValueKind.Null)
        {
            problem = "the body is JSON null";
            return null;
        }

        if (GenerationEnvelope.From(root, out problem) is not { } envelope)
        {
            problem = $"the JSON is malformed or has unexpected types ({problem})";
            return null;
        }

        return envelope;
    }

    public static string Describe(Exception ex) => ex switch
    {
        HttpRequestException http => $"{nameof(HttpRequestException)} {http.HttpRequestError}: {http.Message}",
        OperationCanceledException or TimeoutException => "the request timed out",
        _ => $"{ex.GetType().Name}: {ex.Message}",
    };

    /// <summary>Whether the first character after any white space (as <see cref="string.TrimStart()"/> skips it) opens an object or array.</summary>
    private static bool LooksLikeJson(ReadOnlySpan<byte> utf8)
    {
        while (!utf8.IsEmpty)
        {
            if (System.Text.Rune.DecodeFromUtf8(utf8, out var rune, out var consumed) != System.Buffers.OperationStatus.Done || !System.Text.Rune.IsWhiteSpace(rune))
            {
                return utf8[0] is (byte)'{' or (byte)'[';
            }

            utf8 = utf8[consumed..];
        }

        return false;
    }
}
