namespace MediaGen;

/// <summary>How <see cref="MediaGeneratorExtensions.WaitForCompletionAsync"/> waits for a job.</summary>
public sealed class WaitOptions
{
    /// <summary>The default deadline for image jobs (the vendors' own guidance).</summary>
    public static readonly TimeSpan DefaultImageDeadline = TimeSpan.FromMinutes(5);

    /// <summary>The default deadline for video jobs (the vendors' own guidance).</summary>
    public static readonly TimeSpan DefaultVideoDeadline = TimeSpan.FromMinutes(10);

    /// <summary>Gets or sets the clock used for every delay and the deadline.</summary>
    /// <value>The default is <see cref="TimeProvider.System"/>.</value>
    public TimeProvider? TimeProvider { get; set; }

    /// <summary>Gets or sets how long to wait before giving up (the job lives on).</summary>
    /// <value>The default is 5 minutes for images and 10 minutes for video.</value>
    public TimeSpan? Deadline { get; set; }

    /// <summary>Gets or sets the delay before the first poll, overriding the schedule.</summary>
    public TimeSpan? FirstPollDelay { get; set; }

    /// <summary>Gets or sets the share of the model's typical generation time to wait before the first poll, when no <see cref="Learner"/> plans the polls.</summary>
    /// <value>The default is 0.5.</value>
    public double FirstPollFraction { get; set; } = 0.5;

    /// <summary>Gets or sets the interval between polls after the first, overriding the vendor's recommendation.</summary>
    public TimeSpan? PollInterval { get; set; }

    /// <summary>Gets or sets the longest delay between two polls (also caps server hints and back-off).</summary>
    /// <value>The default is 60 seconds.</value>
    public TimeSpan MaxPollInterval { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// Gets or sets how many status answers in a row that cannot be read or fail (an HTML page with 200, JSON of the
    /// wrong shape, a body cut off, a 5xx, a dropped connection) end the wait, right after the last of them, with
    /// <see cref="TimedOutError"/> (<see cref="TimedOutReason.StatusUnreadable"/>) carrying the handle. The job is not
    /// marked finished: it may be billed, and waiting can be resumed by its handle. A 429 (the vendor says when to come
    /// back) and a "not found" just after submission (read lag) are not counted.
    /// </summary>
    /// <value>The default is 3 (MeiGen's own client gives up after three consecutive transient errors); at least 1.</value>
    public int MaxConsecutiveStatusFailures
    {
        get => _maxConsecutiveStatusFailures;
        set
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, 1);
            _maxConsecutiveStatusFailures = value;
        }
    }

    private int _maxConsecutiveStatusFailures = 3;

    /// <summary>Gets or sets where verified webhook updates arrive; when set, polling slows to <see cref="WatchdogInterval"/>.</summary>
    public JobUpdateHub? Updates { get; set; }

    /// <summary>Gets or sets the poll interval kept while webhook updates are expected, in case a delivery is lost.</summary>
    /// <value>The default is 60 seconds.</value>
    public TimeSpan WatchdogInterval { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// Gets or sets where <c>GenerateAsync</c> records each accepted job before waiting starts, and marks it when it
    /// ends, so a crash mid-wait cannot lose a paid job (see <see cref="JobLedgerExtensions.ResumePendingAsync(IJobLedger, IMediaGenerator, WaitOptions?, IProgress{GenerationJob}?, CancellationToken)"/>).
    /// </summary>
    public IJobLedger? Ledger { get; set; }

    /// <summary>
    /// Gets or sets what learns this vendor's completion times and plans the polls from them. Ignored when
    /// <see cref="PollInterval"/> or <see cref="FirstPollDelay"/> fixes the schedule.
    /// </summary>
    /// <value>The default (null) is the provider's own learner (<c>GetService(typeof(PollingLearner))</c>), shared by every wait on that provider; without one, the ramp from the model's typical time.</value>
    public PollingLearner? Learner { get; set; }

    /// <summary>Gets the shared default options.</summary>
    internal static WaitOptions Default { get; } = new();
}
