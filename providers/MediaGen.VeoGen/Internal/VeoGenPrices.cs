using System.Globalization;

namespace MediaGen.VeoGen.Internal;

/// <summary>
/// A VeoGen price rule as data: <c>price_usd × resolution multiplier × (duration when per-second)</c>, or per-second
/// rates by resolution (Seedance) with the reference-video discount. Anything the source did not give stays null,
/// and a quote that needs it is unknown, never 0.
/// </summary>
internal sealed record PriceRule
{
    private static readonly IReadOnlyDictionary<string, decimal> Empty = new Dictionary<string, decimal>(StringComparer.OrdinalIgnoreCase);

    /// <summary>Gets <c>price_usd</c>, or null when unknown.</summary>
    public decimal? BaseUsd { get; init; }

    /// <summary>Gets <c>multiply_by_duration</c>, or null when unknown.</summary>
    public bool? PerSecond { get; init; }

    /// <summary>Gets <c>resolution_multipliers</c> (case-insensitive keys).</summary>
    public IReadOnlyDictionary<string, decimal> ResolutionMultipliers { get; init; } = Empty;

    /// <summary>Gets per-second rates by resolution (Seedance), which replace the base and the multipliers.</summary>
    public IReadOnlyDictionary<string, decimal> PerSecondByResolution { get; init; } = Empty;

    /// <summary>Gets the discounted per-second rates by resolution when a reference video is given (Seedance).</summary>
    public IReadOnlyDictionary<string, decimal> ReferenceVideoPerSecondByResolution { get; init; } = Empty;

    /// <summary>Gets where the numbers came from (null when nothing is known).</summary>
    public PriceProvenance? Provenance { get; init; }

    /// <summary>Gets why the price is unknown, when <see cref="BaseUsd"/> and the per-resolution rates are missing.</summary>
    public string? UnknownReason { get; init; }

    public static PriceRule Flat(decimal usd, bool perSecond, PriceProvenance provenance, IReadOnlyDictionary<string, decimal>? multipliers = null) =>
        new() { BaseUsd = usd, PerSecond = perSecond, Provenance = provenance, ResolutionMultipliers = multipliers ?? Empty };

    public static PriceRule ByResolution(IReadOnlyDictionary<string, decimal> rates, IReadOnlyDictionary<string, decimal> referenceVideoRates, PriceProvenance provenance) =>
        new() { PerSecond = true, PerSecondByResolution = rates, ReferenceVideoPerSecondByResolution = referenceVideoRates, Provenance = provenance };

    public static PriceRule Unknown(string reason) => new() { UnknownReason = reason };

    /// <summary>
    /// Gets whether this rule lacks a number (not the request) to price <paramref name="resolution"/>: only then can the
    /// models endpoint help. A missing duration, or Seedance without a resolution, stays unknown whatever the endpoint says.
    /// </summary>
    public bool LacksDataFor(string? resolution)
    {
        if (PerSecondByResolution.Count > 0)
        {
            return false;
        }

        return BaseUsd is null || PerSecond is null || (resolution is not null && !ResolutionMultipliers.ContainsKey(resolution));
    }

    /// <summary>Prices one request as it goes on the wire.</summary>
    /// <param name="model">The model.</param>
    /// <param name="resolution">The resolution sent, or null (the vendor's default).</param>
    /// <param name="seconds">The duration sent, or null.</param>
    /// <param name="referenceVideo">Whether a reference video is sent.</param>
    /// <returns>The quote (unknown when any needed number is).</returns>
    public PriceQuote Quote(VeoGenModel model, string? resolution, int? seconds, bool referenceVideo)
    {
        var slug = model.Slug;
        seconds ??= model.Capabilities.Durations?.DefaultSeconds;
        if (PerSecondByResolution.Count > 0 && Provenance is { } byResolutionSource)
        {
            var table = referenceVideo ? ReferenceVideoPerSecondByResolution : PerSecondByResolution;
            if (resolution is null)
            {
                return PriceQuote.Unknown($"{slug} is priced per second by resolution ({Describe(table)}) and its default resolution is not documented; set Resolution to get a price");
            }

            if (!table.TryGetValue(resolution, out var rate))
            {
                return PriceQuote.Unknown($"no {(referenceVideo ? "reference-video " : string.Empty)}rate for {resolution} on {slug} is known (known: {Describe(table)})");
            }

            if (seconds is not { } s)
            {
                return PriceQuote.Unknown($"{slug} is billed per second and its default duration is not documented; set DurationSeconds to get a price");
            }

            return PriceCalculator.PerSecond(Money.Usd(rate), s, byResolutionSource, referenceVideo ? $"{resolution}, reference-video rate" : resolution);
        }

        if (BaseUsd is not { } baseUsd || Provenance is not { } source)
        {
            return PriceQuote.Unknown(UnknownReason ?? $"no price is known for {slug}");
        }

        PriceQuote quote;
        if (PerSecond is true)
        {
            if (seconds is not { } s)
            {
                return PriceQuote.Unknown($"{slug} is billed per second and its default duration is not documented; set DurationSeconds to get a price");
            }

            quote = PriceCalculator.PerSecond(Money.Usd(baseUsd), s, source);
        }
        else if (PerSecond is false)
        {
            quote = PriceCalculator.PerGeneration(Money.Usd(baseUsd), source);
        }
        else
        {
            return PriceQuote.Unknown($"whether {slug} is billed per second is not known");
        }

        if (resolution is null)
        {
            return quote;
        }

        return ResolutionMultipliers.TryGetValue(resolution, out var multiplier)
            ? PriceCalculator.Multiply(quote, multiplier, resolution)
            : PriceQuote.Unknown($"the price multiplier for {resolution} on {slug} is not known (known: {(ResolutionMultipliers.Count == 0 ? "none" : Describe(ResolutionMultipliers))}); the models endpoint supplies it");
    }

    private static string Describe(IReadOnlyDictionary<string, decimal> table) =>
        string.Join(", ", table.Select(e => string.Create(CultureInfo.InvariantCulture, $"{e.Key} {e.Value}")));
}
