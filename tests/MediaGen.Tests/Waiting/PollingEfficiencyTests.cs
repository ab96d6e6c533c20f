using MediaGen.Testing;

namespace MediaGen.Tests.Waiting;

/// <summary>
/// The adaptive schedule against the vendors' fixed 3 s polling, on a fake clock: seeded generation times drawn
/// log-normally around each model's typical time (the vendors' documented ranges as the central 95 %), every job
/// awaited with the real wait loop. docs/benchmarks.md has the full simulation (benchmarks' <c>polling</c> mode).
/// </summary>
public class PollingEfficiencyTests
{
    private const int JobsPerModel = 100;

    // (typical time the catalog gives, low, high of the central 95 %): Nanobanana ~15 s, Midjourney ~60 s,
    // Seedance 1–3 min, Veo 3.1 2–6 min (MeiGen overview).
    private static readonly (TimeSpan Typical, double Low, double High)[] Models =
    [
        (TimeSpan.FromSeconds(15), 9, 24.75),
        (TimeSpan.FromSeconds(60), 36, 99),
        (TimeSpan.FromMinutes(2), 60, 180),
        (TimeSpan.FromMinutes(4), 120, 360),
    ];

    [Fact]
    public async Task WaitForCompletionAsync_AdaptiveSchedule_FarFewerRequestsThanFixedPollingAtNoWorseMeanDelay()
    {
        var fixedPolicy = await SimulateAsync(() => new WaitOptions { FirstPollDelay = TimeSpan.FromSeconds(3), PollInterval = TimeSpan.FromSeconds(3) });
        var adaptive = await SimulateAsync(() => new WaitOptions());

        Assert.True(adaptive.Requests <= fixedPolicy.Requests * 0.55, $"adaptive {adaptive.Requests} status requests vs fixed {fixedPolicy.Requests}");
        Assert.True(adaptive.MeanDelay <= fixedPolicy.MeanDelay, $"adaptive mean detection delay {adaptive.MeanDelay} vs fixed {fixedPolicy.MeanDelay}");
    }

    [Fact]
    public async Task WaitForCompletionAsync_AdaptiveSchedule_LongJobsNeedLessThanHalfTheRequests()
    {
        var fixedPolicy = await SimulateAsync(() => new WaitOptions { FirstPollDelay = TimeSpan.FromSeconds(3), PollInterval = TimeSpan.FromSeconds(3) }, Models[2..]);
        var adaptive = await SimulateAsync(() => new WaitOptions(), Models[2..]);

        Assert.True(adaptive.Requests < fixedPolicy.Requests * 0.5, $"adaptive {adaptive.Requests} status requests vs fixed {fixedPolicy.Requests}");
    }

    private static async Task<(long Requests, TimeSpan MeanDelay)> SimulateAsync(Func<WaitOptions> policy, (TimeSpan Typical, double Low, double High)[]? models = null)
    {
        long requests = 0;
        var totalDelay = TimeSpan.Zero;
        var jobs = 0;
        foreach (var (typical, low, high) in models ?? Models)
        {
            var random = new Random(8 + (int)typical.TotalSeconds);
            var mu = (Math.Log(low) + Math.Log(high)) / 2;
            var sigma = (Math.Log(high) - Math.Log(low)) / (2 * 1.96);
            for (var i = 0; i < JobsPerModel; i++)
            {
                var gaussian = Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
                var duration = TimeSpan.FromMilliseconds(Math.Round(Math.Exp(mu + (sigma * gaussian)) * 1000));
                var clock = new FakeClock();
                var vendor = new TimedVendor(clock, typical, duration);
                var options = policy();
                options.TimeProvider = clock;
                options.Deadline = TimeSpan.FromHours(1);

                var job = (await clock.DriveAsync(vendor.WaitForCompletionAsync(vendor.Handle, options))).GetValueOrThrow();

                Assert.Equal(GenerationStatus.Succeeded, job.Status);
                requests += vendor.Polls;
                totalDelay += clock.GetUtcNow() - (vendor.Handle.SubmittedAt!.Value + duration);
                jobs++;
            }
        }

        return (requests, totalDelay / jobs);
    }

    /// <summary>One job that is done once its duration has elapsed on the fake clock; the vendor recommends 3 s polling.</summary>
    private sealed class TimedVendor(FakeClock clock, TimeSpan typical, TimeSpan duration) : IMediaGenerator, IModelList
    {
        private readonly ModelCapabilities _model = new() { Id = "m", Kind = MediaKind.Video, TypicalGenerationTime = typical };

        public JobHandle Handle { get; } = new("sim", "j1") { Model = "m", Kind = MediaKind.Video, SubmittedAt = clock.GetUtcNow() };

        public int Polls { get; private set; }

        public ProviderMetadata Metadata { get; } = new() { Name = "sim", BillingUnit = MoneyUnit.Usd, RecommendedPollInterval = TimeSpan.FromSeconds(3) };

        public ValueTask<IReadOnlyList<ModelCapabilities>> GetModelsAsync(CancellationToken cancellationToken = default) => ValueTask.FromResult<IReadOnlyList<ModelCapabilities>>([_model]);

        public ValueTask<Result<GenerationQuote>> QuoteAsync(GenerationRequest request, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public Task<Result<GenerationJob>> SubmitAsync(GenerationQuote quote, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public Task<Result<GenerationJob>> GetJobAsync(JobHandle handle, CancellationToken cancellationToken = default)
        {
            Polls++;
            var done = clock.GetUtcNow() - Handle.SubmittedAt!.Value >= duration;
            return Task.FromResult<Result<GenerationJob>>(new GenerationJob { Handle = Handle, Status = done ? GenerationStatus.Succeeded : GenerationStatus.Running });
        }

        public object? GetService(Type serviceType, object? serviceKey = null) =>
            serviceType == typeof(ProviderMetadata) ? Metadata : serviceType.IsInstanceOfType(this) ? this : null;

        public void Dispose()
        {
        }
    }
}
