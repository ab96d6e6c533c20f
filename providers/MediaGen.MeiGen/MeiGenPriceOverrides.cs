using MediaGen.MeiGen.Internal;

namespace MediaGen.MeiGen;

/// <summary>
/// User-configured MeiGen prices in credits. They win over the prices read from <c>GET /api/models</c> and over the
/// built-in snapshot from the docs. Model ids, tiers and resolutions are matched case-insensitively.
/// </summary>
public sealed class MeiGenPriceOverrides
{
    private static readonly PriceProvenance Provenance = new(PriceSource.Override, null, "MeiGenOptions.Prices");

    internal MeiGenPriceTable Table { get; private init; } = new();

    /// <summary>Gets whether no override is set.</summary>
    public bool IsEmpty => Table.IsEmpty;

    /// <summary>Sets the flat price of one generation of an image model.</summary>
    /// <param name="model">The model id, e.g. <c>gpt-image-2</c>.</param>
    /// <param name="credits">Credits per generation.</param>
    /// <returns>This instance.</returns>
    public MeiGenPriceOverrides SetPerGeneration(ModelId model, decimal credits)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(credits);
        Table.SetFlat(model, credits, Provenance);
        return this;
    }

    /// <summary>Sets the per-second rate of a video model for a tier and resolution.</summary>
    /// <param name="model">The model id, e.g. <c>seedance-2-0</c>.</param>
    /// <param name="tier">The tier, e.g. <c>fast</c>; null for a model without tiers (Happyhorse 1.0).</param>
    /// <param name="resolution">The resolution, e.g. <c>720p</c>.</param>
    /// <param name="creditsPerSecond">Credits per second.</param>
    /// <returns>This instance.</returns>
    public MeiGenPriceOverrides SetPerSecond(ModelId model, GenerationTier? tier, Resolution resolution, decimal creditsPerSecond)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(creditsPerSecond);
        Table.SetPerSecond(model, tier, resolution, creditsPerSecond, Provenance);
        return this;
    }

    /// <summary>Sets the per-second rate of a continuation (a request with a reference video) for a tier and resolution.</summary>
    /// <param name="model">The model id, e.g. <c>seedance-2-0</c>.</param>
    /// <param name="tier">The tier.</param>
    /// <param name="resolution">The resolution.</param>
    /// <param name="creditsPerSecond">Credits per billable second.</param>
    /// <returns>This instance.</returns>
    public MeiGenPriceOverrides SetPerSecondWithVideo(ModelId model, GenerationTier? tier, Resolution resolution, decimal creditsPerSecond)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(creditsPerSecond);
        Table.SetWithVideo(model, tier, resolution, creditsPerSecond, Provenance);
        return this;
    }

    /// <summary>Sets the minimum billable seconds of a continuation for a requested duration.</summary>
    /// <param name="model">The model id.</param>
    /// <param name="durationSeconds">The requested duration.</param>
    /// <param name="minimumBillableSeconds">The floor of billable seconds.</param>
    /// <returns>This instance.</returns>
    public MeiGenPriceOverrides SetMinimumBillableSeconds(ModelId model, int durationSeconds, int minimumBillableSeconds)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(durationSeconds);
        ArgumentOutOfRangeException.ThrowIfNegative(minimumBillableSeconds);
        Table.SetMinBillable(model, durationSeconds, minimumBillableSeconds, Provenance);
        return this;
    }

    /// <summary>Sets the price of one generation of a per-call video model (Veo 3.1) for a tier and duration.</summary>
    /// <param name="model">The model id, e.g. <c>veo-3.1</c>.</param>
    /// <param name="tier">The tier, or null for every tier.</param>
    /// <param name="durationSeconds">The duration.</param>
    /// <param name="credits">Credits per generation.</param>
    /// <returns>This instance.</returns>
    public MeiGenPriceOverrides SetPerCall(ModelId model, GenerationTier? tier, int durationSeconds, decimal credits)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(durationSeconds);
        ArgumentOutOfRangeException.ThrowIfNegative(credits);
        Table.SetPerCall(model, tier, durationSeconds, credits, Provenance);
        return this;
    }

    internal MeiGenPriceOverrides Clone() => new() { Table = Table.Clone() };
}
