using System.Security.Cryptography;
using System.Text;

namespace MediaGen.Testing.Emulators.Replicate;

/// <summary>What one input field of an emulated model accepts (from the model's schema page, §1.10 of the reference).</summary>
internal sealed record ReplicateInputField(string Name)
{
    /// <summary>Gets the allowed string values, when the page lists them.</summary>
    public IReadOnlyList<string>? Choices { get; init; }

    /// <summary>Gets the allowed integer range, when the page gives one.</summary>
    public (int Min, int Max)? Range { get; init; }

    /// <summary>Gets the allowed integer values, when the page lists them.</summary>
    public IReadOnlyList<int>? Values { get; init; }

    /// <summary>Gets the most items an array field takes, when the page gives it.</summary>
    public int? MaxItems { get; init; }
}

/// <summary>One official model as the Replicate emulator runs and bills it.</summary>
/// <param name="Slug">The <c>owner/name</c> slug.</param>
/// <param name="IsVideo">Whether the output is a video (else images).</param>
/// <param name="ArrayOutput">Whether <c>output</c> is an array of URIs (else one URI string).</param>
/// <param name="VersionPrefix">The version id's first hex digits as the model page's URL shows them.</param>
/// <param name="Fields">The documented input fields; <c>prompt</c> is required for every model here.</param>
internal sealed record ReplicateEmulatorModel(string Slug, bool IsVideo, bool ArrayOutput, string VersionPrefix, IReadOnlyList<ReplicateInputField> Fields)
{
    /// <summary>Gets the published price per output image (or per second of video), with its label; <see langword="null"/> where the reference found none.</summary>
    public decimal? PriceUsd { get; init; }

    /// <summary>Gets the input field giving the number of images, when the model takes one (<c>num_outputs</c>, <c>max_images</c>, <c>number_of_images</c>).</summary>
    public string? CountField { get; init; }

    /// <summary>Gets the input field giving a video's length in seconds (<c>duration</c>, <c>seconds</c>).</summary>
    public string? DurationField { get; init; }

    /// <summary>Gets a video's length when the input gives none (the page's default).</summary>
    public int DefaultSeconds { get; init; } = 5;

    /// <summary>Gets the aspect ratio used when the input gives none.</summary>
    public string? DefaultAspectRatio { get; init; }

    /// <summary>
    /// Gets the model's 64-hex version id: the page's prefix followed by digits derived from the slug (the pages are
    /// cited by prefix only, so the rest is the emulator's own).
    /// </summary>
    public string VersionId { get; } = VersionPrefix + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Slug)))[VersionPrefix.Length..];

    /// <summary>Gets the <c>owner</c> part of the slug.</summary>
    public string Owner => Slug[..Slug.IndexOf('/', StringComparison.Ordinal)];

    /// <summary>Gets the <c>name</c> part of the slug.</summary>
    public string Name => Slug[(Slug.IndexOf('/', StringComparison.Ordinal) + 1)..];

    public ReplicateInputField? Field(string name) => Fields.FirstOrDefault(f => f.Name == name);
}

/// <summary>
/// The official models the emulator serves: the ones of the reference's §1.10 (replicate-http-api.md) that overlap
/// the other vendors, with the input fields and defaults of their schema pages (M1–M18). Written from the reference,
/// not from the client. Prices only where §1.10 gives one; everything else is billed at the options' sandbox rates.
/// </summary>
internal static class ReplicateEmulatorCatalog
{
    // Declared before Models: static initializers run in order.
    private static readonly ReplicateInputField P = new("prompt");
    private static readonly string[] FluxRatios = ["1:1", "16:9", "3:2", "2:3", "4:5", "5:4", "9:16", "3:4", "4:3"];

    public static IReadOnlyList<ReplicateEmulatorModel> Models { get; } =
    [
        // M1: prompt, image_input (array), output_format jpg; aspect_ratio only in later versions [3p]. One URI string.
        new("google/nano-banana", false, false, "f0a9d34b", [P, F("image_input"), F("output_format"), F("aspect_ratio")]),

        // M2: aspect_ratio default match_input_image, resolution default 2K (1K/2K/4K [3p]), image_input ≤ 14.
        new("google/nano-banana-pro", false, false, "f5318740",
            [P, F("aspect_ratio"), C("resolution", "1K", "2K", "4K"), F("image_input") with { MaxItems = 14 }, F("output_format"), F("safety_filter_level")]),

        // M3: resolution default 1K, image_input ≤ 14, google_search / image_search.
        new("google/nano-banana-2", false, false, "2de9ad5b",
            [P, F("aspect_ratio"), F("resolution"), F("image_input") with { MaxItems = 14 }, F("google_search"), F("image_search"), F("output_format")]),

        // M4: 16:9/9:16 [3p], 720p/1080p [3p], duration 4/6/8 [3p] default 8, reference_images 1–3.
        new("google/veo-3.1", true, false, "ed5b1767",
            [P, F("negative_prompt"), C("aspect_ratio", "16:9", "9:16"), C("resolution", "720p", "1080p"), I("duration", 4, 6, 8), F("seed"), F("image"), F("last_frame"),
             F("reference_images") with { MaxItems = 3 }, F("generate_audio")])
        {
            DurationField = "duration", DefaultSeconds = 8, DefaultAspectRatio = "16:9",
        },

        // M5 [3p]: as veo-3.1 without reference_images, 720p default. The version prefix is the emulator's own (no official page).
        new("google/veo-3.1-fast", true, false, "5e7f0c1a",
            [P, F("negative_prompt"), C("aspect_ratio", "16:9", "9:16"), C("resolution", "720p", "1080p"), I("duration", 4, 6, 8), F("seed"), F("image"), F("last_frame"), F("generate_audio")])
        {
            DurationField = "duration", DefaultSeconds = 8, DefaultAspectRatio = "16:9",
        },

        // M6 [3p]: duration 2–12 default 5, resolution 480p/720p/1080p. Version prefix: the emulator's own.
        new("bytedance/seedance-1-pro", true, false, "9b1c2d3e",
            [P, C("aspect_ratio", "16:9", "4:3", "1:1", "3:4", "9:16", "21:9", "9:21"), C("resolution", "480p", "720p", "1080p"), R("duration", 2, 12), F("fps"), F("seed"),
             F("image"), F("last_frame_image"), F("camera_fixed")])
        {
            DurationField = "duration", DefaultSeconds = 5, DefaultAspectRatio = "16:9",
        },

        // M7/M8: duration −1…15 default 5 (−1: the model chooses), aspect_ratio default 16:9, reference_* limits.
        Seedance("bytedance/seedance-2.0", "d456b64a"),
        Seedance("bytedance/seedance-2.0-fast", "90388a62"),

        // M9: size 1K/2K/4K/custom, image_input 1–10, max_images 1–15; output is an array.
        new("bytedance/seedream-4", false, true, "e6cff243",
            [P, F("aspect_ratio"), C("size", "1K", "2K", "4K", "custom"), F("width"), F("height"), F("image_input") with { MaxItems = 10 },
             C("sequential_image_generation", "disabled", "auto"), R("max_images", 1, 15), F("enhance_prompt")])
        {
            CountField = "max_images",
        },

        // M10: size 2K/4K (+custom in one version; "1K is not supported"), image_input 1–14.
        new("bytedance/seedream-4.5", false, true, "9fe3b828",
            [P, F("aspect_ratio"), C("size", "2K", "4K", "custom"), F("width"), F("height"), F("image_input") with { MaxItems = 14 },
             C("sequential_image_generation", "disabled", "auto"), R("max_images", 1, 15), F("disable_safety_checker")])
        {
            CountField = "max_images",
        },

        // M11: size 2K/3K, image_input 1–14, max_images 1–15, output_format png.
        new("bytedance/seedream-5-lite", false, true, "eeb2857d",
            [P, F("aspect_ratio"), C("size", "2K", "3K"), F("image_input") with { MaxItems = 14 }, C("sequential_image_generation", "disabled", "auto"), R("max_images", 1, 15), F("output_format")])
        {
            CountField = "max_images",
        },

        // M12: $0.040 per image is [3p] (lumenfall.ai); aspect ratios incl. custom; safety_tolerance 1–6.
        new("black-forest-labs/flux-1.1-pro", false, false, "96ccd0e7",
            [P, F("prompt_upsampling"), C("aspect_ratio", ["custom", .. FluxRatios]), R("width", 256, 1440), R("height", 256, 1440), F("seed"), F("image_prompt"),
             C("output_format", "webp", "jpg", "png"), R("safety_tolerance", 1, 6)])
        {
            PriceUsd = 0.040m,
        },

        // M13: aspect_ratio 1:1 default, match_input_image, custom; input_images ≤ 8; safety_tolerance 1–5.
        new("black-forest-labs/flux-2-pro", false, false, "285631b5",
            [P, F("aspect_ratio"), F("resolution"), R("width", 256, 2048), R("height", 256, 2048), F("seed"), F("input_images") with { MaxItems = 8 }, R("safety_tolerance", 1, 5),
             F("output_format")])
        {
            DefaultAspectRatio = "1:1",
        },

        // flux-pro: $0.055 per image, the one official price found [doc]; its schema page was not read, so only prompt,
        // and the version prefix is the emulator's own.
        new("black-forest-labs/flux-pro", false, false, "1f2e3d4c", [P]) { PriceUsd = 0.055m },

        // M14 [3p]: num_outputs 1–4 → array; $0.003 per image [3p] (cinemasetfree.com). Version prefix: the emulator's own.
        new("black-forest-labs/flux-schnell", false, true, "5f24084", [P, C("aspect_ratio", "1:1", "16:9", "21:9", "3:2", "2:3", "4:5", "5:4", "3:4", "4:3", "9:16", "9:21"), F("megapixels"), F("seed"), R("num_outputs", 1, 4), F("output_format")])
        {
            PriceUsd = 0.003m, CountField = "num_outputs",
        },

        // M15/M16: aspect_ratio portrait (default) / landscape, seconds default 4, input_reference; optional openai_api_key.
        new("openai/sora-2", true, false, "f6dc7d80", [P, C("aspect_ratio", "portrait", "landscape"), F("seconds"), F("input_reference"), F("openai_api_key")])
        {
            DurationField = "seconds", DefaultSeconds = 4, DefaultAspectRatio = "portrait",
        },
        new("openai/sora-2-pro", true, false, "ccf1a58e", [P, C("aspect_ratio", "portrait", "landscape"), C("resolution", "standard", "high"), F("seconds"), F("input_reference"), F("openai_api_key")])
        {
            DurationField = "seconds", DefaultSeconds = 4, DefaultAspectRatio = "portrait",
        },

        // M17 [3p]: number_of_images 1–10 (an array output is the emulator's reading). Version prefix: the emulator's own.
        new("openai/gpt-image-1.5", false, true, "7a6b5c4d",
            [P, C("aspect_ratio", "1:1", "3:2", "2:3"), C("quality", "low", "medium", "high", "auto"), F("background"), F("moderation"), F("input_images"), F("input_fidelity"),
             R("number_of_images", 1, 10), F("output_format"), F("output_compression"), F("openai_api_key")])
        {
            CountField = "number_of_images",
        },

        // M18: kling-v1.6-pro, duration default 5, reference_images ≤ 4.
        new("kwaivgi/kling-v1.6-pro", true, false, "03b02153",
            [P, F("negative_prompt"), F("aspect_ratio"), F("start_image"), F("end_image"), F("reference_images") with { MaxItems = 4 }, F("cfg_scale"), F("duration")])
        {
            DurationField = "duration", DefaultSeconds = 5, DefaultAspectRatio = "16:9",
        },
    ];

    public static ReplicateEmulatorModel? Find(string owner, string name) => Find(owner + "/" + name);

    public static ReplicateEmulatorModel? Find(string slug) => Models.FirstOrDefault(m => string.Equals(m.Slug, slug, StringComparison.Ordinal));

    public static ReplicateEmulatorModel? FindVersion(string versionId) => Models.FirstOrDefault(m => string.Equals(m.VersionId, versionId, StringComparison.Ordinal));

    private static ReplicateEmulatorModel Seedance(string slug, string prefix) => new(slug, true, false, prefix,
        [P, F("aspect_ratio"), F("resolution"), R("duration", -1, 15), F("seed"), F("image"), F("last_frame_image"), F("reference_images") with { MaxItems = 9 },
         F("reference_videos") with { MaxItems = 3 }, F("reference_audios") with { MaxItems = 3 }, F("generate_audio")])
    {
        DurationField = "duration", DefaultSeconds = 5, DefaultAspectRatio = "16:9",
    };

    private static ReplicateInputField F(string name) => new(name);

    private static ReplicateInputField C(string name, params string[] choices) => new(name) { Choices = choices };

    private static ReplicateInputField R(string name, int min, int max) => new(name) { Range = (min, max) };

    private static ReplicateInputField I(string name, params int[] values) => new(name) { Values = values };
}
