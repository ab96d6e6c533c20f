using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using MediaGen.Apiframe;
using MediaGen.Benchmarks.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace MediaGen.Benchmarks.Load;

/// <summary>One scale of the webhook run.</summary>
public sealed record WebhookLoadResult(
    int Jobs,
    int Succeeded,
    int Failed,
    double WallSeconds,
    double SubmitSeconds,
    double PeakWorkingSetMb,
    double BaselineWorkingSetMb,
    double PeakManagedHeapMb,
    double LiveHeapBytesPerJob,
    int WaitingAtProbe,
    double LatencyP50Seconds,
    double LatencyP99Seconds,
    double LatencyMaxSeconds,
    long StatusRequests,
    long WebhooksReceived,
    int PeakThreads,
    double MaxHeartbeatLagMs,
    string Errors);

/// <summary>
/// Figure 2b, waiting on webhooks: <c>Jobs</c> Apiframe generations submitted in one paced burst (directly, <c>nano-banana-2</c>),
/// each with a webhook URL, and all waited for with <c>WaitOptions.Updates</c> (a <see cref="JobUpdateHub"/>): the wait
/// loop polls only as the watchdog (every <see cref="WatchdogInterval"/>, 120 s) and ends when the webhook arrives. The
/// Apiframe emulator runs in its own process and delivers signed webhooks to a Kestrel endpoint in this one, which
/// verifies them with <see cref="ApiframeWebhookReceiver"/> and publishes them into the hub. Each job completes 90–150 s
/// (1 s steps) after the emulator accepted it, on the real clock, and submits are paced at <see cref="SubmitsPerSecond"/>,
/// so every job of 100,000 is waiting before the first completes and completions arrive at a rate two cores can
/// deliver and receive. After the last submit a full GC measures the live heap per waiting job.
/// </summary>
public static class WebhookLoadDriver
{
    /// <summary>The job durations of the webhook run: 90 s to 150 s.</summary>
    public static IReadOnlyList<int> DurationsMs => BenchEmulators.WebhookDurationsMs;

    /// <summary>The run's watchdog: a job still waiting 120 s after its submit is polled once (the shorter half of the durations end by webhook alone).</summary>
    public static readonly TimeSpan WatchdogInterval = TimeSpan.FromSeconds(120);

    /// <summary>
    /// The submit pace: 100,000 submits take 80 s, inside the 90 s the shortest job runs. Unpaced, the burst ran at
    /// 5,000 a second, and 60 s later its watchdog polls and completions came at that rate too: more than the two cores
    /// of this machine deliver (webhook lag 82 s, 2.2 GB held by the backlog).
    /// </summary>
    public const int SubmitsPerSecond = 1_250;

    /// <summary>Runs one scale.</summary>
    /// <param name="jobs">Generations waiting at once.</param>
    /// <param name="endpoints">The emulators.</param>
    /// <param name="timeout">Gives up after this long.</param>
    /// <param name="durationsMs">The scripted durations the prompts ask for (the smoke test's emulators ignore them).</param>
    public static async Task<WebhookLoadResult> RunAsync(int jobs, EmulatorEndpoints endpoints, TimeSpan? timeout = null, IReadOnlyList<int>? durationsMs = null)
    {
        durationsMs ??= DurationsMs;
        var hub = new JobUpdateHub();
        var counter = new CountingHandler { InnerHandler = new SocketsHttpHandler { MaxConnectionsPerServer = 256, PooledConnectionLifetime = TimeSpan.FromMinutes(5) } };
        using var http = Http.MediaGenHttp.CreateClient(innerHandler: counter);
        using var clients = new MediaGenClients(endpoints, http: http);
        var apiframe = clients.Apiframe;
        var receiver = ApiframeProvider.CreateWebhookReceiver(apiframe, hub);
        await using var endpoint = await WebhookEndpoint.StartAsync(receiver);

        GC.Collect();
        GC.WaitForPendingFinalizers();
        var baseline = Environment.WorkingSet;
        var wait = new WaitOptions { Updates = hub, Deadline = TimeSpan.FromMinutes(10), WatchdogInterval = WatchdogInterval };

        using var stop = new CancellationTokenSource();
        var sampler = Task.Run(() => LoadDriver.SampleAsync(stop.Token));
        using var overall = new CancellationTokenSource(timeout ?? TimeSpan.FromMinutes(12));
        var clock = Stopwatch.StartNew();
        endpoint.Clock = clock;
        var deliveryLags = new double[jobs];
        var latencies = new double[jobs];
        var outcomes = new string?[jobs];
        var allSubmitted = new TaskCompletionSource<double>(TaskCreationOptions.RunContinuationsAsynchronously);
        var submitted = 0;
        var settled = 0;
        var ended = 0;

        // The burst is paced: at most 1,024 submits in flight over the 256 connections (an unpaced 100,000 would sit
        // in the connection pool's queue past the HTTP timeouts); the waits, not the burst, are what this run measures.
        using var gate = new SemaphoreSlim(1024);

        var tasks = new Task[jobs];
        for (var i = 0; i < jobs; i++)
        {
            var durationMs = durationsMs[i % durationsMs.Count];
            var request = MediaGenClients.DirectRequest(Vendor.Apiframe);
            request.Prompt += $" #{i} [d={durationMs}]";
            request.Webhook = new WebhookOptions { Url = endpoint.Url };
            tasks[i] = RunJobAsync(i, request, durationMs);
        }

        void Settled()
        {
            gate.Release();
            if (Interlocked.Increment(ref settled) == jobs)
            {
                allSubmitted.TrySetResult(clock.Elapsed.TotalSeconds);
            }
        }

        async Task RunJobAsync(int index, GenerationRequest request, int durationMs)
        {
            var accepted = TimeSpan.Zero;
            var isAccepted = false;
            try
            {
                await gate.WaitAsync(overall.Token);
                var due = TimeSpan.FromSeconds((double)index / SubmitsPerSecond) - clock.Elapsed;
                if (due > TimeSpan.Zero)
                {
                    await Task.Delay(due, TimeProvider.System, overall.Token);
                }

                var result = await apiframe.GenerateAsync(request, wait, new SubmitProgress(() =>
                {
                    accepted = clock.Elapsed;
                    isAccepted = true;
                    Interlocked.Increment(ref submitted);
                    Settled();
                }), overall.Token);
                latencies[index] = (clock.Elapsed - accepted).TotalSeconds - (durationMs / 1000.0);
                deliveryLags[index] = result.TryGetValue(out var done) && endpoint.EndedAt.TryGetValue(done.Handle.VendorJobId, out var at)
                    ? at - accepted.TotalSeconds - (durationMs / 1000.0)
                    : double.NaN;
                outcomes[index] = result.TryGetValue(out var job) ? (job.Status == GenerationStatus.Succeeded ? null : job.Status.ToString()) : result.Error.Kind.ToString();
            }
            catch (Exception ex)
            {
                latencies[index] = double.NaN;
                outcomes[index] = ex.GetType().Name;
            }
            finally
            {
                if (!isAccepted)
                {
                    Settled();
                }

                Interlocked.Increment(ref ended);
            }
        }

        // All submitted (or all done, for a run whose jobs end fast): a full GC, the live heap over the jobs still waiting.
        await Task.WhenAny(allSubmitted.Task, Task.WhenAll(tasks));
        await Task.Delay(TimeSpan.FromSeconds(1), TimeProvider.System);
        var waiting = jobs - Volatile.Read(ref ended);
        var live = GC.GetTotalMemory(forceFullCollection: true);

        await Task.WhenAll(tasks);
        var wall = clock.Elapsed.TotalSeconds;
        await stop.CancelAsync();
        var samples = await sampler;
        var ok = outcomes.Count(o => o is null);
        var errors = string.Join(", ", outcomes.Where(o => o is not null).GroupBy(o => o).Select(g => $"{g.Key} ×{g.Count()}"));
        var measured = latencies.Where((l, i) => outcomes[i] is null).Order().ToArray();
        var lags = deliveryLags.Where(l => !double.IsNaN(l)).Order().ToArray();
        Console.Error.WriteLine($"webhook outcomes: {string.Join(", ", endpoint.Outcomes.Select(o => $"{o.Key} {o.Value}"))}; delivery lag p50 / p99 / max {LoadDriver.Percentile(lags, 0.5):0.00} / {LoadDriver.Percentile(lags, 0.99):0.00} / {(lags.Length > 0 ? lags[^1] : double.NaN):0.00} s over {lags.Length}");
        return new WebhookLoadResult(
            jobs,
            ok,
            jobs - ok,
            wall,
            allSubmitted.Task.IsCompleted ? allSubmitted.Task.Result : double.NaN,
            samples.PeakWorkingSet / 1048576.0,
            baseline / 1048576.0,
            samples.PeakHeap / 1048576.0,
            waiting > 0 ? live / (double)waiting : double.NaN,
            waiting,
            LoadDriver.Percentile(measured, 0.50),
            LoadDriver.Percentile(measured, 0.99),
            measured.Length > 0 ? measured[^1] : double.NaN,
            counter.Gets,
            endpoint.Received,
            samples.PeakThreads,
            samples.MaxLagMs,
            errors.Length == 0 ? "none" : errors);
    }

    /// <summary>Child-process mode <c>webhooks-one N</c>: the emulators in their own process, one scale, printed as JSON.</summary>
    public static async Task<int> RunOneAsync(int jobs)
    {
        await using var emulators = await EmulatorProcess.StartAsync(completeAfterPolls: 0);
        var result = await RunAsync(jobs, emulators.Endpoints);
        Console.WriteLine("result " + JsonSerializer.Serialize(result, WebhookLoadJson.Default.WebhookLoadResult));
        return result.Failed == 0 ? 0 : 1;
    }

    /// <summary>Mode <c>webhooks</c>: every scale in a fresh process.</summary>
    public static async Task<IReadOnlyList<WebhookLoadResult>> RunScalesAsync(IEnumerable<int> scales)
    {
        var results = new List<WebhookLoadResult>();
        foreach (var jobs in scales)
        {
            var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, UseShellExecute = false };
            start.ArgumentList.Add(typeof(WebhookLoadDriver).Assembly.Location);
            start.ArgumentList.Add("webhooks-one");
            start.ArgumentList.Add(jobs.ToString(CultureInfo.InvariantCulture));
            using var process = Process.Start(start)!;
            WebhookLoadResult? result = null;
            while (await process.StandardOutput.ReadLineAsync() is { } line)
            {
                if (line.StartsWith("result ", StringComparison.Ordinal))
                {
                    result = JsonSerializer.Deserialize(line["result ".Length..], WebhookLoadJson.Default.WebhookLoadResult);
                }
            }

            await process.WaitForExitAsync();
            results.Add(result ?? throw new InvalidOperationException($"the {jobs}-job webhook run printed no result (exit {process.ExitCode})"));
            Console.Error.WriteLine($"webhooks {jobs}: {JsonSerializer.Serialize(result, WebhookLoadJson.Default.WebhookLoadResult)}");
        }

        return results;
    }

    public static string ToMarkdown(IReadOnlyList<WebhookLoadResult> results)
    {
        var inv = CultureInfo.InvariantCulture;
        var sb = new System.Text.StringBuilder();
        sb.AppendLine("| jobs waiting | completed | wall time | all submitted after | peak working set (start) | working set / job above start | peak managed heap | live heap / waiting job (waiting at probe) | detection latency p50 / p99 / max | status requests / job | webhooks received | peak pool threads | worst heartbeat lag |");
        sb.AppendLine("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var r in results)
        {
            sb.AppendLine(inv, $"| {r.Jobs:N0} | {r.Succeeded:N0}{(r.Failed > 0 ? $" ({r.Errors})" : string.Empty)} | {r.WallSeconds:0.0} s | {r.SubmitSeconds:0.0} s | {r.PeakWorkingSetMb:0} MB ({r.BaselineWorkingSetMb:0}) | {(r.PeakWorkingSetMb - r.BaselineWorkingSetMb) * 1024 / r.Jobs:0.0} KB | {r.PeakManagedHeapMb:0} MB | {r.LiveHeapBytesPerJob / 1024:0.00} KB ({r.WaitingAtProbe:N0}) | {r.LatencyP50Seconds:0.00} / {r.LatencyP99Seconds:0.00} / {r.LatencyMaxSeconds:0.00} s | {(double)r.StatusRequests / r.Jobs:0.00} | {r.WebhooksReceived:N0} | {r.PeakThreads} | {r.MaxHeartbeatLagMs:0} ms |");
        }

        return sb.ToString();
    }

    /// <summary>Calls the callback on the first report (the submitted job), once.</summary>
    private sealed class SubmitProgress(Action onSubmitted) : IProgress<GenerationJob>
    {
        private int _seen;

        public void Report(GenerationJob value)
        {
            if (Interlocked.Exchange(ref _seen, 1) == 0)
            {
                onSubmitted();
            }
        }
    }

    /// <summary>Counts GET requests (every GET of this run is a watchdog status poll).</summary>
    private sealed class CountingHandler : DelegatingHandler
    {
        private long _gets;

        public long Gets => Interlocked.Read(ref _gets);

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            if (request.Method == HttpMethod.Get)
            {
                Interlocked.Increment(ref _gets);
            }

            return base.SendAsync(request, cancellationToken);
        }
    }

    /// <summary>Kestrel on 127.0.0.1 handing each webhook POST's raw body and headers to the receiver.</summary>
    private sealed class WebhookEndpoint : IAsyncDisposable
    {
        private readonly WebApplication _app;
        private long _received;

        private WebhookEndpoint(WebApplication app) => _app = app;

        public Uri Url { get; private set; } = null!;

        public long Received => Interlocked.Read(ref _received);

        public System.Collections.Concurrent.ConcurrentDictionary<string, int> Outcomes { get; } = new();

        /// <summary>When each job's terminal webhook arrived (vendor job id → seconds on <see cref="Clock"/>).</summary>
        public System.Collections.Concurrent.ConcurrentDictionary<string, double> EndedAt { get; } = new();

        public Stopwatch Clock { get; set; } = Stopwatch.StartNew();

        public static async Task<WebhookEndpoint> StartAsync(ApiframeWebhookReceiver receiver)
        {
            var builder = WebApplication.CreateSlimBuilder();
            builder.Logging.ClearProviders();
            builder.WebHost.UseUrls("http://127.0.0.1:0");
            var app = builder.Build();
            var self = new WebhookEndpoint(app);
            app.MapPost("/hooks/apiframe", async (HttpContext context) =>
            {
                using var buffer = new MemoryStream();
                await context.Request.Body.CopyToAsync(buffer);
                var result = receiver.Receive(buffer.GetBuffer().AsSpan(0, (int)buffer.Length), name => context.Request.Headers[name].FirstOrDefault());
                Interlocked.Increment(ref self._received);
                self.Outcomes.AddOrUpdate(result.Outcome.ToString(), 1, (_, n) => n + 1);
                if (result.Job is { IsTerminal: true } ended)
                {
                    self.EndedAt[ended.Handle.VendorJobId] = self.Clock.Elapsed.TotalSeconds;
                }
                context.Response.StatusCode = result.StatusCode;
            });
            await app.StartAsync();
            var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
            self.Url = new Uri(new Uri(address), "/hooks/apiframe");
            return self;
        }

        public async ValueTask DisposeAsync()
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
    }
}

[System.Text.Json.Serialization.JsonSourceGenerationOptions(NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals)]
[System.Text.Json.Serialization.JsonSerializable(typeof(WebhookLoadResult))]
internal sealed partial class WebhookLoadJson : System.Text.Json.Serialization.JsonSerializerContext;
