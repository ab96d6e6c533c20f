using System.Threading.RateLimiting;

namespace MediaGen.VeoGen;

/// <summary>Options of the VeoGen Studio provider, bound from <c>MediaGen:VeoGen</c>. Read once when the provider is built.</summary>
public sealed class VeoGenOptions
{
    /// <summary>The configuration section the options bind from.</summary>
    public const string SectionName = "MediaGen:VeoGen";

    /// <summary>The documented base address.</summary>
    public static readonly Uri DefaultBaseAddress = new("https://veogen.studio/api/v1/");

    /// <summary>The documented request limit per minute.</summary>
    public const int DefaultRequestsPerMinute = 120;

    /// <summary>Gets or sets the API token (sent as <c>Authorization: Bearer …</c>; never logged or shown).</summary>
    public string? ApiKey { get; set; }

    /// <summary>Gets or sets the API base address, ending in <c>/api/v1/</c>.</summary>
    /// <value>The default is <c>https://veogen.studio/api/v1/</c>; some vendor pages use <c>https://api.veogen.studio/api/v1/</c>.</value>
    public Uri BaseAddress { get; set; } = DefaultBaseAddress;

    /// <summary>Gets or sets how many requests per minute the built-in limiter allows (submits and polls share it).</summary>
    /// <value>The default is 120, the vendor's documented limit.</value>
    public int RequestsPerMinute { get; set; } = DefaultRequestsPerMinute;

    /// <summary>
    /// Gets or sets a rate limiter to use instead of the built-in one (for example one shared by a fleet). Every
    /// request (submit, poll, list, models, account) takes one permit; a refusal is returned as
    /// <see cref="RateLimitedError"/> before any network call. The provider does not dispose it.
    /// </summary>
    public RateLimiter? RateLimiter { get; set; }

    /// <summary>
    /// Gets price overrides in US dollars by model slug, bound from <c>MediaGen:VeoGen:PriceOverrides</c>. An override wins
    /// over the models endpoint and the built-in snapshot, number by number (VeoGen's <c>price_usd</c> is
    /// <see cref="PriceOverride.Price"/> with <see cref="PriceOverride.Per"/> <see cref="PricePer.Second"/> when billed by duration).
    /// </summary>
    public PriceOverrides PriceOverrides { get; private init; } = new();

    /// <summary>
    /// Gets or sets whether a model whose price the docs do not give is priced from <c>GET /models/{slug}</c>
    /// (fetched once per model and cached for <see cref="LivePriceLifetime"/>).
    /// </summary>
    /// <value>The default is <see langword="true"/>.</value>
    public bool UseLivePrices { get; set; } = true;

    /// <summary>Gets or sets how long a price read from the models endpoint is reused.</summary>
    /// <value>The default is 1 hour.</value>
    public TimeSpan LivePriceLifetime { get; set; } = TimeSpan.FromHours(1);

    /// <summary>
    /// Gets or sets the clock-skew allowance around a submit's time window when an ambiguous submit is looked up in the
    /// generation list (the vendor stamps <c>created_at</c> with its own clock).
    /// </summary>
    /// <value>The default is 2 minutes.</value>
    public TimeSpan ReconciliationClockSkew { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>Gets or sets how many generations per page the reconciliation lists (the vendor's maximum is 100).</summary>
    /// <value>The default is 100.</value>
    public int ReconciliationPageSize { get; set; } = 100;

    /// <summary>Gets or sets how many list pages the reconciliation reads at most before giving up (outcome unknown).</summary>
    /// <value>The default is 3.</value>
    public int ReconciliationMaxPages { get; set; } = 3;

    /// <summary>A description without the API key.</summary>
    /// <returns>The text.</returns>
    public override string ToString() =>
        $"VeoGenOptions {{ BaseAddress = {BaseAddress}, ApiKey = {(string.IsNullOrEmpty(ApiKey) ? "(not set)" : "***")}, RequestsPerMinute = {RequestsPerMinute}, PriceOverrides = {PriceOverrides.Count}, UseLivePrices = {UseLivePrices} }}";

    internal VeoGenOptions Copy()
    {
        var copy = new VeoGenOptions
        {
            ApiKey = ApiKey,
            BaseAddress = BaseAddress,
            RequestsPerMinute = RequestsPerMinute,
            RateLimiter = RateLimiter,
            UseLivePrices = UseLivePrices,
            LivePriceLifetime = LivePriceLifetime,
            ReconciliationClockSkew = ReconciliationClockSkew,
            ReconciliationPageSize = ReconciliationPageSize,
            ReconciliationMaxPages = ReconciliationMaxPages,
            PriceOverrides = PriceOverrides.Clone(),
        };
        return copy;
    }
}
