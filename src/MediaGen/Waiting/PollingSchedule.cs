namespace MediaGen;

/// <summary>
/// The adaptive polling schedule: the first poll near the model's typical generation time (less what has already
/// elapsed since submission), then the vendor's interval, honouring server hints; slow watchdog polls while
/// webhook updates are expected.
/// </summary>
internal static class PollingSchedule
{
    internal static readonly TimeSpan MinimumDelay = TimeSpan.FromMilliseconds(250);

    public static TimeSpan FirstDelay(WaitOptions options, TimeSpan interval, TimeSpan? typical, TimeSpan elapsedSinceSubmit, GenerationJob? submitted, DateTimeOffset now, bool webhooks)
    {
        TimeSpan delay;
        if (options.FirstPollDelay is { } fixedDelay)
        {
            delay = fixedDelay;
        }
        else if (submitted?.PollAfter is { } hint)
        {
            delay = hint;
        }
        else if (submitted?.EstimatedCompletionAt is { } estimate)
        {
            delay = estimate - now;
        }
        else if (typical is { } t)
        {
            delay = (t * options.FirstPollFraction) - elapsedSinceSubmit;
        }
        else
        {
            delay = interval;
        }

        return Clamp(webhooks ? Max(delay, options.WatchdogInterval) : delay, options);
    }

    public static TimeSpan NextDelay(WaitOptions options, TimeSpan interval, GenerationJob job, DateTimeOffset now, bool webhooks)
    {
        TimeSpan delay = interval;
        if (job.PollAfter is { } hint)
        {
            delay = hint;
        }
        else if (job.EstimatedCompletionAt is { } estimate && estimate - now > interval)
        {
            delay = estimate - now;
        }

        return Clamp(webhooks ? Max(delay, options.WatchdogInterval) : delay, options);
    }

    public static TimeSpan AfterError(WaitOptions options, TimeSpan interval, int consecutiveErrors, TimeSpan? retryAfter)
    {
        var backoff = interval * Math.Pow(2, Math.Min(consecutiveErrors - 1, 10));
        return Clamp(Max(backoff, retryAfter ?? TimeSpan.Zero), options, honourLongHint: retryAfter is not null);
    }

    private static TimeSpan Clamp(TimeSpan delay, WaitOptions options, bool honourLongHint = false)
    {
        if (delay < MinimumDelay)
        {
            return MinimumDelay;
        }

        return !honourLongHint && delay > options.MaxPollInterval && delay > options.WatchdogInterval ? Max(options.MaxPollInterval, options.WatchdogInterval) : delay;
    }

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;
}
