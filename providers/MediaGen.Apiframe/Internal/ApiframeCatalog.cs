using System.Collections.Immutable;

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
    private static readonly Resolution[] UpTo4K = [Resolution.OneK, Resolution.TwoK, Resolution.FourK];
    private static readonly Resolution[] FluxResolutions = [Resolution.OneK, Resolution.TwoK];

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

        yield return new(Caps("nano-banana", "Nano Banana", MediaKind.Image) with { MaxReferenceImages = UndocumentedReferenceLimit }, ApiframeModelFamily.NanoBanana);
        foreach (var (id, name) in new[] { ("nano-banana-pro", "Nano Banana Pro"), ("nano-banana-2", "Nano Banana 2") })
        {
            // "up to 4K" (the model table): the resolution field is a guess (see ApiframeModelFamily.NanoBanana4K).
            yield return new(Caps(id, name, MediaKind.Image) with { MaxReferenceImages = UndocumentedReferenceLimit, Resolutions = UpTo4K }, ApiframeModelFamily.NanoBanana4K);
        }

        foreach (var (id, name, refs) in new[] { ("flux-1.1-pro", "Flux 1.1 Pro", 0), ("flux-1.1-pro-ultra", "Flux 1.1 Pro Ultra", 0) })
        {
            yield return new(Caps(id, name, MediaKind.Image) with { SupportsSeed = true, MaxReferenceImages = refs }, ApiframeModelFamily.Flux);
        }

        foreach (var (id, name, refs) in new[] { ("flux-2-pro", "Flux 2 Pro", 8), ("flux-2-dev", "Flux 2 Dev", 8), ("flux-2-flex", "Flux 2 Flex", 10), ("flux-2-max", "Flux 2 Max", 8) })
        {
            // A9: resolution "1 MP" … "4 MP" (1K ≈ 1 MP, 2K ≈ 4 MP).
            yield return new(Caps(id, name, MediaKind.Image) with { SupportsSeed = true, MaxReferenceImages = refs, SupportsAdaptiveAspectRatio = true, Resolutions = FluxResolutions }, ApiframeModelFamily.Flux2);
        }

        var seedream = ApiframeModelFamily.Convention("seedreamParams", keyConfirmed: true);
        yield return Image("seedream-3", "Seedream 3", seedream);
        yield return Image("seedream-3.1", "Seedream 3.1", seedream);
        // Seedream 4 "generation and editing with multi-reference, up to 4K"; Seedream 4.5 "up to 4K" (the model table).
        yield return new(Caps("seedream-4", "Seedream 4", MediaKind.Image) with { Resolutions = UpTo4K, MaxReferenceImages = UndocumentedReferenceLimit }, seedream.WithResolution().WithReferences());
        yield return new(Caps("seedream-4.5", "Seedream 4.5", MediaKind.Image) with { Resolutions = UpTo4K }, seedream.WithResolution());
        yield return WithReferences("seedream-5-lite", "Seedream 5 Lite", seedream.WithReferences());

        var ideogram = ApiframeModelFamily.Convention("ideogramParams", keyConfirmed: true);
        foreach (var (id, name) in new[] { ("ideogram-v2", "Ideogram V2"), ("ideogram-v2-turbo", "Ideogram V2 Turbo"), ("ideogram-v2a", "Ideogram V2a"), ("ideogram-v2a-turbo", "Ideogram V2a Turbo") })
        {
            yield return Image(id, name, ideogram);
        }

        foreach (var (id, name) in new[] { ("ideogram-v3-balanced", "Ideogram V3 Balanced"), ("ideogram-v3-turbo", "Ideogram V3 Turbo"), ("ideogram-v3-quality", "Ideogram V3 Quality"), ("ideogram-character", "Ideogram Character") })
        {
            // "style presets and references" / "reference images" (the model table).
            yield return WithReferences(id, name, ideogram.WithReferences());
        }

        var imagen = ApiframeModelFamily.Convention("imagenParams", keyConfirmed: true);
        foreach (var (id, name) in new[] { ("imagen-3", "Imagen 3"), ("imagen-3-fast", "Imagen 3 Fast"), ("imagen-4", "Imagen 4"), ("imagen-4-ultra", "Imagen 4 Ultra"), ("imagen-4-fast", "Imagen 4 Fast") })
        {
            yield return Image(id, name, imagen);
        }

        // DALL-E takes no seed upstream: none is guessed.
        var dalle = ApiframeModelFamily.Convention("dalleParams", keyConfirmed: false) with { SeedField = null };
        yield return Image("dall-e-3", "DALL-E 3", dalle);
        yield return Image("dall-e-2", "DALL-E 2", dalle);

        yield return new(Caps("gpt-image-1.5", "GPT Image 1.5", MediaKind.Image) with
        {
            AspectRatios = GptRatios,
            Qualities = ["auto", "low", "medium", "high"],
            MaxCount = 10,
            MaxReferenceImages = UndocumentedReferenceLimit,
        }, ApiframeModelFamily.GptImage);

        // "reference images and multi-image output" (the model table).
        var klingImage = ApiframeModelFamily.Convention("klingParams", keyConfirmed: false).WithReferences();
        yield return new(Caps("kling-image", "Kling Image", MediaKind.Image) with { MaxReferenceImages = UndocumentedReferenceLimit, MaxCount = 10 }, klingImage with
        {
            CountField = "number_of_images",
            Guesses = klingImage.Guesses.SetItem("number_of_images", "the model table says \"multi-image output\"; number_of_images as GPT Image 1.5 documents it (A10)"),
        });

        // "text-to-image, image-to-image, and image editing": one input image, as qwen-image-2 documents it (A11).
        yield return new(Caps("qwen-image", "Qwen Image", MediaKind.Image) with { MaxReferenceImages = 1 }, ApiframeModelFamily.Convention("qwenImageParams", keyConfirmed: false).WithReferences("image", list: false));
        yield return new(Caps("qwen-image-2", "Qwen Image 2", MediaKind.Image) with { AspectRatios = QwenRatios, SupportsSeed = true, MaxReferenceImages = 1 }, ApiframeModelFamily.QwenImage2);
        yield return new(Caps("qwen-image-2-pro", "Qwen Image 2 Pro", MediaKind.Image) with { AspectRatios = QwenRatios, SupportsSeed = true, MaxReferenceImages = 1 }, ApiframeModelFamily.QwenImage2 with
        {
            KeyGuess = "qwen-image-2-pro has no parameters page; qwen-image-2's (A11) are assumed for its Pro variant",
        });

        var wan = ApiframeModelFamily.Convention("wanParams", keyConfirmed: false);
        yield return WithReferences("wan-image-2.6", "Wan Image 2.6", wan.WithReferences());
        yield return WithReferences("wan-image-2.7", "Wan Image 2.7", wan.WithReferences());
        yield return Image("wan-image-2.7-pro", "Wan Image 2.7 Pro", wan);

        yield return Image("grok-imagine-image", "Grok Imagine Image", ApiframeModelFamily.Convention("grokParams", keyConfirmed: false) with { SeedField = null });
        yield return new(Caps("reve-create", "Reve Create", MediaKind.Image) with { AspectRatios = ReveRatios, SupportsSeed = true }, ApiframeModelFamily.Reve);

        // Video (A2, A12).
        yield return Video("kling-2.6", "Kling 2.6", DurationOptions.OneOf(null, 5, 10), refs: 1, modes: [], ApiframeModelFamily.Kling);
        yield return Video("kling-2.1", "Kling 2.1", DurationOptions.OneOf(null, 5, 10), refs: 2, modes: ["standard", "pro"], ApiframeModelFamily.Kling);
        yield return Video("kling-2.1-master", "Kling 2.1 Master", DurationOptions.OneOf(null, 5, 10), refs: 1, modes: [], ApiframeModelFamily.Kling with
        {
            KeyGuess = "kling-2.1-master has no parameters page; the Kling pages' klingParams (A12) are assumed",
        });
        yield return Video("kling-2.5-turbo-pro", "Kling 2.5 Turbo Pro", DurationOptions.OneOf(null, 5, 10), refs: 2, modes: [], ApiframeModelFamily.Kling);
        yield return Video("kling-3.0", "Kling 3.0", DurationOptions.Range(3, 15), refs: 2, modes: ["standard", "pro"], ApiframeModelFamily.Kling);
        foreach (var (id, name, key) in new[]
        {
            ("grok-imagine-video", "Grok Imagine Video", "grokParams"), ("hailuo-02", "Hailuo 02", "hailuoParams"), ("hailuo-2.3", "Hailuo 2.3", "hailuoParams"),
            ("hailuo-2.3-fast", "Hailuo 2.3 Fast", "hailuoParams"), ("luma-ray-2", "Luma Ray 2", "lumaParams"), ("luma-ray-flash-2", "Luma Ray Flash 2", "lumaParams"),
            ("midjourney-video", "Midjourney Video", "midjourneyParams"),
        })
        {
            yield return new(Caps(id, name, MediaKind.Video), ApiframeModelFamily.Convention(key, keyConfirmed: false) with { SeedField = null });
        }
    }

    private static ApiframeModel WithReferences(string id, string name, ApiframeModelFamily family) =>
        new(Caps(id, name, MediaKind.Image) with { MaxReferenceImages = UndocumentedReferenceLimit }, family);

    private static ApiframeModel Image(string id, string name, ApiframeModelFamily family) => new(Caps(id, name, MediaKind.Image), family);

    private static ApiframeModel Video(string id, string name, DurationOptions durations, int refs, string[] modes, ApiframeModelFamily family) =>
        new(Caps(id, name, MediaKind.Video) with { Durations = durations, MaxReferenceImages = refs, Modes = modes }, family);

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
/// setting becomes. A null field means MediaGen knows no such field for the family: the setting is dropped and reported.
/// A field in <see cref="Guesses"/> (or every field, when <see cref="KeyGuess"/> is set) is not in the docs: it is sent
/// and reported <see cref="TranslationAction.SentUndocumented"/> with the evidence.
/// </summary>
internal sealed record ApiframeModelFamily(string ParamsKey, string Source)
{
    private const string RatioGuess = "every documented Apiframe family (Midjourney, Flux, GPT Image, Qwen Image 2, Kling) spells it aspect_ratio";
    private const string SeedGuess = "every documented Apiframe family with a seed (Flux, Qwen Image 2, Reve) spells it seed";
    private const string ReferencesGuess = "the model table says the model takes reference images; input_images as Flux 2 (A9) and GPT Image 1.5 (A10) document it";

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

    /// <summary>Gets the resolution field and how MediaGen's resolutions are spelled on it.</summary>
    public string? ResolutionField { get; init; }

    public IReadOnlyDictionary<string, string> ResolutionSpelling { get; init; } = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);

    /// <summary>Gets why the parameters key itself is believed (null: the docs name it).</summary>
    public string? KeyGuess { get; init; }

    /// <summary>Gets the fields the docs do not name for this family, each with why MediaGen believes it.</summary>
    public ImmutableDictionary<string, string> Guesses { get; init; } = ImmutableDictionary<string, string>.Empty;

    /// <summary>Gets why a field is believed when the docs do not name it; null when the docs name both the key and the field.</summary>
    public string? GuessFor(string field) => (Guesses.GetValueOrDefault(field), KeyGuess) switch
    {
        (null, null) => null,
        ({ } f, null) => f,
        (null, { } k) => k,
        ({ } f, { } k) => $"{k}; {f}",
    };

    public static ApiframeModelFamily Midjourney { get; } = new("midjourneyParams", "B2 apiframe.ai/docs/images/midjourney")
    {
        AspectRatioField = "aspect_ratio",
    };

    public static ApiframeModelFamily NanoBanana { get; } = new("nanoBananaParams", "B4 apiframe.ai/models/nano-banana")
    {
        AspectRatioField = "aspect_ratio",
        ReferenceField = "image_input",
        ReferenceIsList = true,
        Guesses = ImmutableDictionary<string, string>.Empty.Add("aspect_ratio", "B4 lists image_input, output_format, google_search and image_search only; " + RatioGuess),
    };

    /// <summary>Nano Banana Pro and 2: "up to 4K" (the model table), on a guessed <c>resolution</c> field.</summary>
    public static ApiframeModelFamily NanoBanana4K { get; } = NanoBanana.WithResolution();

    public static ApiframeModelFamily Flux { get; } = new("fluxParams", "A9 docs-v2.apiframe.ai/docs/images/flux/flux-2-pro, flux-2-flex")
    {
        AspectRatioField = "aspect_ratio",
        AdaptiveAspectRatioValue = "match_input_image",
        SeedField = "seed",
        ReferenceField = "input_images",
        ReferenceIsList = true,
    };

    /// <summary>Flux 2: A9's <c>resolution</c> ("1 MP" … up to "4 MP").</summary>
    public static ApiframeModelFamily Flux2 { get; } = Flux with
    {
        ResolutionField = "resolution",
        ResolutionSpelling = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase) { ["1K"] = "1 MP", ["2K"] = "4 MP" },
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
        Guesses = ImmutableDictionary<string, string>.Empty.Add("aspect_ratio", "B5 lists the ratios but not the field; " + RatioGuess),
    };

    public static ApiframeModelFamily Kling { get; } = new("klingParams", "A12 docs-v2.apiframe.ai/docs/videos/kling/*")
    {
        AspectRatioField = "aspect_ratio",
        DurationField = "duration",
        ModeField = "mode",
        ReferenceField = "start_image",
        EndImageField = "end_image",
    };

    /// <summary>
    /// A family whose fields the docs do not give: the ratio and seed are sent on the fields every documented family uses,
    /// reported as undocumented. <paramref name="keyConfirmed"/>: a stored docs-v2 page names the key (seedream, ideogram,
    /// imagen); otherwise the key itself follows the <c>&lt;family&gt;Params</c> convention only.
    /// </summary>
    public static ApiframeModelFamily Convention(string paramsKey, bool keyConfirmed) => new(paramsKey, keyConfirmed ? "docs-v2 page names the key; no field list found" : "naming convention only (no parameter page found)")
    {
        AspectRatioField = "aspect_ratio",
        SeedField = "seed",
        KeyGuess = keyConfirmed ? null : $"no parameters page names {paramsKey}; it follows the <family>Params convention of every documented family",
        Guesses = ImmutableDictionary<string, string>.Empty.Add("aspect_ratio", RatioGuess).Add("seed", SeedGuess),
    };

    /// <summary>This family with reference images on a guessed field.</summary>
    public ApiframeModelFamily WithReferences(string field = "input_images", bool list = true) => this with
    {
        ReferenceField = field,
        ReferenceIsList = list,
        Guesses = Guesses.SetItem(field, field == "input_images" ? ReferencesGuess : $"the model table says the model takes an input image; {field} as qwen-image-2 documents it (A11)"),
    };

    /// <summary>This family with "up to 4K" on a guessed <c>resolution</c> field (1K/2K/4K).</summary>
    public ApiframeModelFamily WithResolution() => this with
    {
        ResolutionField = "resolution",
        ResolutionSpelling = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase) { ["1K"] = "1K", ["2K"] = "2K", ["4K"] = "4K" },
        Guesses = Guesses.SetItem("resolution", "the model table says \"up to 4K\" but no page names the field; resolution as Flux 2 documents it (A9), in the 1K/2K/4K spelling of the upstream model"),
    };
}
