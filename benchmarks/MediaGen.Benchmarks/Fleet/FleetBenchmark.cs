using System.Diagnostics;
using System.Globalization;
using System.Text;
using MediaGen.MeiGen;
using MediaGen.PostgreSqlTesting;
using MediaGen.Routing;
using MediaGen.Testing;
using MediaGen.Testing.Emulators.MeiGen;
using Npgsql;

namespace MediaGen.Benchmarks.Fleet;

/// <summary>One store's run: per-job latency, what reached the vendor, and the peak of connections to the database.</summary>
public sealed record FleetRun(string Store, int Generations, int Succeeded, int BudgetRefused, double P50Ms, double P99Ms, int VendorSubmits, int DuplicateSubmits, int KeysChargedTwice, decimal Charged, decimal? Cap, int PeakConnections, TimeSpan Wall);

/// <summary>
/// docs/benchmarks.md §5: N generations over 4 real processes (tests/MediaGen.FleetDriver, started with the tests'
/// FleetProcess) on one throwaway PostgreSQL server (tests/Shared/PostgreSql), against a loopback MeiGen emulator without a
/// rate limit whose jobs complete on the first poll. Run twice in the same invocation: the processes recording jobs in their own
/// InMemoryJobStore (the baseline), then in the fleet's PostgreSQL store with a budget that fits 95% of the jobs. Per-job time
/// is generate-and-wait, end to end in the driver; what PostgreSQL adds is the difference to the baseline.
/// </summary>
public static class FleetBenchmark
{
    public static async Task<IReadOnlyList<FleetRun>> RunAsync(int generations, int processes = 4, int pollMs = 50, TimeSpan? timeout = null)
    {
        await using var server = await PostgreSqlServer.StartAsync();
        var runs = new List<FleetRun>();
        foreach (var store in new[] { "memory", "postgresql" })
        {
            runs.Add(await RunOnceAsync(server, store, generations, processes, pollMs, timeout ?? TimeSpan.FromMinutes(10)));
        }

        return runs;
    }

    private static async Task<FleetRun> RunOnceAsync(PostgreSqlServer server, string store, int generations, int processes, int pollMs, TimeSpan timeout)
    {
        await using var host = await EmulatorHost.StartAsync(new MeiGenEmulator(new MeiGenEmulatorOptions { GenerateRequestsPerMinute = 100_000_000 }));
        host.Jobs.Default = JobScript.CompleteAfterPolls(1);
        var db = await server.CreateDatabaseAsync("bench_" + store);
        var database = new NpgsqlConnectionStringBuilder(db).Database!;
        var price = await PriceAsync(host);
        decimal? cap = store == "memory" ? null : price * (generations - (generations / 20));
        var dir = Directory.CreateTempSubdirectory("mediagen-fleet-bench-").FullName;
        var keys = Enumerable.Range(0, generations).Select(_ => Guid.NewGuid().ToString()).ToArray();
        var drivers = new List<FleetProcess>();
        using var sampling = new CancellationTokenSource();
        var peak = 0;
        var sampler = Task.Run(async () =>
        {
            await using var connection = new NpgsqlConnection(server.AdminConnectionString);
            await connection.OpenAsync();
            await using var count = new NpgsqlCommand("SELECT count(*) FROM pg_stat_activity WHERE datname = $1", connection) { Parameters = { new() { Value = database } } };
            while (!sampling.IsCancellationRequested)
            {
                peak = Math.Max(peak, (int)(long)(await count.ExecuteScalarAsync())!);
                try
                {
                    await Task.Delay(TimeSpan.FromMilliseconds(50), TimeProvider.System, sampling.Token);
                }
                catch (OperationCanceledException)
                {
                }
            }
        });
        var wall = Stopwatch.StartNew();
        try
        {
            for (var p = 0; p < processes; p++)
            {
                var file = Path.Combine(dir, $"p{p}.keys");
                await File.WriteAllLinesAsync(file, keys.Where((_, i) => i % processes == p));
                string[] args = ["--db", db, "--vendor", "meigen", "--base", new Uri(host.BaseAddress, "api/").ToString(), "--rpm", "0", "--keys", file,
                    "--poll-ms", pollMs.ToString(CultureInfo.InvariantCulture), "--concurrency", "32"];
                if (store == "memory")
                {
                    args = [.. args, "--store", "memory"];
                }
                else
                {
                    args = [.. args, "--budget-credits", cap!.Value.ToString(CultureInfo.InvariantCulture)];
                }

                drivers.Add(FleetProcess.Start(args));
            }

            await Task.WhenAll(drivers.Select(d => d.WaitDoneAsync(timeout)));
            wall.Stop();
            var results = drivers.SelectMany(d => d.Results).ToList();
            var ok = results.Where(r => (string?)r["outcome"] == "Succeeded").Select(r => (double)r["ms"]!).Order().ToList();
            var refused = results.Count(r => (string?)r["outcome"] == nameof(BudgetExceededError));
            var other = results.Where(r => (string?)r["outcome"] is not "Succeeded" and not nameof(BudgetExceededError)).ToList();
            if (other.Count > 0)
            {
                throw new InvalidOperationException($"{other.Count} generations failed ({store}), e.g. {other[0].ToJsonString()}");
            }

            var submits = host.Requests.Count(r => r.Method == "POST" && r.Path == MeiGenEmulator.SubmitPath);
            return new FleetRun(store, generations, ok.Count, refused, Percentile(ok, 0.50), Percentile(ok, 0.99), submits,
                submits - ok.Count, keys.Count(k => host.Ledger.ChargesFor(k).Count > 1), host.Ledger.TotalCharged(MeiGenEmulatorOptions.CreditsUnit), cap, peak, wall.Elapsed);
        }
        finally
        {
            await sampling.CancelAsync();
            await sampler;
            foreach (var d in drivers)
            {
                await d.DisposeAsync();
            }

            Directory.Delete(dir, recursive: true);
        }
    }

    public static string ToMarkdown(IReadOnlyList<FleetRun> runs)
    {
        var memory = runs.Single(r => r.Store == "memory");
        var pg = runs.Single(r => r.Store == "postgresql");
        var md = new StringBuilder();
        md.AppendLine(CultureInfo.InvariantCulture, $"{pg.Generations:N0} generations over 4 processes, MeiGen emulator (no rate limit, done on the first poll, polled after 50 ms), 32 in flight per process.");
        md.AppendLine();
        md.AppendLine("| Store | Succeeded | Refused by budget | p50 per job | p99 per job | Vendor submits | Duplicate submits | Keys charged twice | Charged / cap (credits) | Overshoot | Peak connections | Wall |");
        md.AppendLine("|---|---|---|---|---|---|---|---|---|---|---|---|");
        foreach (var r in runs)
        {
            var overshoot = r.Cap is { } c ? Math.Max(0, r.Charged - c).ToString(CultureInfo.InvariantCulture) : "n/a";
            md.AppendLine(CultureInfo.InvariantCulture, $"| {(r.Store == "memory" ? "InMemoryJobStore (per process)" : "PostgreSQL fleet + budget")} | {r.Succeeded:N0} | {r.BudgetRefused:N0} | {r.P50Ms:F1} ms | {r.P99Ms:F1} ms | {r.VendorSubmits:N0} | {r.DuplicateSubmits} | {r.KeysChargedTwice} | {r.Charged} / {(r.Cap?.ToString(CultureInfo.InvariantCulture) ?? "none")} | {overshoot} | {r.PeakConnections} | {r.Wall.TotalSeconds:F0} s |");
        }

        md.AppendLine();
        md.AppendLine(CultureInfo.InvariantCulture, $"Store time added per job: p50 {pg.P50Ms - memory.P50Ms:F1} ms ({pg.P50Ms / memory.P50Ms:F2}× the in-memory store), p99 {pg.P99Ms - memory.P99Ms:F1} ms ({pg.P99Ms / memory.P99Ms:F2}×).");
        return md.ToString();
    }

    private static double Percentile(List<double> sorted, double p) => sorted.Count == 0 ? double.NaN : sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(p * sorted.Count) - 1)];

    private static async Task<decimal> PriceAsync(EmulatorHost host)
    {
        using var http = new HttpClient();
        using var meigen = MeiGenProvider.Create(new MeiGenOptions { ApiKey = "meigen_sk_fleet_test_key", BaseAddress = new Uri(host.BaseAddress, "api/") }, http);
        using var router = new MediaRouter([meigen], new RouterOptions());
        var quote = (await router.QuoteAsync(new GenerationRequest("nano-banana-2", "a lighthouse at dusk"))).GetValueOrThrow();
        return quote.Price.Amount!.Value.Amount;
    }
}
