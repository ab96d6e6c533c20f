namespace MediaGen.Testing.Emulators.Replicate;

/// <summary>Configures a <see cref="ReplicateEmulator"/>. Keys are configured on <see cref="ReplicateEmulator.ApiKeys"/>; changes apply to later requests.</summary>
public sealed class ReplicateEmulatorOptions
{
    /// <summary>The signing secret the emulator uses unless told otherwise (<c>whsec_</c> + base64 of the key bytes, the form §1.7 gives).</summary>
    public const string DefaultWebhookSecret = "whsec_c2FuZGJveC1yZXBsaWNhdGUtc2lnbmluZy1rZXk=";

    /// <summary>Gets or sets the create-prediction limit per token per sliding minute (D3: 600 requests per minute).</summary>
    public int CreatesPerMinute { get; set; } = 600;

    /// <summary>Gets or sets the limit for every other endpoint per token per sliding minute (D3: 3000 requests per minute).</summary>
    public int OtherRequestsPerMinute { get; set; } = 3000;

    /// <summary>
    /// Gets or sets the balance below which creates are limited to 6 a minute with a burst of 1 (one per 10 s), as the
    /// 2026 report in §1.8 quotes ("while you have less than $5.0 in credit"); 0 turns the low-credit limit off.
    /// </summary>
    public decimal LowCreditThresholdUsd { get; set; } = 5m;

    /// <summary>
    /// Gets or sets whether a 429 carries a <c>Retry-After</c> header. The reference found none in Replicate's docs
    /// (§1.8, §1.14), so the default is <see langword="false"/>: the wait is only in the body.
    /// </summary>
    public bool SendRetryAfterHeader { get; set; }

    /// <summary>Gets or sets the longest <c>Prefer: wait=n</c> honoured (R0/D1: 1–60 s, default 60).</summary>
    public TimeSpan MaxSyncWait { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Gets or sets how often, on the host clock, a waiting create (<c>Prefer: wait</c>) looks at its prediction; each look is one poll of its scripted job.</summary>
    public TimeSpan SyncPollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Gets or sets whether a waiting create whose prediction has all its files answers at once with status still
    /// <c>processing</c> and the output present (D1: "Replicate may answer as soon as all files exist"; the trap of
    /// replicate-python#385). The next read of the prediction says <c>succeeded</c>.
    /// </summary>
    public bool SyncAnswersProcessingWithOutput { get; set; }

    /// <summary>Gets or sets how long after completion inputs, outputs, output files and logs are removed (D4/D5: one hour for API predictions).</summary>
    public TimeSpan DataRetention { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Gets or sets the hard timeout: a prediction running this long fails (D2: 30 minutes).</summary>
    public TimeSpan RunTimeout { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>Gets or sets the webhook signing secret (<c>GET /v1/webhooks/default/secret</c> answers it).</summary>
    public string WebhookSecret { get; set; } = DefaultWebhookSecret;

    /// <summary>
    /// Gets or sets the delays between tries of a final webhook that got no 2xx (D6: "several" tries with exponential
    /// backoff, the last about 1 minute after completion). The default 5, 10, 20, 25 s puts the last try 60 s after the first.
    /// </summary>
    public IReadOnlyList<TimeSpan> WebhookRetryDelays { get; set; } =
        [TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(20), TimeSpan.FromSeconds(25)];

    /// <summary>
    /// Gets or sets whether an <c>aborted</c> prediction gets a <c>completed</c> webhook. Not found in the reference
    /// (§1.7); the default <see langword="true"/> treats it as the final state it is.
    /// </summary>
    public bool SendAbortedWebhook { get; set; } = true;

    /// <summary>
    /// Gets or sets the price per image of a model with no published price (every model but the flux ones in §1.10).
    /// A sandbox value, so budgets and balances have something to count.
    /// </summary>
    public decimal SandboxImagePriceUsd { get; set; } = 0.04m;

    /// <summary>Gets or sets the price per second of video of a model with no published price (a sandbox value).</summary>
    public decimal SandboxVideoPricePerSecondUsd { get; set; } = 0.10m;
}
