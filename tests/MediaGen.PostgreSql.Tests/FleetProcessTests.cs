using System.Globalization;
using System.Net;
using System.Net.Sockets;
using MediaGen.MeiGen;
using MediaGen.PostgreSqlTesting;
using MediaGen.Testing;
using MediaGen.Testing.Emulators.Apiframe;
using MediaGen.Testing.Emulators.MeiGen;

namespace MediaGen.PostgreSql.Tests;

/// <summary>
/// The fleet guarantees with real processes (tests/MediaGen.FleetDriver, several at once) against a real PostgreSQL server and a
/// loopback emulator in this process, on the system clock.
/// </summary>
[Collection(PostgreSqlServerGroup.Name)]
public sealed class FleetProcessTests(PostgreSqlServerFixture fixture) : IAsyncLifetime
{
    private static readonly TimeSpan Run = TimeSpan.FromMinutes(3);
    private readonly string _dir = Directory.CreateTempSubdirectory("mediagen-fleet-").FullName;
    private readonly List<FleetProcess> _started = [];

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        // Also when a test failed half-way: no driver outlives its test.
        await DisposeAllAsync(_started);
        try
        {
            Directory.Delete(_dir, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    [Fact]
    public async Task Generate_EveryKeySentToTwoOfFourProcesses_OneSubmitAndOneChargePerLogicalRequest()
    {
        const int processes = 4, perProcess = 250, logical = processes * perProcess / 2;
        await using var host = await EmulatorHost.StartAsync(new MeiGenEmulator(new MeiGenEmulatorOptions { GenerateRequestsPerMinute = 1_000_000 }));
        host.Jobs.Default = JobScript.CompleteAfterPolls(1);
        var db = await fixture.Server.CreateDatabaseAsync("dedupe");
        var keys = Enumerable.Range(0, logical).Select(_ => Guid.NewGuid().ToString()).ToArray();

        // Logical request i goes to processes i % 4 and (i + 1) % 4: each process gets 250, every key two processes.
        var drivers = Enumerable.Range(0, processes).Select(p =>
            Start(Args(db, host, "meigen", "--rpm", "0", "--keys", KeysFile($"p{p}", keys.Where((_, i) => i % processes == p || (i + 1) % processes == p)))))
            .ToList();
        await Task.WhenAll(drivers.Select(d => d.WaitDoneAsync(Run)));

        var results = drivers.SelectMany(d => d.Results).ToList();
        Assert.Equal(processes * perProcess, results.Count);
        Assert.All(results, r => Assert.True((string?)r["outcome"] == "Succeeded", r.ToJsonString()));
        Assert.All(results.GroupBy(r => (string?)r["key"]), g => Assert.Single(g.Select(r => (string?)r["handle"]).Distinct()));
        Assert.Equal(logical, host.Requests.Count(r => r.Method == "POST" && r.Path == MeiGenEmulator.SubmitPath));
        Assert.Equal(logical, host.Ledger.ChargedJobCount);
        Assert.All(keys, k => Assert.Single(host.Ledger.ChargesFor(k)));
        await DisposeAllAsync(drivers);
    }

    [Fact]
    public async Task Generate_FourProcessesSharingOneVendorLimit_No429AndSubmitsSpreadOverTheMinutes()
    {
        // The issue's size: emulator and shared limiter at 60/min, twice that offered (120), so ~2 minutes of wall time.
        // The limiter's window carries a 5 s margin (default 1 s): on a loaded machine a granted request can reach the
        // emulator seconds late, and the emulator counts arrivals.
        const int processes = 4, rpm = 60, offered = rpm * 2;
        await using var host = await EmulatorHost.StartAsync(new MeiGenEmulator(new MeiGenEmulatorOptions { GenerateRequestsPerMinute = rpm }));
        host.Jobs.Default = JobScript.CompleteAfterPolls(1);
        var db = await fixture.Server.CreateDatabaseAsync("rate");
        var keys = Enumerable.Range(0, offered).Select(_ => Guid.NewGuid().ToString()).ToArray();

        var drivers = Enumerable.Range(0, processes).Select(p =>
            Start(Args(db, host, "meigen", "--rpm", rpm.ToString(CultureInfo.InvariantCulture), "--retry-rate-limited", "--rate-margin-ms", "5000", "--keys", KeysFile($"p{p}", keys.Where((_, i) => i % processes == p)))))
            .ToList();
        await Task.WhenAll(drivers.Select(d => d.WaitDoneAsync(Run)));

        var results = drivers.SelectMany(d => d.Results).ToList();
        Assert.Equal(offered, results.Count);
        Assert.All(results, r => Assert.True((string?)r["outcome"] == "Succeeded", r.ToJsonString()));
        Assert.DoesNotContain(results, r => (int?)r["status"] == 429);
        var submits = host.Requests.Where(r => r.Method == "POST" && r.Path == MeiGenEmulator.SubmitPath).Select(r => r.ReceivedAt).Order().ToList();
        Assert.Equal(offered, submits.Count); // every POST was accepted: none answered 429
        Assert.Equal(offered, host.Ledger.ChargedJobCount);
        Assert.All(submits, (at, i) => Assert.True(submits.Count(s => s > at - TimeSpan.FromMinutes(1) && s <= at) <= rpm, $"more than {rpm} submits in the minute up to {at:O}"));

        // Spread over the minutes the limit implies: 120 at 60/min fill two windows, so the last submit comes at least a
        // minute after the first, and the first minute holds at most 60 (checked above) but not much fewer: the limiter
        // does not starve. The lower bound is loose (half the rate) because a loaded 2-core machine delays grants.
        Assert.True(submits[^1] - submits[0] >= TimeSpan.FromMinutes(1), $"the submits took {submits[^1] - submits[0]}, less than the minute the limit implies");
        Assert.True(submits[^1] - submits[0] < TimeSpan.FromMinutes(2.5), $"the submits took {submits[^1] - submits[0]}: the limiter held them back far longer than 60/min implies");
        var firstMinute = submits.Count(s => s < submits[0] + TimeSpan.FromMinutes(1));
        Assert.True(firstMinute >= rpm / 2, $"only {firstMinute} submits in the first minute at {rpm}/min");
        await DisposeAllAsync(drivers);
    }

    [Fact]
    public async Task MeiGenOptions_NothingConfigured_ThirteenthSubmitInAMinuteRefusedBeforeSending()
    {
        // The documented 12/min is the default: with no RequestsPerMinute and no RateLimiter, 12 submits go out and the
        // 13th is refused client-side (no HTTP status) before it reaches the vendor, so a lone instance never sees a 429.
        await using var host = await EmulatorHost.StartAsync(new MeiGenEmulator(new MeiGenEmulatorOptions { GenerateRequestsPerMinute = 1_000_000 }));
        using var http = new HttpClient();
        var options = new MeiGenOptions { ApiKey = "meigen_sk_fleet_test_key", BaseAddress = new Uri(host.BaseAddress, "api/") };
        Assert.Equal(12, options.RequestsPerMinute);
        using var meigen = MeiGenProvider.Create(options, http);
        var results = new List<Result<GenerationJob>>();
        for (var i = 0; i < 13; i++)
        {
            var quote = (await meigen.QuoteAsync(new GenerationRequest("nanobanana-2", "a lighthouse at dusk") { IdempotencyKey = Guid.NewGuid().ToString() })).GetValueOrThrow();
            results.Add(await meigen.SubmitAsync(quote));
        }

        Assert.All(results.Take(12), r => Assert.True(r.IsSuccess, r.IsSuccess ? null : r.Error!.Message));
        var refused = Assert.IsType<RateLimitedError>(results[12].Error);
        Assert.Null(refused.StatusCode);
        Assert.Equal(12, host.Requests.Count(r => r.Method == "POST" && r.Path == MeiGenEmulator.SubmitPath));
    }

    [Fact]
    public async Task Generate_400RacingRequestsUnderABudgetFor100_100ChargedRestRefusedSpendEqualsBudget()
    {
        const int processes = 4, requests = 400, fits = 100;
        await using var host = await EmulatorHost.StartAsync(new MeiGenEmulator(new MeiGenEmulatorOptions { GenerateRequestsPerMinute = 1_000_000 }));
        host.Jobs.Default = JobScript.CompleteAfterPolls(1);
        var db = await fixture.Server.CreateDatabaseAsync("budget");
        var price = await PriceAsync(host);
        var cap = price * fits;
        var keys = Enumerable.Range(0, requests).Select(_ => Guid.NewGuid().ToString()).ToArray();

        var drivers = Enumerable.Range(0, processes).Select(p =>
            Start(Args(db, host, "meigen", "--rpm", "0", "--budget-credits", cap.ToString(CultureInfo.InvariantCulture), "--keys", KeysFile($"p{p}", keys.Where((_, i) => i % processes == p)))))
            .ToList();
        await Task.WhenAll(drivers.Select(d => d.WaitDoneAsync(Run)));

        var results = drivers.SelectMany(d => d.Results).ToList();
        Assert.Equal(fits, results.Count(r => (string?)r["outcome"] == "Succeeded"));
        Assert.Equal(requests - fits, results.Count(r => (string?)r["outcome"] == nameof(BudgetExceededError)));
        Assert.Equal(fits, host.Ledger.ChargedJobCount);
        Assert.Equal(cap, host.Ledger.TotalCharged(MeiGenEmulatorOptions.CreditsUnit));
        await using var store = await PostgreSqlJobStore.OpenAsync(db);
        var usage = await new PostgreSqlSpendBudgets(store.DataSource).GetUsageAsync("fleet-test", "*", DateTimeOffset.UnixEpoch, global::MediaGen.Money.Credits(cap, "meigen"));
        Assert.Equal(cap, usage.Spent.Amount);
        Assert.Equal(0, usage.Reserved.Amount);
        await DisposeAllAsync(drivers);
    }

    [Fact]
    public async Task Wait_WebhookDeliveredToProcessB_CompletesProcessAsWaitWithinASecond()
    {
        var apiframe = new ApiframeEmulator();
        await using var host = await EmulatorHost.StartAsync(apiframe);
        host.Jobs.Default = JobScript.CompleteAfter(TimeSpan.FromMilliseconds(500));
        var db = await fixture.Server.CreateDatabaseAsync("webhook");
        var port = FreePort();
        var polls = Path.Combine(_dir, "polls.log");
        var b = Start([.. Args(db, host, "apiframe"), "--listen", port.ToString(CultureInfo.InvariantCulture), "--stay"]);
        await b.WaitForAsync(l => l.ContainsKey("ready"), Run);

        // A polls only after a minute (first poll and watchdog): only the webhook, received by B, can end its wait sooner.
        var a = Start([.. Args(db, host, "apiframe"), "--keys", KeysFile("a", [Guid.NewGuid().ToString()]), "--webhook", $"http://127.0.0.1:{port}/hook",
            "--poll-ms", "60000", "--watchdog-ms", "60000", "--polls-log", polls]);
        await a.WaitForAsync(l => l.ContainsKey("ready"), Run);
        await WaitUntilAsync(() => host.Ledger.ChargedJobCount == 1);
        await Task.Delay(TimeSpan.FromSeconds(1)); // the job's scripted 500 ms of work, on the emulator's clock
        var delivered = DateTimeOffset.UtcNow;
        await apiframe.PumpWebhooksAsync();
        var done = await a.WaitForAsync(l => l.ContainsKey("outcome"), TimeSpan.FromSeconds(30));

        Assert.Equal("Succeeded", (string?)done["outcome"]);
        var received = Assert.Single(b.Lines, l => (string?)l["webhook"] == (string?)done["handle"]);
        var waited = DateTimeOffset.FromUnixTimeMilliseconds((long)done["doneAtMs"]!) - DateTimeOffset.FromUnixTimeMilliseconds((long)received["receivedAtMs"]!);
        Assert.True(waited < TimeSpan.FromSeconds(1), $"A's wait ended {waited.TotalMilliseconds:F0} ms after B received the delivery (pumped at {delivered:O})");
        Assert.False(File.Exists(polls) && File.ReadAllText(polls).Length > 0, "A polled instead of receiving the update");
    }

    [Fact]
    public async Task Takeover_ProcessKilledWith50JobsInFlight_OthersFinishAllOneChargeEachOnePollerPerJob()
    {
        const int jobs = 50;
        await using var host = await EmulatorHost.StartAsync(new MeiGenEmulator(new MeiGenEmulatorOptions { GenerateRequestsPerMinute = 1_000_000 }));
        host.Jobs.Default = JobScript.CompleteAfterPolls(3);
        var db = await fixture.Server.CreateDatabaseAsync("takeover");
        var polls = Path.Combine(_dir, "polls.log");
        var keys = Enumerable.Range(0, jobs).Select(_ => Guid.NewGuid().ToString()).ToArray();
        string[] Fleet(params string[] more) => [.. Args(db, host, "meigen"), "--rpm", "0", "--lease-ms", "10000", "--takeover-ms", "1000", "--polls-log", polls, .. more];

        // The victim submits 50 jobs and would first poll them after a minute; the survivors only take over.
        var victim = Start(Fleet("--keys", KeysFile("victim", keys), "--poll-ms", "60000", "--concurrency", "64"));
        var survivors = new[] { Start(Fleet("--stay", "--poll-ms", "200")), Start(Fleet("--stay", "--poll-ms", "200")) };
        await using var store = await PostgreSqlJobStore.OpenAsync(db);
        try
        {
            await WaitUntilAsync(async () => (await store.ListJobsAsync(new JobQuery { Limit = 1000 })).Count(j => j.State == StoredJobState.Accepted) == jobs, TimeSpan.FromSeconds(60));
        }
        catch (Xunit.Sdk.TrueException)
        {
            var now = DateTimeOffset.UtcNow;
            var all = await store.ListJobsAsync(new JobQuery { Limit = 1000 });
            Assert.Fail(string.Join("\n", all.GroupBy(j => (j.State, j.LeaseOwner)).Select(g => $"{g.Key.State} {g.Key.LeaseOwner}: {g.Count()} (lease left {g.Min(j => j.LeaseExpiresAt - now)})"))
                + "\nvictim: " + victim.Stderr + string.Join("\n", victim.Lines.Take(3)));
        }

        victim.KillHard();
        var killedAt = DateTimeOffset.UtcNow;

        await WaitUntilAsync(async () => (await store.ListJobsAsync(new JobQuery { Limit = 1000 })).Count(j => j.State == StoredJobState.Succeeded) == jobs, TimeSpan.FromSeconds(90));

        Assert.Equal(jobs, host.Requests.Count(r => r.Method == "POST" && r.Path == MeiGenEmulator.SubmitPath));
        Assert.All(keys, k => Assert.Single(host.Ledger.ChargesFor(k)));
        var log = File.ReadAllLines(polls).Select(l => l.Split(' ')).Select(p => (Job: p[0], Owner: p[1], At: DateTimeOffset.FromUnixTimeMilliseconds(long.Parse(p[2], CultureInfo.InvariantCulture)))).ToList();
        var after = log.Where(p => p.At >= killedAt).GroupBy(p => p.Job).ToList();
        Assert.True(jobs == after.Count, $"{after.Count} jobs polled after the kill at {killedAt:O}; polls by owner: {string.Join(", ", log.GroupBy(p => p.Owner).Select(g => $"{g.Key}: {g.Count()} polls of {g.Select(p => p.Job).Distinct().Count()} jobs, {g.Min(p => p.At):O}..{g.Max(p => p.At):O}"))}");
        Assert.All(after, g => Assert.Single(g.Select(p => p.Owner).Distinct()));
        Assert.DoesNotContain(log, p => p.Owner == (string?)victim.Lines.First(l => l.ContainsKey("ready"))["ready"]);
        await victim.DisposeAsync();
        await DisposeAllAsync(survivors);
    }

    private FleetProcess Start(params string[] args)
    {
        var process = FleetProcess.Start(args);
        _started.Add(process);
        return process;
    }

    private static string[] Args(string db, EmulatorHost host, string vendor) =>
        ["--db", db, "--vendor", vendor, "--base", vendor == "meigen" ? new Uri(host.BaseAddress, "api/").ToString() : host.BaseAddress.ToString()];

    private static string[] Args(string db, EmulatorHost host, string vendor, params string[] more) => [.. Args(db, host, vendor), .. more];

    private string KeysFile(string name, IEnumerable<string> keys)
    {
        var path = Path.Combine(_dir, name + ".keys");
        File.WriteAllLines(path, keys);
        return path;
    }

    private static async Task<decimal> PriceAsync(EmulatorHost host)
    {
        using var http = new HttpClient();
        using var meigen = MeiGenProvider.Create(new MeiGenOptions { ApiKey = "meigen_sk_fleet_test_key", BaseAddress = new Uri(host.BaseAddress, "api/") }, http);
        using var router = new MediaGen.Routing.MediaRouter([meigen], new MediaGen.Routing.RouterOptions());
        var quote = (await router.QuoteAsync(new GenerationRequest("nano-banana-2", "a lighthouse at dusk"))).GetValueOrThrow();
        return quote.Price.Amount!.Value.Amount;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static Task WaitUntilAsync(Func<bool> condition, TimeSpan? timeout = null) => WaitUntilAsync(() => Task.FromResult(condition()), timeout);

    /// <summary>Waits for state other processes change (there is nothing to subscribe to across processes), checking every 100 ms.</summary>
    private static async Task WaitUntilAsync(Func<Task<bool>> condition, TimeSpan? timeout = null)
    {
        var until = DateTimeOffset.UtcNow + (timeout ?? Run);
        while (!await condition())
        {
            Assert.True(DateTimeOffset.UtcNow < until, "timed out waiting for the fleet");
            await Task.Delay(100);
        }
    }

    private static async Task DisposeAllAsync(IEnumerable<FleetProcess> drivers)
    {
        foreach (var d in drivers)
        {
            await d.DisposeAsync();
        }
    }
}
