using System.Globalization;

namespace MediaGen;

/// <summary>
/// One vendor's prices in layers read in a fixed order — the user's overrides, then what the vendor's models endpoint
/// says (live), then the snapshot of the vendor's docs — and the quote of a <see cref="PriceKey"/> from them. Every
/// number a formula needs (the amount, a continuation's minimum, a resolution multiplier) is taken from the first
/// layer that has it; within a layer the most specific matching rule wins. The quote names the layer of its amount
/// (<see cref="PriceQuote.Source"/>) and the documents of every number. A price no layer knows is unknown, never 0.
/// Immutable: <see cref="WithOverrides"/> and <see cref="WithLive"/> return a new book.
/// </summary>
public sealed class PriceBook
{
    private const string NoDefault = "its default is not documented";
    private static readonly PriceSetting[] AllSettings = Enum.GetValues<PriceSetting>();

    /// <summary>Creates a book over the vendor's snapshot.</summary>
    /// <param name="vendor">The vendor's display name, used in reasons (e.g. <c>MeiGen</c>).</param>
    /// <param name="unit">The unit the vendor bills in; every amount of every rule is in it.</param>
    /// <param name="snapshot">The snapshot layer, from the vendor's docs.</param>
    public PriceBook(string vendor, MoneyUnit unit, PriceLayer snapshot)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(vendor);
        ArgumentNullException.ThrowIfNull(snapshot);
        if (snapshot.Source != PriceSource.Snapshot)
        {
            throw new ArgumentException($"The snapshot layer holds {snapshot.Source} rules.", nameof(snapshot));
        }

        Vendor = vendor;
        Unit = unit;
        Snapshot = snapshot;
        Overrides = PriceLayer.Empty(PriceSource.Override);
    }

    private PriceBook(PriceBook other)
    {
        Vendor = other.Vendor;
        Unit = other.Unit;
        Snapshot = other.Snapshot;
        Overrides = other.Overrides;
        Live = other.Live;
        MultipliesByResolution = other.MultipliesByResolution;
        GapNote = other.GapNote;
        OverridesPath = other.OverridesPath;
    }

    /// <summary>Gets the vendor's display name.</summary>
    public string Vendor { get; }

    /// <summary>Gets the unit the vendor bills in.</summary>
    public MoneyUnit Unit { get; }

    /// <summary>Gets the user's overrides (read first).</summary>
    public PriceLayer Overrides { get; private init; }

    /// <summary>Gets what the vendor's models endpoint said (read second), or null when it was not read.</summary>
    public PriceLayer? Live { get; private init; }

    /// <summary>Gets the snapshot of the vendor's docs (read last).</summary>
    public PriceLayer Snapshot { get; }

    /// <summary>
    /// Gets whether an amount not tied to a resolution is multiplied by the request's resolution multiplier
    /// (<see cref="PriceRuleKind.ResolutionMultiplier"/>): a request without a resolution is priced at ×1, and one with a
    /// resolution no layer has a multiplier for is unknown.
    /// </summary>
    public bool MultipliesByResolution { get; init; }

    /// <summary>Gets where else a missing price could come from, added to the reason of an unknown quote (e.g. the endpoint's field names).</summary>
    public string? GapNote { get; init; }

    /// <summary>Gets the configuration path of the vendor's overrides (e.g. <c>MediaGen:MeiGen:PriceOverrides</c>), named in the reason of an unknown quote.</summary>
    public string? OverridesPath { get; init; }

    /// <summary>Returns this book with the user's overrides.</summary>
    /// <param name="overrides">The override layer.</param>
    /// <returns>The book.</returns>
    public PriceBook WithOverrides(PriceLayer overrides)
    {
        ArgumentNullException.ThrowIfNull(overrides);
        if (overrides.Source != PriceSource.Override)
        {
            throw new ArgumentException($"The override layer holds {overrides.Source} rules.", nameof(overrides));
        }

        return new PriceBook(this) { Overrides = overrides };
    }

    /// <summary>Returns this book with what the vendor's models endpoint said (null: not read).</summary>
    /// <param name="live">The live layer, or null.</param>
    /// <returns>The book.</returns>
    public PriceBook WithLive(PriceLayer? live)
    {
        if (live is not null && live.Source != PriceSource.Live)
        {
            throw new ArgumentException($"The live layer holds {live.Source} rules.", nameof(live));
        }

        return ReferenceEquals(live, Live) ? this : new PriceBook(this) { Live = live };
    }

    /// <summary>Prices a key.</summary>
    /// <param name="key">What the request is priced on.</param>
    /// <returns>The quote; unknown (never 0) when a number or a setting it needs is missing, saying which.</returns>
    public PriceQuote Quote(PriceKey key) => Evaluate(key).Quote;

    /// <summary>
    /// Gets whether the key's price is unknown because no layer has a number it needs (so another source, such as the
    /// vendor's models endpoint, could supply it) — not because the request lacks a setting.
    /// </summary>
    /// <param name="key">What the request is priced on.</param>
    /// <returns>Whether a number is missing.</returns>
    public bool LacksPriceFor(PriceKey key) => Evaluate(key).LacksData;

    private IEnumerable<PriceLayer> Layers()
    {
        yield return Overrides;
        if (Live is { } live)
        {
            yield return live;
        }

        yield return Snapshot;
    }

    private Outcome Evaluate(PriceKey key)
    {
        ArgumentNullException.ThrowIfNull(key);

        // The book is immutable, so what it says of a key is the same every time: said once, kept (bounded). Every quote
        // made it again (a label, a basis, and for a model the docs do not price, the reason with its LINQ). The cache is
        // made on a book's second evaluation: a book made for one quote (a live layer merged per call) never makes one.
        var cache = _outcomes;
        if (cache is null)
        {
            if (Interlocked.Increment(ref _evaluations) < 2)
            {
                return EvaluateOnce(key);
            }

            cache = LazyInitializer.EnsureInitialized(ref _outcomes, () => new System.Collections.Concurrent.ConcurrentDictionary<PriceKey, Outcome>());
        }

        if (cache.TryGetValue(key, out var known))
        {
            return known;
        }

        var outcome = EvaluateOnce(key);
        if (cache.Count < MaxKeptOutcomes)
        {
            cache.TryAdd(key, outcome);
        }

        return outcome;
    }

    private Outcome EvaluateOnce(PriceKey key)
    {
        var rule = First(key, Rule.Formula, 0);
        if (rule is null)
        {
            return NoFormula(key);
        }

        var amount = new Money(rule.Value, Unit);
        var label = Label(rule.When.ToString());
        var provenance = rule.Provenance;
        PriceQuote quote;
        switch (rule.Kind)
        {
            case PriceRuleKind.PerImage:
                if (key.ImageCount < 1)
                {
                    return NeedsSetting(string.Create(CultureInfo.InvariantCulture, $"{Vendor} prices {key.Model} per image and the request asks for {key.ImageCount} images; ask for at least one to get a price"));
                }

                quote = PriceCalculator.PerImage(amount, key.ImageCount, provenance, label);
                break;
            case PriceRuleKind.PerSecond:
                if (key.DurationSeconds is not { } seconds)
                {
                    return NoDuration(key, "per second");
                }

                quote = PriceCalculator.PerSecond(amount, seconds, provenance, label);
                break;
            case PriceRuleKind.Continuation:
                if (key.DurationSeconds is not { } duration)
                {
                    return NoDuration(key, "a continuation per second");
                }

                if (key.ReferenceVideoSeconds is not { } reference)
                {
                    return NeedsSetting($"{Vendor} bills a continuation on {key.Model} on the reference video's length, which was not given; set ReferenceVideo.DurationSeconds to get a price");
                }

                var floor = First(key, Rule.MinimumSeconds, duration);
                if (floor is null)
                {
                    return NeedsData(string.Create(CultureInfo.InvariantCulture, $"the minimum billable seconds of a {duration} s continuation on {key.Model} are not known at {Vendor}"), key);
                }

                provenance = Combine(provenance, floor.Provenance, "rate", "minimum");
                quote = PriceCalculator.Continuation(amount, reference, duration, (int)floor.Value, provenance, label is null ? "continuation" : $"{label}, continuation");
                break;
            default:
                quote = PriceCalculator.PerGeneration(amount, provenance, label);
                break;
        }

        if (!MultipliesByResolution || rule.When.Resolution is not null || key.Resolution is not { } resolution)
        {
            return new(quote, false);
        }

        var multiplier = First(key, Rule.Multiplier, 0);
        if (multiplier is null)
        {
            var known = Layers().SelectMany(l => l.For(key.Model)).Where(r => r.Kind == PriceRuleKind.ResolutionMultiplier)
                .Select(r => string.Create(CultureInfo.InvariantCulture, $"{r.When.Resolution} ×{r.Value:0.####}")).Distinct().ToList();
            return NeedsData($"the price multiplier for {resolution} on {key.Model} is not known at {Vendor} (known: {(known.Count == 0 ? "none" : string.Join(", ", known))})", key);
        }

        var multiplied = PriceCalculator.Multiply(quote, multiplier.Value, resolution.Value);
        return new(multiplied with { Reference = Combine(provenance, multiplier.Provenance, "price", "multiplier").Reference }, false);
    }

    /// <summary>No formula applies: either the request lacks a setting the rules are keyed by, or no layer has a price.</summary>
    private Outcome NoFormula(PriceKey key)
    {
        var candidates = Layers().SelectMany(l => l.For(key.Model))
            .Where(r => r.IsFormula && (r.Kind == PriceRuleKind.Continuation) == key.BilledAsContinuation)
            .ToList();
        List<PriceSetting> lacking = candidates.Count == 0 ? [] : [.. candidates.Where(r => r.When.MatchesWhereKnown(key)).SelectMany(r => r.When.Lacking(key)).Distinct().Order()];
        var what = key.BilledAsContinuation ? "continuation rate" : "price";
        if (lacking.Count > 0)
        {
            var by = candidates.SelectMany(r => AllSettings.Where(s => r.When.ValueOf(s) is not null)).Distinct().Order().Select(Name);
            var set = lacking.Select(s => $"{Field(s)} (known: {string.Join(", ", candidates.Select(r => r.When.ValueOf(s)).OfType<string>().Distinct(StringComparer.OrdinalIgnoreCase))})");
            var noDefault = lacking.Count == 1 ? NoDefault : "their defaults are not documented";
            return NeedsSetting($"{Vendor} prices {key.Model} by {string.Join(" and ", by)}; the request sets no {string.Join(" or ", lacking.Select(Name))} and {noDefault}; set {string.Join(" and ", set)} to get a price");
        }

        var gap = Layers().SelectMany(l => l.For(key.Model)).FirstOrDefault(r => r.Kind == PriceRuleKind.Unknown);
        if (gap is not null)
        {
            return NeedsData(gap.Reason!, key, withNote: false);
        }

        if (candidates.Count == 0)
        {
            return NeedsData($"no {Vendor} {what} for {key.Model} is known", key);
        }

        var at = string.Join(", ", PriceConditions.Describe(key.Tier, key.Resolution, key.DurationSeconds, key.Mode, key.Quality, key.Audio, key.ReferenceVideo ? true : null));
        var knownAt = string.Join("; ", candidates.Select(r => r.When.ToString()).Where(t => t.Length > 0).Distinct(StringComparer.OrdinalIgnoreCase));
        return NeedsData($"no {Vendor} {what} for {key.Model}{(at.Length > 0 ? $" at {at}" : string.Empty)} is known (known: {(knownAt.Length > 0 ? knownAt : "none")})", key);
    }

    private const int MaxKeptOutcomes = 256;

    private System.Collections.Concurrent.ConcurrentDictionary<PriceKey, Outcome>? _outcomes;
    private int _evaluations;

    private Outcome NoDuration(PriceKey key, string how) =>
        NeedsSetting($"{Vendor} bills {key.Model} {how}, the request sets no duration and {NoDefault}; set DurationSeconds to get a price");

    private static Outcome NeedsSetting(string reason) => new(PriceQuote.Unknown(reason), false);

    private Outcome NeedsData(string reason, PriceKey key, bool withNote = true)
    {
        var note = withNote && GapNote is { } n ? $" ({n})" : string.Empty;
        var fix = OverridesPath is { } path ? $"; set {path}:{key.Model} to price it" : string.Empty;
        return new(PriceQuote.Unknown($"{reason}{note}{fix}"), true);
    }

    /// <summary>Which rules <see cref="First"/> looks for (every quote looks: no closure, no iterator per call).</summary>
    private enum Rule
    {
        /// <summary>A formula of the key's billing (continuation or not) whose conditions match the key.</summary>
        Formula,

        /// <summary>The minimum billable seconds of a continuation of the given duration.</summary>
        MinimumSeconds,

        /// <summary>The multiplier for the key's resolution.</summary>
        Multiplier,
    }

    /// <summary>The first layer's most specific rule of the kind sought (among equals, the last given): overrides, then live, then the snapshot.</summary>
    private PriceRule? First(PriceKey key, Rule sought, int duration) =>
        Best(Overrides, key, sought, duration) ?? (Live is { } live ? Best(live, key, sought, duration) : null) ?? Best(Snapshot, key, sought, duration);

    private static PriceRule? Best(PriceLayer layer, PriceKey key, Rule sought, int duration)
    {
        PriceRule? best = null;
        var rules = layer.For(key.Model);
        for (var i = 0; i < rules.Count; i++)
        {
            var rule = rules[i];
            var wanted = sought switch
            {
                Rule.Formula => rule.IsFormula && (rule.Kind == PriceRuleKind.Continuation) == key.BilledAsContinuation && rule.When.Matches(key),
                Rule.MinimumSeconds => rule.Kind == PriceRuleKind.MinimumBillableSeconds && rule.When.DurationSeconds == duration,
                _ => rule.Kind == PriceRuleKind.ResolutionMultiplier && rule.When.Resolution == key.Resolution,
            };
            if (wanted && (best is null || rule.When.Specificity >= best.When.Specificity))
            {
                best = rule;
            }
        }

        return best;
    }

    private static PriceProvenance Combine(PriceProvenance main, PriceProvenance other, string mainName, string otherName) =>
        main == other ? main : main with { Reference = $"{mainName}: {main.Reference ?? main.Source.ToString()}; {otherName}: {other.Reference ?? other.Source.ToString()}" };

    private static string? Label(string conditions) => conditions.Length == 0 ? null : conditions;

    private static string Name(PriceSetting setting) => setting switch
    {
        PriceSetting.Duration => "duration",
        _ => setting.ToString().ToLowerInvariant(),
    };

    private static string Field(PriceSetting setting) => setting switch
    {
        PriceSetting.Tier => nameof(GenerationRequest.Tier),
        PriceSetting.Resolution => nameof(GenerationRequest.Resolution),
        PriceSetting.Duration => nameof(GenerationRequest.DurationSeconds),
        PriceSetting.Mode => nameof(GenerationRequest.Mode),
        PriceSetting.Quality => nameof(GenerationRequest.Quality),
        _ => "the audio provider option",
    };

    private readonly record struct Outcome(PriceQuote Quote, bool LacksData);
}
