using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace MediaGen.Testing.Emulators.MeiGen;

/// <summary>The emulator's request checks and pricing, from the docs; the first problem is answered with 400.</summary>
internal static class MeiGenEmulatorValidation
{
    public const string DefaultModel = "gpt-image-2";

    /// <summary>
    /// The body fields rev2 documents, plus <c>idempotencyKey</c>: not in the docs but sent by MeiGen's own MCP server
    /// (provider-apis.md §1.5), and the emulator implements its dedupe and recovery route.
    /// </summary>
    public static readonly string[] DocumentedFields =
    [
        "prompt", "modelId", "aspectRatio", "resolution", "quality", "referenceImages", "niji7Options", "referenceType",
        "duration", "tier", "referenceVideo", "referenceVideoDuration", "idempotencyKey",
    ];

    /// <summary>The <c>niji7Options</c> fields of rev2's Midjourney V8.1 table.</summary>
    public static readonly string[] MidjourneyFields = ["stylize", "chaos", "raw", "iw", "sref", "sw", "quality"];

    /// <summary>rev1's Niji 7 table adds <c>weird</c> and <c>sv</c>, documented for the legacy ids only.</summary>
    public static readonly string[] LegacyMidjourneyFields = [.. MidjourneyFields, "weird", "sv"];

    public static Checked Check(JsonObject body, UndocumentedFieldLog? undocumented = null)
    {
        undocumented?.RecordUnknown(body, DocumentedFields);
        var prompt = Text(body, "prompt");
        if (string.IsNullOrWhiteSpace(prompt))
        {
            return Fail("prompt is required");
        }

        var modelId = body.ContainsKey("modelId") ? Text(body, "modelId") : DefaultModel;
        if (modelId is null)
        {
            return Fail("modelId must be a string");
        }

        if (modelId == "rhart-1.5")
        {
            return Fail("rhart-1.5 (GPT image 1.5) was retired on 2026-04-22 — use gpt-image-2 instead.");
        }

        if (MeiGenEmulatedModel.Find(modelId) is not { } model)
        {
            return Fail($"Unknown modelId '{modelId}'. Get available models from GET /api/models.");
        }

        var referenceImages = new List<string>();
        if (body["referenceImages"] is { } refs)
        {
            if (refs is not JsonArray array || array.Any(n => Text(n) is null))
            {
                return Fail("referenceImages must be an array of URLs");
            }

            referenceImages.AddRange(array.Select(n => Text(n)!));
            if (referenceImages.Any(u => !IsHttps(u)))
            {
                return Fail("referenceImages must be publicly accessible HTTPS URLs");
            }

            if (referenceImages.Count > model.MaxReferenceImages)
            {
                return Fail($"{model.Id} accepts at most {model.MaxReferenceImages} reference images");
            }
        }

        var referenceVideo = Text(body, "referenceVideo");
        if (body.ContainsKey("referenceVideo"))
        {
            if (!model.SupportsReferenceVideo)
            {
                return Fail("referenceVideo is for Seedance 2.0 only");
            }

            if (referenceVideo is null || !IsHttps(referenceVideo))
            {
                return Fail("referenceVideo must be a publicly accessible HTTPS URL");
            }
        }

        var ratio = body.ContainsKey("aspectRatio") ? Text(body, "aspectRatio") : "auto";
        if (ratio is null)
        {
            return Fail("aspectRatio must be a string");
        }

        if (ratio == "adaptive")
        {
            if (!model.SupportsReferenceVideo)
            {
                return Fail($"aspectRatio 'adaptive' is only supported by Seedance 2.0; {model.Id} supports: auto, {string.Join(", ", model.Ratios)}");
            }

            if (referenceImages.Count == 0 && referenceVideo is null)
            {
                return Fail("aspectRatio 'adaptive' needs referenceImages or referenceVideo");
            }
        }
        else if (ratio != "auto" && !model.Ratios.Contains(ratio))
        {
            return Fail($"aspectRatio '{ratio}' is not supported by {model.Id}; supported: auto, {string.Join(", ", model.Ratios)}");
        }

        string? tier = null;
        if (model.Tiers.Length > 0)
        {
            tier = body.ContainsKey("tier") ? Text(body, "tier") : model.DefaultTier;
            if (tier is null || !model.Tiers.Contains(tier))
            {
                return Fail($"tier must be one of: {string.Join(", ", model.Tiers)}");
            }
        }

        var resolution = body.ContainsKey("resolution") ? Text(body, "resolution") : model.DefaultResolution;
        var offered = tier is not null && model.TierResolutions?.TryGetValue(tier, out var perTier) == true ? perTier : model.Resolutions;
        if (resolution is null || !offered.Contains(resolution))
        {
            return Fail($"resolution '{resolution}' is not available for {model.Id}{(tier is null ? string.Empty : $" ({tier})")}; available: {string.Join(", ", offered)}");
        }

        if (model.Qualities.Length > 0 && body.ContainsKey("quality") && (Text(body, "quality") is not { } quality || !model.Qualities.Contains(quality)))
        {
            return Fail($"quality must be one of: {string.Join(", ", model.Qualities)}");
        }

        if (model.IsMidjourney && body["niji7Options"] is JsonObject niji)
        {
            undocumented?.RecordUnknown(niji, model.IsLegacy ? LegacyMidjourneyFields : MidjourneyFields, "niji7Options.");
        }

        if (model.IsMidjourney && CheckMidjourney(body, model) is { } midjourneyError)
        {
            return Fail(midjourneyError);
        }

        var duration = model.DefaultDuration;
        if (model.IsVideo && body.ContainsKey("duration"))
        {
            if (Number(body["duration"]) is not { } d || d != Math.Floor(d) || !model.Durations!.Contains((int)d))
            {
                return Fail(model.DurationIsRange
                    ? $"duration must be a whole number of seconds from {model.Durations!.Min()} to {model.Durations!.Max()}"
                    : $"duration must be one of {string.Join(", ", model.Durations!)} for {model.Id}");
            }

            duration = (int)d;
        }

        decimal referenceSeconds = 0;
        if (body.ContainsKey("referenceVideoDuration"))
        {
            if (Number(body["referenceVideoDuration"]) is not { } r || r < 0)
            {
                return Fail("referenceVideoDuration must be a non-negative number of seconds");
            }

            referenceSeconds = (decimal)r;
        }

        return Price(model, tier, resolution, duration, referenceVideo is not null, referenceSeconds) is { } cost
            ? new Checked(null, model, cost, prompt)
            : Fail($"{model.Id} has no price for resolution {resolution}{(tier is null ? string.Empty : $" in tier {tier}")}{(referenceVideo is null ? string.Empty : " with a reference video")}");
    }

    private static decimal? Price(MeiGenEmulatedModel model, string? tier, string resolution, int? duration, bool continuation, decimal referenceSeconds)
    {
        if (model.Flat is { } flat)
        {
            return flat;
        }

        if (duration is not { } seconds)
        {
            return null;
        }

        if (model.PerCall is { } perCall)
        {
            return perCall.TryGetValue(tier!, out var byDuration) && byDuration.TryGetValue(seconds, out var price) ? price : null;
        }

        if (continuation)
        {
            if (model.PerSecondWithVideo?.TryGetValue(tier!, out var withVideo) != true || !withVideo!.TryGetValue(resolution, out var rate))
            {
                return null;
            }

            var floor = model.MinBillable?.GetValueOrDefault(seconds) ?? 0;
            return rate * Math.Max(Math.Ceiling(referenceSeconds) + seconds, floor);
        }

        if (model.PerSecondNoTier is { } noTier)
        {
            return noTier.TryGetValue(resolution, out var r) ? r * seconds : null;
        }

        return model.PerSecond?.TryGetValue(tier!, out var rates) == true && rates!.TryGetValue(resolution, out var perSecond) ? perSecond * seconds : null;
    }

    private static string? CheckMidjourney(JsonObject body, MeiGenEmulatedModel model)
    {
        if (body.ContainsKey("referenceType") && Text(body, "referenceType") is not ("content" or "style"))
        {
            return "referenceType must be content or style";
        }

        if (body["niji7Options"] is not { } node)
        {
            return null;
        }

        if (node is not JsonObject options)
        {
            return "niji7Options must be an object";
        }

        (string Name, double Min, double Max)[] ranges = [("stylize", 0, 1000), ("chaos", 0, 100), ("iw", 0, 2), ("sw", 0, 1000)];
        foreach (var (name, min, max) in ranges)
        {
            if (options.ContainsKey(name) && (Number(options[name]) is not { } v || v < min || v > max))
            {
                return $"niji7Options.{name} must be a number from {min.ToString(CultureInfo.InvariantCulture)} to {max.ToString(CultureInfo.InvariantCulture)}";
            }
        }

        if (options.ContainsKey("raw") && options["raw"]?.GetValueKind() is not (JsonValueKind.True or JsonValueKind.False))
        {
            return "niji7Options.raw must be a boolean";
        }

        if (options.ContainsKey("sref") && Text(options["sref"]) is null)
        {
            return "niji7Options.sref must be a string";
        }

        if (options.ContainsKey("quality") && (Text(options["quality"]) ?? Number(options["quality"])?.ToString(CultureInfo.InvariantCulture)) is not ("1" or "4"))
        {
            return "niji7Options.quality must be 1 or 4";
        }

        foreach (var (name, min, max) in new (string, double, double)[] { ("weird", 0, 3000), ("sv", 1, 4) })
        {
            // rev2's V8.1 table omits weird and sv: not refused, ignored (and recorded) as MeiGen plausibly would.
            if (!options.ContainsKey(name) || !model.IsLegacy)
            {
                continue;
            }

            if (Number(options[name]) is not { } v || v < min || v > max)
            {
                return $"niji7Options.{name} must be a number from {min.ToString(CultureInfo.InvariantCulture)} to {max.ToString(CultureInfo.InvariantCulture)}";
            }
        }

        return null;
    }

    private static bool IsHttps(string url) => Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.Scheme == Uri.UriSchemeHttps;

    private static string? Text(JsonObject body, string name) => Text(body[name]);

    private static string? Text(JsonNode? node) => EmulatorJson.String(node);

    private static double? Number(JsonNode? node) => EmulatorJson.Double(node);

    private static Checked Fail(string error) => new(error, null, 0, null);

    internal sealed record Checked(string? Error, MeiGenEmulatedModel? Model, decimal Cost, string? Prompt);
}
