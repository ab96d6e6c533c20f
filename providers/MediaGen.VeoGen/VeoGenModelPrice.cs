namespace MediaGen.VeoGen;

/// <summary>
/// A price for one VeoGen model in the vendor's own terms (as <c>GET /models/{slug}</c> publishes it):
/// <c>price_usd × resolution multiplier × (duration when billed per second)</c>.
/// </summary>
public sealed class VeoGenModelPrice
{
    /// <summary>Gets or sets the base price in US dollars (per generation, or per second when <see cref="PerSecond"/>).</summary>
    public decimal PriceUsd { get; set; }

    /// <summary>Gets or sets whether the price is multiplied by the duration in seconds.</summary>
    public bool PerSecond { get; set; }

    /// <summary>Gets the multipliers by resolution (<c>4k</c> → 3). A resolution without one makes the quote unknown.</summary>
    public Dictionary<string, decimal> ResolutionMultipliers { get; } = new(StringComparer.OrdinalIgnoreCase);

    internal VeoGenModelPrice Copy()
    {
        var copy = new VeoGenModelPrice { PriceUsd = PriceUsd, PerSecond = PerSecond };
        foreach (var (resolution, multiplier) in ResolutionMultipliers)
        {
            copy.ResolutionMultipliers[resolution] = multiplier;
        }

        return copy;
    }
}
