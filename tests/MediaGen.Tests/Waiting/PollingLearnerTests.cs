using MediaGen.PollingTesting;
using MediaGen.Telemetry;
using MediaGen.Testing;
using MediaGen.Tests.Middleware;
using Microsoft.Extensions.Logging;

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

    [Fact]
    public async Task WaitForCompletionAsync_JobsMuchFasterThanDocumentedWithoutCompletionTimes_FirstPollMovesEarlier()
    {
        // MeiGen-like: the answers carry no completion time, so a job done by the first poll only tells "done in [0, first poll]".
        // ~6 s jobs on a model documented at 15 s (issue 14: they stayed first-polled at ~11 s).
        var learner = new PollingLearner();
        var random = new Random(3);
        var firstPolls = new List<double>();
        var delays = new List<double>();
        for (var i = 0; i < 40; i++)
        {
            var duration = TimeSpan.FromSeconds(6 * Math.Exp(0.1 * ((random.NextDouble() * 2) - 1)));
            var run = await RunTimedAsync(duration, new WaitOptions { Learner = learner });
            Assert.All(run.Gaps, gap => Assert.True(gap >= Interval, $"gap {gap}"));
            firstPolls.Add(run.FirstPoll.TotalSeconds);
            delays.Add(run.Delay.TotalSeconds);
        }

        var trace = string.Join(", ", firstPolls.Zip(delays, (f, d) => $"{f:0.0}/{d:0.0}"));
        var warmDelay = delays.Skip(30).Average();
        Assert.True(firstPolls[0] > 10, $"cold first poll {firstPolls[0]:0.00} s; {trace}");
        Assert.True(firstPolls.Skip(30).Max() < 9, $"warm first polls up to {firstPolls.Skip(30).Max():0.00} s; {trace}");
        Assert.True(warmDelay <= learner.TargetMeanDelay.TotalSeconds + 0.25, $"warm mean delay {warmDelay:0.00} s; {trace}");
    }

    [Fact]
    public async Task GenerateAsync_TwoResolutionsOfOneModel_LearnedSeparatelyAndEachPlannedForItsOwnTime()
    {
        // 480p 5 s clips take ~6 s, 1080p 10 s ones ~40 s; the documentation says 15 s for both.
        var clock = new FakeClock();
        var random = new Random(5);
        var provider = new TimedVideoGenerator(
            clock,
            r => TimeSpan.FromSeconds((r.Resolution == Resolution.P1080 ? 40 : 6) * Math.Exp(0.1 * ((random.NextDouble() * 2) - 1))),
            TimeSpan.FromSeconds(15));
        var options = new WaitOptions { TimeProvider = clock };
        int smallPolls = 0, largePolls = 0;
        JobHandle? small = null, large = null;
        for (var i = 0; i < 24; i++)
        {
            var before = provider.PollCount;
            small = await SubmittedHandleAsync(clock, provider, TimedVideoGenerator.Request(Resolution.P480, 5), options);
            var afterSmall = provider.PollCount;
            large = await SubmittedHandleAsync(clock, provider, TimedVideoGenerator.Request(Resolution.P1080, 10), options);
            if (i >= 16)
            {
                smallPolls += afterSmall - before;
                largePolls += provider.PollCount - afterSmall;
            }
        }

        var learner = provider.GetService<PollingLearner>()!;
        Assert.Equal("480p/5s", small!.Variant);
        Assert.Equal("1080p/10s", large!.Variant);
        Assert.Equal(24, learner.ObservedJobs(small));
        Assert.Equal(24, learner.ObservedJobs(large));
        Assert.Equal(48, learner.ObservedJobs("timed", TimedVideoGenerator.Model.Value));

        // Each variant is planned from its own times (measured: first poll 7.6 s vs 39.5 s, 1.0 vs 2.1 polls per warm job).
        var smallFirst = learner.PlanFor(small, TimeSpan.FromSeconds(15), TimedVideoGenerator.Interval)!.PollTimes()[0];
        var largeFirst = learner.PlanFor(large, TimeSpan.FromSeconds(15), TimedVideoGenerator.Interval)!.PollTimes()[0];
        Assert.True(smallFirst < TimeSpan.FromSeconds(10), $"480p first poll at {smallFirst}");
        Assert.True(largeFirst > TimeSpan.FromSeconds(30), $"1080p first poll at {largeFirst}");
        Assert.True(smallPolls <= 8 * 2 && largePolls <= 8 * 3, $"warm polls per job: 480p {smallPolls / 8.0}, 1080p {largePolls / 8.0}");
    }

    [Fact]
    public async Task GenerateAsync_StoreThatFailsEveryCall_GenerationSucceedsAndTheLearnerGoesOnInMemory()
    {
        var clock = new FakeClock();
        var provider = new TimedVideoGenerator(clock, _ => TimeSpan.FromSeconds(20), TimeSpan.FromSeconds(15));
        var store = new StatsLedger(() => throw new IOException("disk gone"), () => Task.FromException(new IOException("disk gone")));
        var options = new WaitOptions { TimeProvider = clock, Ledger = store };
        var logs = new LoggingMediaGeneratorTests.CapturingLoggerFactory(LogLevel.Warning);
        using var pipeline = provider.AsBuilder().UseLogging(logs).Build();

        for (var i = 0; i < 3; i++)
        {
            var job = (await clock.DriveAsync(pipeline.GenerateAsync(TimedVideoGenerator.Request(Resolution.P480, 5), options))).GetValueOrThrow();
            Assert.Equal(GenerationStatus.Succeeded, job.Status);
        }

        Assert.Equal(3, provider.GetService<PollingLearner>()!.ObservedJobs("timed", TimedVideoGenerator.Model.Value));
        Assert.Equal(1, store.Loads); // the key's window is asked for once
        Assert.Equal(3, store.Appends);
        var warnings = logs.Entries.Where(e => e.EventId.Id == 1201).ToList();
        Assert.Equal(4, warnings.Count); // one load, three appends
        Assert.All(warnings, w => Assert.Equal("MediaGen.Polling", w.Category));
        Assert.All(warnings, w => Assert.IsType<IOException>(w.Exception));
    }

    [Fact]
    public async Task GenerateAsync_StoreThatNeverAnswers_JobsAreWaitedForWithoutIt()
    {
        var clock = new FakeClock();
        var provider = new TimedVideoGenerator(clock, _ => TimeSpan.FromSeconds(20), TimeSpan.FromSeconds(15));
        var never = new TaskCompletionSource();
        var store = new StatsLedger(async () => { await never.Task; return []; }, () => never.Task);
        var learner = new PollingLearner { StoreWaitLimit = TimeSpan.FromMilliseconds(50) };
        var options = new WaitOptions { TimeProvider = clock, Ledger = store, Learner = learner };

        for (var i = 0; i < 2; i++)
        {
            var job = (await clock.DriveAsync(provider.GenerateAsync(TimedVideoGenerator.Request(Resolution.P480, 5), options))).GetValueOrThrow();
            Assert.Equal(GenerationStatus.Succeeded, job.Status);
        }

        Assert.Equal(2, learner.ObservedJobs("timed", TimedVideoGenerator.Model.Value));
        Assert.Equal(1, store.Loads);
        never.SetResult();
    }

    [Fact]
    public async Task GenerateAsync_InMemoryJobStore_SecondProviderOfTheProcessStartsFromTheFirstOnesTimes()
    {
        var clock = new FakeClock();
        var store = new InMemoryJobStore(clock);
        var first = new TimedVideoGenerator(clock, _ => TimeSpan.FromSeconds(40), TimeSpan.FromSeconds(15));
        var options = new WaitOptions { TimeProvider = clock };
        using var firstPipeline = first.AsBuilder().UseJobStore(store, o => o.TimeProvider = clock).Build();
        for (var i = 0; i < 10; i++)
        {
            (await clock.DriveAsync(firstPipeline.GenerateAsync(TimedVideoGenerator.Request(Resolution.P1080, 10), options))).GetValueOrThrow();
        }

        var second = new TimedVideoGenerator(clock, _ => TimeSpan.FromSeconds(40), TimeSpan.FromSeconds(15));
        using var secondPipeline = second.AsBuilder().UseJobStore(store, o => o.TimeProvider = clock).Build();
        var handle = await SubmittedHandleAsync(clock, secondPipeline, TimedVideoGenerator.Request(Resolution.P1080, 10), options);

        Assert.Equal(11, second.GetService<PollingLearner>()!.ObservedJobs(handle));
    }

    /// <summary>Generates and waits; returns the handle the submit gave (it names the request's variant).</summary>
    private static async Task<JobHandle> SubmittedHandleAsync(FakeClock clock, IMediaGenerator generator, GenerationRequest request, WaitOptions options)
    {
        JobHandle? submitted = null;
        var progress = new SynchronousProgress(job => submitted ??= job.Handle);
        var ended = (await clock.DriveAsync(generator.GenerateAsync(request, options, progress))).GetValueOrThrow();
        Assert.Equal(GenerationStatus.Succeeded, ended.Status);
        return submitted!;
    }

    private static async Task<(TimeSpan FirstPoll, TimeSpan Delay, IReadOnlyList<TimeSpan> Gaps)> RunTimedAsync(TimeSpan duration, WaitOptions options)
    {
        var clock = new FakeClock();
        var submitted = clock.GetUtcNow();
        var polls = new List<DateTimeOffset>();
        var handle = new JobHandle("sim", "job") { Model = "model", Kind = MediaKind.Image, SubmittedAt = submitted };
        var generator = new ScriptedGenerator(clock, handle, duration, polls);
        options.TimeProvider = clock;
        var job = (await clock.DriveAsync(generator.WaitForCompletionAsync(handle, options), TimeSpan.FromHours(1))).GetValueOrThrow();
        Assert.Equal(GenerationStatus.Succeeded, job.Status);
        return (polls[0] - submitted, polls[^1] - submitted - duration, [.. polls.Zip(polls.Skip(1), (a, b) => b - a)]);
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

    private sealed class SynchronousProgress(Action<GenerationJob> report) : IProgress<GenerationJob>
    {
        public void Report(GenerationJob value) => report(value);
    }

    /// <summary>A ledger whose polling statistics answer as told (fail, hang), counting the calls.</summary>
    private sealed class StatsLedger(Func<Task<IReadOnlyList<CompletionTimeSample>>> load, Func<Task> append) : IJobLedger, IPollingStatsStore
    {
        private int _loads;
        private int _appends;

        public int Loads => Volatile.Read(ref _loads);

        public int Appends => Volatile.Read(ref _appends);

        public Task RecordSubmittedAsync(JobHandle handle, CancellationToken cancellationToken = default) => Task.CompletedTask;

        public Task RecordFinishedAsync(JobHandle handle, GenerationStatus? status, string? note, CancellationToken cancellationToken = default) => Task.CompletedTask;

        public Task<IReadOnlyList<JobLedgerEntry>> ListUnfinishedAsync(CancellationToken cancellationToken = default) => Task.FromResult<IReadOnlyList<JobLedgerEntry>>([]);

        public Task<IReadOnlyList<CompletionTimeSample>> LoadCompletionTimesAsync(string key, int maxCount, CancellationToken cancellationToken = default)
        {
            Interlocked.Increment(ref _loads);
            return load();
        }

        public Task AppendCompletionTimeAsync(string key, CompletionTimeSample sample, int keep, CancellationToken cancellationToken = default)
        {
            Interlocked.Increment(ref _appends);
            return append();
        }
    }
}
