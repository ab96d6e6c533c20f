namespace MediaGen.VeoGen.Internal;

/// <summary>
/// VeoGen prices in US dollars as data: the docs' snapshot (dated 2026-11-21), the rules read from
/// <c>GET /models/{slug}</c>, and the pricing key of a translated request. VeoGen bills
/// <c>price_usd × resolution multiplier × (duration when per second)</c>, or per second by resolution with a
/// reference-video rate (Seedance). A number the source did not give is absent, and a quote that needs it is unknown,
/// never 0.
/// </summary>
internal static class VeoGenPrices
{
    public const string OverridesPath = VeoGenOptions.SectionName + ":PriceOverrides";
    private const string NoPricingPage = "VeoGen docs: no Pricing page was found (https://veogenstudio.mintlify.app)";

    /// <summary>Gets the prices the docs give, and the gaps they leave.</summary>
    public static PriceLayer Snapshot { get; } = new(PriceSource.Snapshot, BuildSnapshot());

    /// <summary>
    /// The book: the user's overrides, then the models endpoint (fetched only for a model whose price the snapshot
    /// cannot give; once read it wins), then the snapshot. A price not tied to a resolution is multiplied by the
    /// resolution's multiplier (×1 when none is sent).
    /// </summary>
    public static PriceBook Book(PriceOverrides overrides) =>
        new PriceBook("VeoGen", MoneyUnit.Usd, Snapshot)
        {
            MultipliesByResolution = true,
            OverridesPath = OverridesPath,
        }.WithOverrides(overrides.ToLayer(OverridesPath));

    /// <summary>What a request is priced on: the resolution and duration sent (else the model's default duration), and whether a reference video is.</summary>
    public static PriceKey KeyOf(VeoGenModel model, string? resolution, int? seconds, bool referenceVideo) =>
        new(model.Capabilities.Id)
        {
            Resolution = string.IsNullOrWhiteSpace(resolution) ? (Resolution?)null : new Resolution(resolution),
            DurationSeconds = seconds ?? model.Capabilities.Durations?.DefaultSeconds,
            ReferenceVideo = referenceVideo,
        };

    /// <summary>The rules of one <c>GET /models/{slug}</c> answer: <c>price_usd</c>, <c>multiply_by_duration</c> and <c>resolution_multipliers</c>.</summary>
    public static PriceLayer Live(string slug, ModelWire wire, PriceProvenance provenance)
    {
        var rules = new List<PriceRule>();
        if (wire.PriceUsd is not { } usd)
        {
            rules.Add(PriceRule.Unknown(slug, $"the models endpoint gives no price_usd for {slug}", provenance));
        }
        else if (wire.MultiplyByDuration is not { } perSecond)
        {
            rules.Add(PriceRule.Unknown(slug, $"the models endpoint does not say whether {slug} is billed per second (multiply_by_duration)", provenance));
        }
        else
        {
            rules.Add(perSecond ? PriceRule.PerSecond(slug, usd, provenance) : PriceRule.PerGeneration(slug, usd, provenance));
        }

        foreach (var (resolution, factor) in wire.ResolutionMultipliers ?? new Dictionary<string, decimal>())
        {
            if (!string.IsNullOrWhiteSpace(resolution) && factor > 0)
            {
                rules.Add(PriceRule.ResolutionMultiplier(slug, resolution, factor, provenance));
            }
        }

        return new PriceLayer(PriceSource.Live, rules);
    }

    private static PriceProvenance Docs(string reference) => new(PriceSource.Snapshot, VeoGenCatalog.SnapshotDate, reference);

    private static List<PriceRule> BuildSnapshot()
    {
        var create = Docs(VeoGenCatalog.CreateDoc);
        var veoPage = Docs(VeoGenCatalog.ModelDoc);
        var omniPage = Docs(VeoGenCatalog.OmniDoc);
        var none = Docs(NoPricingPage);
        List<PriceRule> rules =
        [
            PriceRule.PerSecond("grok-video-1", 0.03m, create),
            PriceRule.PerGeneration("veo-3.1-fast", 0.30m, veoPage),
            .. PriceRule.ResolutionMultipliers("veo-3.1-fast", [new("720p", 1m), new("1080p", 1m), new("4k", 3m)], veoPage),
            PriceRule.Unknown("sora-2", "the docs publish no price for sora-2 (the Pricing page was not found)", none),
            PriceRule.Unknown("sora-2-pro", "the docs publish no price for sora-2-pro (the Pricing page was not found)", none),

            // The stored Create Generation page garbles the amounts ("0.132/sfor480p,0.132/s for 480p" = $0.132/s for 480p).
            .. PriceRule.PerSecondByResolution("seedance-2.0", [new("480p", 0.132m), new("720p", 0.284m)], [new("480p", 0.08m), new("720p", 0.1712m)], create),
            .. PriceRule.PerSecondByResolution("seedance-2.0-fast", [new("480p", 0.1056m), new("720p", 0.2288m)], [new("480p", 0.0632m), new("720p", 0.136m)], create),

            // Per-second billing and the multipliers are documented, the base rate is not: the models endpoint supplies it.
            PriceRule.Unknown("omni-flash-ext", "the omni-flash-ext page gives per-second billing and resolution multipliers (1080p ×1.5, 4K ×3) but no base rate", omniPage),
            .. PriceRule.ResolutionMultipliers("omni-flash-ext", [new("720p", 1m), new("1080p", 1.5m), new("4k", 3m)], omniPage),
            PriceRule.PerGeneration("gpt-4o-image", 0.02m, Docs(VeoGenCatalog.QuickstartDoc)),
        ];
        foreach (var slug in (string[])["seedream-4.5", "seedream-5.0-lite", "nano-banana-pro", "nano-banana-2"])
        {
            rules.Add(PriceRule.Unknown(slug, $"the docs publish no price for {slug}", none));
        }

        return rules;
    }
}
