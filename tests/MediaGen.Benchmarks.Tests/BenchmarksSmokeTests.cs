using System.Reflection;
using BenchmarkDotNet.Attributes;
using MediaGen.Benchmarks.Benchmarks;
using MediaGen.Benchmarks.Infrastructure;
using MediaGen.Benchmarks.Load;
using MediaGen.Benchmarks.Polling;

namespace MediaGen.Benchmarks.Tests;

/// <summary>
/// Runs every benchmark once, in process and against in-process emulators, so the benchmarks cannot rot between
/// full runs (docs/benchmarks.md). Seconds, not minutes: one invocation per benchmark method and parameter.
/// </summary>
[Collection("benchmarks")]
public class BenchmarksSmokeTests
{
    public static TheoryData<Type> BenchmarkClasses() =>
        [.. typeof(GenerationBenchmarks).Assembly.GetTypes()
            .Where(t => t.GetMethods().Any(m => m.GetCustomAttribute<BenchmarkAttribute>() is not null))
            .OrderBy(t => t.Name)];

    [Theory]
    [MemberData(nameof(BenchmarkClasses))]
    public async Task Benchmark_EveryMethodAndParameter_RunsOnceAndReturnsAResult(Type type)
    {
        BenchHost.InProcessEmulators = true;
        var methods = type.GetMethods().Where(m => m.GetCustomAttribute<BenchmarkAttribute>() is not null).ToList();
        var parameter = type.GetProperties().SingleOrDefault(p => p.GetCustomAttribute<ParamsAttribute>() is not null);
        var values = parameter?.GetCustomAttribute<ParamsAttribute>()!.Values ?? [null];
        Assert.NotEmpty(methods);
        foreach (var value in values)
        {
            var instance = Activator.CreateInstance(type)!;
            parameter?.SetValue(instance, value);
            Invoke(type, instance, typeof(GlobalSetupAttribute));
            try
            {
                foreach (var method in methods)
                {
                    var result = method.Invoke(instance, null);
                    if (result is Task task)
                    {
                        await task.WaitAsync(TimeSpan.FromSeconds(30));
                        result = task.GetType().GetProperty("Result")?.GetValue(task);
                    }

                    Assert.NotNull(result);
                }
            }
            finally
            {
                Invoke(type, instance, typeof(GlobalCleanupAttribute));
            }
        }
    }

    [Fact]
    public async Task PairedOverhead_FewRounds_MeasuresEveryVendor()
    {
        var results = await PairedOverhead.RunAsync(rounds: 5, allocBatch: 5, inProcessEmulators: true);

        Assert.Equal(Enum.GetValues<Vendor>().Length, results.Count);
        Assert.All(results, r => Assert.True(r.FloorMedianUs > 0 && r.DirectBytes > 0 && r.RouterBytes > 0));
        Assert.Contains("| MeiGen |", PairedOverhead.ToMarkdown(results), StringComparison.Ordinal);
    }

    [Fact]
    public async Task LoadDriver_SmallRun_EveryJobCompletesThroughTheRouter()
    {
        await using var emulators = await BenchEmulators.StartAsync(completeAfterPolls: 0);

        // The scripted durations are real seconds (16-24 s); a short smoke run uses its own, with the driver's clock.
        foreach (var host in emulators.Hosts)
        {
            host.Jobs.ClearOverrides();
            host.Jobs.Default = Testing.JobScript.CompleteAfterPolls(1);
        }

        var result = await LoadDriver.RunAsync(30, emulators.Endpoints, TimeSpan.FromSeconds(60), InstantTimeProvider.Instance);

        Assert.Equal(30, result.Succeeded);
        Assert.True(result.StatusRequests >= 30, $"{result.StatusRequests} status requests");
        Assert.True(result.PeakWorkingSetMb > 0);
    }

    [Fact]
    public async Task WebhookLoadDriver_SmallRun_EveryJobEndsByItsWebhookNotByPolling()
    {
        await using var emulators = await BenchEmulators.StartAsync(completeAfterPolls: 0);

        // The webhook run's jobs take 60-90 real seconds; the smoke run's Apiframe jobs finish 300 ms after acceptance,
        // long before the 60 s watchdog, so each ends by its webhook.
        var apiframe = emulators.Hosts[2];
        apiframe.Jobs.ClearOverrides();
        apiframe.Jobs.Default = Testing.JobScript.CompleteAfter(TimeSpan.FromMilliseconds(300));

        var result = await WebhookLoadDriver.RunAsync(40, emulators.Endpoints, TimeSpan.FromSeconds(50), durationsMs: [300]);

        Assert.Equal(40, result.Succeeded);
        Assert.Equal(0, result.StatusRequests); // no poll: the watchdog never came due
        Assert.True(result.WebhooksReceived >= 40, $"{result.WebhooksReceived} webhooks");
        Assert.True(result.LatencyMaxSeconds < 30, $"max latency {result.LatencyMaxSeconds} s");
        Assert.Contains("| 40 |", WebhookLoadDriver.ToMarkdown([result]), StringComparison.Ordinal);
    }

    [Fact]
    public async Task FleetBenchmark_SmallRun_NoDuplicateSubmitNoBudgetOvershootAndBothStoresMeasured()
    {
        // docs/benchmarks.md §5 at 80 generations instead of 10,000: real driver processes on a throwaway PostgreSQL server.
        var runs = await MediaGen.Benchmarks.Fleet.FleetBenchmark.RunAsync(80, timeout: TimeSpan.FromMinutes(3));

        var memory = Assert.Single(runs, r => r.Store == "memory");
        var pg = Assert.Single(runs, r => r.Store == "postgresql");
        Assert.Equal(80, memory.Succeeded);
        Assert.Equal(76, pg.Succeeded); // the budget fits 95%
        Assert.Equal(4, pg.BudgetRefused);
        Assert.All(runs, r => Assert.Equal(0, r.DuplicateSubmits));
        Assert.All(runs, r => Assert.Equal(0, r.KeysChargedTwice));
        Assert.Equal(pg.Cap, pg.Charged);
        Assert.True(pg.PeakConnections > 0 && pg.P50Ms > 0 && memory.P50Ms > 0);
        Assert.Contains("Store time added per job", MediaGen.Benchmarks.Fleet.FleetBenchmark.ToMarkdown(runs), StringComparison.Ordinal);
    }

    [Fact]
    public async Task PollingSimulation_FewJobs_ComparesEveryDocumentedModelAndWebhooksNeverPollEarly()
    {
        var simulation = new PollingSimulation { JobsPerModel = 20 };

        var results = await simulation.RunAsync();

        Assert.Equal(PollingSimulation.DocumentedModels.Count, results.Count);
        Assert.All(results, r => Assert.Equal(0, r.WebhookPollsBeforeWatchdog));
        Assert.All(results, r => Assert.True(r.Adaptive.RequestsPerJob > 0 && r.Fixed.RequestsPerJob > 0));
        Assert.Contains("Veo 3.1", PollingSimulation.ToMarkdown(results, simulation.Distribution, 20, simulation.Seed), StringComparison.Ordinal);
    }

    [Fact]
    public async Task LearnedPolling_FewJobs_ComparesEveryModelWithTheOracleAndFollowsAShift()
    {
        var learned = new LearnedPolling { Simulation = new PollingSimulation { JobsPerModel = 24 } };

        var results = await learned.RunAsync();
        var shifted = await learned.RunShiftedAsync(PollingSimulation.DocumentedModels[0], shiftAfter: 12, window: 6);

        Assert.Equal(PollingSimulation.DocumentedModels.Count, results.Count);
        Assert.All(results, r => Assert.True(r.Oracle.RequestsPerJob > 0 && r.Warm.RequestsPerJob > 0 && r.Cold.RequestsPerJob > 0));
        Assert.All(results, r => Assert.True(r.Warm.RequestsPerJob < r.Fixed.RequestsPerJob, $"{r.Model.Name}: learned {r.Warm.RequestsPerJob} vs fixed {r.Fixed.RequestsPerJob}"));
        Assert.Equal(2, shifted.Windows.Count);
        Assert.Contains("oracle", learned.ToMarkdown(results, shifted), StringComparison.Ordinal);
    }

    private static void Invoke(Type type, object instance, Type attribute)
    {
        foreach (var method in type.GetMethods().Where(m => m.GetCustomAttribute(attribute) is not null))
        {
            method.Invoke(instance, null);
        }
    }
}
