using MediaGen.Benchmarks.Infrastructure;

namespace MediaGen.Benchmarks;

public static class Program
{
    public static async Task<int> Main(string[] args)
    {
        var mode = args.Length > 0 ? args[0] : "help";
        switch (mode)
        {
            case "emulators":
                return await BenchEmulators.ServeAsync(args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 1);
            case "bdn":
                {
                    var summaries = BenchmarkDotNet.Running.BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args[1..]);
                    return summaries.Any(s => s.HasCriticalValidationErrors || s.Reports.Any(r => !r.Success)) ? 1 : 0;
                }

            case "overhead":
                Console.WriteLine(Benchmarks.PairedOverhead.ToMarkdown(await Benchmarks.PairedOverhead.RunAsync(args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 3000)));
                return 0;
            case "alloc":
                await AllocProbe.RunAsync(args[1..]);
                return 0;
            case "probe":
                await Probe.RunAsync();
                return 0;
            case "polling":
                foreach (var distribution in new[] { Polling.DurationDistribution.LogNormal, Polling.DurationDistribution.Uniform })
                {
                    var sim = new Polling.PollingSimulation { Distribution = distribution };
                    var results = await sim.RunAsync();
                    Console.WriteLine(Polling.PollingSimulation.ToMarkdown(results, distribution, sim.JobsPerModel, sim.Seed));
                }

                var learnedPolling = Environment.GetEnvironmentVariable("MEDIAGEN_POLL_TARGET") is { } target ? new Polling.LearnedPolling { TargetMeanDelay = TimeSpan.FromSeconds(double.Parse(target, System.Globalization.CultureInfo.InvariantCulture)) } : new Polling.LearnedPolling();
                var learnedResults = await learnedPolling.RunAsync();
                var shiftedRun = await learnedPolling.RunShiftedAsync(Polling.PollingSimulation.DocumentedModels[3]);
                Console.WriteLine(learnedPolling.ToMarkdown(learnedResults, shiftedRun));

                return 0;
            case "load-one":
                if (Environment.GetEnvironmentVariable("MEDIAGEN_LIVE_HEAP_AT") is { } at)
                {
                    Load.LoadDriver.LiveHeapProbeAt = TimeSpan.FromSeconds(double.Parse(at, System.Globalization.CultureInfo.InvariantCulture));
                }

                return await Load.LoadDriver.RunOneAsync(int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture));
            case "load":
                {
                    var scales = args.Length > 1 ? args[1].Split(',').Select(x => int.Parse(x, System.Globalization.CultureInfo.InvariantCulture)) : [100, 1_000, 10_000];
                    var results = await Load.LoadDriver.RunScalesAsync(scales);
                    Console.WriteLine(Load.LoadDriver.ToMarkdown(results));
                    return 0;
                }

            case "webhooks-one":
                return await Load.WebhookLoadDriver.RunOneAsync(int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture));
            case "webhooks":
                {
                    var scales = args.Length > 1 ? args[1].Split(',').Select(x => int.Parse(x, System.Globalization.CultureInfo.InvariantCulture)) : [10_000, 30_000, 100_000];
                    Console.WriteLine(Load.WebhookLoadDriver.ToMarkdown(await Load.WebhookLoadDriver.RunScalesAsync(scales)));
                    return 0;
                }

            case "fleet":
                Console.WriteLine(Fleet.FleetBenchmark.ToMarkdown(await Fleet.FleetBenchmark.RunAsync(args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 10_000)));
                return 0;
            default:
                Console.WriteLine("usage: emulators | probe");
                return 2;
        }
    }
}
