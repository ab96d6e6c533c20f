using System.Globalization;
using System.Text.Json.Nodes;

namespace MediaGen.Testing.Emulators.Apiframe;

/// <summary>A generate request the emulator accepted as valid.</summary>
internal sealed record ApiframeSubmit(MediaKind Kind, string Model, string Prompt, JsonObject Parameters, int Count, Uri? WebhookUrl, string[] Events);

/// <summary>The emulator's checks of a generate body, from the docs; every problem is listed in one 400.</summary>
internal static class ApiframeEmulatorValidation
{
    public static readonly string[] Events = ["progress", "completed", "failed"];

    /// <summary>Without <c>webhookEvents</c> the emulator sends <c>completed</c> and <c>failed</c> (the docs are silent).</summary>
    public static readonly string[] DefaultEvents = ["completed", "failed"];

    public static (ApiframeSubmit? Submit, List<(string Field, string Message)> Errors) Check(JsonObject body, MediaKind kind, UndocumentedFieldLog? undocumented = null)
    {
        var errors = new List<(string Field, string Message)>();
        var prompt = EmulatorJson.String(body["prompt"]);
        var limit = kind == MediaKind.Video ? 4000 : 2000;
        if (prompt is null || prompt.Length is < 1 || prompt.Length > limit)
        {
            errors.Add(("prompt", $"Required, 1–{limit.ToString("N0", CultureInfo.InvariantCulture)} characters"));
        }

        var model = EmulatorJson.String(body["model"]);
        if (model is null || !ApiframeEmulatorModels.Models(kind).Contains(model, StringComparer.Ordinal))
        {
            errors.Add(("model", model is null ? "Required" : $"Unknown {(kind == MediaKind.Video ? "video" : "image")} model '{model}'"));
        }

        Uri? webhookUrl = null;
        if (body["webhookUrl"] is { } urlNode)
        {
            if (!Uri.TryCreate(EmulatorJson.String(urlNode), UriKind.Absolute, out webhookUrl) || (webhookUrl.Scheme != Uri.UriSchemeHttp && webhookUrl.Scheme != Uri.UriSchemeHttps))
            {
                errors.Add(("webhookUrl", "Must be an absolute http(s) URL"));
            }
            else if (!webhookUrl.IsLoopback)
            {
                errors.Add(("webhookUrl", "The emulator delivers webhooks to loopback addresses only"));
            }
        }

        var events = DefaultEvents;
        if (body["webhookEvents"] is { } eventsNode)
        {
            if (eventsNode is not JsonArray array || array.Any(e => EmulatorJson.String(e) is not { } s || !Events.Contains(s, StringComparer.Ordinal)))
            {
                errors.Add(("webhookEvents", "Must be an array of \"progress\", \"completed\", \"failed\""));
            }
            else
            {
                events = [.. array.Select(e => EmulatorJson.String(e)!)];
            }
        }

        // Exactly the documented fields: the model's own parameters object (by its documented key, never "any key ending in
        // Params"); anything else is ignored, as Apiframe plausibly would, and recorded.
        var documented = ApiframeEmulatorModels.DocumentedParameters(model);
        undocumented?.RecordUnknown(body, documented is { Key: var k } ? [.. ApiframeEmulatorModels.CommonFields, k] : ApiframeEmulatorModels.CommonFields);
        JsonObject p = [];
        if (documented is { } d && body[d.Key] is { } node)
        {
            if (node is JsonObject o)
            {
                p = o;
                undocumented?.RecordUnknown(o, d.Fields, d.Key + ".");
            }
            else
            {
                errors.Add((d.Key, "Must be an object"));
            }
        }

        var count = 1;
        if (model == "gpt-image-1.5" && p["number_of_images"] is { } n)
        {
            if (EmulatorJson.Decimal(n) is not { } c || c < 1 || c > 10 || c != decimal.Truncate(c))
            {
                errors.Add(("gptImageParams.number_of_images", "Must be an integer 1–10"));
            }
            else
            {
                count = (int)c;
            }
        }

        if (model is not null && model.StartsWith("kling-", StringComparison.Ordinal) && kind == MediaKind.Video && p["duration"] is { } duration)
        {
            var ok = EmulatorJson.Decimal(duration) is { } s && s == decimal.Truncate(s) && (model == "kling-3.0" ? s is >= 3 and <= 15 : s is 5 or 10);
            if (!ok)
            {
                errors.Add(("klingParams.duration", model == "kling-3.0" ? "Must be 3–15" : "Must be 5 or 10"));
            }
        }

        if (model == "kling-2.1" && p["end_image"] is not null && EmulatorJson.String(p["mode"]) == "standard")
        {
            errors.Add(("klingParams.end_image", "end_image is available in pro mode only"));
        }

        return errors.Count > 0 ? (null, errors) : (new ApiframeSubmit(kind, model!, prompt!, p, count, webhookUrl, events), errors);
    }
}
