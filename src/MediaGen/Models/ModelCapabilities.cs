namespace MediaGen;

/// <summary>What one vendor model accepts and produces. Requests are validated against it before any network call.</summary>
public sealed record ModelCapabilities
{
    /// <summary>Gets the vendor's model id.</summary>
    public required ModelId Id { get; init; }

    /// <summary>Gets a display name.</summary>
    public string? DisplayName { get; init; }

    /// <summary>Gets the kind of media produced.</summary>
    public required MediaKind Kind { get; init; }

    /// <summary>Gets the explicit aspect ratios offered; empty means any ratio is passed through unchecked.</summary>
    public IReadOnlyList<AspectRatio> AspectRatios { get; init; } = [];

    /// <summary>Gets whether <c>auto</c> is accepted.</summary>
    public bool SupportsAutoAspectRatio { get; init; }

    /// <summary>Gets whether <c>adaptive</c> is accepted (needs a reference image or video).</summary>
    public bool SupportsAdaptiveAspectRatio { get; init; }

    /// <summary>Gets the resolutions offered; empty means the model takes no resolution setting.</summary>
    public IReadOnlyList<Resolution> Resolutions { get; init; } = [];

    /// <summary>Gets per-tier resolution lists where they differ from <see cref="Resolutions"/>.</summary>
    public IReadOnlyDictionary<GenerationTier, IReadOnlyList<Resolution>> ResolutionsByTier { get; init; } =
        new Dictionary<GenerationTier, IReadOnlyList<Resolution>>();

    /// <summary>Gets the default resolution, when known.</summary>
    public Resolution? DefaultResolution { get; init; }

    /// <summary>Gets the accepted durations (video), or null when the model takes none.</summary>
    public DurationOptions? Durations { get; init; }

    /// <summary>Gets the tiers offered; empty means the model has no tiers.</summary>
    public IReadOnlyList<GenerationTier> Tiers { get; init; } = [];

    /// <summary>Gets the default tier, when the model has tiers.</summary>
    public GenerationTier? DefaultTier { get; init; }

    /// <summary>Gets the qualities offered; empty means the model takes no quality setting.</summary>
    public IReadOnlyList<string> Qualities { get; init; } = [];

    /// <summary>Gets the modes offered; empty means none.</summary>
    public IReadOnlyList<string> Modes { get; init; } = [];

    /// <summary>Gets the style presets offered; empty means none.</summary>
    public IReadOnlyList<string> Styles { get; init; } = [];

    /// <summary>Gets the maximum number of reference images (0: none accepted).</summary>
    public int MaxReferenceImages { get; init; }

    /// <summary>Gets the maximum number of reference videos (0: none accepted).</summary>
    public int MaxReferenceVideos { get; init; }

    /// <summary>Gets the maximum number of reference audio tracks (0: none accepted).</summary>
    public int MaxReferenceAudio { get; init; }

    /// <summary>Gets whether a reference video must carry its length (continuation billing needs it).</summary>
    public bool ReferenceVideoRequiresDuration { get; init; }

    /// <summary>Gets whether reference mode (content/style) is accepted.</summary>
    public bool SupportsReferenceMode { get; init; }

    /// <summary>Gets whether a seed is accepted.</summary>
    public bool SupportsSeed { get; init; }

    /// <summary>Gets the maximum prompt length in characters.</summary>
    public int MaxPromptLength { get; init; } = 2000;

    /// <summary>Gets the maximum number of outputs per request (1: the model takes no count setting).</summary>
    public int MaxCount { get; init; } = 1;

    /// <summary>Gets the number of outputs a job produces when the request gives no count (Midjourney: 4).</summary>
    public int OutputsPerJob { get; init; } = 1;

    /// <summary>Gets the documented typical generation time, used to schedule the first status poll.</summary>
    public TimeSpan TypicalGenerationTime { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>Gets the resolutions offered for a tier (the per-tier list where there is one).</summary>
    /// <param name="tier">The tier, or null.</param>
    /// <returns>The resolutions.</returns>
    public IReadOnlyList<Resolution> ResolutionsFor(GenerationTier? tier) =>
        tier is { } t && ResolutionsByTier.TryGetValue(t, out var list) ? list : Resolutions;
}
