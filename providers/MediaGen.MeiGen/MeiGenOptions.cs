using System.ComponentModel.DataAnnotations;
using System.Threading.RateLimiting;
using MediaGen.Providers;

namespace MediaGen.MeiGen;

/// <summary>
/// Settings of the MeiGen provider. Bound from the <c>MediaGen:MeiGen</c> configuration section
/// (<c>MediaGen:MeiGen:ApiKey</c>, <c>MediaGen:MeiGen:BaseAddress</c>, …). The provider copies them when it is
/// built; later changes are ignored.
/// </summary>
public sealed class MeiGenOptions
{
    /// <summary>The configuration section the options are bound from.</summary>
    public const string SectionName = "MediaGen:MeiGen";

    /// <summary>The documented API limit of <c>POST /api/generate/v2</c>: 12 requests per minute per user.</summary>
    public const int DocumentedGenerateRequestsPerMinute = 12;

    /// <summary>Gets the documented base address, <c>https://www.meigen.ai/api</c>.</summary>
    public static Uri DefaultBaseAddress { get; } = new("https://www.meigen.ai/api/");

    /// <summary>Gets or sets the API key (<c>meigen_sk_…</c>, from meigen.ai → Settings → API Keys). Never shown by <see cref="ToString"/>.</summary>
    [Required(ErrorMessage = "is required: a MeiGen API key (meigen_sk_…) from meigen.ai → Settings → API Keys.")]
    [RegularExpression("meigen_sk_.*", ErrorMessage = "does not look like a MeiGen API key: it must start with 'meigen_sk_'.")]
    public string? ApiKey { get; set; }

    /// <summary>Gets or sets the API base address (https; http only for loopback test servers).</summary>
    /// <value>The default is <c>https://www.meigen.ai/api</c>.</value>
    [HttpsOrLoopback]
    public Uri BaseAddress { get; set; } = DefaultBaseAddress;

    /// <summary>
    /// Gets or sets how many generate requests (<c>POST /api/generate/v2</c>, the only calls MeiGen rate-limits) the
    /// built-in client-side limiter lets through per minute; 0 turns the built-in limiter off. Ignored when
    /// <see cref="RateLimiter"/> is set. Configuration key <c>RequestsPerMinute</c> (formerly <c>GenerateRequestsPerMinute</c>).
    /// </summary>
    /// <value>The default is 12, the documented limit.</value>
    [IntegerRange(0, Hint = "0 turns the built-in limiter off; MeiGen allows 12 generate requests per minute")]
    public int RequestsPerMinute { get; set; } = DocumentedGenerateRequestsPerMinute;

    /// <summary>
    /// Gets or sets a limiter for generate requests to use instead of the built-in one: share one across processes'
    /// providers of a fleet, or control it in tests. One permit is taken per POST; a refused permit ends the submit
    /// with <see cref="RateLimitedError"/> before any network call. The provider does not dispose it.
    /// </summary>
    public RateLimiter? RateLimiter { get; set; }

    /// <summary>
    /// Gets or sets whether capabilities and prices are refreshed from <c>GET /api/models</c> (configuration key
    /// <c>UseLiveCatalog</c>, formerly <c>RefreshFromModelsEndpoint</c>).
    /// </summary>
    /// <value>The default is true.</value>
    public bool UseLiveCatalog { get; set; } = true;

    /// <summary>
    /// Gets or sets how long a <c>GET /api/models</c> answer is reused (configuration key <c>LiveCatalogLifetime</c>,
    /// formerly <c>ModelsCacheDuration</c>); must not be negative.
    /// </summary>
    /// <value>The default is 5 minutes, the server's own cache duration.</value>
    public TimeSpan LiveCatalogLifetime { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// Gets the price overrides in MeiGen credits by model id, bound from <c>MediaGen:MeiGen:PriceOverrides</c>; they win
    /// over the prices read from <c>GET /api/models</c> and over the built-in snapshot from the docs, number by number.
    /// </summary>
    public PriceOverrides PriceOverrides { get; private set; } = new();

    /// <summary>Describes the options without the API key.</summary>
    /// <returns>The text.</returns>
    public override string ToString() =>
        $"MeiGenOptions {{ BaseAddress = {BaseAddress}, ApiKey = {(string.IsNullOrEmpty(ApiKey) ? "(not set)" : "(set, hidden)")}, RequestsPerMinute = {RequestsPerMinute}, RateLimiter = {(RateLimiter is null ? "built-in" : "custom")}, UseLiveCatalog = {UseLiveCatalog} }}";

    internal MeiGenOptions Clone() => new()
    {
        ApiKey = ApiKey,
        BaseAddress = BaseAddress,
        RequestsPerMinute = RequestsPerMinute,
        RateLimiter = RateLimiter,
        UseLiveCatalog = UseLiveCatalog,
        LiveCatalogLifetime = LiveCatalogLifetime,
        PriceOverrides = PriceOverrides.Clone(),
    };
}
