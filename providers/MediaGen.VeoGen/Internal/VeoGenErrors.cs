using System.Globalization;
using MediaGen.Providers;

namespace MediaGen.VeoGen.Internal;

/// <summary>VeoGen's error table (data), body format and wire-field names; the mapping itself is the core's <see cref="VendorErrorMap"/>.</summary>
internal static class VeoGenErrors
{
    /// <summary>Where VeoGen lists its status codes.</summary>
    private const string Codes = "provider-apis.md §2.2 (veogenstudio.mintlify.app/authentication: \"401, 402, 404, 422, 429, 500\")";

    /// <summary>Where VeoGen documents its error bodies.</summary>
    private const string Create = "veogen-create-generation.txt \"Error Responses\"";

    /// <summary>Gets the table: every status VeoGen documents, and the refusals every HTTP API means the same way.</summary>
    public static VendorErrorMap Table { get; } = new(
        VeoGenProvider.Name,
        "VeoGen",
        new VendorErrorBodyFormat
        {
            // 402 {"error", "message", "required", "balance"} in USD; 422 {"message", "errors": {"field": ["…"]}}.
            Unit = MoneyUnit.Usd,
            FieldErrorNames = ["errors"],
            RequestField = RequestField,
        },
        [
            new(400, ErrorKind.InvalidRequest, true, "Fix the request.", "not in VeoGen's list: HTTP 400 (RFC 9110 §15.5.1), the request was refused as malformed"),
            new(401, ErrorKind.Unauthorized, true, $"Check {VeoGenOptions.SectionName}:ApiKey (tokens are under Settings → API Tokens).", Codes),
            new(402, ErrorKind.InsufficientFunds, true, "Top up at veogen.studio/billing.", Create + ": \"402 Insufficient Balance\""),
            new(403, ErrorKind.Unauthorized, true, $"Check {VeoGenOptions.SectionName}:ApiKey (tokens are under Settings → API Tokens).", "not in VeoGen's list: HTTP 403 Forbidden (RFC 9110 §15.5.4), the token was refused"),
            new(404, ErrorKind.NotFound, true, "Check the model slug, or the generation id of the handle.", Codes + "; models/get: {\"error\": \"Model not found.\"}"),
            new(422, ErrorKind.InvalidRequest, true, "Fix the request.", Create + ": \"422 Validation Error\""),
            new(429, ErrorKind.RateLimited, true, "VeoGen allows 120 requests per minute, submits and polls together.", Codes + "; \"120 requests per minute\", Retry-After in seconds"),
            new(500, ErrorKind.ProviderUnavailable, false, "Retry later.", Codes),
        ]);

    /// <summary>Maps a non-2xx response to the closed error set, with the vendor's text verbatim.</summary>
    /// <param name="response">The response.</param>
    /// <param name="operation">The call, for messages.</param>
    /// <param name="submit">Whether it answered the paid POST (on a submit this is called only for refusals).</param>
    /// <returns>The error.</returns>
    public static MediaGenError ToError(ApiResponse response, string operation, bool submit) =>
        Table.ToError(Table.Read(response.Status, response.Body, response.RetryAfter), submit ? VendorCall.Submit : VendorCall.Read, operation);

    /// <summary>The <see cref="GenerationRequest"/> name of a VeoGen wire field (<c>image_urls.1</c> → <c>ReferenceImages[1]</c>).</summary>
    /// <param name="wireField">The vendor's field name, as in a 422's <c>errors</c>.</param>
    /// <returns>The request field, or <c>ProviderOptions.{name}</c> for a field MediaGen does not set.</returns>
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
}
