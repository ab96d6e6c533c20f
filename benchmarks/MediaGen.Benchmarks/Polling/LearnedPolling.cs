using System.Globalization;
using System.Text;
using MediaGen.Testing;

namespace MediaGen.Benchmarks.Polling;

/// <summary>One model's learned schedule against fixed 3 s polling and the oracle.</summary>
/// <param name="Model">The model.</param>
/// <param name="Fixed">Fixed 3 s polling over every job.</param>
/// <param name="Cold">The learned schedule over the first <see cref="LearnedPolling.ColdJobs"/> jobs.</param>
/// <param name="Warm">The learned schedule over the jobs after <see cref="LearnedPolling.WarmAfter"/>.</param>
/// <param name="Oracle">The optimal plan for the true distribution at the warm learner's mean delay, over the same jobs.</param>
/// <param name="ColdOracle">The optimal plan at the cold learner's mean delay, over the same jobs.</param>
public sealed record LearnedComparison(ModelTiming Model, PolicyResult Fixed, PolicyResult Cold, PolicyResult Warm, PolicyResult Oracle, PolicyResult ColdOracle)
{
    /// <summary>Gets warm requests per job as a multiple of the oracle's at the same mean delay.</summary>
    public double WarmToOracle => Warm.RequestsPerJob / Oracle.RequestsPerJob;

    /// <summary>Gets cold requests per job as a multiple of the oracle's at the same mean delay.</summary>
    public double ColdToOracle => Cold.RequestsPerJob / ColdOracle.RequestsPerJob;
}

/// <summary>The shifted-distribution run: the vendor gets slower mid-run.</summary>
/// <param name="Model">The model before the shift.</param>
/// <param name="Factor">How much slower every job is after the shift.</param>
/// <param name="Windows">Learned requests/job and mean delay per window of jobs after the shift.</param>
/// <param name="Oracle">The oracle for the slower distribution at the target delay.</param>
public sealed record ShiftedRun(ModelTiming Model, double Factor, IReadOnlyList<(int FromJob, PolicyResult Learned, PolicyResult Oracle)> Windows, PolicyResult Oracle);

/// <summary>
/// Figure 3b, learned polling: each model's jobs are awaited one after another through the real
/// <c>WaitForCompletionAsync</c> on a fake clock with one <see cref="PollingLearner"/> that sees them all, as a provider's
/// own learner would. The vendor reports no completion time (MeiGen's answers have none), so the learner only knows
/// each job ended between two polls. Compared with fixed 3 s polling and with the <b>oracle</b>: the plan that
/// minimises requests at the same target mean delay for the <i>true</i> distribution, under the same 3 s least gap,
/// computed exactly (dynamic programming over poll times) and replayed on the same draws.
/// </summary>
public sealed class LearnedPolling
{
    /// <summary>How many first jobs count as cold.</summary>
    public const int ColdJobs = 20;

    /// <summary>After how many jobs the learner counts as warm.</summary>
    public const int WarmAfter = 200;

    /// <summary>Gets the simulation whose draws are used.</summary>
    public PollingSimulation Simulation { get; init; } = new();

    /// <summary>Gets the mean delay the learner and the oracle aim for.</summary>
    public TimeSpan TargetMeanDelay { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>Runs every documented model.</summary>
    /// <param name="models">The models, or the documented ones.</param>
    /// <returns>One comparison per model.</returns>
    public async Task<IReadOnlyList<LearnedComparison>> RunAsync(IEnumerable<ModelTiming>? models = null)
    {
        var results = new List<LearnedComparison>();
        foreach (var model in models ?? PollingSimulation.DocumentedModels)
        {
            var durations = Simulation.Draw(model);
            var fixedPolicy = await PollingSimulation.RunJobsAsync(model, durations, () => new WaitOptions { FirstPollDelay = PollingSimulation.VendorInterval, PollInterval = PollingSimulation.VendorInterval });
            var learner = new PollingLearner { TargetMeanDelay = TargetMeanDelay };
            var learned = await PollingSimulation.RunJobsAsync(model, durations, () => new WaitOptions { Learner = learner });
            var coldJobs = durations.Take(Math.Min(ColdJobs, learned.Count)).ToArray();
            var warmFrom = Math.Min(WarmAfter, learned.Count / 2);
            var cold = Summarize("learned, cold", learned.Take(coldJobs.Length));
            var warm = Summarize("learned, warm", learned.Skip(warmFrom));
            results.Add(new LearnedComparison(
                model,
                Summarize("fixed 3 s", fixedPolicy),
                cold,
                warm,
                Oracle(model, 1, durations[warmFrom..], TimeSpan.FromSeconds(warm.MeanDelaySeconds)),
                Oracle(model, 1, coldJobs, TimeSpan.FromSeconds(cold.MeanDelaySeconds))));
        }

        return results;
    }

    /// <summary>The vendor gets <paramref name="factor"/>× slower after <paramref name="shiftAfter"/> jobs.</summary>
    /// <param name="model">The model.</param>
    /// <param name="factor">The slow-down.</param>
    /// <param name="shiftAfter">Jobs before the shift.</param>
    /// <param name="window">Jobs per reported window after the shift.</param>
    /// <returns>The learned figures per window and the oracle for the slower vendor.</returns>
    public async Task<ShiftedRun> RunShiftedAsync(ModelTiming model, double factor = 1.6, int shiftAfter = 200, int window = 25)
    {
        var durations = Simulation.Draw(model);
        var shifted = durations.Select((d, i) => i < shiftAfter ? d : TimeSpan.FromMilliseconds(Math.Round(d.TotalMilliseconds * factor))).ToArray();
        var learner = new PollingLearner { TargetMeanDelay = TargetMeanDelay };
        var learned = await PollingSimulation.RunJobsAsync(model, shifted, () => new WaitOptions { Learner = learner });
        var windows = new List<(int, PolicyResult, PolicyResult)>();
        for (var from = shiftAfter; from < learned.Count; from += window)
        {
            var part = Summarize("learned", learned.Skip(from).Take(window));
            windows.Add((from - shiftAfter + 1, part, Oracle(model, factor, shifted[from..Math.Min(from + window, shifted.Length)], TimeSpan.FromSeconds(part.MeanDelaySeconds))));
        }

        return new ShiftedRun(model, factor, windows, Oracle(model, factor, shifted[shiftAfter..], TargetMeanDelay));
    }

    /// <summary>The oracle's figures on these draws: its plan for the true (log-normal) distribution, replayed.</summary>
    /// <param name="model">The model (its documented range is the distribution's central 95 %).</param>
    /// <param name="factor">A slow-down applied to the distribution.</param>
    /// <param name="durations">The draws to replay.</param>
    /// <param name="meanDelay">The mean delay the oracle may take.</param>
    /// <returns>Requests per job and delays.</returns>
    public PolicyResult Oracle(ModelTiming model, double factor, IReadOnlyList<TimeSpan> durations, TimeSpan meanDelay)
    {
        if (Simulation.Distribution != DurationDistribution.LogNormal)
        {
            throw new NotSupportedException("The oracle is computed for the log-normal draws.");
        }

        var mu = ((Math.Log(model.Low.TotalSeconds) + Math.Log(model.High.TotalSeconds)) / 2) + Math.Log(factor);
        var sigma = (Math.Log(model.High.TotalSeconds) - Math.Log(model.Low.TotalSeconds)) / (2 * 1.959964);
        var plan = PollPlan.Create(x => x <= 0 ? 0 : PollingLearner.NormalCdf((Math.Log(x) - mu) / sigma), Math.Exp(mu + (3.5 * sigma)), PollingSimulation.VendorInterval, meanDelay);
        var times = plan.PollTimes();
        var jobs = new List<(int Polls, double Delay)>(durations.Count);
        foreach (var d in durations)
        {
            var polls = 0;
            var at = TimeSpan.Zero;
            foreach (var t in times)
            {
                polls++;
                at = t;
                if (t >= d)
                {
                    break;
                }
            }

            while (at < d)
            {
                at += plan.MinimumGap;
                polls++;
            }

            jobs.Add((polls, (at - d).TotalSeconds));
        }

        return Summarize("oracle", jobs);
    }

    /// <summary>Renders the comparison and the shifted run.</summary>
    /// <param name="results">Per model.</param>
    /// <param name="shifted">The shifted run.</param>
    /// <returns>Markdown.</returns>
    public string ToMarkdown(IReadOnlyList<LearnedComparison> results, ShiftedRun shifted)
    {
        var inv = CultureInfo.InvariantCulture;
        var sb = new StringBuilder();
        sb.AppendLine(inv, $"Learned polling: {Simulation.JobsPerModel} jobs per model in sequence (seed {Simulation.Seed}, log-normal, documented range = central 95 %), least gap {PollingSimulation.VendorInterval.TotalSeconds:0} s, target mean delay {TargetMeanDelay.TotalSeconds:0.0} s; cold = first {ColdJobs} jobs, warm = jobs after {WarmAfter}.");
        sb.AppendLine();
        sb.AppendLine("Oracle columns: the optimal plan for the true distribution at the learner's own mean delay (so the ratio is requests at equal delay), replayed on the same jobs.");
        sb.AppendLine();
        sb.AppendLine("| model (docs) | fixed 3 s: req/job, mean delay | cold: req/job, mean delay | warm: req/job, mean / p95 delay | oracle: req/job, mean / p95 delay | warm ÷ oracle | cold ÷ oracle | warm vs fixed |");
        sb.AppendLine("|---|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var r in results)
        {
            sb.AppendLine(inv, $"| {r.Model.Name} ({r.Model.Documented}) | {r.Fixed.RequestsPerJob:0.00}, {r.Fixed.MeanDelaySeconds:0.00} s | {r.Cold.RequestsPerJob:0.00}, {r.Cold.MeanDelaySeconds:0.00} s | {r.Warm.RequestsPerJob:0.00}, {r.Warm.MeanDelaySeconds:0.00} / {r.Warm.P95DelaySeconds:0.0} s | {r.Oracle.RequestsPerJob:0.00}, {r.Oracle.MeanDelaySeconds:0.00} / {r.Oracle.P95DelaySeconds:0.0} s | {r.WarmToOracle:0.00}× | {r.ColdToOracle:0.00}× | {1 - (r.Warm.RequestsPerJob / r.Fixed.RequestsPerJob):P0} fewer |");
        }

        var fixedTotal = results.Sum(r => r.Fixed.RequestsPerJob);
        var warmTotal = results.Sum(r => r.Warm.RequestsPerJob);
        var oracleTotal = results.Sum(r => r.Oracle.RequestsPerJob);
        sb.AppendLine(inv, $"| **all models (sum of per-job means)** | {fixedTotal:0.0} | | {warmTotal:0.0} | {oracleTotal:0.0} | {warmTotal / oracleTotal:0.00}× | | {1 - (warmTotal / fixedTotal):P0} fewer |");
        sb.AppendLine();
        sb.AppendLine(inv, $"Shifted: {shifted.Model.Name} becomes {shifted.Factor:0.0}× slower after job {WarmAfter}; oracle for the slower vendor {shifted.Oracle.RequestsPerJob:0.00} req/job, {shifted.Oracle.MeanDelaySeconds:0.00} s mean delay.");
        sb.AppendLine();
        sb.AppendLine("| jobs after the shift | learned: req/job | mean delay | oracle at that delay | ÷ oracle |");
        sb.AppendLine("|---|---:|---:|---:|---:|");
        foreach (var (from, learned, oracle) in shifted.Windows)
        {
            sb.AppendLine(inv, $"| {from}–{from + learned.Jobs - 1} | {learned.RequestsPerJob:0.00} | {learned.MeanDelaySeconds:0.00} s | {oracle.RequestsPerJob:0.00} | {learned.RequestsPerJob / oracle.RequestsPerJob:0.00}× |");
        }

        return sb.ToString();
    }

    private static PolicyResult Summarize(string name, IEnumerable<(int Polls, double Delay)> jobs)
    {
        var list = jobs.ToList();
        var delays = list.Select(j => j.Delay).Order().ToArray();
        return new PolicyResult(name, list.Average(j => j.Polls), delays.Average(), delays[(int)Math.Ceiling(0.95 * delays.Length) - 1], delays[^1], list.Count);
    }
}
