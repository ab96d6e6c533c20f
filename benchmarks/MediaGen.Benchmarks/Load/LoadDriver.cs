using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using MediaGen.Benchmarks.Infrastructure;

namespace MediaGen.Benchmarks.Load;

/// <summary>One scale's figures.</summary>
public sealed record LoadResult(
    int Jobs,
    int Succeeded,
    int Failed,
    double WallSeconds,
    double SubmitSeconds,
    double PeakWorkingSetMb,
    double BaselineWorkingSetMb,
    double PeakManagedHeapMb,
    double AllocatedMbPerJob,
    double LatencyP50Seconds,
    double LatencyP99Seconds,
    double LatencyMaxSeconds,
    long StatusRequests,
    int ThreadsAtStart,
    int PeakThreads,
    long PeakPendingWorkItems,
    double MaxHeartbeatLagMs,
    long LockContentions,
    string Errors);

/// <summary>
/// Figure 2, scale: <c>Jobs</c> generations in flight at once through <c>MediaRouter.GenerateAsync</c> against the three
/// loopback emulators (in a child process), all awaited. Requests go round-robin to MeiGen, VeoGen and Apiframe (the
/// canonical <c>nano-banana-2</c>, allowed providers pinned per job); each job completes 16–24 s after the emulator
/// accepted it (real clock; prompt-scripted, so the vendors report it done at a known moment). The wait loop runs
/// its default first poll (½ the model's typical time) and then a fixed 3 s interval (<c>WaitOptions.PollInterval</c>),
/// so "one poll interval" is 3 s. Detection latency = when GenerateAsync returned − (when the submit's answer reached
/// the caller + the scripted duration): the emulator starts a job's clock as it accepts it, just before answering, so
/// this is the true latency less at most one loopback response transfer.
/// Sampled every 50 ms: working set, managed heap, thread-pool threads and queue; a 100 ms heartbeat timer's lateness
/// shows starvation.
/// </summary>
public static class LoadDriver
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(3);

    /// <summary>Gets or sets a point in the run at which to force a full GC and print the live heap per job (diagnosis only).</summary>
    public static TimeSpan? LiveHeapProbeAt { get; set; }

    /// <summary>Runs one scale.</summary>
    /// <param name="jobs">Generations in flight at once.</param>
    /// <param name="endpoints">The emulators.</param>
    /// <param name="timeout">Gives up after this long.</param>
    /// <param name="waitClock">The wait loop's clock (the smoke test passes <see cref="InstantTimeProvider"/>); the real clock by default.</param>
    public static async Task<LoadResult> RunAsync(int jobs, EmulatorEndpoints endpoints, TimeSpan? timeout = null, TimeProvider? waitClock = null)
    {
        var initialThreads = ThreadPool.ThreadCount;
        GC.Collect();
        GC.WaitForPendingFinalizers();
        var baseline = Environment.WorkingSet;
        var allocatedBefore = GC.GetTotalAllocatedBytes(precise: false);
        var contentionBefore = Monitor.LockContentionCount;

        // The shared resilience pipeline over a counting handler; at most 256 connections per emulator (an unbounded
        // pool would open one socket per in-flight request: 10,000 at the burst).
        var counter = new CountingHandler { InnerHandler = new SocketsHttpHandler { MaxConnectionsPerServer = 256, PooledConnectionLifetime = TimeSpan.FromMinutes(5) } };
        using var http = Http.MediaGenHttp.CreateClient(innerHandler: counter);
        using var clients = new MediaGenClients(endpoints, http: http);
        var wait = new WaitOptions { PollInterval = Interval, Deadline = TimeSpan.FromMinutes(5), TimeProvider = waitClock };
        var vendors = Enum.GetValues<Vendor>();
        var durations = BenchEmulators.LoadDurationsMs;

        using var stop = new CancellationTokenSource();
        var sampler = Task.Run(() => SampleAsync(stop.Token));
        using var overall = new CancellationTokenSource(timeout ?? TimeSpan.FromMinutes(8));
        var clock = Stopwatch.StartNew();
        var latencies = new double[jobs];
        var outcomes = new string?[jobs];
        var submitDone = new TaskCompletionSource<double>();
        var submitted = 0;

        var tasks = new Task[jobs];
        for (var i = 0; i < jobs; i++)
        {
            var index = i;
            var vendor = vendors[i % vendors.Length];
            var durationMs = durations[i % durations.Count];
            var request = MediaGenClients.RoutedRequest(vendor);
            request.Prompt += $" #{index} [d={durationMs}]";
            tasks[i] = RunJobAsync(index, request, durationMs);
        }

        async Task RunJobAsync(int index, GenerationRequest request, int durationMs)
        {
            var accepted = TimeSpan.Zero;
            try
            {
                var result = await clients.Router.GenerateAsync(request, wait, new SubmitProgress(() =>
                {
                    accepted = clock.Elapsed;
                    if (Interlocked.Increment(ref submitted) == jobs)
                    {
                        submitDone.TrySetResult(clock.Elapsed.TotalSeconds);
                    }
                }), overall.Token);
                var end = clock.Elapsed;
                latencies[index] = (end - accepted).TotalSeconds - (durationMs / 1000.0);
                outcomes[index] = result.TryGetValue(out var job) ? (job.Status == GenerationStatus.Succeeded ? null : job.Status.ToString()) : result.Error.Kind.ToString();
            }
            catch (Exception ex)
            {
                latencies[index] = double.NaN;
                outcomes[index] = ex.GetType().Name;
            }
        }

        if (LiveHeapProbeAt is { } probeAt)
        {
            await Task.Delay(probeAt, TimeProvider.System);
            var before = GC.GetTotalMemory(false);
            var live = GC.GetTotalMemory(forceFullCollection: true);
            Console.Error.WriteLine($"live heap at {probeAt.TotalSeconds:0} s: {live / 1048576.0:0.0} MB ({(live - 2_000_000) / (double)jobs:0} B per job; before GC {before / 1048576.0:0.0} MB; working set {Environment.WorkingSet / 1048576.0:0} MB)");
        }

        await Task.WhenAll(tasks);
        var wall = clock.Elapsed.TotalSeconds;
        await stop.CancelAsync();
        var samples = await sampler;

        var ok = outcomes.Count(o => o is null);
        var errors = string.Join(", ", outcomes.Where(o => o is not null).GroupBy(o => o).Select(g => $"{g.Key} ×{g.Count()}"));
        var measured = latencies.Where((l, i) => outcomes[i] is null).Order().ToArray();
        return new LoadResult(
            jobs,
            ok,
            jobs - ok,
            wall,
            submitDone.Task.IsCompleted ? submitDone.Task.Result : double.NaN,
            samples.PeakWorkingSet / 1048576.0,
            baseline / 1048576.0,
            samples.PeakHeap / 1048576.0,
            (GC.GetTotalAllocatedBytes(precise: false) - allocatedBefore) / 1048576.0 / jobs,
            Percentile(measured, 0.50),
            Percentile(measured, 0.99),
            measured.Length > 0 ? measured[^1] : double.NaN,
            counter.Gets,
            initialThreads,
            samples.PeakThreads,
            samples.PeakPending,
            samples.MaxLagMs,
            Monitor.LockContentionCount - contentionBefore,
            errors.Length == 0 ? "none" : errors);
    }

    /// <summary>Child-process mode <c>load-one N</c>: start the emulators in their own process, run one scale, print it as JSON.</summary>
    public static async Task<int> RunOneAsync(int jobs)
    {
        await using var emulators = await EmulatorProcess.StartAsync(completeAfterPolls: 0);
        var result = await RunAsync(jobs, emulators.Endpoints);
        Console.WriteLine("result " + JsonSerializer.Serialize(result, LoadJson.Default.LoadResult));
        return result.Failed == 0 ? 0 : 1;
    }

    /// <summary>Mode <c>load</c>: every scale in a fresh process (so peak working set and thread counts do not carry over).</summary>
    public static async Task<IReadOnlyList<LoadResult>> RunScalesAsync(IEnumerable<int> scales)
    {
        var results = new List<LoadResult>();
        foreach (var jobs in scales)
        {
            var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, UseShellExecute = false };
            start.ArgumentList.Add(typeof(LoadDriver).Assembly.Location);
            start.ArgumentList.Add("load-one");
            start.ArgumentList.Add(jobs.ToString(CultureInfo.InvariantCulture));
            using var process = Process.Start(start)!;
            LoadResult? result = null;
            while (await process.StandardOutput.ReadLineAsync() is { } line)
            {
                if (line.StartsWith("result ", StringComparison.Ordinal))
                {
                    result = JsonSerializer.Deserialize(line["result ".Length..], LoadJson.Default.LoadResult);
                }
            }

            await process.WaitForExitAsync();
            results.Add(result ?? throw new InvalidOperationException($"the {jobs}-job run printed no result (exit {process.ExitCode})"));
            Console.Error.WriteLine($"load {jobs}: {JsonSerializer.Serialize(result, LoadJson.Default.LoadResult)}");
        }

        return results;
    }

    public static string ToMarkdown(IReadOnlyList<LoadResult> results)
    {
        var inv = CultureInfo.InvariantCulture;
        var sb = new System.Text.StringBuilder();
        sb.AppendLine("| jobs in flight | completed | wall time | all submitted after | peak working set (start) | peak managed heap | allocated / job | detection latency p50 / p99 / max | status requests / job | pool threads start → peak | peak queued work items | worst heartbeat lag | lock contentions |");
        sb.AppendLine("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var r in results)
        {
            sb.AppendLine(inv, $"| {r.Jobs:N0} | {r.Succeeded:N0}{(r.Failed > 0 ? $" ({r.Errors})" : string.Empty)} | {r.WallSeconds:0.0} s | {r.SubmitSeconds:0.0} s | {r.PeakWorkingSetMb:0} MB ({r.BaselineWorkingSetMb:0}) | {r.PeakManagedHeapMb:0} MB | {r.AllocatedMbPerJob * 1024:0} KB | {r.LatencyP50Seconds:0.00} / {r.LatencyP99Seconds:0.00} / {r.LatencyMaxSeconds:0.00} s | {(double)r.StatusRequests / r.Jobs:0.0} | {r.ThreadsAtStart} → {r.PeakThreads} | {r.PeakPendingWorkItems:N0} | {r.MaxHeartbeatLagMs:0} ms | {r.LockContentions:N0} |");
        }

        return sb.ToString();
    }

    internal static double Percentile(double[] sorted, double p) =>
        sorted.Length == 0 ? double.NaN : sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Length) - 1, 0, sorted.Length - 1)];

    internal static async Task<(long PeakWorkingSet, long PeakHeap, int PeakThreads, long PeakPending, double MaxLagMs)> SampleAsync(CancellationToken stop)
    {
        long peakWs = 0, peakHeap = 0, peakPending = 0;
        var peakThreads = 0;
        var maxLag = 0.0;
        var tick = TimeSpan.FromMilliseconds(50);
        var heartbeat = Stopwatch.StartNew();
        var beats = 0;
        while (!stop.IsCancellationRequested)
        {
            peakWs = Math.Max(peakWs, Environment.WorkingSet);
            peakHeap = Math.Max(peakHeap, GC.GetTotalMemory(false));
            peakThreads = Math.Max(peakThreads, ThreadPool.ThreadCount);
            peakPending = Math.Max(peakPending, ThreadPool.PendingWorkItemCount);
            if (++beats % 2 == 0)
            {
                // Every 100 ms of intended time: how late is a thread-pool timer continuation?
                var before = heartbeat.Elapsed;
                try
                {
                    await Task.Delay(TimeSpan.FromMilliseconds(100), TimeProvider.System, stop);
                }
                catch (OperationCanceledException)
                {
                    break;
                }

                maxLag = Math.Max(maxLag, (heartbeat.Elapsed - before).TotalMilliseconds - 100);
                continue;
            }

            try
            {
                await Task.Delay(tick, TimeProvider.System, stop);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }

        return (peakWs, peakHeap, peakThreads, peakPending, maxLag);
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

    /// <summary>Counts GET requests (every GET of this run is a status poll: prices come from the snapshots).</summary>
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
}

[System.Text.Json.Serialization.JsonSerializable(typeof(LoadResult))]
internal sealed partial class LoadJson : System.Text.Json.Serialization.JsonSerializerContext;
