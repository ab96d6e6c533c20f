namespace MediaGen.MeiGen.Internal;

/// <summary>A price with where it came from.</summary>
internal readonly record struct PricePoint(decimal Credits, PriceProvenance Provenance);

/// <summary>A minimum-billable-seconds floor with where it came from.</summary>
internal readonly record struct FloorPoint(int Seconds, PriceProvenance Provenance);

/// <summary>
/// MeiGen prices in credits: flat per generation, per second by tier × resolution, continuation per second by
/// tier × resolution with minimum billable seconds by duration, and per call by tier × duration. Missing entries
/// are unknown, never 0.
/// </summary>
internal sealed class MeiGenPriceTable
{
    private readonly Dictionary<string, PricePoint> _flat = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, PricePoint> _perSecond = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, PricePoint> _withVideo = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, FloorPoint> _minBillable = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, PricePoint> _perCall = new(StringComparer.OrdinalIgnoreCase);

    public const string OverviewReference = "MeiGen API overview, Credits table (https://docs.meigen.ai/api-reference/introduction)";
    public const string Rev1Reference = "MeiGen POST /api/generate/v2 docs, rev1 pricing examples (https://docs.meigen.ai/api-reference/endpoint/generate)";
    public const string Rev2Reference = "MeiGen POST /api/generate/v2 docs, rev2 referenceVideo billing (https://docs.meigen.ai/en/api-reference/endpoint/generate)";

    public static DateOnly SnapshotDate { get; } = new(2026, 11, 21);

    /// <summary>Gets the prices the docs give (nothing else).</summary>
    public static MeiGenPriceTable Snapshot { get; } = BuildSnapshot();

    public bool IsEmpty => _flat.Count == 0 && _perSecond.Count == 0 && _withVideo.Count == 0 && _minBillable.Count == 0 && _perCall.Count == 0;

    public void SetFlat(ModelId model, decimal credits, PriceProvenance provenance) => _flat[model.Value] = new(credits, provenance);

    public void SetPerSecond(ModelId model, GenerationTier? tier, Resolution resolution, decimal credits, PriceProvenance provenance) =>
        _perSecond[Key(model, tier, resolution)] = new(credits, provenance);

    public void SetWithVideo(ModelId model, GenerationTier? tier, Resolution resolution, decimal credits, PriceProvenance provenance) =>
        _withVideo[Key(model, tier, resolution)] = new(credits, provenance);

    public void SetMinBillable(ModelId model, int duration, int seconds, PriceProvenance provenance) =>
        _minBillable[$"{model.Value}/{duration}"] = new(seconds, provenance);

    public void SetPerCall(ModelId model, GenerationTier? tier, int duration, decimal credits, PriceProvenance provenance) =>
        _perCall[$"{model.Value}/{tier?.Value ?? "*"}/{duration}"] = new(credits, provenance);

    public PricePoint? Flat(ModelId model) => _flat.TryGetValue(model.Value, out var p) ? p : null;

    public PricePoint? PerSecond(ModelId model, GenerationTier? tier, Resolution resolution) =>
        _perSecond.TryGetValue(Key(model, tier, resolution), out var p) ? p : null;

    public PricePoint? WithVideo(ModelId model, GenerationTier? tier, Resolution resolution) =>
        _withVideo.TryGetValue(Key(model, tier, resolution), out var p) ? p : null;

    public FloorPoint? MinBillable(ModelId model, int duration) =>
        _minBillable.TryGetValue($"{model.Value}/{duration}", out var p) ? p : null;

    public PricePoint? PerCall(ModelId model, GenerationTier? tier, int duration) =>
        (tier is { } t && _perCall.TryGetValue($"{model.Value}/{t.Value}/{duration}", out var p)) || _perCall.TryGetValue($"{model.Value}/*/{duration}", out p)
            ? p
            : null;

    public MeiGenPriceTable Clone()
    {
        var copy = new MeiGenPriceTable();
        Copy(_flat, copy._flat);
        Copy(_perSecond, copy._perSecond);
        Copy(_withVideo, copy._withVideo);
        Copy(_minBillable, copy._minBillable);
        Copy(_perCall, copy._perCall);
        return copy;
    }

    private static void Copy<T>(Dictionary<string, T> from, Dictionary<string, T> to)
    {
        foreach (var (k, v) in from)
        {
            to[k] = v;
        }
    }

    /// <summary>The key of a rate; a model without tiers uses <c>*</c> for the tier.</summary>
    private static string Key(ModelId model, GenerationTier? tier, Resolution resolution) => $"{model.Value}/{tier?.Value ?? "*"}/{resolution.Value}";

    private static MeiGenPriceTable BuildSnapshot()
    {
        var overview = new PriceProvenance(PriceSource.Snapshot, SnapshotDate, OverviewReference);
        var rev1 = new PriceProvenance(PriceSource.Snapshot, SnapshotDate, Rev1Reference);
        var rev2 = new PriceProvenance(PriceSource.Snapshot, SnapshotDate, Rev2Reference);
        var table = new MeiGenPriceTable();

        // Flat per image: the overview's Credits table, for the ids it names. Retired rows (GPT image1.5) and rows
        // superseded by newer pricing (Veo 3.1's flat 20 for the old fixed 8 s clip; it is now tier × duration) are left out.
        table.SetFlat(MeiGenModels.ZImageTurbo, 2, overview);
        table.SetFlat(MeiGenModels.Nanobanana2, 5, overview);
        table.SetFlat(MeiGenModels.Seedream50Lite, 5, overview);
        table.SetFlat(MeiGenModels.Seedream45, 5, overview);
        table.SetFlat(MeiGenModels.Gemini3ProImagePreview, 10, overview);
        table.SetFlat(MeiGenModels.LegacyMidjourneyV7, 15, overview);
        table.SetFlat(MeiGenModels.LegacyMidjourneyNiji7, 15, overview);

        // Seedance 2.0 per second. rev1's example (no tier then): "720p × 5 sec = 26 × 5 = 130 credits"; rev2 makes
        // fast the default tier, so the rate is the fast tier's.
        table.SetPerSecond(MeiGenModels.Seedance20, GenerationTier.Fast, Resolution.P720, 26, rev1);

        // Continuation ("with reference video" tier): rev2 480p 8, 720p 14, 1080p 14 credits/s (rev1 said 720p 16; rev2
        // wins), stated without a tier: applied to the default tier (fast). rev1's example: minBillable[5 s] = 9.
        table.SetWithVideo(MeiGenModels.Seedance20, GenerationTier.Fast, Resolution.P480, 8, rev2);
        table.SetWithVideo(MeiGenModels.Seedance20, GenerationTier.Fast, Resolution.P720, 14, rev2);
        table.SetWithVideo(MeiGenModels.Seedance20, GenerationTier.Fast, Resolution.P1080, 14, rev2);
        table.SetMinBillable(MeiGenModels.Seedance20, 5, 9, rev1);
        return table;
    }
}
