using System.ComponentModel.DataAnnotations;
using System.Threading.RateLimiting;
using MediaGen.Providers;

namespace MediaGen.Replicate;

/// <summary>Options of the Replicate provider, bound from <c>MediaGen:Replicate</c>. Read once when the provider is built.</summary>
public sealed class ReplicateOptions
{
    /// <summary>The configuration section the options bind from.</summary>
    public const string SectionName = "MediaGen:Replicate";

    /// <summary>Replicate's documented create limit per minute (D3: "create prediction 600 requests/min").</summary>
    public const int DefaultRequestsPerMinute = 600;

    /// <summary>Gets the documented base address, <c>https://api.replicate.com/v1/</c>.</summary>
    public static Uri DefaultBaseAddress { get; } = new("https://api.replicate.com/v1/");

    /// <summary>Gets or sets the API token (sent as <c>Authorization: Bearer …</c>; never logged or shown). Its <c>r8_</c> prefix is not checked: older tokens have none.</summary>
    [Required(ErrorMessage = "is required: a Replicate API token (replicate.com/account/api-tokens).")]
    public string? ApiKey { get; set; }

    /// <summary>Gets or sets the API base address, ending in <c>/v1/</c> (https; http only for loopback test servers).</summary>
    /// <value>The default is <c>https://api.replicate.com/v1/</c>.</value>
    [HttpsOrLoopback]
    public Uri BaseAddress { get; set; } = DefaultBaseAddress;

    /// <summary>
    /// Gets or sets how many requests per minute the built-in limiter allows (creates, polls and lists share it).
    /// Ignored when <see cref="RateLimiter"/> is set.
    /// </summary>
    /// <value>The default is 600, Replicate's create limit (other endpoints allow 3000; accounts low on credit far fewer).</value>
    [IntegerRange(1, Hint = "Replicate allows 600 creates per minute (6 per minute with less than $5 of credit)")]
    public int RequestsPerMinute { get; set; } = DefaultRequestsPerMinute;

    /// <summary>
    /// Gets or sets a rate limiter to use instead of the built-in one (for example one shared by a fleet). Every request
    /// takes one permit; a refusal is returned as <see cref="RateLimitedError"/> before any network call. Not disposed by the provider.
    /// </summary>
    public RateLimiter? RateLimiter { get; set; }

    /// <summary>Gets price overrides in US dollars by Replicate model slug (<c>owner/name</c>), bound from <c>MediaGen:Replicate:PriceOverrides</c>.</summary>
    public PriceOverrides PriceOverrides { get; private init; } = new();

    /// <summary>
    /// Gets or sets the <c>Cancel-After</c> deadline sent with an image prediction (measured by Replicate from creation),
    /// so a forgotten prediction stops billing. A request can set its own with the provider option <c>"replicate": {"cancel_after": "90s"}</c>.
    /// </summary>
    /// <value>The default is 10 minutes; at least 5 seconds (Replicate's minimum).</value>
    public TimeSpan ImageCancelAfter { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>Gets or sets the <c>Cancel-After</c> deadline sent with a video prediction.</summary>
    /// <value>The default is 20 minutes; at least 5 seconds. Replicate stops any prediction after 30 minutes of running.</value>
    public TimeSpan VideoCancelAfter { get; set; } = TimeSpan.FromMinutes(20);

    /// <summary>
    /// Gets or sets how long a create of a short image model asks Replicate to hold the answer (<c>Prefer: wait=n</c>,
    /// 1–60 s): a prediction finished within it needs no poll; one that is not comes back in progress and is polled, never
    /// created again. 0 turns it off.
    /// </summary>
    /// <value>The default is 15 seconds.</value>
    [IntegerRange(0, 60, Hint = "Replicate holds a create at most 60 s")]
    public int PreferWaitSeconds { get; set; } = 15;

    /// <summary>
    /// Gets or sets the webhook signing secret (<c>whsec_…</c>, from <c>GET /v1/webhooks/default/secret</c>) used to verify
    /// deliveries; when null, <see cref="ReplicateClient.GetWebhookSecretAsync"/> fetches it once.
    /// </summary>
    public string? WebhookSigningSecret { get; set; }

    /// <summary>Gets or sets how far a delivery's <c>webhook-timestamp</c> may be from the clock (Replicate's own figure was not found; ±5 min is the Standard Webhooks practice).</summary>
    /// <value>The default is 5 minutes; must be positive.</value>
    public TimeSpan WebhookTolerance { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Gets or sets how many delivered <c>webhook-id</c>s are remembered to apply a retried delivery once.</summary>
    /// <value>The default is 10000.</value>
    [IntegerRange(1)]
    public int WebhookDedupeCapacity { get; set; } = 10_000;

    /// <summary>Gets or sets the clock-skew allowance around a create's time window when an ambiguous create is looked up in the prediction list.</summary>
    /// <value>The default is 2 minutes; must not be negative.</value>
    public TimeSpan ReconciliationClockSkew { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>Gets or sets how many list pages (100 predictions each) the reconciliation reads at most before giving up (outcome unknown).</summary>
    /// <value>The default is 3.</value>
    [IntegerRange(1)]
    public int ReconciliationMaxPages { get; set; } = 3;

    /// <summary>A description without the API key or the signing secret.</summary>
    /// <returns>The text.</returns>
    public override string ToString() =>
        $"ReplicateOptions {{ BaseAddress = {BaseAddress}, ApiKey = {(string.IsNullOrEmpty(ApiKey) ? "(not set)" : "***")}, RequestsPerMinute = {RequestsPerMinute}, PreferWaitSeconds = {PreferWaitSeconds}, WebhookSigningSecret = {(string.IsNullOrEmpty(WebhookSigningSecret) ? "(not set)" : "***")}, PriceOverrides = {PriceOverrides.Count} }}";

    internal ReplicateOptions Clone() => new()
    {
        ApiKey = ApiKey,
        BaseAddress = BaseAddress,
        RequestsPerMinute = RequestsPerMinute,
        RateLimiter = RateLimiter,
        ImageCancelAfter = ImageCancelAfter,
        VideoCancelAfter = VideoCancelAfter,
        PreferWaitSeconds = PreferWaitSeconds,
        WebhookSigningSecret = WebhookSigningSecret,
        WebhookTolerance = WebhookTolerance,
        WebhookDedupeCapacity = WebhookDedupeCapacity,
        ReconciliationClockSkew = ReconciliationClockSkew,
        ReconciliationMaxPages = ReconciliationMaxPages,
        PriceOverrides = PriceOverrides.Clone(),
    };
}
