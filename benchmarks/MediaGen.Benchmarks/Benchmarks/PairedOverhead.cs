using System.Diagnostics;
using System.Globalization;
using System.Text;
using MediaGen.Benchmarks.Floor;
using MediaGen.Benchmarks.Infrastructure;

namespace MediaGen.Benchmarks.Benchmarks;

/// <summary>One vendor's paired overhead figures.</summary>
public sealed record OverheadResult(Vendor Vendor, double FloorMedianUs, double DirectMedianUs, double RouterMedianUs, double FloorBytes, double DirectBytes, double RouterBytes, int Rounds)
{
    public double DirectTimeRatio => DirectMedianUs / FloorMedianUs;

    public double RouterTimeRatio => RouterMedianUs / FloorMedianUs;

    public double DirectAllocRatio => DirectBytes / FloorBytes;

    public double RouterAllocRatio => RouterBytes / FloorBytes;
}

/// <summary>
/// Figure 1 measured paired (mode <c>overhead</c>): the same three operations as <see cref="GenerationBenchmarks"/>
/// (floor, direct provider, router; one image generation = submit + one status poll on loopback), but interleaved
/// round by round in rotating order, so that whatever else runs on the shared 2-core machine slows all three alike.
/// Time = the median of each operation's per-call wall time over all rounds (the emulator's own work is in all three
/// alike). Allocated bytes = <c>GC.GetTotalAllocatedBytes(precise)</c> over a sequential batch of each operation,
/// divided by the batch size; the emulators run in a child process, so those bytes are the client's alone.
/// </summary>
public static class PairedOverhead
{
    public static async Task<IReadOnlyList<OverheadResult>> RunAsync(int rounds = 3000, int allocBatch = 1000, bool inProcessEmulators = false)
    {
        IAsyncDisposable owner;
        EmulatorEndpoints endpoints;
        if (inProcessEmulators)
        {
            var local = await BenchEmulators.StartAsync();
            (owner, endpoints) = (local, local.Endpoints);
        }
        else
        {
            var child = await EmulatorProcess.StartAsync();
            (owner, endpoints) = (child, child.Endpoints);
        }

        await using (owner)
        {
            using var floor = new FloorClients(endpoints);
            using var mediaGen = new MediaGenClients(endpoints, InstantTimeProvider.Instance);
            var wait = new WaitOptions { TimeProvider = InstantTimeProvider.Instance };
            var results = new List<OverheadResult>();
            foreach (var vendor in Enum.GetValues<Vendor>())
            {
                var direct = MediaGenClients.DirectRequest(vendor);
                var routed = MediaGenClients.RoutedRequest(vendor);
                Func<Task>[] ops =
                [
                    async () => Check((await floor.GenerateAsync(vendor)).Status == "completed"),
                    async () => Check((await mediaGen.For(vendor).GenerateAsync(direct, wait)).GetValueOrThrow().Status == GenerationStatus.Succeeded),
                    async () => Check((await mediaGen.Router.GenerateAsync(routed, wait)).GetValueOrThrow().Status == GenerationStatus.Succeeded),
                ];

                // Warm up (JIT tiers, connection pools), then allocations per operation, then interleaved timing.
                for (var i = 0; i < Math.Max(rounds / 10, 50); i++)
                {
                    foreach (var op in ops)
                    {
                        await op();
                    }
                }

                var bytes = new double[ops.Length];
                for (var k = 0; k < ops.Length; k++)
                {
                    var before = GC.GetTotalAllocatedBytes(precise: true);
                    for (var i = 0; i < allocBatch; i++)
                    {
                        await ops[k]();
                    }

                    bytes[k] = (GC.GetTotalAllocatedBytes(precise: true) - before) / (double)allocBatch;
                }

                var times = new double[ops.Length][];
                for (var k = 0; k < ops.Length; k++)
                {
                    times[k] = new double[rounds];
                }

                for (var r = 0; r < rounds; r++)
                {
                    for (var j = 0; j < ops.Length; j++)
                    {
                        var k = (r + j) % ops.Length;
                        var start = Stopwatch.GetTimestamp();
                        await ops[k]();
                        times[k][r] = Stopwatch.GetElapsedTime(start).TotalMicroseconds;
                    }
                }

                results.Add(new OverheadResult(vendor, Median(times[0]), Median(times[1]), Median(times[2]), bytes[0], bytes[1], bytes[2], rounds));
            }

            return results;
        }
    }

    public static string ToMarkdown(IReadOnlyList<OverheadResult> results)
    {
        var inv = CultureInfo.InvariantCulture;
        var sb = new StringBuilder();
        sb.AppendLine("| vendor | floor: median / alloc | direct: median / alloc | direct ratio time / bytes | router: median / alloc | router ratio time / bytes | target (≤ 1.10 time, ≤ 2× bytes) |");
        sb.AppendLine("|---|---:|---:|---:|---:|---:|---|");
        foreach (var r in results)
        {
            var direct = r.DirectTimeRatio <= 1.10 && r.DirectAllocRatio <= 2;
            var router = r.RouterTimeRatio <= 1.10 && r.RouterAllocRatio <= 2;
            sb.AppendLine(inv, $"| {r.Vendor} | {r.FloorMedianUs:0} µs / {r.FloorBytes / 1024:0.0} KB | {r.DirectMedianUs:0} µs / {r.DirectBytes / 1024:0.0} KB | **{r.DirectTimeRatio:0.00} / {r.DirectAllocRatio:0.00}** | {r.RouterMedianUs:0} µs / {r.RouterBytes / 1024:0.0} KB | **{r.RouterTimeRatio:0.00} / {r.RouterAllocRatio:0.00}** | direct {(direct ? "met" : "missed")}, router {(router ? "met" : "missed")} |");
        }

        return sb.ToString();
    }

    private static void Check(bool ok)
    {
        if (!ok)
        {
            throw new InvalidOperationException("a generation did not succeed");
        }
    }

    private static double Median(double[] values)
    {
        var sorted = values.Order().ToArray();
        return sorted[sorted.Length / 2];
    }
}
