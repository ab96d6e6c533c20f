using System.ComponentModel.DataAnnotations;
using MediaGen.Providers;

namespace MediaGen.Apiframe;

/// <summary>
/// Configures the Apiframe (API v2) provider. Changes after the provider is created are ignored. Submit retries and
/// their cap are the shared HTTP pipeline's (<c>MediaGenHttpOptions</c>, bound from <c>MediaGen:Apiframe:Http</c>).
/// </summary>
public sealed class ApiframeOptions
{
    /// <summary>The configuration section the options are bound from by convention (<c>MediaGen:Apiframe</c>).</summary>
    public const string SectionName = "MediaGen:Apiframe";

    /// <summary>Gets the documented base address of Apiframe API v2, <c>https://api.apiframe.ai/</c>.</summary>
    public static Uri DefaultBaseAddress { get; } = new("https://api.apiframe.ai/");

    /// <summary>Gets or sets the API key (<c>afk_…</c>), sent as <c>X-API-Key</c>; its SHA-256 is also the webhook signing secret.</summary>
    [Required(ErrorMessage = "is required: an Apiframe v2 API key (afk_…) from the dashboard.")]
    [RegularExpression("afk_.*", ErrorMessage = "must start with 'afk_' (every Apiframe v2 key does); keys of the legacy v1 API (api.apiframe.pro) do not work here.")]
    public string? ApiKey { get; set; }

    /// <summary>Gets or sets the base address (https; http only for loopback test servers).</summary>
    /// <value>The default is <c>https://api.apiframe.ai/</c>.</value>
    [HttpsOrLoopback]
    public Uri BaseAddress { get; set; } = DefaultBaseAddress;

    /// <summary>Gets or sets whether submits wait for a free slot under the account's <c>maxConcurrentJobs</c>.</summary>
    /// <value>The default is <see langword="true"/>.</value>
    public bool LimitConcurrency { get; set; } = true;

    /// <summary>
    /// Gets or sets the concurrency cap. When null it is read once from <c>GET /v2/me</c> (<c>team.maxConcurrentJobs</c>).
    /// </summary>
    [IntegerRange(1, Hint = "or absent to read it from GET /v2/me")]
    public int? MaxConcurrentJobs { get; set; }

    /// <summary>
    /// Gets or sets a semaphore to use instead of the built-in limiter, e.g. one shared by several providers or clients
    /// of the same Apiframe team (create it with the team's cap as its initial count). One slot is taken per job and
    /// released when the job is seen ended (by a poll or a webhook) or after <see cref="ConcurrencyPermitLifetime"/>.
    /// </summary>
    /// <remarks>
    /// System.Threading.RateLimiting is not among the pinned packages, so a <see cref="SemaphoreSlim"/> is the
    /// injectable equivalent of a <c>ConcurrencyLimiter</c>.
    /// </remarks>
    public SemaphoreSlim? ConcurrencyLimiter { get; set; }

    /// <summary>Gets or sets how many submits may wait for a free slot before a submit is refused as rate limited.</summary>
    /// <value>The default is 1000.</value>
    [IntegerRange(0)]
    public int ConcurrencyQueueLimit { get; set; } = 1000;

    /// <summary>
    /// Gets or sets how long a job holds its concurrency slot at most when its end is never observed; a submit that
    /// needs a slot reclaims expired ones.
    /// </summary>
    /// <value>The default is 30 minutes; it must be positive.</value>
    public TimeSpan ConcurrencyPermitLifetime { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>
    /// Gets price overrides in Apiframe credits by model id (e.g. <c>["flux-2-pro"] = 6</c>, a flat price per
    /// generation), bound from <c>MediaGen:Apiframe:PriceOverrides</c>. An override wins over the built-in snapshot and
    /// is reported with <see cref="PriceSource.Override"/>.
    /// </summary>
    public PriceOverrides PriceOverrides { get; private init; } = new();

    /// <summary>Gets or sets how many webhook deliveries are remembered to drop duplicates and replays.</summary>
    /// <value>The default is 10,000.</value>
    [IntegerRange(1)]
    public int WebhookDedupeCapacity { get; set; } = 10_000;

    /// <summary>Returns a description without the API key.</summary>
    /// <returns>The description.</returns>
    public override string ToString() =>
        $"ApiframeOptions {{ BaseAddress = {BaseAddress}, ApiKey = {(string.IsNullOrEmpty(ApiKey) ? "(none)" : "***")}, MaxConcurrentJobs = {MaxConcurrentJobs?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "from /v2/me"} }}";

    internal ApiframeOptions Clone()
    {
        var copy = new ApiframeOptions
        {
            ApiKey = ApiKey,
            BaseAddress = BaseAddress,
            LimitConcurrency = LimitConcurrency,
            MaxConcurrentJobs = MaxConcurrentJobs,
            ConcurrencyLimiter = ConcurrencyLimiter,
            ConcurrencyQueueLimit = ConcurrencyQueueLimit,
            ConcurrencyPermitLifetime = ConcurrencyPermitLifetime,
            WebhookDedupeCapacity = WebhookDedupeCapacity,
            PriceOverrides = PriceOverrides.Clone(),
        };
        return copy;
    }
}
