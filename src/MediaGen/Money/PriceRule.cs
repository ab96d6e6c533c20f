namespace MediaGen;

/// <summary>What a <see cref="PriceRule"/> supplies: one of the formulas vendors bill by, or a number such a formula needs.</summary>
public enum PriceRuleKind
{
    /// <summary>A flat price per generation.</summary>
    PerGeneration,

    /// <summary>A price per image, times the number of images.</summary>
    PerImage,

    /// <summary>A rate per second, times the duration.</summary>
    PerSecond,

    /// <summary>
    /// A continuation rate: <c>max(ceil(reference) + duration, minimum) × rate</c>, with the minimum from a
    /// <see cref="MinimumBillableSeconds"/> rule. Prices only a key billed as a continuation, and only it does.
    /// </summary>
    Continuation,

    /// <summary>The minimum billable seconds of a continuation (the value) for the duration in <see cref="PriceConditions.DurationSeconds"/>.</summary>
    MinimumBillableSeconds,

    /// <summary>
    /// The multiplier (the value) for the resolution in <see cref="PriceConditions.Resolution"/>, applied to a price not tied to a
    /// resolution in a book that multiplies by resolution.
    /// </summary>
    ResolutionMultiplier,

    /// <summary>A documented gap: no price is known for the model, and <see cref="PriceRule.Reason"/> says why.</summary>
    Unknown,
}

/// <summary>
/// When a <see cref="PriceRule"/> applies: each setting given must equal the key's (tiers, resolutions, modes and qualities
/// ignore case); a setting left null matches any value. A price keyed by a tuple (tier × resolution, mode × audio,
/// duration × audio, …) is one rule per tuple.
/// </summary>
public sealed record PriceConditions
{
    private readonly string? _mode;
    private readonly string? _quality;

    /// <summary>Gets the conditions that match every key.</summary>
    public static PriceConditions Any { get; } = new();

    /// <summary>Gets the tier the rule applies to, or null for any.</summary>
    public GenerationTier? Tier { get; init; }

    /// <summary>Gets the resolution the rule applies to, or null for any.</summary>
    public Resolution? Resolution { get; init; }

    /// <summary>Gets the duration in seconds the rule applies to, or null for any.</summary>
    public int? DurationSeconds { get; init; }

    /// <summary>Gets the mode the rule applies to (lower case), or null for any.</summary>
    public string? Mode { get => _mode; init => _mode = Normalize(value); }

    /// <summary>Gets the quality the rule applies to (lower case), or null for any.</summary>
    public string? Quality { get => _quality; init => _quality = Normalize(value); }

    /// <summary>Gets whether the rule applies with audio (true) or without (false), or null for either.</summary>
    public bool? Audio { get; init; }

    /// <summary>Gets whether the rule applies with a reference video (true) or without (false), or null for either.</summary>
    public bool? ReferenceVideo { get; init; }

    /// <summary>Gets how many settings the conditions name; among matching rules of one layer the most specific wins.</summary>
    public int Specificity =>
        (Tier is null ? 0 : 1) + (Resolution is null ? 0 : 1) + (DurationSeconds is null ? 0 : 1) + (Mode is null ? 0 : 1)
        + (Quality is null ? 0 : 1) + (Audio is null ? 0 : 1) + (ReferenceVideo is null ? 0 : 1);

    /// <summary>Gets whether every setting the conditions name equals the key's.</summary>
    /// <param name="key">The key.</param>
    /// <returns>Whether the rule applies to the key.</returns>
    public bool Matches(PriceKey key)
    {
        ArgumentNullException.ThrowIfNull(key);
        return (Tier is not { } t || key.Tier == t)
            && (Resolution is not { } r || key.Resolution == r)
            && (DurationSeconds is not { } d || key.DurationSeconds == d)
            && (Mode is null || Mode == key.Mode)
            && (Quality is null || Quality == key.Quality)
            && (Audio is not { } a || key.Audio == a)
            && (ReferenceVideo is not { } v || key.ReferenceVideo == v);
    }

    /// <summary>Describes the conditions, e.g. <c>720p, fast tier</c> (empty for <see cref="Any"/>).</summary>
    /// <returns>The text.</returns>
    public override string ToString() => string.Join(", ", Describe(Tier, Resolution, DurationSeconds, Mode, Quality, Audio, ReferenceVideo));

    /// <summary>Whether the conditions hold on every setting the key has (a setting the key lacks is not compared).</summary>
    internal bool MatchesWhereKnown(PriceKey key) =>
        (Tier is not { } t || key.Tier is not { } kt || t == kt)
        && (Resolution is not { } r || key.Resolution is not { } kr || r == kr)
        && (DurationSeconds is not { } d || key.DurationSeconds is not { } kd || d == kd)
        && (Mode is null || key.Mode is null || Mode == key.Mode)
        && (Quality is null || key.Quality is null || Quality == key.Quality)
        && (Audio is not { } a || key.Audio is not { } ka || a == ka)
        && (ReferenceVideo is not { } v || v == key.ReferenceVideo);

    /// <summary>The settings these conditions name that the key does not have.</summary>
    internal List<PriceSetting> Lacking(PriceKey key)
    {
        var lacking = new List<PriceSetting>();
        if (Tier is not null && key.Tier is null)
        {
            lacking.Add(PriceSetting.Tier);
        }

        if (Resolution is not null && key.Resolution is null)
        {
            lacking.Add(PriceSetting.Resolution);
        }

        if (DurationSeconds is not null && key.DurationSeconds is null)
        {
            lacking.Add(PriceSetting.Duration);
        }

        if (Mode is not null && key.Mode is null)
        {
            lacking.Add(PriceSetting.Mode);
        }

        if (Quality is not null && key.Quality is null)
        {
            lacking.Add(PriceSetting.Quality);
        }

        if (Audio is not null && key.Audio is null)
        {
            lacking.Add(PriceSetting.Audio);
        }

        return lacking;
    }

    /// <summary>The value these conditions give a setting, as text (null when they name none).</summary>
    internal string? ValueOf(PriceSetting setting) => setting switch
    {
        PriceSetting.Tier => Tier?.Value,
        PriceSetting.Resolution => Resolution?.Value,
        PriceSetting.Duration => DurationSeconds is { } d ? FormattableString.Invariant($"{d} s") : null,
        PriceSetting.Mode => Mode,
        PriceSetting.Quality => Quality,
        PriceSetting.Audio => Audio is { } a ? (a ? "with audio" : "without audio") : null,
        _ => null,
    };

    /// <summary>Describes a set of settings in the order resolution, tier, duration, mode, quality, audio, reference video.</summary>
    internal static IEnumerable<string> Describe(GenerationTier? tier, Resolution? resolution, int? duration, string? mode, string? quality, bool? audio, bool? referenceVideo)
    {
        if (resolution is { } r)
        {
            yield return r.Value;
        }

        if (tier is { } t)
        {
            yield return $"{t.Value} tier";
        }

        if (duration is { } d)
        {
            yield return FormattableString.Invariant($"{d} s");
        }

        if (mode is not null)
        {
            yield return mode;
        }

        if (quality is not null)
        {
            yield return $"{quality} quality";
        }

        if (audio is { } a)
        {
            yield return a ? "with audio" : "without audio";
        }

        if (referenceVideo is true)
        {
            yield return "reference-video rate";
        }
    }

    internal static string? Normalize(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim().ToLowerInvariant();
}

/// <summary>A request setting a price can depend on (named in an unknown quote's reason).</summary>
internal enum PriceSetting
{
    Tier,
    Resolution,
    Duration,
    Mode,
    Quality,
    Audio,
}

/// <summary>
/// One price fact of one model as data: a formula's amount (<see cref="PriceRuleKind.PerGeneration"/>, per image, per
/// second, continuation), a number a formula needs (a continuation's minimum billable seconds, a resolution multiplier)
/// or a documented gap, under <see cref="When"/>, with where it came from. Rules live in a <see cref="PriceLayer"/>;
/// a <see cref="PriceBook"/> reads the layers in order override → live → snapshot.
/// </summary>
public sealed record PriceRule
{
    /// <summary>Gets the vendor's model id.</summary>
    public required ModelId Model { get; init; }

    /// <summary>Gets what the rule supplies.</summary>
    public required PriceRuleKind Kind { get; init; }

    /// <summary>
    /// Gets the number, in the book's unit where it is money: the amount, the rate per second, the minimum billable
    /// seconds or the multiplier (0 for <see cref="PriceRuleKind.Unknown"/>).
    /// </summary>
    public decimal Value { get; init; }

    /// <summary>Gets when the rule applies.</summary>
    public PriceConditions When { get; init; } = PriceConditions.Any;

    /// <summary>Gets where the number came from; its <see cref="PriceProvenance.Source"/> is the layer's.</summary>
    public required PriceProvenance Provenance { get; init; }

    /// <summary>Gets why no price is known (for <see cref="PriceRuleKind.Unknown"/>).</summary>
    public string? Reason { get; init; }

    /// <summary>A flat price per generation.</summary>
    /// <param name="model">The model.</param>
    /// <param name="amount">The price.</param>
    /// <param name="provenance">Where it came from.</param>
    /// <param name="when">When it applies (default: always).</param>
    /// <returns>The rule.</returns>
    public static PriceRule PerGeneration(ModelId model, decimal amount, PriceProvenance provenance, PriceConditions? when = null) =>
        Money(model, PriceRuleKind.PerGeneration, amount, provenance, when);

    /// <summary>A price per image (times the number of images).</summary>
    /// <param name="model">The model.</param>
    /// <param name="amount">The price of one image.</param>
    /// <param name="provenance">Where it came from.</param>
    /// <param name="when">When it applies (default: always).</param>
    /// <returns>The rule.</returns>
    public static PriceRule PerImage(ModelId model, decimal amount, PriceProvenance provenance, PriceConditions? when = null) =>
        Money(model, PriceRuleKind.PerImage, amount, provenance, when);

    /// <summary>A rate per second (times the duration).</summary>
    /// <param name="model">The model.</param>
    /// <param name="ratePerSecond">The rate.</param>
    /// <param name="provenance">Where it came from.</param>
    /// <param name="when">When it applies (default: always).</param>
    /// <returns>The rule.</returns>
    public static PriceRule PerSecond(ModelId model, decimal ratePerSecond, PriceProvenance provenance, PriceConditions? when = null) =>
        Money(model, PriceRuleKind.PerSecond, ratePerSecond, provenance, when);

    /// <summary>Per-second rates by resolution, with the rates that apply instead when a reference video is sent.</summary>
    /// <param name="model">The model.</param>
    /// <param name="rates">The rate per second by resolution without a reference video.</param>
    /// <param name="referenceVideoRates">The rate per second by resolution with a reference video.</param>
    /// <param name="provenance">Where they came from.</param>
    /// <returns>One rule per resolution and case.</returns>
    public static IEnumerable<PriceRule> PerSecondByResolution(
        ModelId model,
        IEnumerable<KeyValuePair<string, decimal>> rates,
        IEnumerable<KeyValuePair<string, decimal>> referenceVideoRates,
        PriceProvenance provenance)
    {
        ArgumentNullException.ThrowIfNull(rates);
        ArgumentNullException.ThrowIfNull(referenceVideoRates);
        return
        [
            .. rates.Select(r => PerSecond(model, r.Value, provenance, new PriceConditions { Resolution = r.Key, ReferenceVideo = false })),
            .. referenceVideoRates.Select(r => PerSecond(model, r.Value, provenance, new PriceConditions { Resolution = r.Key, ReferenceVideo = true })),
        ];
    }

    /// <summary>A continuation rate per billable second (<c>max(ceil(reference) + duration, minimum) × rate</c>).</summary>
    /// <param name="model">The model.</param>
    /// <param name="ratePerSecond">The rate.</param>
    /// <param name="provenance">Where it came from.</param>
    /// <param name="when">When it applies (default: always).</param>
    /// <returns>The rule.</returns>
    public static PriceRule Continuation(ModelId model, decimal ratePerSecond, PriceProvenance provenance, PriceConditions? when = null) =>
        Money(model, PriceRuleKind.Continuation, ratePerSecond, provenance, when);

    /// <summary>The minimum billable seconds of a continuation of a given duration.</summary>
    /// <param name="model">The model.</param>
    /// <param name="durationSeconds">The requested duration.</param>
    /// <param name="minimumSeconds">The floor of billable seconds.</param>
    /// <param name="provenance">Where it came from.</param>
    /// <returns>The rule.</returns>
    public static PriceRule MinimumBillableSeconds(ModelId model, int durationSeconds, int minimumSeconds, PriceProvenance provenance)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(durationSeconds);
        ArgumentOutOfRangeException.ThrowIfNegative(minimumSeconds);
        return new()
        {
            Model = model,
            Kind = PriceRuleKind.MinimumBillableSeconds,
            Value = minimumSeconds,
            When = new PriceConditions { DurationSeconds = durationSeconds },
            Provenance = provenance,
        };
    }

    /// <summary>The multiplier of a resolution (in a book that multiplies by resolution).</summary>
    /// <param name="model">The model.</param>
    /// <param name="resolution">The resolution.</param>
    /// <param name="factor">The multiplier; must be positive.</param>
    /// <param name="provenance">Where it came from.</param>
    /// <returns>The rule.</returns>
    public static PriceRule ResolutionMultiplier(ModelId model, Resolution resolution, decimal factor, PriceProvenance provenance)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(factor);
        return new()
        {
            Model = model,
            Kind = PriceRuleKind.ResolutionMultiplier,
            Value = factor,
            When = new PriceConditions { Resolution = resolution },
            Provenance = provenance,
        };
    }

    /// <summary>Multipliers by resolution.</summary>
    /// <param name="model">The model.</param>
    /// <param name="factors">The multiplier by resolution.</param>
    /// <param name="provenance">Where they came from.</param>
    /// <returns>One rule per resolution.</returns>
    public static IEnumerable<PriceRule> ResolutionMultipliers(ModelId model, IEnumerable<KeyValuePair<string, decimal>> factors, PriceProvenance provenance)
    {
        ArgumentNullException.ThrowIfNull(factors);
        return [.. factors.Select(f => ResolutionMultiplier(model, f.Key, f.Value, provenance))];
    }

    /// <summary>A documented gap: no price is known for the model.</summary>
    /// <param name="model">The model.</param>
    /// <param name="reason">Why (named in the unknown quote).</param>
    /// <param name="provenance">Where the gap is documented.</param>
    /// <returns>The rule.</returns>
    public static PriceRule Unknown(ModelId model, string reason, PriceProvenance provenance)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(reason);
        return new() { Model = model, Kind = PriceRuleKind.Unknown, Reason = reason, Provenance = provenance };
    }

    /// <summary>Gets whether the rule is a formula's amount (what a quote is built on).</summary>
    internal bool IsFormula => Kind is PriceRuleKind.PerGeneration or PriceRuleKind.PerImage or PriceRuleKind.PerSecond or PriceRuleKind.Continuation;

    private static PriceRule Money(ModelId model, PriceRuleKind kind, decimal amount, PriceProvenance provenance, PriceConditions? when)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(amount);
        ArgumentNullException.ThrowIfNull(provenance);
        return new() { Model = model, Kind = kind, Value = amount, When = when ?? PriceConditions.Any, Provenance = provenance };
    }
}
