using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using MediaGen.Providers;

namespace MediaGen.Replicate.Internal;

/// <summary>Replicate's error table (data) and body format; the mapping itself is the core's <see cref="VendorErrorMap"/>.</summary>
internal static partial class ReplicateErrors
{
    private const string Doc = "replicate-http-api.md §1.8";

    /// <summary>
    /// Gets the table. Refused before billing: 400, 401, 402, 403, 404, 422 and 429 (none of them creates a prediction).
    /// 5xx and anything not listed are ambiguous on a create: the prediction may exist, and the list settles it.
    /// </summary>
    public static VendorErrorMap Table { get; } = new(
        ReplicateProvider.Name,
        "Replicate",
        new VendorErrorBodyFormat
        {
            // RFC 7807-style problem details: {"title", "detail", "status"}; many bodies have only "detail" (§1.8).
            Unit = MoneyUnit.Usd,
            TextNames = ["detail", "title", "error", "message"],
        },
        [
            new(400, ErrorKind.InvalidRequest, true, "Fix the request.", "not in Replicate's docs: HTTP 400 (RFC 9110 §15.5.1); /search answers 400 with {\"detail\"} (R0)"),
            new(401, ErrorKind.Unauthorized, true, $"Check {ReplicateOptions.SectionName}:ApiKey (tokens are at replicate.com/account/api-tokens).", Doc + ": 401 {\"title\":\"Unauthenticated\",\"detail\":\"You did not pass an authentication token\"}"),
            new(402, ErrorKind.InsufficientFunds, true, "Add credit or a payment method at replicate.com/account/billing.", Doc + ": 402 \"Payment Required\" on create (body not found)"),
            new(403, ErrorKind.Unauthorized, true, $"Check {ReplicateOptions.SectionName}:ApiKey.", "not in Replicate's docs: HTTP 403 Forbidden (RFC 9110 §15.5.4)"),
            new(404, ErrorKind.NotFound, true, "Check the model slug (owner/name) or the prediction id of the handle.", Doc + ": 404 for an unknown prediction (body not found)"),
            new(422, ErrorKind.InvalidRequest, true, "Fix the input, or set up billing (Replicate answers 422 on every create until a payment method is added).", Doc + ": 422 {\"title\":\"Invalid version or not permitted\"}; inputs are validated by the API"),
            new(429, ErrorKind.RateLimited, true, "Replicate allows 600 creates per minute, 6 per minute with less than $5 of credit.", Doc + ": 429 {\"detail\":\"Request was throttled. Your rate limit resets in ~30s.\"}, body retry_after"),
            new(500, ErrorKind.ProviderUnavailable, false, "Retry later.", "R0: /search 500 {\"detail\"}"),
        ]);

    /// <summary>Maps a non-2xx response of a call that bills nothing to the closed error set, with the vendor's text verbatim.</summary>
    public static MediaGenError ToError(ApiResponse response, string operation) =>
        Table.ToError(Table.Read(response.Status, response.Body, response.RetryAfter), VendorCall.Read, operation);

    /// <summary>
    /// The delay a 429 body gives when no <c>Retry-After</c> header does (§1.8, §1.13): <c>"retry_after": 5</c>, else
    /// "resets in ~30s" in <c>detail</c>. Null for other statuses or when neither is there.
    /// </summary>
    public static TimeSpan? RetryAfterFromBody(int status, string? body)
    {
        if (status != 429 || string.IsNullOrWhiteSpace(body))
        {
            return null;
        }

        try
        {
            using var document = JsonDocument.Parse(body);
            if (document.RootElement.ValueKind == JsonValueKind.Object)
            {
                if (LooseJson.Number(document.RootElement, "retry_after") is { } seconds and > 0 and < 86_400)
                {
                    return TimeSpan.FromSeconds((double)seconds);
                }

                return RetryAfterFromText(LooseJson.Text(document.RootElement, "detail"));
            }
        }
        catch (JsonException)
        {
        }

        return RetryAfterFromText(body);
    }

    /// <summary>Reads "resets in ~30s" from a 429's text.</summary>
    public static TimeSpan? RetryAfterFromText(string? text) =>
        text is not null && ResetsIn().Match(text) is { Success: true } m && int.TryParse(m.Groups[1].ValueSpan, NumberStyles.None, CultureInfo.InvariantCulture, out var s) && s > 0
            ? TimeSpan.FromSeconds(s)
            : null;

    [GeneratedRegex(@"resets in ~?(\d{1,5})\s*s", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex ResetsIn();
}
