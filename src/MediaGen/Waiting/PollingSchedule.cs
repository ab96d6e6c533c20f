namespace MediaGen;

/// <summary>
/// The adaptive polling schedule: the first poll near the model's typical generation time (less what has already
/// elapsed since submission), then a ramp that spaces polls by how likely the job is to finish next, honouring
/// server hints; slow watchdog polls while webhook updates are expected.
/// </summary>
/// <remarks>
/// <para>
/// The ramp treats a model's actual generation time as log-normal around its typical time <c>T</c> (median
/// 0.9 T, σ 0.3: the vendors document spreads of about ×3 between fast and slow runs, e.g. "Veo 3.1: 2–6 min") and
/// spaces polls as <c>gap = (4/3 × vendor interval) / √hazard(elapsed / T)</c>, the spacing that minimises status
/// requests for a given mean detection delay. Gaps are wide while completion is unlikely, shrink toward
/// ⅔ of the vendor interval where completion is most likely, and before <c>T</c> never jump past it. With the vendors'
/// 3 s interval that is about 6 s at ½ T and 2 s near and after T. <c>docs/benchmarks.md</c> (polling efficiency)
/// has the simulation behind the constants. A fixed <see cref="WaitOptions.PollInterval"/> turns the ramp off.
/// </para>
/// </remarks>
internal static class PollingSchedule
{
    internal static readonly TimeSpan MinimumDelay = TimeSpan.FromMilliseconds(250);

    // The assumed spread of actual times around the typical time, and the ramp's scale in vendor intervals.
    private const double AssumedMedian = 0.9;
    private const double AssumedSigma = 0.3;
    private const double GapScale = 4.0 / 3.0;
    private const double MinimumGapShare = 2.0 / 3.0;

    private static readonly double[] ErfcCoefficients = [-1.26551223, 1.00002368, 0.37409196, 0.09678418, -0.18628806, 0.27886807, -1.13520398, 1.48851587, -0.82215223, 0.17087277];

    public static TimeSpan FirstDelay(WaitOptions options, TimeSpan interval, TimeSpan? typical, TimeSpan elapsedSinceSubmit, GenerationJob? submitted, DateTimeOffset now, bool webhooks, PollPlan? plan = null)
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
        else if (plan is not null)
        {
            delay = plan.NextDelay(elapsedSinceSubmit, afterPoll: false);
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

    /// <summary>The delay after a poll (or pushed update) that found the job still running.</summary>
    /// <param name="options">The wait options.</param>
    /// <param name="interval">The vendor's recommended interval (or the caller's fixed one).</param>
    /// <param name="job">The job as last seen.</param>
    /// <param name="now">The current time.</param>
    /// <param name="webhooks">Whether webhook updates are expected.</param>
    /// <param name="typical">The model's typical generation time, when known.</param>
    /// <param name="elapsedSinceSubmit">The time since the job was submitted, when known.</param>
    /// <param name="plan">The learned plan, when the schedule is not fixed by the caller.</param>
    /// <param name="afterPoll">Whether a poll was just made (the plan's minimum gap then applies).</param>
    public static TimeSpan NextDelay(WaitOptions options, TimeSpan interval, GenerationJob job, DateTimeOffset now, bool webhooks, TimeSpan? typical = null, TimeSpan? elapsedSinceSubmit = null, PollPlan? plan = null, bool afterPoll = true)
    {
        TimeSpan delay = plan is not null && elapsedSinceSubmit is { } sincePlan
            ? plan.NextDelay(sincePlan, afterPoll)
            : options.PollInterval is null && typical is { } t && elapsedSinceSubmit is { } elapsed
                ? Ramp(interval, t, elapsed)
                : interval;
        if (job.PollAfter is { } hint)
        {
            delay = hint;
        }
        else if (job.EstimatedCompletionAt is { } estimate && estimate - now > delay)
        {
            delay = estimate - now;
        }

        return Clamp(webhooks ? Max(delay, options.WatchdogInterval) : delay, options);
    }

    public static TimeSpan AfterError(WaitOptions options, TimeSpan interval, int consecutiveErrors, TimeSpan? retryAfter)
    {
        // Our own back-off is capped like any poll gap; only the server's Retry-After may ask for longer.
        var backoff = Clamp(interval * Math.Pow(2, Math.Min(consecutiveErrors - 1, 10)), options);
        return retryAfter is { } hint && hint > backoff ? Clamp(hint, options, honourLongHint: true) : backoff;
    }

    /// <summary>The ramp's gap at <paramref name="elapsed"/> into a job whose typical time is <paramref name="typical"/>.</summary>
    internal static TimeSpan Ramp(TimeSpan interval, TimeSpan typical, TimeSpan elapsed)
    {
        if (typical <= TimeSpan.Zero || interval <= TimeSpan.Zero)
        {
            return interval;
        }

        var x = Math.Max(elapsed / typical, 1e-3);
        var minimum = interval.TotalSeconds * MinimumGapShare;
        var gap = interval.TotalSeconds * GapScale / Math.Sqrt(Hazard(x));
        if (x < 1)
        {
            gap = Math.Min(gap, Math.Max(minimum, (typical - elapsed).TotalSeconds));
        }

        return TimeSpan.FromSeconds(Math.Clamp(gap, minimum, TimeSpan.FromDays(1).TotalSeconds));
    }

    /// <summary>The hazard (chance of finishing now, given not finished yet) of the assumed log-normal, per typical time.</summary>
    private static double Hazard(double x)
    {
        var z = (Math.Log(x) - Math.Log(AssumedMedian)) / AssumedSigma;
        var density = Math.Exp(-z * z / 2) / (Math.Sqrt(2 * Math.PI) * AssumedSigma * x);
        var survival = 0.5 * Erfc(z / Math.Sqrt(2));
        return Math.Max(density / Math.Max(survival, 1e-12), 1e-12);
    }

    /// <summary>The complementary error function (Numerical Recipes' Chebyshev fit, relative error below 1.2e-7).</summary>
    private static double Erfc(double x)
    {
        var z = Math.Abs(x);
        var t = 1 / (1 + (0.5 * z));
        var c = ErfcCoefficients;
        var poly = 0.0;
        for (var i = c.Length - 1; i > 0; i--)
        {
            poly = (poly + c[i]) * t;
        }

        var r = t * Math.Exp((-z * z) + c[0] + poly);
        return x >= 0 ? r : 2 - r;
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
