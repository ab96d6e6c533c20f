namespace MediaGen.Testing;

/// <summary>
/// An immutable description of how an emulated job progresses: queued, then running with rising progress, then an
/// outcome reached after a number of status polls or after a duration on the host's <see cref="TimeProvider"/>.
/// </summary>
/// <remarks>
/// <para>
/// Polls are counted per job; the snapshot returned when a job is created (the submit response) sees poll 0. A job
/// is <see cref="JobState.Queued"/> while its poll count is at most <see cref="QueuedPolls"/> or less than
/// <see cref="QueuedDuration"/> has elapsed, so by default the submit response says queued and the first poll says
/// running. It reaches its outcome on the poll numbered <see cref="CompletionPolls"/> (the Nth poll is the first to
/// report it) or once <see cref="CompletionDuration"/> has elapsed, whichever comes first; with neither it never
/// finishes.
/// </para>
/// <para>Combine the factories with the <c>With…</c>/<c>After…</c> methods, for example
/// <c>JobScript.Fail(JobFailureKind.ContentPolicy, "nsfw").AfterPolls(2).WithQueuedPolls(1)</c>.</para>
/// </remarks>
public sealed record JobScript
{
    private JobScript()
    {
    }

    /// <summary>Gets the number of status polls that still report <see cref="JobState.Queued"/>.</summary>
    /// <value>The default is 0: only the submit response (poll 0) reports queued.</value>
    public int QueuedPolls { get; private init; }

    /// <summary>Gets how long after creation the job reports <see cref="JobState.Queued"/> regardless of polls.</summary>
    /// <value>The default is <see cref="TimeSpan.Zero"/>.</value>
    public TimeSpan QueuedDuration { get; private init; }

    /// <summary>Gets the number of the first status poll that reports the outcome, or <see langword="null"/> for no poll-based completion.</summary>
    public int? CompletionPolls { get; private init; }

    /// <summary>Gets how long after creation the job reports its outcome, or <see langword="null"/> for no time-based completion.</summary>
    public TimeSpan? CompletionDuration { get; private init; }

    /// <summary>Gets the outcome: <see cref="JobState.Succeeded"/> or <see cref="JobState.Failed"/>.</summary>
    public JobState Outcome { get; private init; } = JobState.Succeeded;

    /// <summary>Gets why the job fails, when <see cref="Outcome"/> is <see cref="JobState.Failed"/>.</summary>
    public JobFailureKind? FailureKind { get; private init; }

    /// <summary>Gets the failure message, when <see cref="Outcome"/> is <see cref="JobState.Failed"/>.</summary>
    public string? FailureMessage { get; private init; }

    /// <summary>Gets a value indicating whether the job ever finishes on its own.</summary>
    public bool Completes => CompletionPolls is not null || CompletionDuration is not null;

    /// <summary>Creates a script that succeeds on the <paramref name="polls"/>-th status poll.</summary>
    /// <param name="polls">The number of the first poll that reports success; 0 means already succeeded at creation.</param>
    /// <returns>The script.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="polls"/> is negative.</exception>
    public static JobScript CompleteAfterPolls(int polls) => new JobScript().AfterPolls(polls);

    /// <summary>Creates a script that succeeds once <paramref name="duration"/> has elapsed since creation on the host's clock.</summary>
    /// <param name="duration">The time from creation to success.</param>
    /// <returns>The script.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="duration"/> is negative.</exception>
    public static JobScript CompleteAfter(TimeSpan duration) => new JobScript().After(duration);

    /// <summary>Creates a script that fails on the first status poll; change when with <see cref="AfterPolls"/> or <see cref="After"/>.</summary>
    /// <param name="kind">Why the job fails.</param>
    /// <param name="message">The failure message the emulator reports.</param>
    /// <returns>The script.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="message"/> is <see langword="null"/>.</exception>
    public static JobScript Fail(JobFailureKind kind, string message)
    {
        ArgumentNullException.ThrowIfNull(message);
        return new JobScript { Outcome = JobState.Failed, FailureKind = kind, FailureMessage = message, CompletionPolls = 1 };
    }

    /// <summary>Creates a script that never finishes on its own (progress stops below 100); useful for deadline tests.</summary>
    /// <returns>The script.</returns>
    public static JobScript NeverComplete() => new();

    /// <summary>Returns a copy that reaches its outcome on the <paramref name="polls"/>-th poll (replacing any time-based completion).</summary>
    /// <param name="polls">The number of the first poll that reports the outcome; 0 means at creation.</param>
    /// <returns>The new script.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="polls"/> is negative.</exception>
    public JobScript AfterPolls(int polls)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(polls);
        return this with { CompletionPolls = polls, CompletionDuration = null };
    }

    /// <summary>Returns a copy that reaches its outcome once <paramref name="duration"/> has elapsed (replacing any poll-based completion).</summary>
    /// <param name="duration">The time from creation to the outcome.</param>
    /// <returns>The new script.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="duration"/> is negative.</exception>
    public JobScript After(TimeSpan duration)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(duration, TimeSpan.Zero);
        return this with { CompletionDuration = duration, CompletionPolls = null };
    }

    /// <summary>Returns a copy whose first <paramref name="polls"/> status polls report <see cref="JobState.Queued"/>.</summary>
    /// <param name="polls">The number of polls that report queued.</param>
    /// <returns>The new script.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="polls"/> is negative.</exception>
    public JobScript WithQueuedPolls(int polls)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(polls);
        return this with { QueuedPolls = polls };
    }

    /// <summary>Returns a copy that reports <see cref="JobState.Queued"/> until <paramref name="duration"/> has elapsed since creation.</summary>
    /// <param name="duration">How long the job stays queued.</param>
    /// <returns>The new script.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="duration"/> is negative.</exception>
    public JobScript WithQueuedDuration(TimeSpan duration)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(duration, TimeSpan.Zero);
        return this with { QueuedDuration = duration };
    }

    /// <summary>Gets the times after creation at which the script changes state with no poll: the end of the queued time (when set) and the time-based outcome (when set).</summary>
    internal IReadOnlyList<TimeSpan> ClockChangeTimes
    {
        get
        {
            var times = new List<TimeSpan>(2);
            if (QueuedDuration > TimeSpan.Zero)
            {
                times.Add(QueuedDuration);
            }

            if (CompletionDuration is { } done)
            {
                times.Add(done);
            }

            return times;
        }
    }

    /// <summary>Computes the scripted state (ignoring forced states) for a poll count and elapsed time.</summary>
    internal (JobState State, int Progress) Evaluate(int polls, TimeSpan elapsed)
    {
        bool done = (CompletionPolls is int p && polls >= p) || (CompletionDuration is TimeSpan d && elapsed >= d);
        if (done)
        {
            return (Outcome, Outcome == JobState.Succeeded ? 100 : 0);
        }

        if (polls <= QueuedPolls || elapsed < QueuedDuration)
        {
            return (JobState.Queued, 0);
        }

        int progress = 0;
        if (CompletionPolls is int total)
        {
            progress = Math.Max(progress, Percent(polls - QueuedPolls, total - QueuedPolls));
        }

        if (CompletionDuration is TimeSpan duration)
        {
            progress = Math.Max(progress, Percent((elapsed - QueuedDuration).Ticks, (duration - QueuedDuration).Ticks));
        }

        if (!Completes)
        {
            progress = (polls - QueuedPolls) * 10;
        }

        return (JobState.Running, Math.Clamp(progress, 0, 99));
    }

    private static int Percent(long part, long whole) => whole <= 0 ? 99 : (int)Math.Min(99, part * 100 / whole);
}
