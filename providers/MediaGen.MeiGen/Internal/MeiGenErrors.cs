using MediaGen.Providers;

namespace MediaGen.MeiGen.Internal;

/// <summary>MeiGen's error table (data) and body format; the mapping itself is the core's <see cref="VendorErrorMap"/>.</summary>
internal static class MeiGenErrors
{
    /// <summary>Where MeiGen lists its error statuses.</summary>
    private const string Docs = "meigen-overview.txt \"Error Responses\" (docs.meigen.ai/en/api-reference/introduction)";

    /// <summary>Gets the table: every status MeiGen documents, and the refusals every HTTP API means the same way.</summary>
    public static VendorErrorMap Table { get; } = new(
        MeiGenProvider.Name,
        "MeiGen",
        new VendorErrorBodyFormat
        {
            // {"error": "Error description"} (docs), or {"success": false, "code": "request_not_found"} (MeiGen's own client).
            Unit = MoneyUnit.Credits(MeiGenProvider.Name),
            RequiredNames = [], // a 402 names no cost: the quote stands in
            BalanceNames = ["credits.purchased"], // "API tokens can only use purchased credits"
        },
        [
            new(400, ErrorKind.InvalidRequest, true, "Fix the request.", Docs + ": \"400 Bad request — invalid parameters\""),
            new(401, ErrorKind.Unauthorized, true, $"Check {MeiGenOptions.SectionName}:ApiKey is an active meigen_sk_… key.", Docs + ": \"401 Unauthorized — invalid or missing token\""),
            new(402, ErrorKind.InsufficientFunds, true, "API keys spend purchased credits only: buy credits at meigen.ai.", Docs + ": \"402 Payment required — insufficient credits\""),
            new(403, ErrorKind.Unauthorized, true, $"Check {MeiGenOptions.SectionName}:ApiKey is an active meigen_sk_… key.", "not in MeiGen's table: HTTP 403 Forbidden (RFC 9110 §15.5.4), the key was refused"),
            new(404, ErrorKind.NotFound, true, string.Empty, Docs + ": \"404 Not found\""),
            new(404, ErrorKind.NotFound, true, "MeiGen has no request under this idempotency key.", "provider-apis.md §1.5 (MeiGen's own MCP client, meigen-api.ts)") { Code = "request_not_found" },
            new(422, ErrorKind.InvalidRequest, true, "Fix the request.", "not in MeiGen's table: HTTP 422 (RFC 9110 §15.5.21), the request was understood and refused"),
            new(429, ErrorKind.RateLimited, true, $"MeiGen allows {MeiGenOptions.DocumentedGenerateRequestsPerMinute} generate requests per minute.", Docs + ": \"429 Rate limited — wait and retry\"; \"Rate Limits\" (Retry-After: 60)"),
            new(500, ErrorKind.ProviderUnavailable, false, "Retry later or use another provider.", Docs + ": \"500 Server error\""),
        ])
    {
        RateLimitBackoff = MeiGenPacing.Documented.RateLimitBackoff,
    };

    /// <summary>Reads an error answer: the vendor's text (verbatim), its code, the balance when it said, <c>Retry-After</c>.</summary>
    public static VendorErrorBody Read(HttpResponseMessage response, string body, TimeProvider time) => Table.Read(response, body, time);

    /// <summary>Maps an error answer onto the closed error set (on a submit this is called only for refusals).</summary>
    public static MediaGenError Map(VendorErrorBody e, string operation, Money? required = null, VendorCall call = VendorCall.Submit) =>
        Table.ToError(e, call, operation, required);
}
