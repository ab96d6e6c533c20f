using MediaGen.Testing;

namespace MediaGen.Tests.Waiting;

/// <summary>The learned schedule: it follows what the vendor really does, and keeps the vendor's interval.</summary>
public class PollingLearnerTests
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(3);

    [Fact]
    public void PlanFor_AfterJobsTwiceAsSlowAsDocumented_FirstPollMovesLater()
    {
        var learner = new PollingLearner();
        var handle = new JobHandle("sim", "job") { Model = "model" };
        var documented = TimeSpan.FromSeconds(15);
        var cold = learner.PlanFor(handle, documented, Interval)!.PollTimes()[0];

        var random = new Random(7);
        for (var i = 0; i < 40; i++)
        {
            var seconds = 30 * Math.Exp(0.1 * ((random.NextDouble() * 2) - 1));
            learner.Observe(handle, TimeSpan.FromSeconds(seconds - 1.5), TimeSpan.FromSeconds(seconds + 1.5));
        }

        var warm = learner.PlanFor(handle, documented, Interval)!.PollTimes()[0];
        Assert.Equal(40, learner.ObservedJobs("sim", "model"));
        Assert.True(cold < TimeSpan.FromSeconds(15), $"cold first poll {cold}");
        Assert.True(warm > TimeSpan.FromSeconds(24), $"warm first poll {warm}");
    }

    [Fact]
    public void PlanFor_SteadyVendor_KeepsOnePlanUntilTheVendorGetsSlower()
    {
        // Every wait asks for a plan; a steady vendor must not cost a re-plan (a fit and a dynamic programme) per job.
        var learner = new PollingLearner();
        var handle = new JobHandle("sim", "job") { Model = "model" };
        var documented = TimeSpan.FromSeconds(20);
        var random = new Random(11);
        void Observe(double median)
        {
            var seconds = median * Math.Exp(0.2 * ((random.NextDouble() * 2) - 1));
            learner.Observe(handle, TimeSpan.FromSeconds(seconds), TimeSpan.FromSeconds(seconds));
        }

        for (var i = 0; i < 100; i++)
        {
            Observe(20);
            learner.PlanFor(handle, documented, Interval);
        }

        var plans = new HashSet<object>(ReferenceEqualityComparer.Instance);
        for (var i = 0; i < 100; i++)
        {
            Observe(20);
            plans.Add(learner.PlanFor(handle, documented, Interval)!);
        }

        var steady = learner.PlanFor(handle, documented, Interval)!.PollTimes()[0];
        for (var i = 0; i < 48; i++)
        {
            Observe(40);
            learner.PlanFor(handle, documented, Interval);
        }

        var slower = learner.PlanFor(handle, documented, Interval)!.PollTimes()[0];
        Assert.True(plans.Count <= 10, $"{plans.Count} plans for 100 jobs of a steady vendor");
        Assert.True(slower > steady + TimeSpan.FromSeconds(10), $"first poll {steady} before, {slower} after the vendor got 2x slower");
    }

    [Fact]
    public void PlanFor_JobsFarBelowAMillisecond_StillPlansForwardWithTheGap()
    {
        // An instant clock (benchmarks) reports completions microseconds after submission: the fit must not break the plan.
        var learner = new PollingLearner();
        var handle = new JobHandle("sim", "job") { Model = "model" };
        for (var i = 0; i < 30; i++)
        {
            learner.Observe(handle, TimeSpan.FromTicks(1), TimeSpan.FromTicks(3 + i));
        }

        var plan = learner.PlanFor(handle, TimeSpan.FromSeconds(15), Interval)!;

        Assert.True(plan.NextDelay(TimeSpan.Zero, afterPoll: true) >= Interval);
        Assert.NotEmpty(plan.PollTimes());
    }

    [Fact]
    public void PlanFor_NoTypicalTimeAndNothingSeen_ReturnsNull()
    {
        Assert.Null(new PollingLearner().PlanFor(new JobHandle("sim", "job") { Model = "model" }, null, Interval));
    }

    [Fact]
    public async Task WaitForCompletionAsync_ManyJobsOnOneLearner_FewerRequestsThanFixedPollingAndNoGapBelowTheInterval()
    {
        var learner = new PollingLearner();
        var random = new Random(11);
        int learnedPolls = 0, fixedPolls = 0;
        for (var i = 0; i < 60; i++)
        {
            var duration = TimeSpan.FromSeconds(20 * Math.Exp(0.2 * ((random.NextDouble() * 2) - 1)));
            var learned = await RunAsync(duration, new WaitOptions { Learner = learner });
            var fixedRun = await RunAsync(duration, new WaitOptions { FirstPollDelay = Interval, PollInterval = Interval });
            Assert.All(learned.Gaps, gap => Assert.True(gap >= Interval, $"gap {gap}"));
            if (i >= 30)
            {
                learnedPolls += learned.Polls;
                fixedPolls += fixedRun.Polls;
            }
        }

        Assert.True(learnedPolls < fixedPolls * 0.5, $"learned {learnedPolls} vs fixed {fixedPolls} status requests over 30 warm jobs");
    }

    private static async Task<(int Polls, IReadOnlyList<TimeSpan> Gaps)> RunAsync(TimeSpan duration, WaitOptions options)
    {
        var clock = new FakeClock();
        var polls = new List<DateTimeOffset>();
        var handle = new JobHandle("sim", "job") { Model = "model", Kind = MediaKind.Image, SubmittedAt = clock.GetUtcNow() };
        var generator = new ScriptedGenerator(clock, handle, duration, polls);
        options.TimeProvider = clock;
        var job = (await clock.DriveAsync(generator.WaitForCompletionAsync(handle, options), TimeSpan.FromHours(1))).GetValueOrThrow();
        Assert.Equal(GenerationStatus.Succeeded, job.Status);
        return (polls.Count, [.. polls.Zip(polls.Skip(1), (a, b) => b - a)]);
    }

    private sealed class ScriptedGenerator(FakeClock clock, JobHandle handle, TimeSpan duration, List<DateTimeOffset> polls) : IMediaGenerator, IModelList
    {
        private readonly ModelCapabilities _model = new() { Id = "model", Kind = MediaKind.Image, TypicalGenerationTime = TimeSpan.FromSeconds(15) };
        private readonly ProviderMetadata _metadata = new() { Name = "sim", BillingUnit = MoneyUnit.Usd, RecommendedPollInterval = Interval };

        public ValueTask<IReadOnlyList<ModelCapabilities>> GetModelsAsync(CancellationToken cancellationToken = default) => ValueTask.FromResult<IReadOnlyList<ModelCapabilities>>([_model]);

        public ValueTask<Result<GenerationQuote>> QuoteAsync(GenerationRequest request, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public Task<Result<GenerationJob>> SubmitAsync(GenerationQuote quote, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public Task<Result<GenerationJob>> GetJobAsync(JobHandle job, CancellationToken cancellationToken = default)
        {
            polls.Add(clock.GetUtcNow());
            var done = clock.GetUtcNow() - handle.SubmittedAt!.Value >= duration;
            return Task.FromResult<Result<GenerationJob>>(new GenerationJob { Handle = handle, Status = done ? GenerationStatus.Succeeded : GenerationStatus.Running });
        }

        public object? GetService(Type serviceType, object? serviceKey = null) =>
            serviceType == typeof(ProviderMetadata) ? _metadata : serviceType.IsInstanceOfType(this) ? this : null;

        public void Dispose()
        {
        }
    }
}
