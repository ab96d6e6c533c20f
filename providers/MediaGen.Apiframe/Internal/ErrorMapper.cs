using System.Net;
using System.Text.Json;

namespace MediaGen.Apiframe.Internal;

/// <summary>The vendor's error body, read leniently: the envelope beyond "error" and "details" is not documented.</summary>
internal sealed record VendorErrorBody(string? Error, List<FieldError> Details, string Excerpt, JsonElement? Root);

/// <summary>Maps Apiframe error statuses to the closed error set, keeping the vendor text verbatim.</summary>
internal static class ErrorMapper
{
    public const string Provider = "apiframe";

    public static VendorErrorBody ReadBody(string text)
    {
        var excerpt = MediaGen.Providers.HttpResponseReader.Excerpt(text);
        var details = new List<FieldError>();
        if (string.IsNullOrWhiteSpace(text))
        {
            return new(null, details, excerpt, null);
        }

        try
        {
            using var doc = JsonDocument.Parse(text);
            var root = doc.RootElement.Clone();
            if (root.ValueKind != JsonValueKind.Object)
            {
                return new(null, details, excerpt, null);
            }

            string? error = null;
            foreach (var name in new[] { "error", "message" })
            {
                if (root.TryGetProperty(name, out var e))
                {
                    if (e.ValueKind == JsonValueKind.String)
                    {
                        error = error is null ? e.GetString() : $"{error}: {e.GetString()}";
                    }
                    else if (e.ValueKind == JsonValueKind.Object && e.TryGetProperty("message", out var m) && m.ValueKind == JsonValueKind.String)
                    {
                        error = m.GetString();
                    }
                }
            }

            if (root.TryGetProperty("details", out var d))
            {
                ReadDetails(d, details);
            }

            return new(error, details, excerpt, root);
        }
        catch (JsonException)
        {
            return new(null, details, excerpt, null);
        }
    }

    private static void ReadDetails(JsonElement d, List<FieldError> details)
    {
        switch (d.ValueKind)
        {
            case JsonValueKind.String:
                details.Add(new("(vendor)", d.GetString()!));
                break;
            case JsonValueKind.Array:
                foreach (var item in d.EnumerateArray())
                {
                    if (item.ValueKind == JsonValueKind.String)
                    {
                        details.Add(new("(vendor)", item.GetString()!));
                    }
                    else if (item.ValueKind == JsonValueKind.Object)
                    {
                        var field = Str(item, "field") ?? Str(item, "path") ?? Str(item, "param") ?? JoinPath(item) ?? "(vendor)";
                        details.Add(new(field, Str(item, "message") ?? item.GetRawText()));
                    }
                }

                break;
            case JsonValueKind.Object:
                foreach (var prop in d.EnumerateObject())
                {
                    details.Add(new(prop.Name, prop.Value.ValueKind == JsonValueKind.String ? prop.Value.GetString()! : prop.Value.GetRawText()));
                }

                break;
        }
    }

    private static string? JoinPath(JsonElement item) =>
        item.TryGetProperty("path", out var p) && p.ValueKind == JsonValueKind.Array
            ? string.Join(".", p.EnumerateArray().Select(x => x.ValueKind == JsonValueKind.String ? x.GetString() : x.GetRawText()))
            : null;

    private static string? Str(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    private static Money? Credits(JsonElement? root, params string[] names)
    {
        if (root is not { } r)
        {
            return null;
        }

        foreach (var name in names)
        {
            if (r.TryGetProperty(name, out var v) && WireValues.Number(v) is { } n)
            {
                return Money.Credits(n, Provider);
            }
        }

        return null;
    }

    /// <summary>Maps a non-success status. <paramref name="operation"/> names the call for messages.</summary>
    public static MediaGenError Map(HttpStatusCode status, VendorErrorBody body, TimeSpan? retryAfter, string operation, PriceQuote? quote)
    {
        var code = (int)status;
        var vendor = body.Error ?? (body.Root is null ? body.Excerpt : null) ?? body.Excerpt;
        MediaGenError error = code switch
        {
            400 or 422 => new InvalidRequestError(
                body.Details.Count > 0 ? body.Details : [new FieldError("(request)", vendor)],
                Provider) with
            {
                Message = $"Apiframe rejected {operation} as invalid (HTTP {code}): {vendor}{(body.Details.Count > 0 ? " — " + string.Join("; ", body.Details) : string.Empty)}. Fix the request; nothing was charged.",
            },
            401 or 403 => new UnauthorizedError($"Apiframe refused the API key for {operation} (HTTP {code}): {vendor}. Check {ApiframeOptions.SectionName}:ApiKey (an active afk_… key).", Provider),
            402 => new InsufficientFundsError(
                $"Apiframe has too few credits for {operation} (HTTP 402): {vendor}. Top up the team's credits or choose a cheaper model; nothing was charged.",
                Provider,
                Credits(body.Root, "required", "cost", "creditCost", "requiredCredits") ?? quote?.Amount,
                Credits(body.Root, "balance", "credits", "currentBalance", "availableCredits")),
            404 => new NotFoundError($"Apiframe found nothing for {operation} (HTTP 404): {vendor}.", Provider),
            409 => new InvalidRequestError([new FieldError(nameof(GenerationRequest.IdempotencyKey), vendor)], Provider) with
            {
                Message = $"Apiframe refused {operation} (HTTP 409): {vendor}. An idempotency key may only be reused for the identical request.",
            },
            429 => new RateLimitedError($"Apiframe is rate limiting {operation} (HTTP 429): {vendor}. Wait {(retryAfter is { } r ? $"{r.TotalSeconds:0} s" : "a moment")} and retry.", Provider, retryAfter),
            503 => new ProviderUnavailableError($"Apiframe's job queue is temporarily down (HTTP 503) for {operation}: {vendor}. Retry later or fail over; nothing was charged.", Provider, true, retryAfter),
            >= 500 => new ProviderUnavailableError($"Apiframe failed {operation} (HTTP {code}): {vendor}. Retry later.", Provider, true, retryAfter),
            // Not a documented refusal (a redirect, 408, 425, 499, …): it does not prove nothing was done or billed.
            _ => new ProviderUnavailableError($"Apiframe answered {operation} with unexpected HTTP {code}: {vendor}. Retry later.", Provider, false, retryAfter),
        };
        return error with { StatusCode = code, VendorMessage = body.Error ?? body.Excerpt };
    }
}
