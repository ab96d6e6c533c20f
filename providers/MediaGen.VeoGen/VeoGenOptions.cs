using System.ComponentModel.DataAnnotations;
using System.Threading.RateLimiting;
using MediaGen.Providers;

namespace MediaGen.VeoGen;

/// <summary>Options of the VeoGen Studio provider, bound from <c>MediaGen:VeoGen</c>. Read once when the provider is built.</summary>
public sealed class VeoGenOptions
{
    /// <summary>The configuration section the options bind from.</summary>
    public const string SectionName = "MediaGen:VeoGen";

    /// <summary>Gets the documented base address, <c>https://veogen.studio/api/v1/</c>.</summary>
    public static Uri DefaultBaseAddress { get; } = new("https://veogen.studio/api/v1/");

    /// <summary>The documented request limit per minute.</summary>
    public const int DefaultRequestsPerMinute = 120;

    /// <summary>Gets or sets the API token (sent as <c>Authorization: Bearer …</c>; never logged or shown).</summary>
    [Required(ErrorMessage = "is required: a VeoGen API token (VeoGen Settings → API Tokens).")]
    public string? ApiKey { get; set; }

    /// <summary>Gets or sets the API base address, ending in <c>/api/v1/</c> (https; http only for loopback test servers).</summary>
    /// <value>The default is <c>https://veogen.studio/api/v1/</c>; some vendor pages use <c>https://api.veogen.studio/api/v1/</c>.</value>
    [HttpsOrLoopback]
    public Uri BaseAddress { get; set; } = DefaultBaseAddress;

    /// <summary>
    /// Gets or sets how many requests per minute the built-in limiter allows (submits, polls, lists and model lookups
    /// share it). Ignored when <see cref="RateLimiter"/> is set.
    /// </summary>
    /// <value>The default is 120, the vendor's documented limit.</value>
    [IntegerRange(1, Hint = "VeoGen allows 120 requests per minute")]
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
    /// Gets or sets whether a model the docs do not describe or price is described and priced from
    /// <c>GET /models/{slug}</c> (fetched once per model and cached for <see cref="LiveCatalogLifetime"/>). Configuration
    /// key <c>UseLiveCatalog</c>, formerly <c>UseLivePrices</c>.
    /// </summary>
    /// <value>The default is <see langword="true"/>.</value>
    public bool UseLiveCatalog { get; set; } = true;

    /// <summary>
    /// Gets or sets how long an answer of the models endpoint is reused; must be positive. Configuration key
    /// <c>LiveCatalogLifetime</c>, formerly <c>LivePriceLifetime</c>.
    /// </summary>
    /// <value>The default is 1 hour.</value>
    public TimeSpan LiveCatalogLifetime { get; set; } = TimeSpan.FromHours(1);

    /// <summary>
    /// Gets or sets the clock-skew allowance around a submit's time window when an ambiguous submit is looked up in the
    /// generation list (the vendor stamps <c>created_at</c> with its own clock).
    /// </summary>
    /// <value>The default is 2 minutes; it must not be negative.</value>
    public TimeSpan ReconciliationClockSkew { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>Gets or sets how many generations per page the reconciliation lists (the vendor's maximum is 100).</summary>
    /// <value>The default is 100.</value>
    [IntegerRange(1, 100, Hint = "VeoGen's maximum is 100")]
    public int ReconciliationPageSize { get; set; } = 100;

    /// <summary>Gets or sets how many list pages the reconciliation reads at most before giving up (outcome unknown).</summary>
    /// <value>The default is 3.</value>
    [IntegerRange(1)]
    public int ReconciliationMaxPages { get; set; } = 3;

    /// <summary>A description without the API key.</summary>
    /// <returns>The text.</returns>
    public override string ToString() =>
        $"VeoGenOptions {{ BaseAddress = {BaseAddress}, ApiKey = {(string.IsNullOrEmpty(ApiKey) ? "(not set)" : "***")}, RequestsPerMinute = {RequestsPerMinute}, PriceOverrides = {PriceOverrides.Count}, UseLiveCatalog = {UseLiveCatalog} }}";

    internal VeoGenOptions Clone()
    {
        var copy = new VeoGenOptions
        {
            ApiKey = ApiKey,
            BaseAddress = BaseAddress,
            RequestsPerMinute = RequestsPerMinute,
            RateLimiter = RateLimiter,
            UseLiveCatalog = UseLiveCatalog,
            LiveCatalogLifetime = LiveCatalogLifetime,
            ReconciliationClockSkew = ReconciliationClockSkew,
            ReconciliationPageSize = ReconciliationPageSize,
            ReconciliationMaxPages = ReconciliationMaxPages,
            PriceOverrides = PriceOverrides.Clone(),
        };
        return copy;
    }
}
