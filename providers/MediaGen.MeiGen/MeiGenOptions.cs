using System.Threading.RateLimiting;

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
    public string? ApiKey { get; set; }

    /// <summary>Gets or sets the API base address (https; http only for loopback test servers).</summary>
    /// <value>The default is <c>https://www.meigen.ai/api</c>.</value>
    public Uri BaseAddress { get; set; } = DefaultBaseAddress;

    /// <summary>
    /// Gets or sets how many generate requests the built-in client-side limiter lets through per minute; 0 turns
    /// the built-in limiter off. Ignored when <see cref="GenerateRateLimiter"/> is set.
    /// </summary>
    /// <value>The default is 12, the documented limit.</value>
    public int GenerateRequestsPerMinute { get; set; } = DocumentedGenerateRequestsPerMinute;

    /// <summary>
    /// Gets or sets a limiter for generate requests to use instead of the built-in one: share one across processes'
    /// providers of a fleet, or control it in tests. One permit is taken per POST; a refused permit ends the submit
    /// with <see cref="RateLimitedError"/> before any network call. The provider does not dispose it.
    /// </summary>
    public RateLimiter? GenerateRateLimiter { get; set; }

    /// <summary>Gets or sets whether capabilities and prices are refreshed from <c>GET /api/models</c>.</summary>
    /// <value>The default is true.</value>
    public bool RefreshFromModelsEndpoint { get; set; } = true;

    /// <summary>Gets or sets how long a <c>GET /api/models</c> answer is reused.</summary>
    /// <value>The default is 5 minutes, the server's own cache duration.</value>
    public TimeSpan ModelsCacheDuration { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// Gets the price overrides in MeiGen credits by model id, bound from <c>MediaGen:MeiGen:PriceOverrides</c>; they win
    /// over the prices read from <c>GET /api/models</c> and over the built-in snapshot from the docs, number by number.
    /// </summary>
    public PriceOverrides PriceOverrides { get; private set; } = new();

    /// <summary>Describes the options without the API key.</summary>
    /// <returns>The text.</returns>
    public override string ToString() =>
        $"MeiGenOptions {{ BaseAddress = {BaseAddress}, ApiKey = {(string.IsNullOrEmpty(ApiKey) ? "(not set)" : "(set, hidden)")}, GenerateRequestsPerMinute = {GenerateRequestsPerMinute}, GenerateRateLimiter = {(GenerateRateLimiter is null ? "built-in" : "custom")}, RefreshFromModelsEndpoint = {RefreshFromModelsEndpoint} }}";

    internal MeiGenOptions Clone() => new()
    {
        ApiKey = ApiKey,
        BaseAddress = BaseAddress,
        GenerateRequestsPerMinute = GenerateRequestsPerMinute,
        GenerateRateLimiter = GenerateRateLimiter,
        RefreshFromModelsEndpoint = RefreshFromModelsEndpoint,
        ModelsCacheDuration = ModelsCacheDuration,
        PriceOverrides = PriceOverrides.Clone(),
    };
}
