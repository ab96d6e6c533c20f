using System.Text.Json.Nodes;
using MediaGen.Providers;

namespace MediaGen.MeiGen.Internal;

/// <summary>A price with where it came from.</summary>
internal readonly record struct PricePoint(decimal Credits, PriceProvenance Provenance);

/// <summary>A minimum-billable-seconds floor with where it came from.</summary>
internal readonly record struct FloorPoint(int Seconds, PriceProvenance Provenance);

/// <summary>
/// MeiGen prices in credits, as <see cref="PriceRule"/>s written in MeiGen's vocabulary: flat per generation, per second
/// by tier × resolution, continuation per second by tier × resolution with minimum billable seconds by duration, and
/// per call by tier × duration. <see cref="Snapshot"/> holds the docs' numbers (nothing else); the models endpoint's
/// numbers are read into another instance. The pricing key of a translated body is <see cref="KeyOf"/>.
/// </summary>
internal sealed class MeiGenPrices
{
    public const string OverviewReference = "MeiGen API overview, Credits table (https://docs.meigen.ai/api-reference/introduction)";
    public const string Rev1Reference = "MeiGen POST /api/generate/v2 docs, rev1 pricing examples (https://docs.meigen.ai/api-reference/endpoint/generate)";
    public const string Rev2Reference = "MeiGen POST /api/generate/v2 docs, rev2 referenceVideo billing (https://docs.meigen.ai/en/api-reference/endpoint/generate)";

    public const string Veo31Reference = "MeiGen API overview, Credits table: \"Veo 3.1 = 20\" (published for rev1's one fixed 8 s clip; applied to rev2's default fast tier at 8 s only)";
    public const string LegacyV7Reference = "MeiGen API overview, Credits table: \"Midjourney V7 = 15\" (rev2 serves the legacy id midjourney-v7 as V8.1, whose price the docs do not give)";

    private const string GapNote = "not in the MeiGen docs, and GET /api/models has not supplied it in credits_per_generation or extra_config's pricingPerSec, pricingPerSecWithVideo, minBillableTable or pricingPerCall";

    private readonly List<PriceRule> _rules = [];

    public static DateOnly SnapshotDate { get; } = new(2026, 11, 21);

    /// <summary>Gets the prices the docs give (nothing else).</summary>
    public static MeiGenPrices Snapshot { get; } = BuildSnapshot();

    private static PriceLayer SnapshotLayer { get; } = Snapshot.ToLayer(PriceSource.Snapshot);

    public bool IsEmpty => _rules.Count == 0;

    /// <summary>The book: the user's overrides, then the live layer the catalog hands each quote, then the snapshot.</summary>
    public static PriceBook Book(PriceOverrides overrides) =>
        new PriceBook("MeiGen", Credits, SnapshotLayer)
        {
            GapNote = GapNote,
            OverridesPath = OverridesPath,
        }.WithOverrides(overrides.ToLayer(OverridesPath));

    /// <summary>
    /// What a translated body is priced on: the tier, resolution and duration sent (else the model's defaults), and
    /// whether it continues a reference video (a per-second model with <c>referenceVideo</c> is billed as a continuation).
    /// </summary>
    public static PriceKey KeyOf(JsonObject body, MeiGenModel model)
    {
        var caps = model.Capabilities;
        var tierText = LooseJson.Text(body["tier"]);
        GenerationTier? tier = caps.Tiers.Count == 0 ? null : string.IsNullOrWhiteSpace(tierText) ? caps.DefaultTier : new GenerationTier(tierText);
        var resolutionText = LooseJson.Text(body["resolution"]);
        Resolution? resolution = string.IsNullOrWhiteSpace(resolutionText) ? caps.DefaultResolution : new Resolution(resolutionText);
        var duration = (double?)LooseJson.Number(body["duration"], acceptText: false) is { } d ? (int)Math.Ceiling(d) : caps.Durations?.DefaultSeconds;
        var hasVideo = !string.IsNullOrWhiteSpace(LooseJson.Text(body["referenceVideo"]));
        return new PriceKey(model.Id)
        {
            Tier = tier,
            Resolution = resolution,
            DurationSeconds = duration,
            ReferenceVideo = hasVideo,
            BilledAsContinuation = hasVideo && model.Billing == MeiGenBilling.PerSecond,
            ReferenceVideoSeconds = (double?)LooseJson.Number(body["referenceVideoDuration"], acceptText: false),
        };
    }

    public void SetFlat(ModelId model, decimal credits, PriceProvenance provenance) =>
        _rules.Add(PriceRule.PerGeneration(model, credits, provenance));

    public void SetPerSecond(ModelId model, GenerationTier? tier, Resolution resolution, decimal credits, PriceProvenance provenance) =>
        _rules.Add(PriceRule.PerSecond(model, credits, provenance, At(tier, resolution)));

    public void SetWithVideo(ModelId model, GenerationTier? tier, Resolution resolution, decimal credits, PriceProvenance provenance) =>
        _rules.Add(PriceRule.Continuation(model, credits, provenance, At(tier, resolution)));

    public void SetMinBillable(ModelId model, int duration, int seconds, PriceProvenance provenance) =>
        _rules.Add(PriceRule.MinimumBillableSeconds(model, duration, seconds, provenance));

    /// <summary>A per-call price; a null tier applies to every tier.</summary>
    public void SetPerCall(ModelId model, GenerationTier? tier, int duration, decimal credits, PriceProvenance provenance) =>
        _rules.Add(PriceRule.PerGeneration(model, credits, provenance, new PriceConditions { Tier = tier, DurationSeconds = duration }));

    public PriceLayer ToLayer(PriceSource source) => new(source, _rules);

    // Reads of single numbers, as the models parser wrote them.
    public PricePoint? Flat(ModelId model) => Point(model, PriceRuleKind.PerGeneration, PriceConditions.Any);

    public PricePoint? PerSecond(ModelId model, GenerationTier? tier, Resolution resolution) => Point(model, PriceRuleKind.PerSecond, At(tier, resolution));

    public PricePoint? WithVideo(ModelId model, GenerationTier? tier, Resolution resolution) => Point(model, PriceRuleKind.Continuation, At(tier, resolution));

    public FloorPoint? MinBillable(ModelId model, int duration) =>
        Point(model, PriceRuleKind.MinimumBillableSeconds, new PriceConditions { DurationSeconds = duration }) is { } p ? new FloorPoint((int)p.Credits, p.Provenance) : null;

    public PricePoint? PerCall(ModelId model, GenerationTier? tier, int duration) =>
        Point(model, PriceRuleKind.PerGeneration, new PriceConditions { Tier = tier, DurationSeconds = duration })
        ?? Point(model, PriceRuleKind.PerGeneration, new PriceConditions { DurationSeconds = duration });

    private static string OverridesPath => MeiGenOptions.SectionName + ":PriceOverrides";

    private static MoneyUnit Credits { get; } = MoneyUnit.Credits(MeiGenProvider.Name);

    /// <summary>The conditions of a rate; a model without tiers has none for the tier.</summary>
    private static PriceConditions At(GenerationTier? tier, Resolution resolution) => new() { Tier = tier, Resolution = resolution };

    private PricePoint? Point(ModelId model, PriceRuleKind kind, PriceConditions when) =>
        _rules.LastOrDefault(r => r.Model == model && r.Kind == kind && r.When == when) is { } rule ? new PricePoint(rule.Value, rule.Provenance) : null;

    private static MeiGenPrices BuildSnapshot()
    {
        var overview = new PriceProvenance(PriceSource.Snapshot, SnapshotDate, OverviewReference);
        var rev1 = new PriceProvenance(PriceSource.Snapshot, SnapshotDate, Rev1Reference);
        var rev2 = new PriceProvenance(PriceSource.Snapshot, SnapshotDate, Rev2Reference);
        var table = new MeiGenPrices();

        // Flat per image: the overview's Credits table, for the ids it names. The retired row (GPT image1.5) is left out.
        // midjourney-v7 keeps the overview's "Midjourney V7 = 15": rev2 serves the legacy id as V8.1 since 2026-05-09 and
        // gives V8.1 no price, so the overview's row is the only figure for that id (GET /api/models overrides it live).
        table.SetFlat(MeiGenModels.ZImageTurbo, 2, overview);
        table.SetFlat(MeiGenModels.Nanobanana2, 5, overview);
        table.SetFlat(MeiGenModels.Seedream50Lite, 5, overview);
        table.SetFlat(MeiGenModels.Seedream45, 5, overview);
        table.SetFlat(MeiGenModels.Gemini3ProImagePreview, 10, overview);
        table.SetFlat(MeiGenModels.LegacyMidjourneyV7, 15, new PriceProvenance(PriceSource.Snapshot, SnapshotDate, LegacyV7Reference));
        table.SetFlat(MeiGenModels.LegacyMidjourneyNiji7, 15, overview);

        // Seedance 2.0 per second. rev1's example (no tier then): "720p × 5 sec = 26 × 5 = 130 credits"; rev2 makes
        // fast the default tier, so the rate is the fast tier's.
        table.SetPerSecond(MeiGenModels.Seedance20, GenerationTier.Fast, Resolution.P720, 26, rev1);

        // Veo 3.1: the overview's "Veo 3.1 = 20" was published when rev1 served one fixed 8 s clip without tiers; rev2 prices
        // tier × duration "on the Models page" without numbers. One rule: 20 is the fast tier (rev2's default, which the
        // translator always sends) at 8 s; every other tier × duration is unknown until GET /api/models supplies it.
        table.SetPerCall(MeiGenModels.Veo31, GenerationTier.Fast, 8, 20, new PriceProvenance(PriceSource.Snapshot, SnapshotDate, Veo31Reference));

        // Continuation ("with reference video" tier): rev2 480p 8, 720p 14, 1080p 14 credits/s (rev1 said 720p 16; rev2
        // wins), stated without a tier: applied to the default tier (fast). rev1's example: minBillable[5 s] = 9.
        table.SetWithVideo(MeiGenModels.Seedance20, GenerationTier.Fast, Resolution.P480, 8, rev2);
        table.SetWithVideo(MeiGenModels.Seedance20, GenerationTier.Fast, Resolution.P720, 14, rev2);
        table.SetWithVideo(MeiGenModels.Seedance20, GenerationTier.Fast, Resolution.P1080, 14, rev2);
        table.SetMinBillable(MeiGenModels.Seedance20, 5, 9, rev1);
        return table;
    }
}
