namespace MediaGen.Replicate.Internal;

/// <summary>
/// What each of a model's inputs is called on Replicate (§1.10: the names differ per model — <c>image_input</c> vs
/// <c>input_images</c> vs <c>image</c>, <c>resolution</c> vs <c>size</c>, <c>duration</c> vs <c>seconds</c>). A null
/// name means the model's schema has no such input, and the translator drops that setting (and says so).
/// </summary>
internal sealed record ModelInputs
{
    public string? AspectRatio { get; init; } = "aspect_ratio";

    public string? Resolution { get; init; }

    public string? Duration { get; init; }

    public string? Seed { get; init; }

    /// <summary>The reference-image input; with <see cref="ImagesIsSingle"/> it takes one URL (the first frame), else an array.</summary>
    public string? Images { get; init; }

    public bool ImagesIsSingle { get; init; }

    /// <summary>The input for a second image (the last frame) when the reference-image input takes one.</summary>
    public string? LastFrame { get; init; }

    /// <summary>The number-of-outputs input (<c>num_outputs</c>, <c>max_images</c>).</summary>
    public string? Count { get; init; }

    /// <summary>Inputs that must be sent with <see cref="Count"/> (<c>sequential_image_generation: "auto"</c> for Seedream's <c>max_images</c>).</summary>
    public IReadOnlyDictionary<string, string> CountCompanions { get; init; } = new Dictionary<string, string>();

    public string? ReferenceVideos { get; init; }

    public string? ReferenceAudio { get; init; }
}

/// <summary>One Replicate official model: its capabilities, its input names, the doc it comes from, and whether a create may hold the answer.</summary>
/// <param name="Capabilities">What the model accepts (its id is the Replicate slug, <c>owner/name</c>).</param>
/// <param name="Inputs">What its inputs are called.</param>
/// <param name="Source">The schema page the facts come from (replicate-http-api.md §1.10).</param>
/// <param name="PreferWait">Whether a create sends <c>Prefer: wait</c> (short image models only: D1 "a few seconds").</param>
internal sealed record ReplicateModel(ModelCapabilities Capabilities, ModelInputs Inputs, string Source, bool PreferWait)
{
    public string Slug => Capabilities.Id.Value;
}

/// <summary>
/// The official models that overlap the canonical set, as data from the per-version schema pages (M1–M16 in
/// replicate-http-api.md §1.10). Enum values the pages do not print come from the [3p] mirrors the doc names; where no
/// list was found at all the setting is passed through and Replicate's server-side validation (422) has the last word.
/// </summary>
internal static class ReplicateCatalog
{
    public const string Doc = "replicate-http-api.md";

    /// <summary>The date the facts were gathered into the shared vendor doc (the pages themselves are undated copies).</summary>
    public static readonly DateOnly SnapshotDate = new(2026, 12, 2);

    private static readonly TimeSpan ShortImage = TimeSpan.FromSeconds(10); // D1: sync mode suits models that take "a few seconds"
    private static readonly TimeSpan SlowImage = TimeSpan.FromSeconds(20); // [3p] seedream-4: 14.4 s (§1.11)
    private static readonly TimeSpan Video = TimeSpan.FromSeconds(90); // per-model video times NOT FOUND (§1.14)

    private static readonly AspectRatio[] FluxRatios = ["1:1", "16:9", "3:2", "2:3", "4:5", "5:4", "9:16", "3:4", "4:3"];
    private static readonly AspectRatio[] SchnellRatios = ["1:1", "16:9", "21:9", "3:2", "2:3", "4:5", "5:4", "3:4", "4:3", "9:16", "9:21"];
    private static readonly AspectRatio[] VeoRatios = ["16:9", "9:16"];

    // Declared before Snapshot: static fields initialise in order. max_images works with sequential_image_generation "auto" (M9–M11).
    private static readonly IReadOnlyDictionary<string, string> Sequential = new Dictionary<string, string> { ["sequential_image_generation"] = "auto" };

    public static IReadOnlyList<ReplicateModel> Snapshot { get; } =
    [
        Image("google/nano-banana", "Nano Banana", "M1 …/google/nano-banana/versions/f0a9d34b…/api", maxImages: 14, preferWait: true,
            new() { AspectRatio = null, Images = "image_input" }),
        Image("google/nano-banana-pro", "Nano Banana Pro", "M2 …/google/nano-banana-pro/versions/f5318740…/api", maxImages: 14, preferWait: true,
            new() { Resolution = "resolution", Images = "image_input" }, resolutions: ["1K", "2K", "4K"], defaultResolution: "2K"),
        Image("google/nano-banana-2", "Nano Banana 2", "M3 …/google/nano-banana-2/versions/2de9ad5b…/api", maxImages: 14, preferWait: true,
            new() { Resolution = "resolution", Images = "image_input" }, resolutions: ["1K", "2K", "4K"], defaultResolution: "1K"),
        Image("bytedance/seedream-4", "Seedream 4", "M9 …/bytedance/seedream-4/versions/e6cff243…/api", maxImages: 10, preferWait: false,
            new() { Resolution = "size", Images = "image_input", Count = "max_images", CountCompanions = Sequential }, resolutions: ["1K", "2K", "4K"], defaultResolution: "2K", maxCount: 15),
        Image("bytedance/seedream-4.5", "Seedream 4.5", "M10 …/bytedance/seedream-4.5/versions/9fe3b828…/api", maxImages: 14, preferWait: false,
            new() { Resolution = "size", Images = "image_input", Count = "max_images", CountCompanions = Sequential }, resolutions: ["2K", "4K"], maxCount: 15),
        Image("bytedance/seedream-5-lite", "Seedream 5.0 Lite", "M11 …/bytedance/seedream-5-lite/versions/eeb2857d…/api", maxImages: 14, preferWait: false,
            new() { Resolution = "size", Images = "image_input", Count = "max_images", CountCompanions = Sequential }, resolutions: ["2K", "3K"], maxCount: 15),
        Image("black-forest-labs/flux-1.1-pro", "FLUX 1.1 Pro", "M12 …/black-forest-labs/flux-1.1-pro/versions/96ccd0e7…/api", maxImages: 1, preferWait: true,
            new() { Seed = "seed", Images = "image_prompt", ImagesIsSingle = true }, ratios: FluxRatios),
        Image("black-forest-labs/flux-2-pro", "FLUX 2 Pro", "M13 …/black-forest-labs/flux-2-pro/versions/285631b5…/api", maxImages: 8, preferWait: true,
            new() { Seed = "seed", Images = "input_images" }),
        Image("black-forest-labs/flux-schnell", "FLUX Schnell", "M14 https://replicate.com/black-forest-labs/flux-schnell + [3p] option list", maxImages: 0, preferWait: true,
            new() { Seed = "seed", Count = "num_outputs" }, ratios: SchnellRatios, maxCount: 4),
        VideoModel("google/veo-3.1", "Veo 3.1", "M4 …/google/veo-3.1/versions/ed5b1767…/api",
            new() { Resolution = "resolution", Duration = "duration", Seed = "seed", Images = "image", ImagesIsSingle = true, LastFrame = "last_frame" },
            VeoRatios, ["720p", "1080p"], "1080p", DurationOptions.OneOf(8, 4, 6, 8)),
        VideoModel("google/veo-3.1-fast", "Veo 3.1 Fast", "M5 [3p] https://api.core.today/v1/models/google/veo-3.1-fast/llms.txt",
            new() { Resolution = "resolution", Duration = "duration", Seed = "seed", Images = "image", ImagesIsSingle = true, LastFrame = "last_frame" },
            VeoRatios, ["720p", "1080p"], "720p", DurationOptions.OneOf(8, 4, 6, 8)),
        VideoModel("bytedance/seedance-2.0", "Seedance 2.0", "M7 …/bytedance/seedance-2.0/versions/d456b64a…/api",
            new() { Resolution = "resolution", Duration = "duration", Seed = "seed", Images = "image", ImagesIsSingle = true, LastFrame = "last_frame_image", ReferenceVideos = "reference_videos", ReferenceAudio = "reference_audios" },
            [], ["480p", "720p"], "720p", DurationOptions.Range(1, 15, 5), maxVideos: 3, maxAudio: 3),
        VideoModel("bytedance/seedance-2.0-fast", "Seedance 2.0 Fast", "M8 …/bytedance/seedance-2.0-fast/versions/90388a62…/api",
            new() { Resolution = "resolution", Duration = "duration", Seed = "seed", Images = "image", ImagesIsSingle = true, LastFrame = "last_frame_image", ReferenceVideos = "reference_videos", ReferenceAudio = "reference_audios" },
            [], ["480p", "720p"], "720p", DurationOptions.Range(1, 15, 5), maxVideos: 3, maxAudio: 3),
        VideoModel("openai/sora-2", "Sora 2", "M15 …/openai/sora-2/versions/f6dc7d80…/api",
            new() { Duration = "seconds", Images = "input_reference", ImagesIsSingle = true },
            [], [], null, null),
        VideoModel("openai/sora-2-pro", "Sora 2 Pro", "M16 …/openai/sora-2-pro/versions/ccf1a58e…/api",
            new() { Resolution = "resolution", Duration = "seconds", Images = "input_reference", ImagesIsSingle = true },
            [], ["standard", "high"], null, null),
    ];

    /// <summary>The kind of a catalog model by slug, or null for one MediaGen does not describe.</summary>
    public static MediaKind? KindOf(string? slug) =>
        slug is null ? null : Snapshot.FirstOrDefault(m => string.Equals(m.Slug, slug.Trim(), StringComparison.OrdinalIgnoreCase))?.Capabilities.Kind;

    private static ReplicateModel Image(
        string slug,
        string name,
        string source,
        int maxImages,
        bool preferWait,
        ModelInputs inputs,
        AspectRatio[]? ratios = null,
        Resolution[]? resolutions = null,
        Resolution? defaultResolution = null,
        int maxCount = 1) =>
        new(
            new ModelCapabilities
            {
                Id = slug,
                DisplayName = name,
                Kind = MediaKind.Image,
                AspectRatios = ratios ?? [],
                Resolutions = resolutions ?? [],
                DefaultResolution = defaultResolution,
                MaxReferenceImages = maxImages,
                SupportsSeed = inputs.Seed is not null,
                MaxCount = inputs.Count is null ? 1 : maxCount,
                TypicalGenerationTime = preferWait ? ShortImage : SlowImage,
            },
            inputs,
            source,
            preferWait);

    private static ReplicateModel VideoModel(
        string slug,
        string name,
        string source,
        ModelInputs inputs,
        AspectRatio[] ratios,
        Resolution[] resolutions,
        Resolution? defaultResolution,
        DurationOptions? durations,
        int maxVideos = 0,
        int maxAudio = 0) =>
        new(
            new ModelCapabilities
            {
                Id = slug,
                DisplayName = name,
                Kind = MediaKind.Video,
                AspectRatios = ratios,
                Resolutions = resolutions,
                DefaultResolution = defaultResolution,
                Durations = durations,
                MaxReferenceImages = inputs.LastFrame is null ? 1 : 2,
                MaxReferenceVideos = maxVideos,
                MaxReferenceAudio = maxAudio,
                SupportsSeed = inputs.Seed is not null,
                TypicalGenerationTime = Video,
            },
            inputs,
            source,
            PreferWait: false);
}
