using System.Globalization;
using System.Text.Json.Nodes;
using MediaGen.Providers;

namespace MediaGen.Apiframe.Internal;

/// <summary>
/// Apiframe credit prices as data, from the docs (snapshot of 2026-11-21). Every quote is computed from the
/// final wire parameters (after provider options are merged), so what is priced is what is sent.
/// </summary>
internal sealed class PriceTable
{
    public const string Provider = "apiframe";
    private static readonly DateOnly AsOf = new(2026, 11, 21);

    private static readonly PriceProvenance Midjourney = Snapshot("https://apiframe.ai/docs/images/midjourney (B2): 16 credits per generation");
    private static readonly PriceProvenance Qwen2 = Snapshot("https://docs-v2.apiframe.ai/docs/images/qwen-image/qwen-image-2 (A11): 3 credits");
    private static readonly PriceProvenance Gpt = Snapshot("https://apiframe.ai/docs/images/gpt-image/gpt-image-1-5 (B3, newer host; docs-v2 A10 says auto 14 / low 2 / medium 5 / high 14)");
    private static readonly PriceProvenance Kling26 = Snapshot("https://docs-v2.apiframe.ai/docs/videos/kling/kling-2-6 (A12)");
    private static readonly PriceProvenance Kling21 = Snapshot("https://docs-v2.apiframe.ai/docs/videos/kling/kling-2-1 (A12)");
    private static readonly PriceProvenance Kling25 = Snapshot("https://docs-v2.apiframe.ai/docs/videos/kling/kling-2-5-turbo-pro (A12)");
    private static readonly PriceProvenance Kling30 = Snapshot("https://docs-v2.apiframe.ai/docs/videos/kling/kling-3-0 (A12)");

    /// <summary>gpt-image-1.5 credits per image by quality (B3).</summary>
    private static readonly Dictionary<string, decimal> GptPerImage = new(StringComparer.OrdinalIgnoreCase)
    {
        ["low"] = 4, ["medium"] = 9, ["auto"] = 24, ["high"] = 24,
    };

    /// <summary>kling-3.0 credits per second by mode and audio (A12).</summary>
    private static readonly Dictionary<(string Mode, bool Audio), decimal> Kling30PerSecond = new()
    {
        [("standard", false)] = 3, [("standard", true)] = 4, [("pro", false)] = 5, [("pro", true)] = 7,
    };

    private readonly Dictionary<string, decimal> _overrides;

    public PriceTable(IDictionary<string, decimal> overrides) =>
        _overrides = new Dictionary<string, decimal>(overrides, StringComparer.OrdinalIgnoreCase);

    public PriceQuote Quote(ApiframeModel model, JsonObject parameters)
    {
        var id = model.Id.Value.ToLowerInvariant();
        if (_overrides.TryGetValue(id, out var overridden))
        {
            return PriceCalculator.PerGeneration(Credits(overridden), new PriceProvenance(PriceSource.Override, null, $"{ApiframeOptions.SectionName}:PriceOverrides:{id}"));
        }

        return id switch
        {
            "midjourney" => PriceCalculator.PerGeneration(Credits(16), Midjourney),
            "qwen-image-2" => PriceCalculator.PerGeneration(Credits(3), Qwen2),
            "gpt-image-1.5" => QuoteGpt(parameters),
            "kling-2.6" => QuoteKling26(parameters),
            "kling-2.1" => QuoteKling21(parameters),
            "kling-2.5-turbo-pro" => QuoteKling25(parameters),
            "kling-3.0" => QuoteKling30(parameters),
            _ => PriceQuote.Unknown($"Apiframe documents no credit cost for '{model.Id}' (its 'Credit Costs' page was not found); the job's creditCost reports the actual charge. Set {ApiframeOptions.SectionName}:PriceOverrides:{id} to quote it."),
        };
    }

    private static PriceQuote QuoteGpt(JsonObject p)
    {
        var quality = LooseJson.Text(p["quality"]);
        if (quality is null)
        {
            return PriceQuote.Unknown("gpt-image-1.5 is priced per image by quality and the docs do not say which quality applies when none is sent; set Quality (low, medium, high, auto) for a quote.");
        }

        if (!GptPerImage.TryGetValue(quality, out var perImage))
        {
            return PriceQuote.Unknown($"gpt-image-1.5 has no documented price for quality '{quality}'.");
        }

        var count = LooseJson.Number(p["number_of_images"]) is { } n ? (int)n : 1;
        if (count < 1)
        {
            return PriceQuote.Unknown($"gpt-image-1.5: number_of_images {count} has no price.");
        }

        var quote = PriceCalculator.PerImage(Credits(perImage), count, Gpt);
        return quote with { Basis = $"{quote.Basis} ({quality.ToLowerInvariant()} quality)" };
    }

    private static PriceQuote QuoteKling26(JsonObject p)
    {
        if (Duration(p) is not int seconds)
        {
            return NoDuration("kling-2.6");
        }

        // generate_audio defaults to true on kling-2.6 (A12).
        var audio = LooseJson.Bool(p["generate_audio"]) ?? true;
        decimal? credits = (seconds, audio) switch
        {
            (5, false) => 15, (5, true) => 25, (10, false) => 25, (10, true) => 40, _ => null,
        };
        return credits is { } c
            ? Labelled(PriceCalculator.PerGeneration(Credits(c), Kling26), $"{seconds} s{(audio ? " with audio" : " without audio")}")
            : PriceQuote.Unknown($"kling-2.6 has no documented price for {seconds} s.");
    }

    private static PriceQuote QuoteKling21(JsonObject p)
    {
        if (Duration(p) is not int seconds)
        {
            return NoDuration("kling-2.1");
        }

        // mode defaults to pro on kling-2.1 (A12).
        var mode = (LooseJson.Text(p["mode"]) ?? "pro").ToLowerInvariant();
        decimal? credits = (mode, seconds) switch
        {
            ("standard", 5) => 3, ("standard", 10) => 5, ("pro", 5) => 5, ("pro", 10) => 10, _ => null,
        };
        return credits is { } c
            ? Labelled(PriceCalculator.PerGeneration(Credits(c), Kling21), $"{mode} {seconds} s")
            : PriceQuote.Unknown($"kling-2.1 has no documented price for mode '{mode}' at {seconds} s.");
    }

    private static PriceQuote QuoteKling25(JsonObject p)
    {
        if (Duration(p) is not int seconds)
        {
            return NoDuration("kling-2.5-turbo-pro");
        }

        decimal? credits = seconds switch { 5 => 4, 10 => 7, _ => null };
        return credits is { } c
            ? Labelled(PriceCalculator.PerGeneration(Credits(c), Kling25), $"{seconds} s")
            : PriceQuote.Unknown($"kling-2.5-turbo-pro has no documented price for {seconds} s.");
    }

    private static PriceQuote QuoteKling30(JsonObject p)
    {
        if (Duration(p) is not int seconds)
        {
            return NoDuration("kling-3.0");
        }

        var mode = LooseJson.Text(p["mode"])?.ToLowerInvariant();
        var audio = LooseJson.Bool(p["generate_audio"]);
        if (mode is null || audio is null)
        {
            return PriceQuote.Unknown("kling-3.0 is priced per second by mode and audio, and the docs give neither default; set Mode (standard/pro) and the apiframe provider option generate_audio for a quote.");
        }

        return Kling30PerSecond.TryGetValue((mode, audio.Value), out var rate)
            ? PriceCalculator.PerSecond(Credits(rate), seconds, Kling30, $"{mode}{(audio.Value ? " with audio" : string.Empty)}")
            : PriceQuote.Unknown($"kling-3.0 has no documented price for mode '{mode}'.");
    }

    private static int? Duration(JsonObject p) => LooseJson.Number(p["duration"]) is { } d && d == decimal.Truncate(d) ? (int)d : null;

    private static PriceQuote NoDuration(string model) =>
        PriceQuote.Unknown($"{model} is priced by duration and the docs give no default duration; set DurationSeconds for a quote.");

    private static PriceQuote Labelled(PriceQuote quote, string label) => quote with { Basis = $"{quote.Basis} ({label})" };

    private static Money Credits(decimal amount) => Money.Credits(amount, Provider);

    private static PriceProvenance Snapshot(string reference) => new(PriceSource.Snapshot, AsOf, reference);

    public static string Format(decimal value) => value.ToString("0.##", CultureInfo.InvariantCulture);
}
