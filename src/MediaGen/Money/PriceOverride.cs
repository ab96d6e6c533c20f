namespace MediaGen;

/// <summary>What one price of a <see cref="PriceOverride"/> pays for.</summary>
public enum PricePer
{
    /// <summary>One generation (a flat price).</summary>
    Generation,

    /// <summary>One image (times the number of images).</summary>
    Image,

    /// <summary>One second of output (times the duration).</summary>
    Second,

    /// <summary>One billable second of a continuation: <c>max(ceil(reference) + duration, minimum) × price</c>.</summary>
    ContinuationSecond,
}

/// <summary>
/// A user's price for one model at one vendor, in the vendor's billing unit (credits for credit vendors, US dollars
/// for USD vendors). It wins over what the vendor's models endpoint says and over the built-in snapshot, number by
/// number: a number the override does not give (say a resolution multiplier) is still read from them. Bound from
/// <c>MediaGen:{Vendor}:PriceOverrides:{model}</c>: a bare number (<c>"flux-2-pro": 6</c>, a flat price per
/// generation) or a section with <see cref="Price"/>, <see cref="Per"/>, <see cref="ResolutionMultipliers"/>,
/// <see cref="Rates"/> and <see cref="MinimumBillableSeconds"/>.
/// </summary>
public sealed class PriceOverride
{
    /// <summary>Gets or sets the price that applies whatever the request's settings, or null when only <see cref="Rates"/> are given.</summary>
    public decimal? Price { get; set; }

    /// <summary>Gets or sets what <see cref="Price"/> (and each rate without its own <see cref="PriceOverrideRate.Per"/>) pays for.</summary>
    /// <value>The default is <see cref="PricePer.Generation"/>.</value>
    public PricePer Per { get; set; }

    /// <summary>
    /// Gets the multipliers by resolution (<c>4k</c> → 3), for vendors that scale a price by the resolution (VeoGen).
    /// Case-insensitive keys.
    /// </summary>
    public IDictionary<string, decimal> ResolutionMultipliers { get; } = new Dictionary<string, decimal>(StringComparer.OrdinalIgnoreCase);

    /// <summary>Gets prices that apply only to some settings (a tier, a resolution, a duration, a mode, a quality, audio, a reference video).</summary>
    public IList<PriceOverrideRate> Rates { get; } = new List<PriceOverrideRate>();

    /// <summary>Gets the minimum billable seconds of a continuation, by requested duration (<c>5</c> → 9).</summary>
    public IDictionary<int, int> MinimumBillableSeconds { get; } = new Dictionary<int, int>();

    /// <summary>A flat price per generation (what a bare number in configuration means).</summary>
    /// <param name="pricePerGeneration">The price.</param>
    public static implicit operator PriceOverride(decimal pricePerGeneration) => FromDecimal(pricePerGeneration);

    /// <summary>A flat price per generation (the named alternative to the implicit conversion).</summary>
    /// <param name="pricePerGeneration">The price.</param>
    /// <returns>The override.</returns>
    public static PriceOverride FromDecimal(decimal pricePerGeneration) => new() { Price = pricePerGeneration };

    /// <summary>Adds a price that applies only to some settings.</summary>
    /// <param name="rate">The rate.</param>
    /// <returns>This instance.</returns>
    public PriceOverride Add(PriceOverrideRate rate)
    {
        ArgumentNullException.ThrowIfNull(rate);
        Rates.Add(rate);
        return this;
    }

    /// <summary>Gets whether the override gives no number at all.</summary>
    internal bool IsEmpty => Price is null && Rates.Count == 0 && ResolutionMultipliers.Count == 0 && MinimumBillableSeconds.Count == 0;

    internal PriceOverride Clone()
    {
        var copy = new PriceOverride { Price = Price, Per = Per };
        foreach (var (resolution, factor) in ResolutionMultipliers)
        {
            copy.ResolutionMultipliers[resolution] = factor;
        }

        foreach (var rate in Rates)
        {
            copy.Rates.Add(rate.Clone());
        }

        foreach (var (duration, seconds) in MinimumBillableSeconds)
        {
            copy.MinimumBillableSeconds[duration] = seconds;
        }

        return copy;
    }

    internal IEnumerable<PriceRule> ToRules(ModelId model, PriceProvenance provenance)
    {
        if (Price is { } price)
        {
            yield return Rule(model, Per, price, PriceConditions.Any, provenance);
        }

        foreach (var rate in Rates)
        {
            yield return Rule(model, rate.Per ?? Per, rate.Price, rate.When, provenance);
        }

        foreach (var (resolution, factor) in ResolutionMultipliers)
        {
            yield return PriceRule.ResolutionMultiplier(model, resolution, factor, provenance);
        }

        foreach (var (duration, seconds) in MinimumBillableSeconds)
        {
            yield return PriceRule.MinimumBillableSeconds(model, duration, seconds, provenance);
        }
    }

    internal IEnumerable<string> Validate(string at)
    {
        if (IsEmpty)
        {
            yield return $"{at} gives no price: set {at}:Price (and {at}:Per), {at}:Rates, {at}:ResolutionMultipliers or {at}:MinimumBillableSeconds, or remove it.";
        }

        if (Price is < 0)
        {
            yield return FormattableString.Invariant($"{at}:Price must not be negative; got {Price}.");
        }

        if (!Enum.IsDefined(Per))
        {
            yield return $"{at}:Per must be Generation, Image, Second or ContinuationSecond; got {Per}.";
        }

        foreach (var (resolution, factor) in ResolutionMultipliers)
        {
            if (string.IsNullOrWhiteSpace(resolution))
            {
                yield return $"{at}:ResolutionMultipliers needs a resolution for each multiplier.";
            }
            else if (factor <= 0)
            {
                yield return FormattableString.Invariant($"{at}:ResolutionMultipliers:{resolution} must be positive; got {factor}.");
            }
        }

        for (var i = 0; i < Rates.Count; i++)
        {
            var rate = Rates[i];
            var rateAt = FormattableString.Invariant($"{at}:Rates:{i}");
            if (rate is null)
            {
                yield return $"{rateAt} must not be null.";
                continue;
            }

            if (rate.Price < 0)
            {
                yield return FormattableString.Invariant($"{rateAt}:Price must not be negative; got {rate.Price}.");
            }

            if (rate.Per is { } per && !Enum.IsDefined(per))
            {
                yield return $"{rateAt}:Per must be Generation, Image, Second or ContinuationSecond; got {per}.";
            }

            if (rate.DurationSeconds is <= 0)
            {
                yield return FormattableString.Invariant($"{rateAt}:DurationSeconds must be positive; got {rate.DurationSeconds}.");
            }

            if (rate.When.Specificity == 0)
            {
                yield return $"{rateAt} names no setting (Tier, Resolution, DurationSeconds, Mode, Quality, Audio or ReferenceVideo): a price for every request is {at}:Price.";
            }
        }

        foreach (var (duration, seconds) in MinimumBillableSeconds)
        {
            if (duration <= 0 || seconds < 0)
            {
                yield return FormattableString.Invariant($"{at}:MinimumBillableSeconds:{duration} must map a positive duration to a non-negative number of seconds; got {seconds}.");
            }
        }
    }

    private static PriceRule Rule(ModelId model, PricePer per, decimal price, PriceConditions when, PriceProvenance provenance) => per switch
    {
        PricePer.Image => PriceRule.PerImage(model, price, provenance, when),
        PricePer.Second => PriceRule.PerSecond(model, price, provenance, when),
        PricePer.ContinuationSecond => PriceRule.Continuation(model, price, provenance, when),
        _ => PriceRule.PerGeneration(model, price, provenance, when),
    };
}

/// <summary>One price of a <see cref="PriceOverride"/> that applies only to requests with the settings it names.</summary>
public sealed class PriceOverrideRate
{
    /// <summary>Gets or sets the price.</summary>
    public decimal Price { get; set; }

    /// <summary>Gets or sets what the price pays for, or null for the override's <see cref="PriceOverride.Per"/>.</summary>
    public PricePer? Per { get; set; }

    /// <summary>Gets or sets the tier it applies to, or null for any.</summary>
    public GenerationTier? Tier { get; set; }

    /// <summary>Gets or sets the resolution it applies to, or null for any.</summary>
    public Resolution? Resolution { get; set; }

    /// <summary>Gets or sets the duration in seconds it applies to, or null for any.</summary>
    public int? DurationSeconds { get; set; }

    /// <summary>Gets or sets the mode it applies to, or null for any.</summary>
    public string? Mode { get; set; }

    /// <summary>Gets or sets the quality it applies to, or null for any.</summary>
    public string? Quality { get; set; }

    /// <summary>Gets or sets whether it applies with audio (true) or without (false), or null for either.</summary>
    public bool? Audio { get; set; }

    /// <summary>Gets or sets whether it applies with a reference video (true) or without (false), or null for either.</summary>
    public bool? ReferenceVideo { get; set; }

    internal PriceConditions When => new()
    {
        Tier = Tier,
        Resolution = Resolution,
        DurationSeconds = DurationSeconds,
        Mode = Mode,
        Quality = Quality,
        Audio = Audio,
        ReferenceVideo = ReferenceVideo,
    };

    internal PriceOverrideRate Clone() => (PriceOverrideRate)MemberwiseClone();
}
