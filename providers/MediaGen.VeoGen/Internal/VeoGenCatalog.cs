namespace MediaGen.VeoGen.Internal;

/// <summary>The wire fields that only some models take; the translator drops them (and says so) elsewhere.</summary>
[Flags]
internal enum GatedFields
{
    None = 0,
    Duration = 1,
    Mode = 2,
    Style = 4,
    VideoUrls = 8,
    AudioUrls = 16,
    Watermark = 32,
    Private = 64,
}

/// <summary>One VeoGen model: its capabilities and which gated wire fields it takes (its prices are in <see cref="VeoGenPrices"/>).</summary>
/// <param name="Capabilities">What the model accepts.</param>
/// <param name="Fields">The gated wire fields the model takes.</param>
/// <param name="AllowedImageCounts">When set, the only accepted numbers of <c>image_urls</c> (omni-flash-ext: 0, 1 or 3).</param>
internal sealed record VeoGenModel(ModelCapabilities Capabilities, GatedFields Fields, IReadOnlyList<int>? AllowedImageCounts = null)
{
    /// <summary>Gets the price layer read from the models endpoint for this model, or null when it was not read.</summary>
    public PriceLayer? LivePrice { get; init; }

    /// <summary>Gets why the models endpoint could not describe the model when this quote asked it (named in an unknown price's basis).</summary>
    public string? LiveProblem { get; init; }

    public string Slug => Capabilities.Id.Value;

    public bool Takes(GatedFields field) => (Fields & field) == field;
}

/// <summary>The model catalog, as data, from the vendor's pages (dated 2026-11-21); the price snapshot is <see cref="VeoGenPrices"/>.</summary>
internal static class VeoGenCatalog
{
    public const string CreateDoc = "VeoGen Create Generation (https://veogenstudio.mintlify.app/api-reference/generations/create)";
    public const string ModelDoc = "VeoGen Get Model veo-3.1-fast (https://veogenstudio.mintlify.app/api-reference/models/get)";
    public const string QuickstartDoc = "VeoGen Quickstart (https://veogenstudio.mintlify.app/quickstart)";
    public const string OmniDoc = "VeoGen omni-flash-ext (https://veogenstudio.mintlify.app/api-reference/models/omni-flash-ext)";

    /// <summary>The most image URLs per request (authentication page: "max 14 image URLs per request").</summary>
    public const int MaxImageUrls = 14;

    /// <summary>The most video or audio reference URLs (Seedance only).</summary>
    public const int MaxMediaUrls = 3;

    public const int MaxPromptLength = 2000;

    public static readonly DateOnly SnapshotDate = new(2026, 11, 21);

    // The docs give the full video vocabulary but not every model's subset; models whose subset is undocumented
    // accept the vocabulary client-side and the vendor's 422 names what it refuses.
    private static readonly Resolution[] VideoResolutions = ["480p", "720p", "1080p", "4k"];
    private static readonly Resolution[] ImageResolutions = ["0.5K", "1K", "2K", "4K"];
    private static readonly string[] SoraStyles = ["none", "thanksgiving", "comic", "news", "selfie", "nostalgic", "anime"];

    private static readonly TimeSpan TypicalVideo = TimeSpan.FromSeconds(60); // "videos 30–120 s"
    private static readonly TimeSpan TypicalImage = TimeSpan.FromSeconds(10); // "images complete in 5–15 s"

    public static IReadOnlyList<VeoGenModel> Snapshot { get; } = Build();

    private static List<VeoGenModel> Build() =>
    [
        Video("grok-video-1", "Grok Video 1", DurationOptions.Range(6, 30), VideoResolutions, [], GatedFields.Mode, modes: ["custom", "normal", "fun", "spicy"]),
        Video("veo-3.1-fast", "Veo 3.1 Fast", DurationOptions.OneOf(8, 8), ["720p", "1080p", "4k"], ["16:9", "9:16"], GatedFields.Mode, modes: ["frame", "ingredient"]),
        Video("sora-2", "Sora 2", DurationOptions.OneOf(null, 10, 15), VideoResolutions, [], GatedFields.Style | GatedFields.Watermark | GatedFields.Private, styles: SoraStyles),
        Video("sora-2-pro", "Sora 2 Pro", DurationOptions.OneOf(null, 10, 15, 25), VideoResolutions, [], GatedFields.Style | GatedFields.Watermark | GatedFields.Private, styles: SoraStyles),
        // Seedance: the docs price 480p and 720p only, but list 1080p and 4k in the (model-dependent) video vocabulary without
        // restricting Seedance, so they are not refused: their price is unknown until GET /models/{slug} gives it.
        Video("seedance-2.0", "Seedance 2.0", DurationOptions.Range(4, 15), VideoResolutions, [], GatedFields.VideoUrls | GatedFields.AudioUrls, maxVideos: MaxMediaUrls, maxAudio: MaxMediaUrls),
        Video("seedance-2.0-fast", "Seedance 2.0 Fast", DurationOptions.Range(4, 15), VideoResolutions, [], GatedFields.VideoUrls | GatedFields.AudioUrls, maxVideos: MaxMediaUrls, maxAudio: MaxMediaUrls),
        Video("omni-flash-ext", "Omni Flash Ext", DurationOptions.OneOf(null, 4, 6, 8, 10), ["720p", "1080p", "4k"], ["16:9", "9:16"], GatedFields.None, allowedImageCounts: [0, 1, 3]),
        Image("gpt-4o-image", "GPT-4o Image"),
        Image("seedream-4.5", "Seedream 4.5"),
        Image("seedream-5.0-lite", "Seedream 5.0 Lite"),
        Image("nano-banana-pro", "Nano Banana Pro"),
        Image("nano-banana-2", "Nano Banana 2"),
    ];

    private static VeoGenModel Video(
        string slug,
        string name,
        DurationOptions durations,
        Resolution[] resolutions,
        AspectRatio[] ratios,
        GatedFields fields,
        string[]? modes = null,
        string[]? styles = null,
        int maxVideos = 0,
        int maxAudio = 0,
        int[]? allowedImageCounts = null) =>
        new(
            new ModelCapabilities
            {
                Id = slug,
                DisplayName = name,
                Kind = MediaKind.Video,
                AspectRatios = ratios,
                Resolutions = resolutions,
                Durations = durations,
                Modes = modes ?? [],
                Styles = styles ?? [],
                MaxReferenceImages = MaxImageUrls,
                MaxReferenceVideos = maxVideos,
                MaxReferenceAudio = maxAudio,
                MaxPromptLength = MaxPromptLength,
                TypicalGenerationTime = TypicalVideo,
            },
            fields | GatedFields.Duration,
            allowedImageCounts);

    private static VeoGenModel Image(string slug, string name) =>
        new(
            new ModelCapabilities
            {
                Id = slug,
                DisplayName = name,
                Kind = MediaKind.Image,
                Resolutions = ImageResolutions,
                MaxReferenceImages = MaxImageUrls,
                MaxPromptLength = MaxPromptLength,
                TypicalGenerationTime = TypicalImage,
            },
            GatedFields.None);
}
