using System.Collections.Concurrent;
using System.Globalization;
using MediaGen.Telemetry;
using Microsoft.Extensions.Logging;

namespace MediaGen;

/// <summary>
/// Learns how long each vendor's model takes from the jobs it sees, and plans polls from what it learned: the fewest
/// status requests at a target mean detection delay, never two polls of a job closer than the vendor's interval.
/// </summary>
/// <remarks>
/// <para>
/// Per provider, model and variant (the request's resolution and duration, <see cref="JobHandle.Variant"/>: a 1080p 10 s
/// video is not a 480p 5 s one) it keeps the completion times of the last <see cref="Window"/> jobs (the vendor's reported
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
/// <para>
/// When the pipeline's job store also implements <see cref="IPollingStatsStore"/> (the in-memory, SQLite and PostgreSQL
/// stores do), what it learns is kept there: the first wait that meets a key loads that key's window from the store (waiting
/// at most <see cref="StoreWaitLimit"/>; a slower load is used by later jobs), and every completion observed is appended, so
/// a restart or another instance over the same store starts warm. A store that fails is logged (<see cref="Logger"/>) and
/// the learner goes on from what it has in memory: the store never fails a generation.
/// </para>
/// </remarks>
public sealed class PollingLearner
{
    private const double PriorMedianShare = 0.9;
    private const double PriorSigma = 0.3;

    private readonly ConcurrentDictionary<(string Provider, string Model, string? Variant), Entry> _entries = new();

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

    /// <summary>Gets or sets how long a wait waits for the store's window of a key it meets for the first time before planning without it.</summary>
    /// <value>The default is 1 second (real time): the load goes on, and later jobs of the key use it.</value>
    public TimeSpan StoreWaitLimit { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Gets or sets where store failures are logged (warnings); null logs nothing.</summary>
    public ILogger? Logger { get; set; }

    /// <summary>Gets how many jobs of a model this learner has seen (loaded from a store or observed), over every variant.</summary>
    /// <param name="provider">The provider's name (<see cref="JobHandle.Provider"/>).</param>
    /// <param name="model">The vendor's model id.</param>
    /// <returns>The count, 0 when the model is unknown.</returns>
    public int ObservedJobs(string provider, string model)
    {
        var total = 0;
        foreach (var (key, entry) in _entries)
        {
            if (key.Provider == provider && key.Model == model)
            {
                total += entry.Count;
            }
        }

        return total;
    }

    /// <summary>Gets how many jobs like this one (provider, model and <see cref="JobHandle.Variant"/>) this learner has seen.</summary>
    /// <param name="handle">A job of the key.</param>
    /// <returns>The count, 0 when the key is unknown.</returns>
    public int ObservedJobs(JobHandle handle)
    {
        ArgumentNullException.ThrowIfNull(handle);
        return KeyOf(handle) is { } key && _entries.TryGetValue(key, out var entry) ? entry.Count : 0;
    }

    /// <summary>Records a job's completion time, known to lie between <paramref name="atLeast"/> and <paramref name="atMost"/> after its submission.</summary>
    /// <param name="handle">The job (provider, model and <see cref="JobHandle.Variant"/> are the key).</param>
    /// <param name="atLeast">The earliest it can have completed (equal to <paramref name="atMost"/> when the vendor reported the time).</param>
    /// <param name="atMost">The latest.</param>
    public void Observe(JobHandle handle, TimeSpan atLeast, TimeSpan atMost) => _ = ObserveAsync(handle, atLeast, atMost);

    /// <summary>
    /// Records a completion time and, when the key's window came from a store, appends it there; the task completes when the
    /// store has it or after <see cref="StoreWaitLimit"/>, and never faults (a failed write is logged).
    /// </summary>
    internal Task ObserveAsync(JobHandle handle, TimeSpan atLeast, TimeSpan atMost)
    {
        ArgumentNullException.ThrowIfNull(handle);
        if (KeyOf(handle) is not { } key || atMost <= TimeSpan.Zero)
        {
            return Task.CompletedTask;
        }

        var low = Math.Max(0, Math.Min(atLeast.TotalSeconds, atMost.TotalSeconds));
        var entry = _entries.GetOrAdd(key, _ => new Entry());
        entry.Add(low, atMost.TotalSeconds, Window);
        return entry.Store is { } store
            ? Bounded(AppendAsync(store, key, new CompletionTimeSample(TimeSpan.FromSeconds(low), atMost)))
            : Task.CompletedTask;
    }

    /// <summary>
    /// The plan for a job of this key; the first time the key is met with a store, its window is loaded from the store first
    /// (waiting at most <see cref="StoreWaitLimit"/>). Never throws for the store.
    /// </summary>
    internal ValueTask<PollPlan?> PlanForAsync(JobHandle handle, TimeSpan? typical, TimeSpan minimumGap, IPollingStatsStore? store)
    {
        if (store is null || KeyOf(handle) is not { } key)
        {
            return ValueTask.FromResult(PlanFor(handle, typical, minimumGap));
        }

        var loading = _entries.GetOrAdd(key, _ => new Entry()).LoadOnce(store, () => LoadAsync(store, key));
        return loading.IsCompleted
            ? ValueTask.FromResult(PlanFor(handle, typical, minimumGap))
            : PlanAfterLoadAsync(loading, handle, typical, minimumGap);
    }

    private async ValueTask<PollPlan?> PlanAfterLoadAsync(Task loading, JobHandle handle, TimeSpan? typical, TimeSpan minimumGap)
    {
        await Bounded(loading).ConfigureAwait(false);
        return PlanFor(handle, typical, minimumGap);
    }

    /// <summary>The plan for a job of this model, or null when nothing is known of its timing.</summary>
    internal PollPlan? PlanFor(JobHandle handle, TimeSpan? typical, TimeSpan minimumGap)
    {
        var entry = KeyOf(handle) is { } key && _entries.TryGetValue(key, out var e) ? e : null;
        if (typical is not { } t || t <= TimeSpan.Zero)
        {
            if (entry is null || entry.Count == 0)
            {
                return null;
            }
        }

        return entry is null || entry.Count == 0
            ? PriorPlan(typical!.Value, minimumGap)
            : entry.Plan(this, typical, minimumGap);
    }

    /// <summary>
    /// The variant of a request for timing purposes: its resolution and duration (e.g. <c>1080p/10s</c>), or null when it sets
    /// neither. Vendor-free: the canonical request's settings, as the caller wrote them.
    /// </summary>
    internal static string? VariantOf(GenerationRequest request)
    {
        var resolution = request.Resolution is { Value.Length: > 0 } r ? r.Value.ToLowerInvariant() : null;
        var duration = request.DurationSeconds is { } d ? d.ToString(CultureInfo.InvariantCulture) + "s" : null;
        return (resolution, duration) switch
        {
            (null, null) => null,
            (_, null) => resolution,
            (null, _) => duration,
            _ => resolution + "/" + duration,
        };
    }

    /// <summary>The key a store keeps a window under: provider, model and variant, separated by <c>|</c> (e.g. <c>veogen|veo-3.1-fast|1080p/8s</c>).</summary>
    internal static string StoreKey((string Provider, string Model, string? Variant) key) =>
        key.Variant is null ? $"{key.Provider}|{key.Model}" : $"{key.Provider}|{key.Model}|{key.Variant}";

    private static (string Provider, string Model, string? Variant)? KeyOf(JobHandle handle) =>
        handle.Model is { } model ? (handle.Provider, model.Value, handle.Variant) : null;

    private async Task LoadAsync(IPollingStatsStore store, (string Provider, string Model, string? Variant) key)
    {
        try
        {
            var samples = await store.LoadCompletionTimesAsync(StoreKey(key), Math.Max(1, Window), CancellationToken.None).ConfigureAwait(false);
            _entries[key].Prepend(samples, Window);
        }
        catch (Exception ex)
        {
            if (Logger is { } logger)
            {
                Log.PollingStoreFailed(logger, "load", key.Provider, key.Model, ex);
            }
        }
    }

    private async Task AppendAsync(IPollingStatsStore store, (string Provider, string Model, string? Variant) key, CompletionTimeSample sample)
    {
        try
        {
            await store.AppendCompletionTimeAsync(StoreKey(key), sample, Math.Max(1, Window), CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            if (Logger is { } logger)
            {
                Log.PollingStoreFailed(logger, "append", key.Provider, key.Model, ex);
            }
        }
    }

    /// <summary>Completes when <paramref name="task"/> does or after <see cref="StoreWaitLimit"/> of real time, whichever is first; never faults.</summary>
    private async Task Bounded(Task task)
    {
        if (task.IsCompleted)
        {
            return;
        }

        try
        {
            await task.WaitAsync(StoreWaitLimit, TimeProvider.System).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            // The store is slow: plan (or return) without it; the task finishes on its own.
        }
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

        // An array, walked by index: the likelihood below runs a few hundred times per fit (no enumerator each time).
        var window = observed as (double Low, double High)[] ?? [.. observed];

        // Start from the observations' log midpoints.
        var logs = observed.Select(o => Math.Log(Math.Max((o.Low + o.High) / 2, 1e-3))).ToArray();
        var mean = logs.Average();
        var spread = logs.Length > 1 ? Math.Sqrt(logs.Sum(l => (l - mean) * (l - mean)) / (logs.Length - 1)) : PriorSigma;
        var priorWeight = hasPrior ? PriorWeight : 0;

        // A job already done at its first poll only says "done in [0, first poll]": nothing about how far below the poll,
        // nor how wide the distribution is. Left free, σ would shrink to put the prior's median just under the poll, and
        // the next plan would poll almost as late (issue 14: ~6 s jobs documented at 15 s kept a first poll at ~11 s).
        // The more of the window is such, the more σ keeps of the prior's spread, so the plan puts mass below the poll,
        // polls earlier, and the next jobs tell the left side.
        var leftCensored = observed.Count(o => o.Low <= 0 && o.High > 0);
        var leftShare = (double)leftCensored / observed.Count;
        var logSigmaFloor = Math.Log(Math.Max(PriorSigma * leftShare * leftShare, 0.02));

        double NegativeLogLikelihood(double m, double logSigma)
        {
            logSigma = Math.Max(logSigma, logSigmaFloor);
            var s = Math.Exp(logSigma);
            var total = 0.0;
            for (var i = 0; i < window.Length; i++)
            {
                var (low, high) = window[i];
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

        return (bestMu, Math.Clamp(Math.Exp(Math.Max(bestLogSigma, logSigmaFloor)), 0.02, 1.5));
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

        private Task? _loading;
        private IPollingStatsStore? _store;

        public int Count => Volatile.Read(ref _count);

        /// <summary>Gets the store this key's window was loaded from (where observations are appended), once a wait met one.</summary>
        public IPollingStatsStore? Store
        {
            get => Volatile.Read(ref _store);
            private set => Volatile.Write(ref _store, value);
        }

        /// <summary>Starts loading from the store the first time a store is met; later calls return the same load.</summary>
        public Task LoadOnce(IPollingStatsStore store, Func<Task> load)
        {
            lock (_gate)
            {
                if (_loading is null)
                {
                    Store = store;
                    _loading = Task.Run(load);
                }

                return _loading;
            }
        }

        /// <summary>Puts samples loaded from a store before what was observed here (they are older), keeping the window.</summary>
        public void Prepend(IReadOnlyList<CompletionTimeSample> samples, int window)
        {
            if (samples.Count == 0)
            {
                return;
            }

            lock (_gate)
            {
                var merged = new List<(double Low, double High)>(samples.Count + _recent.Count);
                foreach (var sample in samples)
                {
                    if (sample.AtMost > TimeSpan.Zero)
                    {
                        merged.Add((Math.Max(0, Math.Min(sample.AtLeast.TotalSeconds, sample.AtMost.TotalSeconds)), sample.AtMost.TotalSeconds));
                    }
                }

                _count += merged.Count;
                merged.AddRange(_recent);
                _recent.Clear();
                foreach (var item in merged.Skip(Math.Max(0, merged.Count - Math.Max(1, window))))
                {
                    _recent.Enqueue(item);
                }
            }
        }

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

        /// <summary>
        /// The window's log-midpoint mean and spread (no allocation): what a re-fit would move with. Midpoints below the
        /// wait loop's minimum delay count as that delay: no plan polls earlier, so jobs done in 1 ms or in 200 ms are
        /// detected by the same first poll, and a window of such jobs (a loopback emulator's) never needs a new plan
        /// because one of them took 3 ms instead of 1 ms.
        /// </summary>
        private static Summary Summarize(Queue<(double Low, double High)> recent)
        {
            double sum = 0, squares = 0;
            var floor = PollingSchedule.MinimumDelay.TotalSeconds;
            foreach (var (low, high) in recent)
            {
                var log = Math.Log(Math.Max((low + high) / 2, floor));
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
