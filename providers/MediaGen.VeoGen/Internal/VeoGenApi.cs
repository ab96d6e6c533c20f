using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using System.Threading.RateLimiting;
using MediaGen.Http;
using MediaGen.Providers;

namespace MediaGen.VeoGen.Internal;

/// <summary>A vendor response read in full (bounded): status, body text, whether it is JSON, <c>Retry-After</c>.</summary>
internal sealed record ApiResponse(int Status, string Body, bool Truncated, bool IsJson, TimeSpan? RetryAfter)
{
    public bool IsSuccess => Status is >= 200 and < 300;
}

/// <summary>
/// The HTTP side of the provider: bearer auth, the shared client-side rate limiter, bounded reads, and the mapping of
/// every vendor status and error body onto the closed error set. The API key goes only into the
/// <c>Authorization</c> header of each request message; it is never in a message, log or exception.
/// </summary>
internal sealed class VeoGenApi
{
    public const string Provider = "veogen";

    private readonly HttpClient _http;
    private readonly string _apiKey;
    private readonly RateLimiter _limiter;
    private readonly TimeProvider _time;

    public VeoGenApi(HttpClient http, Uri baseAddress, string apiKey, RateLimiter limiter, TimeProvider time)
    {
        _http = http;
        BaseAddress = baseAddress.AbsoluteUri.EndsWith('/') ? baseAddress : new Uri(baseAddress.AbsoluteUri + "/");
        _apiKey = apiKey;
        _limiter = limiter;
        _time = time;
    }

    public Uri BaseAddress { get; }

    public TimeProvider Time => _time;

    /// <summary>Takes one permit from the limiter shared by every request; returns the refusal, or null when granted.</summary>
    public RateLimitedError? TryAcquire(string operation)
    {
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

    /// <summary>Sends one request (after a permit was taken) and reads the response; transport failures propagate.</summary>
    public async Task<ApiResponse> SendAsync(HttpMethod method, string relativePath, string? json, CancellationToken cancellationToken)
    {
        using var message = new HttpRequestMessage(method, new Uri(BaseAddress, relativePath));
        if (method == HttpMethod.Post)
        {
            // VeoGen does not dedupe: the shared resilience handler must not resend this unless it provably never left.
            message.MarkSubmit(vendorDedupes: false);
        }

        message.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _apiKey);
        message.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        if (json is not null)
        {
            message.Content = new StringContent(json, Encoding.UTF8, "application/json");
        }

        using var response = await _http.SendAsync(message, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        var (text, truncated) = await HttpResponseReader.ReadBodyAsync(response, HttpResponseReader.MaxBodyBytes, cancellationToken).ConfigureAwait(false);
        return new ApiResponse(
            (int)response.StatusCode,
            text,
            truncated,
            HttpResponseReader.IsJson(response) && LooksLikeJson(text),
            HttpResponseReader.GetRetryAfter(response, _time));
    }

    /// <summary>
    /// A safe (non-billing) GET: takes a permit, sends, and maps transport failures and error statuses. Success means a
    /// 2xx response whose body is to be parsed by the caller.
    /// </summary>
    public async Task<Result<ApiResponse>> GetAsync(string relativePath, string operation, CancellationToken cancellationToken)
    {
        if (TryAcquire(operation) is { } refused)
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

        return response.IsSuccess ? response : ToError(response, operation, submit: false);
    }

    /// <summary>Maps a non-2xx response to the closed error set, with the vendor's text verbatim.</summary>
    public static MediaGenError ToError(ApiResponse response, string operation, bool submit)
    {
        var wire = response.IsJson ? TryDeserialize(response.Body, VeoGenJsonContext.Default.ErrorWire) : null;
        var vendor = VendorText(response, wire);
        var status = response.Status;
        MediaGenError error = status switch
        {
            401 or 403 => new UnauthorizedError(
                $"VeoGen refused the API token (HTTP {status}) on {operation}: {vendor}. Check {VeoGenOptions.SectionName}:ApiKey (tokens are under Settings → API Tokens).",
                Provider),
            402 => InsufficientFunds(wire, vendor),
            404 => new NotFoundError($"VeoGen found no such {(submit ? "model" : "resource")} (HTTP 404) on {operation}: {vendor}.", Provider),
            422 => Validation(wire, vendor),
            400 => new InvalidRequestError("request", $"VeoGen rejected the request (HTTP 400): {vendor}", Provider),
            429 => new RateLimitedError(
                $"VeoGen rate-limited {operation} (HTTP 429; it allows 120 requests per minute){(response.RetryAfter is { } r ? $"; retry after {r.TotalSeconds.ToString("0.#", CultureInfo.InvariantCulture)} s" : string.Empty)}: {vendor}.",
                Provider,
                response.RetryAfter),
            >= 500 => new ProviderUnavailableError(
                $"VeoGen failed {operation} (HTTP {status}): {vendor}. Retry later.",
                Provider,
                !submit,
                response.RetryAfter),
            // Not a documented refusal: on a submit it does not prove nothing was created or charged.
            _ => new ProviderUnavailableError($"VeoGen answered {operation} with unexpected HTTP {status}: {vendor}.", Provider, !submit, response.RetryAfter),
        };
        return error with { StatusCode = status, VendorMessage = vendor };
    }

    public static T? TryDeserialize<T>(string body, JsonTypeInfo<T> typeInfo)
        where T : class
    {
        try
        {
            return JsonSerializer.Deserialize(body, typeInfo);
        }
        catch (JsonException)
        {
            return null;
        }
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
            var value = JsonSerializer.Deserialize(response.Body, typeInfo);
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

    /// <summary>Reads a JSON number (or numeric string) as an exact decimal.</summary>
    public static decimal? ReadDecimal(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Number when element.TryGetDecimal(out var d) => d,
        JsonValueKind.String when decimal.TryParse(element.GetString(), NumberStyles.Number, CultureInfo.InvariantCulture, out var s) => s,
        _ => null,
    };

    /// <summary>Reads a value of unknown JSON type as text: a string as is, anything else as its raw JSON; null for null.</summary>
    public static string? ReadText(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Undefined or JsonValueKind.Null => null,
        JsonValueKind.String => element.GetString(),
        _ => element.GetRawText(),
    };

    private static InsufficientFundsError InsufficientFunds(ErrorWire? wire, string vendor)
    {
        var required = wire is null ? null : ReadDecimal(wire.Required);
        var balance = wire is null ? null : ReadDecimal(wire.Balance);
        return new InsufficientFundsError(
            $"VeoGen balance is too low: {vendor}. Nothing was charged; top up at veogen.studio/billing.",
            Provider,
            required is { } r ? Money.Usd(r) : null,
            balance is { } b ? Money.Usd(b) : null);
    }

    private static InvalidRequestError Validation(ErrorWire? wire, string vendor)
    {
        var errors = new List<FieldError>();
        if (wire is not null && wire.Errors.ValueKind == JsonValueKind.Object)
        {
            foreach (var property in wire.Errors.EnumerateObject())
            {
                var messages = property.Value.ValueKind == JsonValueKind.Array
                    ? string.Join(" ", property.Value.EnumerateArray().Select(ReadText).Where(t => t is not null))
                    : ReadText(property.Value) ?? string.Empty;
                errors.Add(new FieldError(RequestField(property.Name), messages));
            }
        }

        if (errors.Count == 0)
        {
            errors.Add(new FieldError("request", vendor));
        }

        return new InvalidRequestError(errors, Provider);
    }

    /// <summary>The <see cref="GenerationRequest"/> name of a VeoGen wire field (<c>image_urls.1</c> → <c>ReferenceImages[1]</c>).</summary>
    public static string RequestField(string wireField)
    {
        var dot = wireField.IndexOf('.', StringComparison.Ordinal);
        var root = dot < 0 ? wireField : wireField[..dot];
        var rest = dot < 0 ? string.Empty : wireField[(dot + 1)..];
        var name = root switch
        {
            "model" => nameof(GenerationRequest.Model),
            "prompt" => nameof(GenerationRequest.Prompt),
            "aspect_ratio" => nameof(GenerationRequest.AspectRatio),
            "resolution" => nameof(GenerationRequest.Resolution),
            "duration" => nameof(GenerationRequest.DurationSeconds),
            "mode" => nameof(GenerationRequest.Mode),
            "style" => nameof(GenerationRequest.Style),
            "image_urls" => nameof(GenerationRequest.ReferenceImages),
            "video_urls" => nameof(GenerationRequest.ReferenceVideos),
            "audio_urls" => nameof(GenerationRequest.ReferenceAudio),
            _ => null,
        };
        if (name is null)
        {
            return "ProviderOptions." + wireField;
        }

        return rest.Length == 0 ? name : int.TryParse(rest, NumberStyles.None, CultureInfo.InvariantCulture, out var index) ? $"{name}[{index}]" : $"{name}.{rest}";
    }

    private static string VendorText(ApiResponse response, ErrorWire? wire)
    {
        if (wire is not null)
        {
            var error = ReadText(wire.Error);
            var message = wire.Message;
            var text = (error, message) switch
            {
                (not null, not null) when error != message => $"{error} {message}",
                (not null, _) => error,
                (null, not null) => message,
                _ => null,
            };
            if (!string.IsNullOrWhiteSpace(text))
            {
                return text;
            }
        }

        return HttpResponseReader.Excerpt(response.Body);
    }

    private static bool LooksLikeJson(string body)
    {
        var trimmed = body.AsSpan().TrimStart();
        return trimmed.Length > 0 && (trimmed[0] == '{' || trimmed[0] == '[');
    }
}
