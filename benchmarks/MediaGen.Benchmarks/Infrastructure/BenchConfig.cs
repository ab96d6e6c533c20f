using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Toolchains.InProcess.Emit;

namespace MediaGen.Benchmarks.Infrastructure;

/// <summary>
/// In-process BenchmarkDotNet runs (no generated project to build: quicker on 2 cores, and the emulators live in a
/// child process so the memory diagnoser counts only the measured side), memory diagnoser on, ratio columns
/// against the baseline of each category.
/// </summary>
public sealed class BenchConfig : ManualConfig
{
    public BenchConfig()
    {
        AddJob(Job.Default
            .WithToolchain(InProcessEmitToolchain.Instance)
            .WithWarmupCount(4)
            .WithIterationCount(15)
            .WithId("loopback"));
        AddDiagnoser(MemoryDiagnoser.Default);
        AddColumn(BaselineRatioColumn.RatioMean, BaselineAllocationRatioColumn.RatioMean, StatisticColumn.P95);
        AddLogicalGroupRules(BenchmarkLogicalGroupRule.ByCategory, BenchmarkLogicalGroupRule.ByParams);
        WithOrderer(new BenchmarkDotNet.Order.DefaultOrderer(BenchmarkDotNet.Order.SummaryOrderPolicy.Declared));
        WithSummaryStyle(SummaryStyle.Default.WithRatioStyle(RatioStyle.Value));
        WithOptions(ConfigOptions.DisableLogFile);
        ArtifactsPath = Path.Combine(AppContext.BaseDirectory, "BenchmarkDotNet.Artifacts");
        AddExporter(BenchmarkDotNet.Exporters.MarkdownExporter.GitHub);
    }
}

/// <summary>Where the measured emulators run: a child process (real runs) or this process (the smoke test).</summary>
public static class BenchHost
{
    /// <summary>Gets or sets whether benchmarks host the emulators in this process (quick; used by the smoke test).</summary>
    public static bool InProcessEmulators { get; set; }

    public static async Task<(EmulatorEndpoints Endpoints, IAsyncDisposable Owner)> StartAsync(int completeAfterPolls = 1)
    {
        if (InProcessEmulators)
        {
            var local = await BenchEmulators.StartAsync(completeAfterPolls);
            return (local.Endpoints, local);
        }

        var child = await EmulatorProcess.StartAsync(completeAfterPolls);
        return (child.Endpoints, child);
    }
}
