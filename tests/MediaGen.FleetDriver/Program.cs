// One instance of a fleet, for the real-process tests (tests/MediaGen.PostgreSql.Tests/FleetProcessTests.cs): opens the
// fleet on --db, routes to one vendor (--vendor meigen|apiframe at --base), sends the logical requests it is given (--keys
// FILE, one idempotency key per line; each a generate-and-wait) and prints one JSON line per request, then "done". Options:
//   --rate-margin-ms N the shared limiter's safety margin (default 1000)
//   --rpm N            share a MeiGen limit of N submits/min through PostgreSQL (0: no limit; absent: MeiGen's own 12/min)
//   --budget-credits X a fleet budget of X MeiGen credits (Total period)
//   --retry-rate-limited  on a rate-limited submit, wait its Retry-After and send the same key again
//   --poll-ms N        first poll and poll interval (default 200)      --watchdog-ms N  the wait's watchdog poll
//   --lease-ms N       lease duration (default 120000)                --takeover-ms N  run the takeover worker every N ms
//   --polls-log FILE   append "vendorJobId owner unixMs" per poll     --listen PORT    receive Apiframe webhooks on PORT
//   --webhook URL      ask the vendor to push to URL                   --stay           keep running after the requests
//   --concurrency N    requests in flight at once (default 32)
//   --store memory     record jobs in this process's InMemoryJobStore instead of the fleet's (the benchmark's baseline:
//                      benchmarks/MediaGen.Benchmarks/Fleet); no budgets, no shared circuits, no fan-in
using System.Diagnostics;
using System.Net;
using System.Text.Json.Nodes;
using MediaGen;
using MediaGen.Apiframe;
using MediaGen.MeiGen;
using MediaGen.PostgreSql;
using MediaGen.Routing;

var opts = new Dictionary<string, string>(StringComparer.Ordinal);
for (var i = 0; i < args.Length; i++)
{
    if (args[i].StartsWith("--", StringComparison.Ordinal))
    {
        opts[args[i][2..]] = i + 1 < args.Length && !args[i + 1].StartsWith("--", StringComparison.Ordinal) ? args[++i] : "true";
    }
}

string? Opt(string name) => opts.TryGetValue(name, out var v) ? v : null;
int IntOpt(string name, int fallback) => Opt(name) is { } v ? int.Parse(v, System.Globalization.CultureInfo.InvariantCulture) : fallback;
var time = TimeProvider.System;
var output = new object();
void Emit(JsonObject line)
{
    lock (output)
    {
        Console.Out.WriteLine(line.ToJsonString());
        Console.Out.Flush();
    }
}

var fleetOptions = new PostgreSqlFleetOptions
{
    LeaseDuration = TimeSpan.FromMilliseconds(IntOpt("lease-ms", 120_000)),
    TakeoverInterval = TimeSpan.FromMilliseconds(IntOpt("takeover-ms", 30_000)),
    InFlightPollInterval = TimeSpan.FromMilliseconds(100),
};
if (Opt("budget-credits") is { } cap)
{
    fleetOptions.Budgets.Add(new SpendBudget("fleet-test", Money.Credits(decimal.Parse(cap, System.Globalization.CultureInfo.InvariantCulture), "meigen"), BudgetPeriod.Total));
}

await using var fleet = await PostgreSqlFleet.OpenAsync(Opt("db") ?? throw new ArgumentException("--db is required"), fleetOptions);
using var http = new HttpClient();
var vendor = Opt("vendor") ?? "meigen";
var baseAddress = new Uri(Opt("base") ?? throw new ArgumentException("--base is required"));
IMediaGenerator provider;
ApiframeOptions? apiframeOptions = null;
if (vendor == "meigen")
{
    var meigen = new MeiGenOptions { ApiKey = "meigen_sk_fleet_test_key", BaseAddress = baseAddress };
    if (Opt("rpm") is { } rpm)
    {
        var limit = int.Parse(rpm, System.Globalization.CultureInfo.InvariantCulture);
        meigen.RequestsPerMinute = 0;
        if (limit > 0)
        {
            var shared = fleet.CreateRateLimiter("meigen:fleet-test", limit, TimeSpan.FromMinutes(1));
            if (Opt("rate-margin-ms") is { } margin)
            {
                shared.SafetyMargin = TimeSpan.FromMilliseconds(int.Parse(margin, System.Globalization.CultureInfo.InvariantCulture));
            }

            meigen.RateLimiter = shared;
        }
    }

    provider = MeiGenProvider.Create(meigen, http, time);
}
else
{
    apiframeOptions = new ApiframeOptions { ApiKey = "afk_emulator_0123456789abcdef", BaseAddress = baseAddress };
    provider = ApiframeProvider.Create(apiframeOptions, http, time);
}

var inMemory = Opt("store") == "memory";
var routerOptions = new RouterOptions { TimeProvider = time };
if (!inMemory)
{
    fleet.Configure(routerOptions);
}

using var router = new MediaRouter([provider], routerOptions);
var pollLog = Opt("polls-log");
var builder = router.AsBuilder();
builder = inMemory ? builder.UseJobStore(new InMemoryJobStore(), o => o.Owner = fleet.Owner) : builder.UseFleet(fleet);
var generator = builder.Use(inner => new PollLog(inner, pollLog, fleet.Owner)).Build();
var poll = TimeSpan.FromMilliseconds(IntOpt("poll-ms", 200));
WaitOptions Wait() => new()
{
    FirstPollDelay = poll,
    PollInterval = poll,
    MaxPollInterval = poll > TimeSpan.FromSeconds(60) ? poll : TimeSpan.FromSeconds(60),
    Updates = inMemory ? null : fleet.Hub,
    WatchdogInterval = TimeSpan.FromMilliseconds(IntOpt("watchdog-ms", 60_000)),
    Deadline = TimeSpan.FromMinutes(10),
    TimeProvider = time,
};

if (Opt("takeover-ms") is not null)
{
    fleet.StartTakeover(generator, Wait());
}

HttpListener? listener = null;
if (Opt("listen") is { } port && apiframeOptions is not null)
{
    listener = new HttpListener();
    listener.Prefixes.Add($"http://127.0.0.1:{port}/");
    listener.Start();
    var receiver = new ApiframeWebhookReceiver(apiframeOptions);
    _ = Task.Run(async () =>
    {
        while (listener.IsListening)
        {
            var context = await listener.GetContextAsync();
            var receivedAt = time.GetUtcNow().ToUnixTimeMilliseconds();
            using var body = new MemoryStream();
            await context.Request.InputStream.CopyToAsync(body);
            var result = receiver.Receive(body.ToArray(), name => context.Request.Headers[name]);
            if (result.Job is { } update)
            {
                await fleet.Updates.PublishAsync(update);
                Emit(new JsonObject { ["webhook"] = update.Handle.ToString(), ["status"] = update.Status.ToString(), ["receivedAtMs"] = receivedAt, ["publishedAtMs"] = time.GetUtcNow().ToUnixTimeMilliseconds() });
            }

            context.Response.StatusCode = result.StatusCode;
            context.Response.Close();
        }
    });
}

Emit(new JsonObject { ["ready"] = fleet.Owner, ["pid"] = Environment.ProcessId });
var keys = Opt("keys") is { } keysFile ? File.ReadAllLines(keysFile).Where(k => k.Length > 0).ToList() : [];
var webhook = Opt("webhook") is { } hook ? new WebhookOptions { Url = new Uri(hook) } : null;
var retryRateLimited = Opt("retry-rate-limited") is not null;
await Parallel.ForEachAsync(keys, new ParallelOptions { MaxDegreeOfParallelism = IntOpt("concurrency", 32) }, async (key, ct) =>
{
    var started = Stopwatch.GetTimestamp();
    while (true)
    {
        var request = new GenerationRequest(Opt("model") ?? "nano-banana-2", "a lighthouse at dusk") { IdempotencyKey = key, Webhook = webhook };
        var result = await generator.GenerateAsync(request, Wait(), null, ct);
        // Refused by the shared limiter before sending (no HTTP status): wait as told and send the same key again.
        var limited = result.Error as RateLimitedError ?? result.Error?.Attempts.Select(a => a.Error).OfType<RateLimitedError>().FirstOrDefault();
        if (limited is { StatusCode: null } && retryRateLimited)
        {
            await Task.Delay(limited.RetryAfter ?? TimeSpan.FromSeconds(1), time, ct);
            continue;
        }

        var line = new JsonObject
        {
            ["key"] = key,
            ["outcome"] = result.IsSuccess ? result.Value.Status.ToString() : result.Error!.GetType().Name,
            ["handle"] = result.IsSuccess ? result.Value.Handle.ToString() : null,
            ["status"] = result.Error?.StatusCode ?? result.Error?.Attempts.Select(a => a.Error?.StatusCode).FirstOrDefault(c => c is not null),
            ["error"] = result.Error?.Message,
            ["ms"] = Stopwatch.GetElapsedTime(started).TotalMilliseconds,
            ["doneAtMs"] = time.GetUtcNow().ToUnixTimeMilliseconds(),
        };
        Emit(line);
        return;
    }
});

Emit(new JsonObject { ["done"] = keys.Count });
if (Opt("stay") is not null)
{
    // Until the test closes stdin (or kills the process).
    await Console.In.ReadToEndAsync();
}

listener?.Close();
return 0;

/// <summary>Appends one line per poll, so a test can tell which process polled which job when.</summary>
internal sealed class PollLog(IMediaGenerator inner, string? path, string owner) : DelegatingMediaGenerator(inner)
{
    private static readonly Lock Gate = new();

    public override async Task<Result<GenerationJob>> GetJobAsync(JobHandle handle, CancellationToken cancellationToken = default)
    {
        if (path is not null)
        {
            lock (Gate)
            {
                File.AppendAllText(path, $"{handle.VendorJobId} {owner} {TimeProvider.System.GetUtcNow().ToUnixTimeMilliseconds()}\n");
            }
        }

        return await base.GetJobAsync(handle, cancellationToken).ConfigureAwait(false);
    }
}
