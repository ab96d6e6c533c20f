namespace MediaGen;

/// <summary>
/// The poll plan that minimises status requests for a completion-time distribution at a target mean detection delay,
/// with no two polls of a job closer than a minimum gap: exact dynamic programming over poll times on a grid.
/// </summary>
/// <remarks>
/// <para>
/// Time from submission is cut into <c>N</c> steps of <c>h</c>; <c>p[m]</c> is the chance the job completes in step
/// <c>m</c> and <c>S[j]</c> the chance it is still running at step <c>j</c>. A poll at <c>k</c> after one at <c>j</c>
/// costs one request whenever the job was still running at <c>j</c> (chance <c>S[j]</c>) and detects every completion in
/// <c>(j, k]</c> late by <c>k − m</c>. The plan minimises <c>E[requests] + λ·E[delay]</c>; <c>V[j]</c> is the least
/// expected future cost after a poll at <c>j</c>, found backwards in <c>O(N²)</c> with prefix sums, and <c>λ</c> is
/// bisected for the fewest requests whose mean delay stays within the target. Past the grid's end (the distribution's
/// far tail) the plan polls every minimum gap.
/// </para>
/// <para>The same planner is the benchmark's oracle (given the true distribution) and the wait loop's learned schedule
/// (given the distribution <see cref="PollingLearner"/> estimated from the jobs it saw).</para>
/// </remarks>
internal sealed class PollPlan
{
    private const int MaxSteps = 900;

    private readonly int[] _next;
    private readonly int[] _free;

    private PollPlan(double step, int[] next, int[] free, TimeSpan minimumGap, double expectedRequests, double expectedDelay)
    {
        Step = step;
        _next = next;
        _free = free;
        MinimumGap = minimumGap;
        ExpectedRequests = expectedRequests;
        ExpectedDelaySeconds = expectedDelay;
    }

    /// <summary>Gets the grid step, in seconds.</summary>
    public double Step { get; }

    /// <summary>Gets the least gap between two polls of a job.</summary>
    public TimeSpan MinimumGap { get; }

    /// <summary>Gets the plan's expected status requests per job (for the distribution it was made for).</summary>
    public double ExpectedRequests { get; }

    /// <summary>Gets the plan's expected detection delay, in seconds.</summary>
    public double ExpectedDelaySeconds { get; }

    /// <summary>Gets the grid's end: past it, polls are one minimum gap apart.</summary>
    public TimeSpan Horizon => TimeSpan.FromSeconds(Step * (_next.Length - 1));

    /// <summary>
    /// Makes the plan for a distribution given as a cumulative distribution function of seconds from submission.
    /// </summary>
    /// <param name="cdf">P(completion time ≤ t seconds).</param>
    /// <param name="horizonSeconds">Where the grid ends (the distribution's far tail, e.g. its 99.95th percentile).</param>
    /// <param name="minimumGap">The least gap between two polls (the vendor's documented interval).</param>
    /// <param name="targetMeanDelay">The mean detection delay to stay within.</param>
    public static PollPlan Create(Func<double, double> cdf, double horizonSeconds, TimeSpan minimumGap, TimeSpan targetMeanDelay)
    {
        var gapSeconds = Math.Max(minimumGap.TotalSeconds, 0.05);
        // The gap is a whole number of steps, so the plan's least gap is exactly the vendor's interval.
        // Bounded work whatever the distribution: at most MaxSteps steps of at least one gap each (past the end, a poll
        // every gap), so a wide or odd estimate cannot make planning quadratic in hours of seconds.
        var span = Math.Min(Math.Max(horizonSeconds, gapSeconds * 2), gapSeconds * MaxSteps);
        var gapSteps = Math.Max(1, (int)Math.Ceiling(gapSeconds / Math.Max(span / MaxSteps, 0.05)));
        var step = gapSeconds / gapSteps;
        var n = (int)Math.Ceiling(span / step);

        // p[m]: completes in (t[m-1], t[m]]; mass before the grid's first step counts in step 1.
        var cumulative = new double[n + 1];
        var weighted = new double[n + 1];
        var survival = new double[n + 1];
        var previous = 0.0;
        survival[0] = 1;
        for (var m = 1; m <= n; m++)
        {
            var raw = cdf(m * step);
            var f = double.IsFinite(raw) ? Math.Clamp(raw, previous, 1) : previous; // a broken estimate adds no mass
            var p = f - previous;
            previous = f;
            cumulative[m] = cumulative[m - 1] + p;
            weighted[m] = weighted[m - 1] + (p * (m - 0.5) * step);
            survival[m] = Math.Max(0, 1 - f);
        }

        var context = new Grid(step, n, gapSteps, gapSeconds, cumulative, weighted, survival);
        var target = targetMeanDelay.TotalSeconds;

        // λ: larger buys less delay with more requests. The fewest requests within the target: bisect on log λ.
        double low = 1e-3, high = 1e3;
        var best = context.Keep(context.Solve(high));
        if (best.Delay > target)
        {
            return Build(context, best, minimumGap); // the target cannot be met at this gap: the densest plan
        }

        for (var i = 0; i < 40; i++)
        {
            var mid = Math.Sqrt(low * high);
            var solved = context.Solve(mid);
            if (solved.Delay <= target)
            {
                best = context.Keep(solved);
                high = mid;
            }
            else
            {
                low = mid;
            }

            if (high / low < 1.01)
            {
                break;
            }
        }

        return Build(context, best, minimumGap);
    }

    /// <summary>The delay from now until the next poll.</summary>
    /// <param name="elapsed">Time since submission.</param>
    /// <param name="afterPoll">Whether a poll was just made (the minimum gap then applies); false before the first poll.</param>
    public TimeSpan NextDelay(TimeSpan elapsed, bool afterPoll)
    {
        var seconds = Math.Max(0, elapsed.TotalSeconds);
        var j = (int)Math.Round(seconds / Step);
        var last = _next.Length - 1;
        if (j >= last)
        {
            return afterPoll ? MinimumGap : TimeSpan.FromSeconds(Step);
        }

        var k = afterPoll ? _next[j] : _free[j];
        var delay = (k * Step) - seconds;
        if (afterPoll)
        {
            delay = Math.Max(delay, MinimumGap.TotalSeconds);
        }

        return TimeSpan.FromSeconds(Math.Max(delay, Step));
    }

    /// <summary>The plan's poll times from submission (for a job that completes past all of them), up to the horizon.</summary>
    public IReadOnlyList<TimeSpan> PollTimes()
    {
        var times = new List<TimeSpan>();
        var k = _free[0];
        var last = _next.Length - 1;
        while (k < last)
        {
            times.Add(TimeSpan.FromSeconds(k * Step));
            k = _next[k];
        }

        var end = TimeSpan.FromSeconds(last * Step);
        times.Add(times.Count > 0 && end - times[^1] < MinimumGap ? times[^1] + MinimumGap : end);
        return times;
    }

    private static PollPlan Build(Grid grid, Solution solution, TimeSpan minimumGap) =>
        new(grid.Step, solution.Next, solution.Free, minimumGap, solution.Requests, solution.Delay);

    private readonly record struct Solution(int[] Next, int[] Free, double Requests, double Delay);

    private sealed class Grid(double step, int n, int gapSteps, double gapSeconds, double[] cumulative, double[] weighted, double[] survival)
    {
        // One value row for every λ tried, and two plan rows (the best so far and the one being tried) swapped rather
        // than allocated per bisection step: a plan allocates its grid a few times, not forty.
        private readonly double[] _value = new double[n + 1];
        private int[] _next = new int[n + 1];
        private int[] _free = new int[n + 1];
        private int[] _spareNext = new int[n + 1];
        private int[] _spareFree = new int[n + 1];

        public double Step => step;

        /// <summary>Solves for <paramref name="lambda"/>; the solution's rows stay valid until the next call unless kept with <see cref="Keep"/>.</summary>
        public Solution Solve(double lambda)
        {
            var value = _value;
            var next = _spareNext;
            var free = _spareFree;

            // Past the grid: a poll every gap for what is left (about one more poll and half a gap late, per remaining job).
            value[n] = survival[n] * (1 + (lambda * gapSeconds / 2));
            next[n] = n;
            free[n] = n;
            for (var j = n - 1; j >= 0; j--)
            {
                var constrained = double.PositiveInfinity;
                var unconstrained = double.PositiveInfinity;
                var from = Math.Min(j + gapSteps, n);
                for (var k = j + 1; k <= n; k++)
                {
                    var delay = ((k * step) * (cumulative[k] - cumulative[j])) - (weighted[k] - weighted[j]);
                    var cost = survival[j] + (lambda * delay) + value[k];
                    if (cost < unconstrained)
                    {
                        unconstrained = cost;
                        free[j] = k;
                    }

                    if (k >= from && cost < constrained)
                    {
                        constrained = cost;
                        next[j] = k;
                    }
                }

                value[j] = constrained;
            }

            // The plan's own figures: follow it from submission.
            double requests = 0, totalDelay = 0;
            var at = 0;
            var to = free[0];
            while (true)
            {
                requests += survival[at];
                totalDelay += ((to * step) * (cumulative[to] - cumulative[at])) - (weighted[to] - weighted[at]);
                if (to >= n)
                {
                    break;
                }

                at = to;
                to = Math.Max(next[at], Math.Min(at + gapSteps, n)); // always forward, even on a degenerate row
            }

            requests += survival[n];
            totalDelay += survival[n] * gapSeconds / 2;
            return new Solution(next, free, requests, totalDelay);
        }

        /// <summary>Keeps a solution's rows (the best so far): the next solve writes into the other pair.</summary>
        public Solution Keep(Solution solution)
        {
            if (ReferenceEquals(solution.Next, _spareNext))
            {
                (_next, _spareNext) = (_spareNext, _next);
                (_free, _spareFree) = (_spareFree, _free);
            }

            return solution;
        }
    }
}
