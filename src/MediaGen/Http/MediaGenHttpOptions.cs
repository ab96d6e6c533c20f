namespace MediaGen.Http;

/// <summary>
/// Resilience settings of one provider's HTTP client: retries (with jitter, honouring <c>Retry-After</c>) and
/// timeouts sized per operation. Bound from <c>MediaGen:{Provider}:Http</c>; validated at start.
/// </summary>
public sealed class MediaGenHttpOptions
{
    /// <summary>The default of <see cref="MaxSubmitAttempts"/>: 3 POSTs per logical submit.</summary>
    public const int DefaultMaxSubmitAttempts = 3;

    /// <summary>Gets or sets how many times a retry-safe request is retried.</summary>
    /// <value>The default is 3. A submit is retried at most this often too, and never beyond <see cref="MaxSubmitAttempts"/>.</value>
    public int MaxRetries { get; set; } = 3;

    /// <summary>
    /// Gets or sets the most POSTs one logical submit makes to this vendor, every layer counted: the pipeline's retries
    /// (after a 429, a connection never made, or anything when the vendor dedupes) and the provider's own resends after
    /// an ambiguous answer (see <see cref="SubmitAttempts"/>).
    /// </summary>
    /// <value>The default is 3; 1–10. 1 sends every submit once.</value>
    public int MaxSubmitAttempts { get; set; } = DefaultMaxSubmitAttempts;

    /// <summary>Gets or sets the first back-off delay (doubled each retry, with jitter).</summary>
    /// <value>The default is 1 second. Zero resends at once (a <c>Retry-After</c> is still waited out).</value>
    public TimeSpan BaseDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Gets or sets the longest <c>Retry-After</c> the handler waits out itself. A longer one surfaces as a rate-limited
    /// error at once, so the caller (or the router, by failing over) decides instead of blocking.
    /// </summary>
    /// <value>The default is 10 seconds.</value>
    public TimeSpan MaxRetryAfter { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Gets or sets the timeout of one attempt of a read (GET).</summary>
    /// <value>The default is 30 seconds.</value>
    public TimeSpan ReadAttemptTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Gets or sets the timeout of one submit attempt (a POST that creates a paid job is not a 10-second call).</summary>
    /// <value>The default is 120 seconds.</value>
    public TimeSpan SubmitAttemptTimeout { get; set; } = TimeSpan.FromSeconds(120);

    /// <summary>Gets or sets the total time a read may take, retries included.</summary>
    /// <value>The default is 2 minutes.</value>
    public TimeSpan ReadTotalTimeout { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>Gets or sets the total time a submit may take, retries included.</summary>
    /// <value>The default is 5 minutes.</value>
    public TimeSpan SubmitTotalTimeout { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Validates the settings, naming the configuration key of each bad value.</summary>
    /// <param name="section">The configuration path, e.g. <c>MediaGen:MeiGen:Http</c>.</param>
    /// <returns>The problems (empty when valid).</returns>
    public IReadOnlyList<string> Validate(string section)
    {
        var problems = new List<string>();
        if (MaxRetries is < 0 or > 10)
        {
            problems.Add($"{section}:MaxRetries must be 0–10; got {MaxRetries}.");
        }

        if (MaxSubmitAttempts is < 1 or > 10)
        {
            problems.Add($"{section}:MaxSubmitAttempts must be 1–10 (POSTs per logical submit, retries included); got {MaxSubmitAttempts}.");
        }

        if (BaseDelay < TimeSpan.Zero)
        {
            problems.Add($"{section}:BaseDelay must not be negative; got {BaseDelay}.");
        }

        Positive(nameof(MaxRetryAfter), MaxRetryAfter);
        Positive(nameof(ReadAttemptTimeout), ReadAttemptTimeout);
        Positive(nameof(SubmitAttemptTimeout), SubmitAttemptTimeout);
        Positive(nameof(ReadTotalTimeout), ReadTotalTimeout);
        Positive(nameof(SubmitTotalTimeout), SubmitTotalTimeout);
        if (ReadTotalTimeout < ReadAttemptTimeout)
        {
            problems.Add($"{section}:ReadTotalTimeout ({ReadTotalTimeout}) must be at least ReadAttemptTimeout ({ReadAttemptTimeout}).");
        }

        if (SubmitTotalTimeout < SubmitAttemptTimeout)
        {
            problems.Add($"{section}:SubmitTotalTimeout ({SubmitTotalTimeout}) must be at least SubmitAttemptTimeout ({SubmitAttemptTimeout}).");
        }

        return problems;

        void Positive(string name, TimeSpan value)
        {
            if (value <= TimeSpan.Zero)
            {
                problems.Add($"{section}:{name} must be positive; got {value}.");
            }
        }
    }
}
