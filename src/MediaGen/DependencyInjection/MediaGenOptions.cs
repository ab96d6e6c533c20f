namespace MediaGen;

/// <summary>Options shared by every provider, bound from the <c>MediaGen</c> configuration section.</summary>
public sealed class MediaGenOptions
{
    /// <summary>The configuration section name.</summary>
    public const string SectionName = "MediaGen";

    /// <summary>Gets the USD value of one credit, by provider (e.g. <c>MediaGen:UsdPerCredit:meigen = 0.012</c>). No entry means unknown, never 0.</summary>
    public Dictionary<string, decimal> UsdPerCredit { get; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Gets or sets how long to wait for an image job.</summary>
    /// <value>The default is 5 minutes.</value>
    public TimeSpan ImageDeadline { get; set; } = WaitOptions.DefaultImageDeadline;

    /// <summary>Gets or sets how long to wait for a video job.</summary>
    /// <value>The default is 10 minutes.</value>
    public TimeSpan VideoDeadline { get; set; } = WaitOptions.DefaultVideoDeadline;

    /// <summary>Gets or sets whether prompts and output URLs may appear in spans and Trace logs (never keys).</summary>
    /// <value>The default is false.</value>
    public bool EnableSensitiveData { get; set; }

    /// <summary>Builds the exchange rates these options configure.</summary>
    /// <returns>The rates.</returns>
    public ExchangeRates CreateExchangeRates()
    {
        var rates = new ExchangeRates();
        foreach (var (provider, rate) in UsdPerCredit)
        {
            rates.SetUsdPerCredit(provider, rate);
        }

        return rates;
    }
}
