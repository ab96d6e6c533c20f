namespace MediaGen.Apiframe.Internal;

/// <summary>One Apiframe model: its capabilities and its parameters family.</summary>
internal sealed record ApiframeModel(ModelCapabilities Capabilities, ApiframeModelFamily Family)
{
    public ModelId Id => Capabilities.Id;

    public MediaKind Kind => Capabilities.Kind;

    /// <summary>Gets the generate endpoint the model is served on.</summary>
    public string SubmitPath => Kind == MediaKind.Video ? "v2/videos/generate" : "v2/images/generate";
}

/// <summary>
/// The models of the docs' tables (jobs-api-image-generation.txt for images, A2 for video) as data. Prompt limits:
/// images 1–2,000 characters (A1), video 1–4,000 (A2). Typical times: images 10–60 s, video 1–5 min (A8).
/// </summary>
internal static class ApiframeCatalog
{
    public const int ImagePromptLimit = 2000;
    public const int VideoPromptLimit = 4000;
    public static readonly TimeSpan TypicalImageTime = TimeSpan.FromSeconds(30);
    public static readonly TimeSpan TypicalVideoTime = TimeSpan.FromMinutes(3);

    private static readonly AspectRatio[] GptRatios = ["1:1", "3:2", "2:3"];
    private static readonly AspectRatio[] QwenRatios = ["1:1", "2:3", "3:2", "3:4", "4:3", "9:16", "16:9", "21:9", "2:1", "1:2"];
    private static readonly AspectRatio[] ReveRatios = ["16:9", "9:16", "3:2", "2:3", "4:3", "3:4", "1:1"];

    // The docs list no maximum for these; the vendor enforces its own and answers 400.
    private const int UndocumentedReferenceLimit = 16;

    private static readonly Dictionary<ModelId, ApiframeModel> ById = Build().ToDictionary(m => m.Id);

    public static IReadOnlyList<ModelCapabilities> All { get; } = [.. ById.Values.Select(m => m.Capabilities)];

    public static ApiframeModel? Find(ModelId id) => ById.GetValueOrDefault(id);

    public static ApiframeModel? Find(string? id) => string.IsNullOrWhiteSpace(id) ? null : Find(new ModelId(id));

    private static IEnumerable<ApiframeModel> Build()
    {
        // Midjourney: always 4 candidates plus a 2×2 grid (B1); any W:H ratio.
        yield return new(Caps("midjourney", "Midjourney", MediaKind.Image) with { MaxCount = 4, OutputsPerJob = 4 }, ApiframeModelFamily.Midjourney);

        foreach (var (id, name) in new[] { ("nano-banana", "Nano Banana"), ("nano-banana-pro", "Nano Banana Pro"), ("nano-banana-2", "Nano Banana 2") })
        {
            yield return new(Caps(id, name, MediaKind.Image) with { MaxReferenceImages = UndocumentedReferenceLimit }, ApiframeModelFamily.NanoBanana);
        }

        foreach (var (id, name, refs) in new[]
        {
            ("flux-1.1-pro", "Flux 1.1 Pro", 0), ("flux-1.1-pro-ultra", "Flux 1.1 Pro Ultra", 0),
            ("flux-2-pro", "Flux 2 Pro", 8), ("flux-2-dev", "Flux 2 Dev", 8), ("flux-2-flex", "Flux 2 Flex", 10), ("flux-2-max", "Flux 2 Max", 8),
        })
        {
            yield return new(Caps(id, name, MediaKind.Image) with { SupportsSeed = true, MaxReferenceImages = refs, SupportsAdaptiveAspectRatio = refs > 0 }, ApiframeModelFamily.Flux);
        }

        foreach (var (id, name) in new[] { ("seedream-3", "Seedream 3"), ("seedream-3.1", "Seedream 3.1"), ("seedream-4", "Seedream 4"), ("seedream-4.5", "Seedream 4.5"), ("seedream-5-lite", "Seedream 5 Lite") })
        {
            yield return Image(id, name, ApiframeModelFamily.Convention("seedreamParams"));
        }

        foreach (var (id, name) in new[]
        {
            ("ideogram-v2", "Ideogram V2"), ("ideogram-v2-turbo", "Ideogram V2 Turbo"), ("ideogram-v2a", "Ideogram V2a"), ("ideogram-v2a-turbo", "Ideogram V2a Turbo"),
            ("ideogram-v3-balanced", "Ideogram V3 Balanced"), ("ideogram-v3-turbo", "Ideogram V3 Turbo"), ("ideogram-v3-quality", "Ideogram V3 Quality"), ("ideogram-character", "Ideogram Character"),
        })
        {
            yield return Image(id, name, ApiframeModelFamily.Convention("ideogramParams"));
        }

        foreach (var (id, name) in new[] { ("imagen-3", "Imagen 3"), ("imagen-3-fast", "Imagen 3 Fast"), ("imagen-4", "Imagen 4"), ("imagen-4-ultra", "Imagen 4 Ultra"), ("imagen-4-fast", "Imagen 4 Fast") })
        {
            yield return Image(id, name, ApiframeModelFamily.Convention("imagenParams"));
        }

        yield return Image("dall-e-3", "DALL-E 3", ApiframeModelFamily.Convention("dalleParams"));
        yield return Image("dall-e-2", "DALL-E 2", ApiframeModelFamily.Convention("dalleParams"));

        yield return new(Caps("gpt-image-1.5", "GPT Image 1.5", MediaKind.Image) with
        {
            AspectRatios = GptRatios,
            Qualities = ["auto", "low", "medium", "high"],
            MaxCount = 10,
            MaxReferenceImages = UndocumentedReferenceLimit,
        }, ApiframeModelFamily.GptImage);

        yield return Image("kling-image", "Kling Image", ApiframeModelFamily.Convention("klingParams"));
        yield return Image("qwen-image", "Qwen Image", ApiframeModelFamily.Convention("qwenImageParams"));
        foreach (var (id, name) in new[] { ("qwen-image-2", "Qwen Image 2"), ("qwen-image-2-pro", "Qwen Image 2 Pro") })
        {
            yield return new(Caps(id, name, MediaKind.Image) with { AspectRatios = QwenRatios, SupportsSeed = true, MaxReferenceImages = 1 }, ApiframeModelFamily.QwenImage2);
        }

        foreach (var (id, name) in new[] { ("wan-image-2.6", "Wan Image 2.6"), ("wan-image-2.7", "Wan Image 2.7"), ("wan-image-2.7-pro", "Wan Image 2.7 Pro") })
        {
            yield return Image(id, name, ApiframeModelFamily.Convention("wanParams"));
        }

        yield return Image("grok-imagine-image", "Grok Imagine Image", ApiframeModelFamily.Convention("grokParams"));
        yield return new(Caps("reve-create", "Reve Create", MediaKind.Image) with { AspectRatios = ReveRatios, SupportsSeed = true }, ApiframeModelFamily.Reve);

        // Video (A2, A12).
        yield return Video("kling-2.6", "Kling 2.6", DurationOptions.OneOf(null, 5, 10), refs: 1, modes: []);
        yield return Video("kling-2.1", "Kling 2.1", DurationOptions.OneOf(null, 5, 10), refs: 2, modes: ["standard", "pro"]);
        yield return Video("kling-2.1-master", "Kling 2.1 Master", DurationOptions.OneOf(null, 5, 10), refs: 1, modes: []);
        yield return Video("kling-2.5-turbo-pro", "Kling 2.5 Turbo Pro", DurationOptions.OneOf(null, 5, 10), refs: 2, modes: []);
        yield return Video("kling-3.0", "Kling 3.0", DurationOptions.Range(3, 15), refs: 2, modes: ["standard", "pro"]);
        foreach (var (id, name, key) in new[]
        {
            ("grok-imagine-video", "Grok Imagine Video", "grokParams"), ("hailuo-02", "Hailuo 02", "hailuoParams"), ("hailuo-2.3", "Hailuo 2.3", "hailuoParams"),
            ("hailuo-2.3-fast", "Hailuo 2.3 Fast", "hailuoParams"), ("luma-ray-2", "Luma Ray 2", "lumaParams"), ("luma-ray-flash-2", "Luma Ray Flash 2", "lumaParams"),
            ("midjourney-video", "Midjourney Video", "midjourneyParams"),
        })
        {
            yield return new(Caps(id, name, MediaKind.Video), ApiframeModelFamily.Convention(key));
        }
    }

    private static ApiframeModel Image(string id, string name, ApiframeModelFamily family) => new(Caps(id, name, MediaKind.Image), family);

    private static ApiframeModel Video(string id, string name, DurationOptions durations, int refs, string[] modes) =>
        new(Caps(id, name, MediaKind.Video) with { Durations = durations, MaxReferenceImages = refs, Modes = modes }, ApiframeModelFamily.Kling);

    private static ModelCapabilities Caps(string id, string name, MediaKind kind) => new()
    {
        Id = id,
        DisplayName = name,
        Kind = kind,
        MaxPromptLength = kind == MediaKind.Video ? VideoPromptLimit : ImagePromptLimit,
        TypicalGenerationTime = kind == MediaKind.Video ? TypicalVideoTime : TypicalImageTime,
    };
}

/// <summary>
/// One model family's parameters object on the wire (key <c>&lt;family&gt;Params</c>) and the field each normalized
/// setting becomes. A null field means the docs give no such field for the family: the setting is dropped and reported.
/// </summary>
internal sealed record ApiframeModelFamily(string ParamsKey, string Source)
{
    public string? AspectRatioField { get; init; }

    /// <summary>Gets the vendor spelling of <c>adaptive</c> (match the reference), when the family has one.</summary>
    public string? AdaptiveAspectRatioValue { get; init; }

    public string? SeedField { get; init; }

    public string? CountField { get; init; }

    public string? QualityField { get; init; }

    public string? ReferenceField { get; init; }

    /// <summary>Gets whether <see cref="ReferenceField"/> takes an array (else a single URL).</summary>
    public bool ReferenceIsList { get; init; }

    /// <summary>Gets the field the second reference image goes to (a video's last frame).</summary>
    public string? EndImageField { get; init; }

    public string? DurationField { get; init; }

    public string? ModeField { get; init; }

    /// <summary>Gets whether the docs describe the family's parameters (else its key follows the naming convention only).</summary>
    public bool Documented { get; init; } = true;

    public static ApiframeModelFamily Midjourney { get; } = new("midjourneyParams", "B2 apiframe.ai/docs/images/midjourney")
    {
        AspectRatioField = "aspect_ratio",
    };

    public static ApiframeModelFamily NanoBanana { get; } = new("nanoBananaParams", "B4 apiframe.ai/models/nano-banana")
    {
        AspectRatioField = "aspect_ratio",
        ReferenceField = "image_input",
        ReferenceIsList = true,
    };

    public static ApiframeModelFamily Flux { get; } = new("fluxParams", "A9 docs-v2.apiframe.ai/docs/images/flux/flux-2-pro, flux-2-flex")
    {
        AspectRatioField = "aspect_ratio",
        AdaptiveAspectRatioValue = "match_input_image",
        SeedField = "seed",
        ReferenceField = "input_images",
        ReferenceIsList = true,
    };

    public static ApiframeModelFamily GptImage { get; } = new("gptImageParams", "A10/B3 gpt-image-1-5")
    {
        AspectRatioField = "aspect_ratio",
        QualityField = "quality",
        CountField = "number_of_images",
        ReferenceField = "input_images",
        ReferenceIsList = true,
    };

    public static ApiframeModelFamily QwenImage2 { get; } = new("qwenImage2Params", "A11 docs-v2.apiframe.ai/docs/images/qwen-image/qwen-image-2")
    {
        AspectRatioField = "aspect_ratio",
        SeedField = "seed",
        ReferenceField = "image",
    };

    public static ApiframeModelFamily Reve { get; } = new("reveParams", "B5 apiframe.ai/models/reve-create")
    {
        AspectRatioField = "aspect_ratio",
        SeedField = "seed",
    };

    public static ApiframeModelFamily Kling { get; } = new("klingParams", "A12 docs-v2.apiframe.ai/docs/videos/kling/*")
    {
        AspectRatioField = "aspect_ratio",
        DurationField = "duration",
        ModeField = "mode",
        ReferenceField = "start_image",
        EndImageField = "end_image",
    };

    /// <summary>A family the docs do not describe: its key follows the <c>&lt;family&gt;Params</c> convention and only the ratio is sent.</summary>
    public static ApiframeModelFamily Convention(string paramsKey) => new(paramsKey, "naming convention only (no parameter page found)")
    {
        AspectRatioField = "aspect_ratio",
        Documented = false,
    };
}
