using System.Net;
using MediaGen.Providers;

namespace MediaGen.Apiframe.Internal;

/// <summary>Apiframe's error table (data) and body format; the mapping itself is the core's <see cref="VendorErrorMap"/>.</summary>
internal static class ApiframeErrors
{
    /// <summary>Where Apiframe lists its error statuses.</summary>
    private const string Docs = "jobs-api-image-generation.txt \"Error responses\" (docs-v2.apiframe.ai/docs/images)";

    /// <summary>Gets the table: every status Apiframe documents, and the refusals every HTTP API means the same way.</summary>
    public static VendorErrorMap Table { get; } = new(
        ApiframeProvider.Name,
        "Apiframe",
        new VendorErrorBodyFormat
        {
            // {"error": "Validation error", "details": …}; the 402 body's field names are not documented ("with your current
            // balance and the cost of the requested generation", FAQ), so the usual names are tried.
            Unit = MoneyUnit.Credits(ApiframeProvider.Name),
            FieldErrorNames = ["details"],
            RequiredNames = ["required", "cost", "creditCost", "requiredCredits"],
            BalanceNames = ["balance", "credits", "currentBalance", "availableCredits"],
        },
        [
            new(400, ErrorKind.InvalidRequest, true, "Fix the request.", Docs + ": \"400 Validation error — Invalid parameters, check details\""),
            new(401, ErrorKind.Unauthorized, true, $"Check {ApiframeOptions.SectionName}:ApiKey (an active afk_… key).", Docs + ": \"401 Unauthorized — Missing or invalid API key\""),
            new(402, ErrorKind.InsufficientFunds, true, "Top up the team's credits or choose a cheaper model.", Docs + ": \"402 Insufficient credits — Not enough credits to run this model\""),
            new(403, ErrorKind.Unauthorized, true, $"Check {ApiframeOptions.SectionName}:ApiKey (an active afk_… key).", "provider-apis.md §3.2 (docs-v2 authentication): 403 \"API key is inactive\""),
            new(404, ErrorKind.NotFound, true, string.Empty, "not in Apiframe's table: HTTP 404 Not Found (RFC 9110 §15.5.5)"),
            new(422, ErrorKind.InvalidRequest, true, "Fix the request.", "not in Apiframe's table: HTTP 422 (RFC 9110 §15.5.21), the request was understood and refused"),
            new(429, ErrorKind.RateLimited, true, string.Empty, "not in Apiframe's table (it documents no rate limit, provider-apis.md §3.7): HTTP 429 (RFC 6585 §4)"),

            // The one documented 5xx, and documented as a refusal: the job queue is down, so no job was created.
            new(503, ErrorKind.ProviderUnavailable, true, "Retry later or fail over.", Docs + ": \"503 Service unavailable — Job queue is temporarily down\""),
        ]);

    /// <summary>Maps a non-success status, with the vendor's text verbatim. <paramref name="operation"/> names the call for messages.</summary>
    public static MediaGenError Map(HttpStatusCode status, string body, TimeSpan? retryAfter, string operation, VendorCall call, PriceQuote? quote = null) =>
        Table.ToError(Table.Read((int)status, body, retryAfter), call, operation, quote?.Amount);
}
