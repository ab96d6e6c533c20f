namespace MediaGen.Testing.Emulators;

/// <summary>One model as the VeoGen emulator serves it (<c>GET /api/v1/models/{slug}</c>) and charges for it.</summary>
internal sealed record VeoGenEmulatorModel(
    string Slug,
    string Label,
    string Type,
    decimal PriceUsd,
    bool MultiplyByDuration,
    IReadOnlyDictionary<string, decimal> ResolutionMultipliers,
    IReadOnlyList<string> SupportedParams,
    IReadOnlyList<string> AspectRatios,
    IReadOnlyList<string> Resolutions,
    IReadOnlyList<int> Durations,
    IReadOnlyList<string> Modes)
{
    /// <summary>Gets Seedance's per-second rates by resolution (they replace price × multiplier).</summary>
    public IReadOnlyDictionary<string, decimal>? PerSecondByResolution { get; init; }

    /// <summary>Gets Seedance's discounted per-second rates with a reference video.</summary>
    public IReadOnlyDictionary<string, decimal>? ReferenceVideoPerSecondByResolution { get; init; }

    /// <summary>Gets the style presets (sora only).</summary>
    public IReadOnlyList<string> Styles { get; init; } = [];

    /// <summary>Gets the lowest and highest accepted duration when the model takes a range.</summary>
    public (int Min, int Max)? DurationRange { get; init; }

    /// <summary>Gets the accepted numbers of image URLs, when restricted (omni-flash-ext: 0, 1, 3).</summary>
    public IReadOnlyList<int>? ImageCounts { get; init; }

    public bool IsVideo => Type == "video";

    public bool Takes(string param) => SupportedParams.Contains(param, StringComparer.Ordinal);
}

/// <summary>
/// The emulator's models, written from the VeoGen docs (Create Generation, Get Model veo-3.1-fast, Quickstart,
/// omni-flash-ext) independently of the client. Where the docs give no number (sora, seedream, nano-banana prices,
/// most ratio lists) the emulator uses sandbox values, marked below.
/// </summary>
internal static class VeoGenEmulatorCatalog
{
    private static readonly string[] VideoParams = ["prompt", "duration", "aspect_ratio", "resolution", "image_urls"];
    private static readonly string[] ImageParams = ["prompt", "aspect_ratio", "resolution", "image_urls"];
    private static readonly string[] CommonRatios = ["16:9", "9:16", "1:1", "4:3", "3:4"]; // sandbox: "Common values"

    public static IReadOnlyList<VeoGenEmulatorModel> Models { get; } =
    [
        new("grok-video-1", "Grok Video 1", "video", 0.03m, true, Map(("480p", 1m), ("720p", 1m)), [.. VideoParams, "mode"], CommonRatios, ["480p", "720p"], [], ["custom", "normal", "fun", "spicy"])
        {
            DurationRange = (6, 30),
        },

        // The documented Get Model example, verbatim.
        new("veo-3.1-fast", "Veo 3.1 Fast", "video", 0.30m, false, Map(("720p", 1m), ("1080p", 1m), ("4k", 3m)), ["prompt", "duration", "aspect_ratio", "resolution", "image_urls", "mode"], ["16:9", "9:16"], ["720p", "1080p", "4k"], [8], ["frame", "ingredient"]),

        // Sandbox prices: the docs publish none for sora.
        new("sora-2", "Sora 2", "video", 0.50m, false, Map(("720p", 1m)), [.. VideoParams, "style", "watermark", "private"], ["16:9", "9:16"], ["720p"], [10, 15], [])
        {
            Styles = SoraStyles,
        },
        new("sora-2-pro", "Sora 2 Pro", "video", 1.50m, false, Map(("720p", 1m), ("1080p", 1.5m)), [.. VideoParams, "style", "watermark", "private"], ["16:9", "9:16"], ["720p", "1080p"], [10, 15, 25], [])
        {
            Styles = SoraStyles,
        },

        // "Seedance 2.0 720p costs ~2.15× the 480p rate": the endpoint's multiplier is approximate; charges use the exact rates.
        // 1080p and 4k: the docs list them in the video vocabulary ("model-dependent") without restricting Seedance and
        // price neither; the emulator serves them at sandbox rates (the 480p/720p rates are the docs').
        new("seedance-2.0", "Seedance 2.0", "video", 0.132m, true, Map(("480p", 1m), ("720p", 2.15m), ("1080p", 4m), ("4k", 8m)), [.. VideoParams, "video_urls", "audio_urls"], CommonRatios, ["480p", "720p", "1080p", "4k"], [], [])
        {
            DurationRange = (4, 15),
            PerSecondByResolution = Map(("480p", 0.132m), ("720p", 0.284m), ("1080p", 0.528m), ("4k", 1.056m)),
            ReferenceVideoPerSecondByResolution = Map(("480p", 0.08m), ("720p", 0.1712m), ("1080p", 0.32m), ("4k", 0.64m)),
        },
        new("seedance-2.0-fast", "Seedance 2.0 Fast", "video", 0.1056m, true, Map(("480p", 1m), ("720p", 2.1667m), ("1080p", 4m), ("4k", 8m)), [.. VideoParams, "video_urls", "audio_urls"], CommonRatios, ["480p", "720p", "1080p", "4k"], [], [])
        {
            DurationRange = (4, 15),
            PerSecondByResolution = Map(("480p", 0.1056m), ("720p", 0.2288m), ("1080p", 0.4224m), ("4k", 0.8448m)),
            ReferenceVideoPerSecondByResolution = Map(("480p", 0.0632m), ("720p", 0.136m), ("1080p", 0.2528m), ("4k", 0.5056m)),
        },

        // omni-flash-ext: multipliers and durations from its page; the base rate is a sandbox value.
        new("omni-flash-ext", "Omni Flash Ext", "video", 0.10m, true, Map(("720p", 1m), ("1080p", 1.5m), ("4k", 3m)), VideoParams, ["16:9", "9:16"], ["720p", "1080p", "4k"], [4, 6, 8, 10], [])
        {
            ImageCounts = [0, 1, 3],
        },

        new("gpt-4o-image", "GPT-4o Image", "image", 0.02m, false, Map(("1K", 1m)), ImageParams, ["1:1", "16:9", "9:16", "4:3", "3:4"], ["1K"], [], []),

        // Sandbox prices: the docs publish none for these image models.
        new("seedream-4.5", "Seedream 4.5", "image", 0.04m, false, Map(("1K", 1m), ("2K", 1m), ("4K", 2m)), ImageParams, CommonRatios, ["1K", "2K", "4K"], [], []),
        new("seedream-5.0-lite", "Seedream 5.0 Lite", "image", 0.03m, false, Map(("1K", 1m), ("2K", 1m)), ImageParams, CommonRatios, ["1K", "2K"], [], []),
        new("nano-banana-pro", "Nano Banana Pro", "image", 0.15m, false, Map(("1K", 1m), ("2K", 1m), ("4K", 2m)), ImageParams, CommonRatios, ["1K", "2K", "4K"], [], []),
        new("nano-banana-2", "Nano Banana 2", "image", 0.08m, false, Map(("0.5K", 0.5m), ("1K", 1m), ("2K", 1.5m), ("4K", 2m)), ImageParams, CommonRatios, ["0.5K", "1K", "2K", "4K"], [], []),
    ];

    private static string[] SoraStyles => ["none", "thanksgiving", "comic", "news", "selfie", "nostalgic", "anime"];

    public static VeoGenEmulatorModel? Find(string? slug) => Models.FirstOrDefault(m => string.Equals(m.Slug, slug, StringComparison.Ordinal));

    private static Dictionary<string, decimal> Map(params (string Key, decimal Value)[] entries) =>
        entries.ToDictionary(e => e.Key, e => e.Value, StringComparer.Ordinal);
}
