using System.Text.Json.Nodes;
using MediaGen.Providers;

namespace MediaGen.Apiframe.Internal;

/// <summary>
/// Apiframe credit prices as data, from the docs (snapshot of 2026-11-21), and the pricing key of the final wire
/// parameters (after provider options are merged), so what is priced is what is sent.
/// </summary>
internal static class ApiframePrices
{
    public const string OverridesPath = ApiframeOptions.SectionName + ":PriceOverrides";

    private const string GapNote = "the Apiframe docs give no credit cost for it: their Credit Costs page was not found, and the job's creditCost reports the actual charge";

    private static readonly DateOnly AsOf = new(2026, 11, 21);

    /// <summary>The settings the docs give a default for, applied when the request does not send them (A12).</summary>
    private static readonly Dictionary<ModelId, (string? Mode, bool? Audio)> Defaults = new()
    {
        ["kling-2.6"] = (null, true), // generate_audio defaults to true
        ["kling-2.1"] = ("pro", null), // mode defaults to pro
    };

    /// <summary>The documented defaults a quote assumes, which the translator sends when unset: (wire field, value, report field).</summary>
    public static IEnumerable<(string Field, JsonNode Value, string Setting)> PricedDefaults(ModelId model) => model.Value switch
    {
        "gpt-image-1.5" => [("quality", JsonValue.Create("auto"), nameof(GenerationRequest.Quality))],
        "kling-2.1" => [("mode", JsonValue.Create("pro"), nameof(GenerationRequest.Mode))],
        "kling-2.6" => [("generate_audio", JsonValue.Create(true), "klingParams.generate_audio")],
        _ => [],
    };

    /// <summary>Gets the prices the docs give.</summary>
    public static PriceLayer Snapshot { get; } = new(PriceSource.Snapshot, BuildSnapshot());

    /// <summary>The book: the user's overrides, then the snapshot (Apiframe publishes no prices to read live).</summary>
    public static PriceBook Book(PriceOverrides overrides) =>
        new PriceBook("Apiframe", MoneyUnit.Credits(ApiframeProvider.Name), Snapshot)
        {
            GapNote = GapNote,
            OverridesPath = OverridesPath,
        }.WithOverrides(overrides.ToLayer(OverridesPath));

    /// <summary>What the wire parameters are priced on: quality and <c>number_of_images</c>, duration, mode and <c>generate_audio</c>.</summary>
    public static PriceKey KeyOf(ApiframeModel model, JsonObject parameters)
    {
        var defaults = Defaults.GetValueOrDefault(model.Id);
        return new PriceKey(model.Id)
        {
            Quality = LooseJson.Text(parameters["quality"]),
            ImageCount = LooseJson.Number(parameters["number_of_images"]) is { } n ? (int)n : 1,
            DurationSeconds = LooseJson.Number(parameters["duration"]) is { } d && d == decimal.Truncate(d) ? (int)d : null,
            Mode = LooseJson.Text(parameters["mode"]) ?? defaults.Mode,
            Audio = LooseJson.Bool(parameters["generate_audio"]) ?? defaults.Audio,
        };
    }

    private static PriceProvenance Docs(string reference) => new(PriceSource.Snapshot, AsOf, reference);

    private static List<PriceRule> BuildSnapshot()
    {
        var midjourney = Docs("https://apiframe.ai/docs/images/midjourney (B2): 16 credits per generation");
        var qwen2 = Docs("https://docs-v2.apiframe.ai/docs/images/qwen-image/qwen-image-2 (A11): 3 credits");
        var gpt = Docs("https://apiframe.ai/docs/images/gpt-image/gpt-image-1-5 (B3, newer host; docs-v2 A10 says auto 14 / low 2 / medium 5 / high 14)");
        var kling26 = Docs("https://docs-v2.apiframe.ai/docs/videos/kling/kling-2-6 (A12)");
        var kling21 = Docs("https://docs-v2.apiframe.ai/docs/videos/kling/kling-2-1 (A12)");
        var kling25 = Docs("https://docs-v2.apiframe.ai/docs/videos/kling/kling-2-5-turbo-pro (A12)");
        var kling30 = Docs("https://docs-v2.apiframe.ai/docs/videos/kling/kling-3-0 (A12)");
        return
        [
            PriceRule.PerGeneration("midjourney", 16, midjourney),
            PriceRule.PerGeneration("qwen-image-2", 3, qwen2),

            // gpt-image-1.5: credits per image by quality (B3), times number_of_images.
            PriceRule.PerImage("gpt-image-1.5", 4, gpt, new() { Quality = "low" }),
            PriceRule.PerImage("gpt-image-1.5", 9, gpt, new() { Quality = "medium" }),
            PriceRule.PerImage("gpt-image-1.5", 24, gpt, new() { Quality = "auto" }),
            PriceRule.PerImage("gpt-image-1.5", 24, gpt, new() { Quality = "high" }),

            // kling-2.6: credits per generation by duration × audio.
            PriceRule.PerGeneration("kling-2.6", 15, kling26, new() { DurationSeconds = 5, Audio = false }),
            PriceRule.PerGeneration("kling-2.6", 25, kling26, new() { DurationSeconds = 5, Audio = true }),
            PriceRule.PerGeneration("kling-2.6", 25, kling26, new() { DurationSeconds = 10, Audio = false }),
            PriceRule.PerGeneration("kling-2.6", 40, kling26, new() { DurationSeconds = 10, Audio = true }),

            // kling-2.1: credits per generation by mode × duration.
            PriceRule.PerGeneration("kling-2.1", 3, kling21, new() { Mode = "standard", DurationSeconds = 5 }),
            PriceRule.PerGeneration("kling-2.1", 5, kling21, new() { Mode = "standard", DurationSeconds = 10 }),
            PriceRule.PerGeneration("kling-2.1", 5, kling21, new() { Mode = "pro", DurationSeconds = 5 }),
            PriceRule.PerGeneration("kling-2.1", 10, kling21, new() { Mode = "pro", DurationSeconds = 10 }),

            // kling-2.5-turbo-pro: credits per generation by duration.
            PriceRule.PerGeneration("kling-2.5-turbo-pro", 4, kling25, new() { DurationSeconds = 5 }),
            PriceRule.PerGeneration("kling-2.5-turbo-pro", 7, kling25, new() { DurationSeconds = 10 }),

            // kling-3.0: credits per second by mode × audio.
            PriceRule.PerSecond("kling-3.0", 3, kling30, new() { Mode = "standard", Audio = false }),
            PriceRule.PerSecond("kling-3.0", 4, kling30, new() { Mode = "standard", Audio = true }),
            PriceRule.PerSecond("kling-3.0", 5, kling30, new() { Mode = "pro", Audio = false }),
            PriceRule.PerSecond("kling-3.0", 7, kling30, new() { Mode = "pro", Audio = true }),
        ];
    }
}
