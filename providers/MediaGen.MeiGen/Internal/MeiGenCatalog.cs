namespace MediaGen.MeiGen.Internal;

/// <summary>How a MeiGen model is billed.</summary>
internal enum MeiGenBilling
{
    /// <summary>A flat amount per generation (image models).</summary>
    Flat,

    /// <summary>Per second of output by tier × resolution (Seedance 2.0, Happyhorse 1.0).</summary>
    PerSecond,

    /// <summary>Per generation by tier × duration (Veo 3.1).</summary>
    PerCall,
}

/// <summary>One MeiGen model: capabilities and billing mode.</summary>
internal sealed record MeiGenModel(ModelCapabilities Capabilities, MeiGenBilling Billing)
{
    public ModelId Id => Capabilities.Id;

    public bool IsVideo => Capabilities.Kind == MediaKind.Video;

    public bool IsMidjourney => Id.Value.StartsWith("midjourney", StringComparison.OrdinalIgnoreCase);

    /// <summary>Gets whether this is a legacy Midjourney id that still takes the rev1 options (weird, sv).</summary>
    public bool IsLegacyMidjourney => MeiGenCatalog.IsLegacyMidjourney(Id);

    public bool SupportsContinuation => Capabilities.MaxReferenceVideos > 0;
}

/// <summary>
/// The models as the docs describe them (generate v2 rev2, with rev1 and the overview where rev2 says nothing).
/// <c>GET /api/models</c> refines this at run time.
/// </summary>
internal static class MeiGenCatalog
{
    public const string RetiredRhartMessage = "'rhart-1.5' (GPT image 1.5) was retired by MeiGen on 2026-04-22; use 'gpt-image-2' instead.";

    private static readonly AspectRatio[] CommonImageRatios = Ratios("1:1", "3:4", "4:3", "16:9", "9:16", "21:9", "5:4", "4:5");
    private static readonly Resolution[] ImageResolutions = [Resolution.OneK, Resolution.TwoK, Resolution.ThreeK, Resolution.FourK];
    private static readonly Resolution[] VideoResolutions = [Resolution.P480, Resolution.P720, Resolution.P1080];

    public static IReadOnlyList<MeiGenModel> Snapshot { get; } = Build();

    public static bool IsRetired(ModelId id) => id == MeiGenModels.RetiredRhart15;

    public static bool IsLegacyMidjourney(ModelId id) => id == MeiGenModels.LegacyMidjourneyV7 || id == MeiGenModels.LegacyMidjourneyNiji7;

    public static MeiGenModel? Find(IReadOnlyList<MeiGenModel> models, ModelId id)
    {
        for (var i = 0; i < models.Count; i++)
        {
            if (models[i].Id == id)
            {
                return models[i];
            }
        }

        return null;
    }

    internal static AspectRatio[] Ratios(params string[] values) => [.. values.Select(AspectRatio.Parse)];

    private static List<MeiGenModel> Build()
    {
        // Typical times from the overview's table; models it does not list borrow their predecessor's or family's time
        // (only used to schedule the first poll). Prompt limits are not documented ("vary by model"): left to the server.
        var models = new List<MeiGenModel>
        {
            Flat(ImageCaps(MeiGenModels.GptImage2, "GPT Image 2.0", 5, TimeSpan.FromSeconds(20)) with { Qualities = ["low", "medium", "high"] }),
            Image(MeiGenModels.Gemini3ProImagePreview, "Nanobanana Pro", 5, TimeSpan.FromSeconds(15)),
            Flat(ImageCaps(MeiGenModels.Nanobanana2, "Nanobanana 2", 5, TimeSpan.FromSeconds(15)) with
            {
                AspectRatios = Ratios("1:1", "3:4", "4:5", "2:3", "9:16", "4:3", "5:4", "3:2", "16:9", "21:9"),
            }),
            Flat(ImageCaps(MeiGenModels.Seedream50Lite, "Seedream 5.0 Lite", 5, TimeSpan.FromSeconds(15)) with
            {
                AspectRatios = Ratios("1:1", "3:4", "4:3", "16:9", "9:16", "3:2", "2:3"),
                Resolutions = [Resolution.TwoK, Resolution.ThreeK],
            }),
            Image(MeiGenModels.Seedream45, "Seedream 4.5", 5, TimeSpan.FromSeconds(15)),
            Midjourney(MeiGenModels.MidjourneyV81, "Midjourney V8.1"),
            Midjourney(MeiGenModels.LegacyMidjourneyV7, "Midjourney V7 (legacy id of V8.1)"),
            Midjourney(MeiGenModels.LegacyMidjourneyNiji7, "Niji 7 (legacy)"),
            Image(MeiGenModels.Flux2Klein, "FLUX.2 Klein", 5, TimeSpan.FromSeconds(15)),
            Image(MeiGenModels.ZImageTurbo, "Z Image Turbo", 0, TimeSpan.FromSeconds(5)),
            new(
                Video(MeiGenModels.Seedance20, "Seedance 2.0", DurationOptions.Range(4, 15, 5), TimeSpan.FromMinutes(2), maxReferenceImages: 5) with
                {
                    SupportsAdaptiveAspectRatio = true,
                    // rev2: "fast (default) or pro". The third-party MCP mirror's 'mini' (provider-apis.md §1.3) is not offered.
                    Tiers = [GenerationTier.Fast, GenerationTier.Pro],
                    DefaultTier = GenerationTier.Fast,
                    MaxReferenceVideos = 1,
                    ReferenceVideoRequiresDuration = true,
                },
                MeiGenBilling.PerSecond),
            new(Video(MeiGenModels.Happyhorse10, "Happyhorse 1.0", DurationOptions.Range(3, 15, 5), TimeSpan.FromMinutes(2), maxReferenceImages: 1), MeiGenBilling.PerSecond),
            new(
                Video(MeiGenModels.Veo31, "Veo 3.1", DurationOptions.OneOf(4, 4, 6, 8), TimeSpan.FromMinutes(4), maxReferenceImages: 5) with
                {
                    Tiers = [GenerationTier.Fast, GenerationTier.Pro],
                    DefaultTier = GenerationTier.Fast,
                },
                MeiGenBilling.PerCall),
        };
        return models;
    }

    private static MeiGenModel Midjourney(ModelId id, string name) => new(
        ImageCaps(id, name, 1, TimeSpan.FromSeconds(60)) with
        {
            SupportsReferenceMode = true,
            Qualities = ["1", "4"],
            OutputsPerJob = 4,
            MaxCount = 4,
        },
        MeiGenBilling.Flat);

    private static MeiGenModel Image(ModelId id, string name, int maxReferences, TimeSpan typical) => Flat(ImageCaps(id, name, maxReferences, typical));

    private static MeiGenModel Flat(ModelCapabilities capabilities) => new(capabilities, MeiGenBilling.Flat);

    private static ModelCapabilities ImageCaps(ModelId id, string name, int maxReferences, TimeSpan typical) => new()
    {
        Id = id,
        DisplayName = name,
        Kind = MediaKind.Image,
        AspectRatios = CommonImageRatios,
        SupportsAutoAspectRatio = true,
        Resolutions = ImageResolutions,
        MaxReferenceImages = maxReferences,
        MaxPromptLength = int.MaxValue,
        TypicalGenerationTime = typical,
    };

    private static ModelCapabilities Video(ModelId id, string name, DurationOptions durations, TimeSpan typical, int maxReferenceImages) => new()
    {
        Id = id,
        DisplayName = name,
        Kind = MediaKind.Video,
        SupportsAutoAspectRatio = true,
        Resolutions = VideoResolutions,
        Durations = durations,
        MaxReferenceImages = maxReferenceImages,
        MaxPromptLength = int.MaxValue,
        TypicalGenerationTime = typical,
    };
}
