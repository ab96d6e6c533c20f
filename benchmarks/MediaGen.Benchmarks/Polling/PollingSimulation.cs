using System.Globalization;
using System.Text;
using MediaGen.Testing;

namespace MediaGen.Benchmarks.Polling;

/// <summary>A model's documented typical generation time (MeiGen overview, "Typical Generation Times").</summary>
/// <param name="Name">The model as the docs name it.</param>
/// <param name="Documented">The docs' words.</param>
/// <param name="Typical">The typical time the provider's catalog gives the wait loop.</param>
/// <param name="Low">The low end of the documented range (or of the central 95 % assumed around "~T").</param>
/// <param name="High">The high end.</param>
/// <param name="Kind">Image or video.</param>
public sealed record ModelTiming(string Name, string Documented, TimeSpan Typical, TimeSpan Low, TimeSpan High, MediaKind Kind)
{
    /// <summary>"~T": the central 95 % of durations assumed within [0.6 T, 1.65 T] (log-normal, median T, σ = 0.26).</summary>
    public static ModelTiming About(string name, TimeSpan typical, MediaKind kind = MediaKind.Image) =>
        new(name, $"~{Describe(typical)}", typical, typical * 0.6, typical * 1.65, kind);

    /// <summary>"a–b": the documented range taken as the central 95 % (log-normal), the catalog's typical time its midpoint.</summary>
    public static ModelTiming Range(string name, TimeSpan low, TimeSpan high, MediaKind kind = MediaKind.Video) =>
        new(name, $"{Describe(low)}–{Describe(high)}", (low + high) / 2, low, high, kind);

    private static string Describe(TimeSpan t) => t.TotalSeconds < 90 ? $"{t.TotalSeconds:0} s" : $"{t.TotalMinutes:0} min";
}

/// <summary>How durations are drawn around a model's documented time.</summary>
public enum DurationDistribution
{
    /// <summary>Log-normal whose central 95 % is the documented range (the main figure).</summary>
    LogNormal,

    /// <summary>Uniform over [0.5 T, 1.5 T] (or the documented range when wider): flat, no peak to aim at (a harsher check).</summary>
    Uniform,
}

/// <summary>The result of one policy on one model.</summary>
public sealed record PolicyResult(string Policy, double RequestsPerJob, double MeanDelaySeconds, double P95DelaySeconds, double MaxDelaySeconds, int Jobs);

/// <summary>Adaptive versus fixed polling for one model.</summary>
public sealed record ModelComparison(ModelTiming Model, PolicyResult Fixed, PolicyResult Adaptive, PolicyResult Webhooks, int WebhookPollsBeforeWatchdog)
{
    public double RequestReduction => 1 - (Adaptive.RequestsPerJob / Fixed.RequestsPerJob);

    public bool MeetsTarget => RequestReduction >= 0.5 && Adaptive.MeanDelaySeconds <= Fixed.MeanDelaySeconds;
}

/// <summary>
/// Figure 3, polling efficiency, deterministic on a fake clock (no network, no wall-clock sleeping): for each model,
/// <see cref="JobsPerModel"/> jobs whose actual durations are drawn (seeded) around the documented time; each job is
/// awaited with the real <c>WaitForCompletionAsync</c> on a <see cref="FakeClock"/> driven by
/// <c>DriveAsync</c>, against a time-scripted generator that reports the job done once its duration has elapsed.
/// Policies: <b>fixed 3 s</b> (the vendors' recommendation: <c>FirstPollDelay = PollInterval = 3 s</c>),
/// <b>adaptive</b> (MediaGen's default schedule from the model's typical time and the vendor's 3 s interval), and
/// <b>webhooks</b> (the default schedule with a <see cref="JobUpdateHub"/> that receives the completion as it
/// happens, as Apiframe's webhook would deliver it). Counted: status requests per job (the submit is not a status
/// request) and detection delay = when the wait returned − when the job completed.
/// </summary>
public sealed class PollingSimulation
{
    public static readonly IReadOnlyList<ModelTiming> DocumentedModels =
    [
        ModelTiming.About("Z Image Turbo", TimeSpan.FromSeconds(5)),
        ModelTiming.About("Nanobanana 2 / Seedream", TimeSpan.FromSeconds(15)),
        ModelTiming.About("Nanobanana Pro", TimeSpan.FromSeconds(15)),
        ModelTiming.About("GPT image", TimeSpan.FromSeconds(20)),
        ModelTiming.About("Midjourney", TimeSpan.FromSeconds(60)),
        ModelTiming.Range("Seedance 2.0", TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(3)),
        ModelTiming.Range("Veo 3.1", TimeSpan.FromMinutes(2), TimeSpan.FromMinutes(6)),
    ];

    public int JobsPerModel { get; init; } = 400;

    public int Seed { get; init; } = 20260101;

    public DurationDistribution Distribution { get; init; } = DurationDistribution.LogNormal;

    public static TimeSpan VendorInterval { get; } = TimeSpan.FromSeconds(3);

    public async Task<IReadOnlyList<ModelComparison>> RunAsync(IEnumerable<ModelTiming>? models = null)
    {
        var results = new List<ModelComparison>();
        foreach (var model in models ?? DocumentedModels)
        {
            var durations = Draw(model);
            var fixedPolicy = await RunPolicyAsync("fixed 3 s", model, durations, webhooks: false, () => new WaitOptions { FirstPollDelay = VendorInterval, PollInterval = VendorInterval });
            var adaptive = await RunPolicyAsync("MediaGen adaptive", model, durations, webhooks: false, () => new WaitOptions());
            var hooked = await RunPolicyAsync("webhooks + watchdog", model, durations, webhooks: true, () => new WaitOptions());
            results.Add(new ModelComparison(model, fixedPolicy.Result, adaptive.Result, hooked.Result, hooked.PollsBeforeWatchdog));
        }

        return results;
    }

    public TimeSpan[] Draw(ModelTiming model)
    {
        // One seeded stream per model, so adding a model does not change the others' draws.
        var random = new Random(unchecked((Seed * 31) + StableHash(model.Name))); // not HashCode.Combine: it is randomized per process
        var durations = new TimeSpan[JobsPerModel];
        for (var i = 0; i < durations.Length; i++)
        {
            double seconds;
            if (Distribution == DurationDistribution.LogNormal)
            {
                var low = model.Low.TotalSeconds;
                var high = model.High.TotalSeconds;
                var mu = (Math.Log(low) + Math.Log(high)) / 2;
                var sigma = (Math.Log(high) - Math.Log(low)) / (2 * 1.959964);
                seconds = Math.Exp(mu + (sigma * Gaussian(random)));
            }
            else
            {
                var low = Math.Min(model.Low.TotalSeconds, model.Typical.TotalSeconds * 0.5);
                var high = Math.Max(model.High.TotalSeconds, model.Typical.TotalSeconds * 1.5);
                seconds = low + (random.NextDouble() * (high - low));
            }

            durations[i] = TimeSpan.FromMilliseconds(Math.Round(seconds * 1000));
        }

        return durations;
    }

    public static string ToMarkdown(IReadOnlyList<ModelComparison> results, DurationDistribution distribution, int jobsPerModel, int seed)
    {
        var sb = new StringBuilder();
        var inv = CultureInfo.InvariantCulture;
        sb.AppendLine(inv, $"Durations: {(distribution == DurationDistribution.LogNormal ? "log-normal, documented range = central 95 %" : "uniform over [0.5 T, 1.5 T] or the documented range when wider")}; {jobsPerModel} jobs per model, seed {seed}.");
        sb.AppendLine();
        sb.AppendLine("| model (docs) | typical used | fixed 3 s: requests/job | adaptive: requests/job | fewer requests | fixed: mean delay | adaptive: mean delay | adaptive p95 / max delay | target | webhooks: polls/job, before watchdog |");
        sb.AppendLine("|---|---|---:|---:|---:|---:|---:|---:|:---:|---:|");
        foreach (var r in results)
        {
            sb.AppendLine(inv, $"| {r.Model.Name} ({r.Model.Documented}) | {r.Model.Typical.TotalSeconds:0} s | {r.Fixed.RequestsPerJob:0.00} | {r.Adaptive.RequestsPerJob:0.00} | {r.RequestReduction:P0} | {r.Fixed.MeanDelaySeconds:0.00} s | {r.Adaptive.MeanDelaySeconds:0.00} s | {r.Adaptive.P95DelaySeconds:0.0} / {r.Adaptive.MaxDelaySeconds:0.0} s | {(r.MeetsTarget ? "met" : "**missed**")} | {r.Webhooks.RequestsPerJob:0.00}, {r.WebhookPollsBeforeWatchdog} |");
        }

        var fixedTotal = results.Sum(r => r.Fixed.RequestsPerJob);
        var adaptiveTotal = results.Sum(r => r.Adaptive.RequestsPerJob);
        sb.AppendLine(inv, $"| **all models (sum of per-job means)** | | {fixedTotal:0.0} | {adaptiveTotal:0.0} | {1 - (adaptiveTotal / fixedTotal):P0} | {results.Average(r => r.Fixed.MeanDelaySeconds):0.00} s | {results.Average(r => r.Adaptive.MeanDelaySeconds):0.00} s | | | |");
        return sb.ToString();
    }

    private async Task<(PolicyResult Result, int PollsBeforeWatchdog)> RunPolicyAsync(string name, ModelTiming model, TimeSpan[] durations, bool webhooks, Func<WaitOptions> options)
    {
        long polls = 0;
        var pollsBeforeWatchdog = 0;
        var delays = new double[durations.Length];
        for (var i = 0; i < durations.Length; i++)
        {
            var clock = new FakeClock();
            var generator = new TimedGenerator(clock, model, durations[i], webhooks);
            var wait = options();
            wait.TimeProvider = clock;
            wait.Deadline = TimeSpan.FromHours(1);
            JobUpdateHub? hub = null;
            ITimer? delivery = null;
            if (webhooks)
            {
                hub = new JobUpdateHub();
                wait.Updates = hub;
                var done = generator.Completed;
                delivery = clock.CreateTimer(_ => hub.Publish(done), null, durations[i], Timeout.InfiniteTimeSpan);
            }

            var job = (await clock.DriveAsync(generator.WaitForCompletionAsync(generator.Handle, wait), TimeSpan.FromHours(2))).GetValueOrThrow();
            if (job.Status != GenerationStatus.Succeeded)
            {
                throw new InvalidOperationException($"{model.Name}: job ended {job.Status}");
            }

            delivery?.Dispose();
            polls += generator.Polls;
            pollsBeforeWatchdog += generator.PollsBefore(wait.WatchdogInterval);
            delays[i] = (clock.GetUtcNow() - (generator.Handle.SubmittedAt!.Value + durations[i])).TotalSeconds;
        }

        Array.Sort(delays);
        return (new PolicyResult(name, (double)polls / durations.Length, delays.Average(), delays[(int)Math.Ceiling(0.95 * delays.Length) - 1], delays[^1], durations.Length), pollsBeforeWatchdog);
    }

    /// <summary>Awaits each job in turn (fresh clock and vendor per job, options from <paramref name="options"/>), returning each job's status requests and detection delay.</summary>
    /// <param name="model">The model.</param>
    /// <param name="durations">The jobs' actual durations.</param>
    /// <param name="options">The wait options per job (a learner inside them carries over from job to job).</param>
    /// <returns>Per job, in order.</returns>
    public static async Task<IReadOnlyList<(int Polls, double Delay)>> RunJobsAsync(ModelTiming model, IReadOnlyList<TimeSpan> durations, Func<WaitOptions> options)
    {
        var jobs = new List<(int, double)>(durations.Count);
        foreach (var duration in durations)
        {
            var clock = new FakeClock();
            var generator = new TimedGenerator(clock, model, duration, webhooks: false);
            var wait = options();
            wait.TimeProvider = clock;
            wait.Deadline = TimeSpan.FromHours(1);
            var job = (await clock.DriveAsync(generator.WaitForCompletionAsync(generator.Handle, wait), TimeSpan.FromHours(2))).GetValueOrThrow();
            if (job.Status != GenerationStatus.Succeeded)
            {
                throw new InvalidOperationException($"{model.Name}: job ended {job.Status}");
            }

            jobs.Add((generator.Polls, (clock.GetUtcNow() - (generator.Handle.SubmittedAt!.Value + duration)).TotalSeconds));
        }

        return jobs;
    }

    private static double Gaussian(Random random)
    {
        var u1 = 1.0 - random.NextDouble();
        var u2 = random.NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
    }

    private static int StableHash(string text)
    {
        var hash = 17;
        foreach (var c in text)
        {
            hash = unchecked((hash * 31) + c);
        }

        return hash;
    }

    /// <summary>A vendor whose one job is done once its scripted duration has elapsed on the fake clock.</summary>
    private sealed class TimedGenerator : IMediaGenerator, IModelList
    {
        private readonly FakeClock _clock;
        private readonly TimeSpan _duration;
        private readonly ModelCapabilities _model;
        private readonly List<TimeSpan> _pollTimes = [];

        public TimedGenerator(FakeClock clock, ModelTiming timing, TimeSpan duration, bool webhooks)
        {
            _clock = clock;
            _duration = duration;
            _model = new ModelCapabilities { Id = "model", Kind = timing.Kind, TypicalGenerationTime = timing.Typical };
            Handle = new JobHandle("sim", "job-1") { Model = "model", Kind = timing.Kind, SubmittedAt = clock.GetUtcNow() };
            Metadata = new ProviderMetadata { Name = "sim", BillingUnit = MoneyUnit.Usd, PushesWebhooks = webhooks, RecommendedPollInterval = VendorInterval };
            Completed = new GenerationJob { Handle = Handle, Status = GenerationStatus.Succeeded, Progress = 100 };
        }

        public JobHandle Handle { get; }

        public GenerationJob Completed { get; }

        public int Polls => _pollTimes.Count;

        public ProviderMetadata Metadata { get; }

        public int PollsBefore(TimeSpan time) => _pollTimes.Count(t => t < time);

        public ValueTask<IReadOnlyList<ModelCapabilities>> GetModelsAsync(CancellationToken cancellationToken = default) => ValueTask.FromResult<IReadOnlyList<ModelCapabilities>>([_model]);

        public ValueTask<Result<GenerationQuote>> QuoteAsync(GenerationRequest request, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public Task<Result<GenerationJob>> SubmitAsync(GenerationQuote quote, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public Task<Result<GenerationJob>> GetJobAsync(JobHandle handle, CancellationToken cancellationToken = default)
        {
            var elapsed = _clock.GetUtcNow() - Handle.SubmittedAt!.Value;
            _pollTimes.Add(elapsed);
            return Task.FromResult<Result<GenerationJob>>(elapsed >= _duration ? Completed : Completed with { Status = GenerationStatus.Running, Progress = 0 });
        }

        public object? GetService(Type serviceType, object? serviceKey = null) =>
            serviceType == typeof(ProviderMetadata) ? Metadata : serviceType.IsInstanceOfType(this) ? this : null;

        public void Dispose()
        {
        }
    }
}
