using System.Net;
using System.Text.Json;
using MediaGen.Providers;

namespace MediaGen.MeiGen.Internal;

/// <summary>A vendor error answer: status, the vendor's own text (verbatim), its code, the balance when it said, <c>Retry-After</c>.</summary>
internal sealed record MeiGenErrorBody(int Status, string? VendorMessage, string? Code, MeiGenCredits? Credits, TimeSpan? RetryAfter, bool IsJson);

/// <summary>Maps MeiGen HTTP answers onto the closed error set.</summary>
internal static class MeiGenErrors
{
    public const string Provider = MeiGenProvider.Name;

    public static MeiGenErrorBody Read(HttpResponseMessage response, string body, TimeProvider time)
    {
        var retryAfter = HttpResponseReader.GetRetryAfter(response, time);
        var status = (int)response.StatusCode;
        if (HttpResponseReader.IsJson(response) && TryParse(body) is { } parsed)
        {
            var text = parsed.Error is { } error
                ? error.ValueKind == JsonValueKind.String ? error.GetString() : error.ValueKind is JsonValueKind.Null or JsonValueKind.Undefined ? null : error.GetRawText()
                : null;
            text ??= parsed.Message ?? parsed.Code;
            return new MeiGenErrorBody(status, text, parsed.Code, parsed.Credits, retryAfter, true);
        }

        return new MeiGenErrorBody(status, string.IsNullOrWhiteSpace(body) ? null : HttpResponseReader.Excerpt(body), null, null, retryAfter, false);
    }

    /// <summary>Maps an error answer to an outcome that is certain (the vendor rejected the request or refused the look-up).</summary>
    public static MediaGenError Map(MeiGenErrorBody e, string operation, Money? required = null)
    {
        var said = e.VendorMessage is null ? "no error text" : $"\"{e.VendorMessage}\"";
        MediaGenError error = e.Status switch
        {
            400 or 413 or 415 or 422 => new InvalidRequestError(
                [new FieldError("Request", $"MeiGen rejected {operation} (HTTP {e.Status}): {said}. Fix the request; nothing was charged.")],
                Provider),
            401 or 403 => new UnauthorizedError(
                $"MeiGen refused the API key for {operation} (HTTP {e.Status}): {said}. Check MediaGen:MeiGen:ApiKey is an active meigen_sk_… key.",
                Provider),
            402 => new InsufficientFundsError(
                $"MeiGen has too few credits for {operation} (HTTP 402): {said}. API keys spend purchased credits only: buy credits at meigen.ai; nothing was charged.",
                Provider,
                required,
                e.Credits?.Purchased is { } purchased ? Money.Credits(purchased, Provider) : null),
            404 => new NotFoundError($"MeiGen found nothing for {operation} (HTTP 404): {said}.", Provider),
            429 => new RateLimitedError(
                $"MeiGen rate-limited {operation} (HTTP 429; generate allows 12 requests per minute): {said}. Retry after {(e.RetryAfter is { } wait ? $"{wait.TotalSeconds:0} s" : "a while")}; nothing was charged.",
                Provider,
                e.RetryAfter),
            408 or >= 500 => new ProviderUnavailableError(
                $"MeiGen failed {operation} (HTTP {e.Status}): {said}. Retry later or use another provider.",
                Provider,
                true,
                e.RetryAfter),
            _ => new InvalidRequestError(
                [new FieldError("Request", $"MeiGen refused {operation} (HTTP {e.Status}): {said}.")],
                Provider),
        };
        return error with { StatusCode = e.Status, VendorMessage = e.VendorMessage };
    }

    /// <summary>
    /// Whether a non-2xx answer to a submit leaves it open whether the job was created: every status except the refusals
    /// MeiGen documents (400/401/402/403/404/422/429, mapped by <see cref="Map"/>) and 409 (a job already exists under the
    /// key, settled by a look-up). A redirect not followed, 408, 413, 415, 425, 499 or any 5xx may come from a gateway
    /// while the backend still commits the job.
    /// </summary>
    public static bool IsAmbiguousSubmitStatus(HttpStatusCode status) =>
        (int)status is not (400 or 401 or 402 or 403 or 404 or 409 or 422 or 429);

    private static MeiGenErrorResponse? TryParse(string body)
    {
        if (string.IsNullOrWhiteSpace(body))
        {
            return null;
        }

        try
        {
            return JsonSerializer.Deserialize(body, MeiGenJsonContext.Default.MeiGenErrorResponse);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
