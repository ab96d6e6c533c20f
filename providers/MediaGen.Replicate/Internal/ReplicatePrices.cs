namespace MediaGen.Replicate.Internal;

/// <summary>
/// Replicate prices in US dollars as data. The API returns no price (§1.10: R0's model and prediction schemas have no
/// price field); official models are billed by output — per image, per second of video (D9). Only three numbers were
/// found (one on Replicate's own page, two on third-party pages that list the Replicate route); every other model is
/// unknown, never 0. Each rule carries its source and the date it was read.
/// </summary>
internal static class ReplicatePrices
{
    public const string OverridesPath = ReplicateOptions.SectionName + ":PriceOverrides";

    /// <summary>Where the prices' absence is stated.</summary>
    private const string NotFound = "replicate-http-api.md §1.10/§1.14: official price NOT FOUND";

    /// <summary>Appended to every quote's basis: the outputs are deleted an hour after completion (D4, D5).</summary>
    public const string RetentionNote = "Replicate deletes API prediction outputs 1 hour after completion: download them before then";

    public static PriceLayer Snapshot { get; } = new(PriceSource.Snapshot, BuildSnapshot());

    /// <summary>The book: the user's overrides, then the snapshot.</summary>
    public static PriceBook Book(PriceOverrides overrides) =>
        new PriceBook("Replicate", MoneyUnit.Usd, Snapshot) { OverridesPath = OverridesPath }.WithOverrides(overrides.ToLayer(OverridesPath));

    /// <summary>What a request is priced on: the resolution and duration sent (else the model's defaults) and the number of images.</summary>
    public static PriceKey KeyOf(ReplicateModel model, string? resolution, int? seconds, int images) =>
        new(model.Capabilities.Id)
        {
            Resolution = string.IsNullOrWhiteSpace(resolution) ? model.Capabilities.DefaultResolution : new Resolution(resolution),
            DurationSeconds = seconds ?? model.Capabilities.Durations?.DefaultSeconds,
            ImageCount = Math.Max(1, images),
        };

    /// <summary>
    /// Puts the source and date on an unknown quote (the core's <see cref="PriceBook"/> answers an unknown price with its
    /// reason only): what was looked at, and when, so "unknown" is as traceable as a number.
    /// </summary>
    public static PriceQuote WithProvenance(PriceQuote quote, ModelId model)
    {
        if (quote.IsKnown || (quote.Reference is not null && quote.AsOf is not null))
        {
            return quote;
        }

        var rules = Snapshot.For(model);
        var rule = rules.Count > 0 ? rules[0] : null;
        var provenance = rule?.Provenance ?? Source(NotFound);
        return quote with { Reference = quote.Reference ?? provenance.Reference, AsOf = quote.AsOf ?? provenance.AsOf };
    }

    private static PriceProvenance Source(string reference) => new(PriceSource.Snapshot, ReplicateCatalog.SnapshotDate, reference);

    private static List<PriceRule> BuildSnapshot()
    {
        List<PriceRule> rules =
        [
            // [3p] pages that list the Replicate route; dates unknown (§1.10 "Published prices found").
            PriceRule.PerImage("black-forest-labs/flux-1.1-pro", 0.040m, Source("[3p] https://lumenfall.ai/models/black-forest-labs/flux1.1-pro (Replicate route), page date unknown")),
            PriceRule.PerImage("black-forest-labs/flux-schnell", 0.003m, Source("[3p] https://cinemasetfree.com/guides/generators/black-forest-labs/flux-schnell; Replicate's page says only \"priced by how many images are generated\"")),
        ];

        foreach (var model in ReplicateCatalog.Snapshot)
        {
            if (!rules.Exists(r => r.Model == model.Capabilities.Id))
            {
                rules.Add(PriceRule.Unknown(model.Capabilities.Id, $"Replicate publishes no price for {model.Slug} in the pages read, and the API returns none", Source(NotFound)));
            }
        }

        return rules;
    }
}
