namespace MediaGen.Testing.Emulators.Apiframe;

/// <summary>Which documented shape the emulator gives a job's <c>result</c>.</summary>
public enum ApiframeResultShape
{
    /// <summary>The newer apiframe.ai/docs form (B1): <c>{images[], gridUrl}</c> for images, <c>{videoUrl}</c> or <c>{videos[]}</c> for video.</summary>
    ByModality,

    /// <summary>The docs-v2 form (A3/A4/A5): one URL string.</summary>
    UrlString,
}

/// <summary>How the emulator derives the HMAC key from SHA-256 of the API key (the docs do not say).</summary>
public enum ApiframeWebhookKeyForm
{
    /// <summary>The lowercase hex text of the digest, as UTF-8 bytes (a Node.js <c>digest('hex')</c>).</summary>
    HexString,

    /// <summary>The 32 raw digest bytes.</summary>
    RawBytes,
}

/// <summary>How the emulator encodes the HMAC in <c>X-Webhook-Signature</c> (the docs do not say).</summary>
public enum ApiframeSignatureEncoding
{
    /// <summary>Lowercase hex.</summary>
    Hex,

    /// <summary>Standard base64.</summary>
    Base64,
}

/// <summary>Configures an <see cref="ApiframeEmulator"/>. Keys are configured on <see cref="ApiframeEmulator.ApiKeys"/>.</summary>
public sealed class ApiframeEmulatorOptions
{
    /// <summary>A key the emulator accepts by default (the same as <see cref="ApiframeEmulator.DefaultApiKey"/>; any other <c>afk_…</c> key is accepted too unless the emulator is given a key set).</summary>
    public const string DefaultApiKey = ApiframeEmulator.DefaultApiKey;

    /// <summary>Gets or sets the team's <c>maxConcurrentJobs</c> reported by <c>GET /v2/me</c>.</summary>
    /// <value>The default is 10.</value>
    public int MaxConcurrentJobs { get; set; } = 10;

    /// <summary>
    /// Gets or sets whether a submit beyond <see cref="MaxConcurrentJobs"/> unfinished jobs is refused with 429 (the
    /// docs do not say what the vendor does; tests use it to prove a client never exceeds the cap).
    /// </summary>
    public bool EnforceConcurrency { get; set; }

    /// <summary>
    /// Gets or sets whether each accepted submit counts the account's unfinished jobs for
    /// <see cref="ApiframeEmulator.PeakConcurrentJobs"/>. The count reads every job the emulator holds, so a run of tens of
    /// thousands of jobs turns it off (with <see cref="EnforceConcurrency"/> off too, a submit then costs the same at any
    /// job count).
    /// </summary>
    /// <value>The default is <see langword="true"/>.</value>
    public bool TrackPeakConcurrency { get; set; } = true;

    /// <summary>Gets or sets the shape of <c>result</c>.</summary>
    /// <value>The default is <see cref="ApiframeResultShape.ByModality"/>.</value>
    public ApiframeResultShape ResultShape { get; set; } = ApiframeResultShape.ByModality;

    /// <summary>Gets or sets the HMAC key form used to sign webhooks.</summary>
    /// <value>The default is <see cref="ApiframeWebhookKeyForm.HexString"/>.</value>
    public ApiframeWebhookKeyForm WebhookKeyForm { get; set; } = ApiframeWebhookKeyForm.HexString;

    /// <summary>Gets or sets the signature encoding of webhooks.</summary>
    /// <value>The default is <see cref="ApiframeSignatureEncoding.Hex"/>.</value>
    public ApiframeSignatureEncoding SignatureEncoding { get; set; } = ApiframeSignatureEncoding.Hex;

    /// <summary>Gets or sets the credits charged for a model without a documented price (the emulator's own choice).</summary>
    /// <value>The default is 5.</value>
    public decimal UndocumentedModelPrice { get; set; } = 5m;

    /// <summary>Gets or sets whether the job queue is down: every generate answers 503 "Job queue is temporarily down".</summary>
    public bool QueueDown { get; set; }
}
