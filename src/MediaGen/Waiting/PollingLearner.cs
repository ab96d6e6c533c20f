using System.Collections.Concurrent;

namespace MediaGen;

/// <summary>
/// Learns how long each vendor's model takes from the jobs it sees, and plans polls from what it learned: the fewest
/// status requests at a target mean detection delay, never two polls of a job closer than the vendor's interval.
/// </summary>
/// <remarks>
/// <para>
/// Per provider and model it keeps the completion times of the last <see cref="Window"/> jobs (the vendor's reported
/// completion time when its answer carries one, otherwise the span between the last poll that saw the job running and
/// the one that saw it done) and mixes them with a prior around the model's documented typical time, worth
/// <see cref="PriorWeight"/> jobs, so the first job of a model is planned from the documentation and later ones
/// from what the vendor really does. A window rather than all history lets the plan follow a vendor that gets slower.
/// Plans are made by exact dynamic programming over poll times (see <c>docs/benchmarks.md</c>, polling) and cached
/// until a few more jobs have been seen and what they say has moved (a steady vendor is re-planned rarely, so a wait
/// costs a look-up, not a plan).
/// </para>
/// <para>
/// Each provider built on the core pipeline owns one (it answers <c>GetService(typeof(PollingLearner))</c>), so every
/// wait on that provider shares what it learns; set <see cref="WaitOptions.Learner"/> to share one across providers
/// or to start from a known state. Thread-safe.
/// </para>
/// </remarks>
public sealed class PollingLearner
{
    private const double PriorMedianShare = 0.9;
    private const double PriorSigma = 0.3;

    private readonly ConcurrentDictionary<(string Provider, string Model), Entry> _entries = new();

    /// <summary>Gets or sets the mean detection delay the plans aim for (the delay between a job completing and the wait seeing it).</summary>
    /// <value>The default is 2 seconds: half a second more than fixed 3 s polling gives, which lets the plan skip the
    /// unlikely early part of a job and space polls by how likely completion is (about 64 % fewer requests over the
    /// documented models; <c>docs/benchmarks.md</c>). 1.5 s is the least a 3 s least gap allows and buys few savings.</value>
    public TimeSpan TargetMeanDelay { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>Gets or sets how many of the most recent jobs per model are kept.</summary>
    /// <value>The default is 48.</value>
    public int Window { get; init; } = 48;

    /// <summary>Gets or sets how many jobs the prior around the documented typical time is worth.</summary>
    /// <value>The default is 3.</value>
    public double PriorWeight { get; init; } = 3;

    /// <summary>Gets how many jobs of a model this learner has seen.</summary>
    /// <param name="provider">The provider's name (<see cref="JobHandle.Provider"/>).</param>
    /// <param name="model">The vendor's model id.</param>
    /// <returns>The count, 0 when the model is unknown.</returns>
    public int ObservedJobs(string provider, string model) =>
        _entries.TryGetValue((provider, model), out var entry) ? entry.Count : 0;

    /// <summary>Records a job's completion time, known to lie between <paramref name="atLeast"/> and <paramref name="atMost"/> after its submission.</summary>
    /// <param name="handle">The job (provider and model are the key).</param>
    /// <param name="atLeast">The earliest it can have completed (equal to <paramref name="atMost"/> when the vendor reported the time).</param>
    /// <param name="atMost">The latest.</param>
    public void Observe(JobHandle handle, TimeSpan atLeast, TimeSpan atMost)
    {
        ArgumentNullException.ThrowIfNull(handle);
        if (handle.Model is not { } model || atMost <= TimeSpan.Zero)
        {
            return;
        }

        var low = Math.Max(0, Math.Min(atLeast.TotalSeconds, atMost.TotalSeconds));
        _entries.GetOrAdd((handle.Provider, model.Value), _ => new Entry()).Add(low, atMost.TotalSeconds, Window);
    }

    /// <summary>The plan for a job of this model, or null when nothing is known of its timing.</summary>
    internal PollPlan? PlanFor(JobHandle handle, TimeSpan? typical, TimeSpan minimumGap)
    {
        var entry = handle.Model is { } model && _entries.TryGetValue((handle.Provider, model.Value), out var e) ? e : null;
        if (typical is not { } t || t <= TimeSpan.Zero)
        {
            if (entry is null || entry.Count == 0)
            {
                return null;
            }
        }

        return entry is null
            ? PriorPlan(typical!.Value, minimumGap)
            : entry.Plan(this, typical, minimumGap);
    }

    private readonly ConcurrentDictionary<(TimeSpan Typical, TimeSpan Gap), PollPlan> _priorPlans = new();

    private PollPlan PriorPlan(TimeSpan typical, TimeSpan gap) =>
        _priorPlans.GetOrAdd((typical, gap), key => Make([], key.Typical, key.Gap));

    private PollPlan Make(IReadOnlyList<(double Low, double High)> observed, TimeSpan? typical, TimeSpan gap)
    {
        var (mu, sigma) = Fit(observed, typical);
        return PollPlan.Create(
            x => x <= 0 ? 0 : NormalCdf((Math.Log(x) - mu) / sigma),
            Math.Exp(mu + (3.5 * sigma)),
            gap,
            TargetMeanDelay);
    }

    /// <summary>
    /// The log-normal that best explains what was seen: maximum likelihood over the observations (each an exact time or
    /// an interval between two polls, which is what a vendor without completion times tells), with the prior around the
    /// documented typical time as <see cref="PriorWeight"/> pseudo-jobs.
    /// </summary>
    private (double Mu, double Sigma) Fit(IReadOnlyList<(double Low, double High)> observed, TimeSpan? typical)
    {
        var hasPrior = typical is { } t && t > TimeSpan.Zero;
        var priorMu = hasPrior ? Math.Log(typical!.Value.TotalSeconds * PriorMedianShare) : 0;
        if (observed.Count == 0)
        {
            return (priorMu, PriorSigma);
        }

        // Start from the observations' log midpoints.
        var logs = observed.Select(o => Math.Log(Math.Max((o.Low + o.High) / 2, 1e-3))).ToArray();
        var mean = logs.Average();
        var spread = logs.Length > 1 ? Math.Sqrt(logs.Sum(l => (l - mean) * (l - mean)) / (logs.Length - 1)) : PriorSigma;
        var priorWeight = hasPrior ? PriorWeight : 0;

        double NegativeLogLikelihood(double m, double logSigma)
        {
            var s = Math.Exp(logSigma);
            var total = 0.0;
            foreach (var (low, high) in observed)
            {
                double likelihood;
                if (high - low < 1e-3 * Math.Max(high, 1))
                {
                    var z = (Math.Log(Math.Max(high, 1e-3)) - m) / s;
                    likelihood = Math.Exp(-z * z / 2) / s;
                }
                else
                {
                    var upper = NormalCdf((Math.Log(high) - m) / s);
                    var lower = low <= 0 ? 0 : NormalCdf((Math.Log(low) - m) / s);
                    likelihood = upper - lower;
                }

                total -= Math.Log(Math.Max(likelihood, 1e-300));
            }

            // The prior as pseudo-jobs: a normal pull on μ (spread of the documented ranges) and on σ.
            if (priorWeight > 0)
            {
                total += priorWeight * ((((m - priorMu) / PriorSigma) * ((m - priorMu) / PriorSigma) / 2) + ((logSigma - Math.Log(PriorSigma)) * (logSigma - Math.Log(PriorSigma)) / 2));
            }

            return total;
        }

        var (bestMu, bestLogSigma) = NelderMead(NegativeLogLikelihood, mean, Math.Log(Math.Clamp(spread, 0.03, 2)));
        if (!double.IsFinite(bestMu) || !double.IsFinite(bestLogSigma))
        {
            return hasPrior ? (priorMu, PriorSigma) : (mean, PriorSigma); // nothing sensible to fit (e.g. times far below a millisecond)
        }

        return (bestMu, Math.Clamp(Math.Exp(bestLogSigma), 0.02, 1.5));
    }

    /// <summary>A two-parameter Nelder–Mead minimisation (enough for a smooth, unimodal log-likelihood).</summary>
    private static (double X, double Y) NelderMead(Func<double, double, double> f, double x0, double y0)
    {
        var points = new[] { (X: x0, Y: y0), (X: x0 + 0.1, Y: y0), (X: x0, Y: y0 + 0.2) };
        var values = points.Select(p => f(p.X, p.Y)).ToArray();
        for (var iteration = 0; iteration < 200; iteration++)
        {
            Array.Sort(values, points);
            if (Math.Abs(values[2] - values[0]) < 1e-7)
            {
                break;
            }

            var centroid = (X: (points[0].X + points[1].X) / 2, Y: (points[0].Y + points[1].Y) / 2);
            var reflected = (X: centroid.X + (centroid.X - points[2].X), Y: centroid.Y + (centroid.Y - points[2].Y));
            var fr = f(reflected.X, reflected.Y);
            if (fr < values[0])
            {
                var expanded = (X: centroid.X + (2 * (centroid.X - points[2].X)), Y: centroid.Y + (2 * (centroid.Y - points[2].Y)));
                var fe = f(expanded.X, expanded.Y);
                (points[2], values[2]) = fe < fr ? (expanded, fe) : (reflected, fr);
            }
            else if (fr < values[1])
            {
                (points[2], values[2]) = (reflected, fr);
            }
            else
            {
                var contracted = (X: centroid.X + (0.5 * (points[2].X - centroid.X)), Y: centroid.Y + (0.5 * (points[2].Y - centroid.Y)));
                var fc = f(contracted.X, contracted.Y);
                if (fc < values[2])
                {
                    (points[2], values[2]) = (contracted, fc);
                }
                else
                {
                    for (var i = 1; i < 3; i++)
                    {
                        points[i] = (X: points[0].X + (0.5 * (points[i].X - points[0].X)), Y: points[0].Y + (0.5 * (points[i].Y - points[0].Y)));
                        values[i] = f(points[i].X, points[i].Y);
                    }
                }
            }
        }

        Array.Sort(values, points);
        return points[0];
    }

    /// <summary>The standard normal CDF (Abramowitz–Stegun 7.1.26 on erf, absolute error below 1.5e-7).</summary>
    internal static double NormalCdf(double z)
    {
        var x = Math.Abs(z) / Math.Sqrt(2);
        var t = 1 / (1 + (0.3275911 * x));
        var poly = ((((((((1.061405429 * t) - 1.453152027) * t) + 1.421413741) * t) - 0.284496736) * t) + 0.254829592) * t;
        var erf = 1 - (poly * Math.Exp(-x * x));
        return z >= 0 ? 0.5 * (1 + erf) : 0.5 * (1 - erf);
    }

    private sealed class Entry
    {
        private readonly Lock _gate = new();
        private readonly Queue<(double Low, double High)> _recent = new();
        private PollPlan? _plan;
        private int _planCount = -1;
        private (TimeSpan? Typical, TimeSpan Gap) _planFor;
        private Summary _planSummary;
        private int _count;

        public int Count => Volatile.Read(ref _count);

        public void Add(double low, double high, int window)
        {
            lock (_gate)
            {
                _recent.Enqueue((low, high));
                while (_recent.Count > Math.Max(1, window))
                {
                    _recent.Dequeue();
                }

                _count++;
            }
        }

        public PollPlan Plan(PollingLearner owner, TimeSpan? typical, TimeSpan gap)
        {
            (double, double)[] observed;
            lock (_gate)
            {
                // Re-plan while few jobs are known, then at most every few jobs, and only when what was seen moved: a
                // plan costs a fit and a dynamic programme (milliseconds and kilobytes), and every wait asks for one.
                var sameKey = _plan is not null && _planFor == (typical, gap);
                if (sameKey && (_count == _planCount || (_count >= 16 && _count - _planCount < 4)))
                {
                    return _plan!;
                }

                var summary = Summarize(_recent);
                if (sameKey && _count >= 16 && !summary.MovedFrom(_planSummary))
                {
                    _planCount = _count; // the window still says what it said when this plan was made
                    return _plan!;
                }

                observed = [.. _recent];
                _planCount = _count;
                _planFor = (typical, gap);
                _planSummary = summary;
            }

            var plan = owner.Make(observed, typical, gap);
            lock (_gate)
            {
                _plan = plan;
            }

            return plan;
        }

        /// <summary>The window's log-midpoint mean and spread (no allocation): what a re-fit would move with.</summary>
        private static Summary Summarize(Queue<(double Low, double High)> recent)
        {
            double sum = 0, squares = 0;
            foreach (var (low, high) in recent)
            {
                var log = Math.Log(Math.Max((low + high) / 2, 1e-3));
                sum += log;
                squares += log * log;
            }

            var n = recent.Count;
            var mean = n > 0 ? sum / n : 0;
            var spread = n > 1 ? Math.Sqrt(Math.Max(0, (squares - (n * mean * mean)) / (n - 1))) : 0;
            return new Summary(n, mean, spread);
        }
    }

    /// <summary>What a plan was made from, coarsely: the window's size and its log-midpoints' mean and spread.</summary>
    private readonly record struct Summary(int Count, double Mean, double Spread)
    {
        /// <summary>
        /// Whether the window now says something else than <paramref name="then"/> (the window the plan was made from):
        /// its mean or its spread moved by more than twice their standard errors in a window that size (or 2 %).
        /// Sampling noise in a steady window rarely crosses that, so a steady vendor is re-planned rarely; a vendor that
        /// gets 1.6× slower crosses it within about ten jobs.
        /// </summary>
        public bool MovedFrom(Summary then)
        {
            if (Count != then.Count || Count < 2)
            {
                return true; // the window is still filling
            }

            var meanError = then.Spread / Math.Sqrt(Count);
            var spreadError = then.Spread / Math.Sqrt(2.0 * (Count - 1));
            return Math.Abs(Mean - then.Mean) > Math.Max(0.02, 2 * meanError)
                || Math.Abs(Spread - then.Spread) > Math.Max(0.02, 2 * spreadError);
        }
    }
}
