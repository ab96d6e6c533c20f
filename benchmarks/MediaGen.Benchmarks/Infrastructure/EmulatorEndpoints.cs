using System.Diagnostics;
using System.Globalization;
using MediaGen.Testing;
using MediaGen.Testing.Emulators.Apiframe;
using MediaGen.Testing.Emulators.MeiGen;
using MediaGen.Testing.Emulators;

namespace MediaGen.Benchmarks.Infrastructure;

/// <summary>Where each vendor's emulated API answers (always 127.0.0.1).</summary>
public sealed record EmulatorEndpoints(Uri MeiGen, Uri VeoGen, Uri Apiframe)
{
    public Uri For(Vendor vendor) => vendor switch
    {
        Vendor.MeiGen => MeiGen,
        Vendor.VeoGen => VeoGen,
        Vendor.Apiframe => Apiframe,
        _ => throw new ArgumentOutOfRangeException(nameof(vendor)),
    };
}

/// <summary>
/// The loopback emulators configured for measuring overhead rather than waiting: every job completes on its
/// <c>CompleteAfterPolls</c>-th status poll, the vendors' documented rate limits (MeiGen 12 generate requests/min,
/// VeoGen 120 requests/min) are lifted, Apiframe's concurrency cap is not enforced, balances are effectively unlimited, and MeiGen
/// answers in the docs' exact shapes (no <c>expectedWaitSeconds</c>: the emulator's fixed 30 s estimate would
/// otherwise override the scripted durations of the load run).
/// </summary>
public sealed class BenchEmulators : IAsyncDisposable
{
    private readonly EmulatorHost[] _hosts;

    private BenchEmulators(EmulatorHost[] hosts, EmulatorEndpoints endpoints)
    {
        _hosts = hosts;
        Endpoints = endpoints;
    }

    /// <summary>The job durations of the load run: 16 s to 24 s in 250 ms steps (after every vendor's first poll).</summary>
    public static IReadOnlyList<int> LoadDurationsMs { get; } = [.. Enumerable.Range(0, 33).Select(i => 16_000 + (i * 250))];

    /// <summary>The job durations of the webhook run: 90 s to 150 s in 1 s steps (the run's watchdog polls at 120 s).</summary>
    public static IReadOnlyList<int> WebhookDurationsMs { get; } = [.. Enumerable.Range(0, 61).Select(i => 90_000 + (i * 1000))];

    public EmulatorEndpoints Endpoints { get; }

    public IReadOnlyList<EmulatorHost> Hosts => _hosts;

    /// <summary>Starts the emulators.</summary>
    /// <param name="completeAfterPolls">Jobs complete on this status poll; 0 = on the scripted durations of the load run instead.</param>
    public static async Task<BenchEmulators> StartAsync(int completeAfterPolls = 1)
    {
        var meigen = await EmulatorHost.StartAsync(new MeiGenEmulator(new MeiGenEmulatorOptions { GenerateRequestsPerMinute = int.MaxValue, ExtendedStatusFields = false }));
        var veogen = await EmulatorHost.StartAsync(new VeoGenEmulator { RequestsPerMinute = int.MaxValue });
        var apiframe = await EmulatorHost.StartAsync(new ApiframeEmulator(new ApiframeEmulatorOptions { EnforceConcurrency = false, TrackPeakConcurrency = false }));
        EmulatorHost[] hosts = [meigen, veogen, apiframe];
        foreach (var host in hosts)
        {
            if (completeAfterPolls > 0)
            {
                host.Jobs.Default = JobScript.CompleteAfterPolls(completeAfterPolls);
                continue;
            }

            // Load run: a prompt ending in "[d=N]" completes N milliseconds after the emulator accepted it.
            host.Jobs.Default = JobScript.CompleteAfter(TimeSpan.FromSeconds(20));
            foreach (var ms in LoadDurationsMs.Concat(WebhookDurationsMs))
            {
                host.Jobs.WhenPromptContains($"[d={ms}]", JobScript.CompleteAfter(TimeSpan.FromMilliseconds(ms)));
            }
        }

        meigen.Ledger.SetBalance(MeiGenEmulatorOptions.CreditsUnit, 1_000_000_000_000m);
        veogen.Ledger.SetBalance(VeoGenEmulator.Unit, 1_000_000_000_000m);
        apiframe.Ledger.SetBalance(ApiframeEmulator.Unit, 1_000_000_000_000m);
        return new BenchEmulators(hosts, new EmulatorEndpoints(new Uri(meigen.BaseAddress, "api/"), VeoGenEmulator.ProviderBaseAddress(veogen), apiframe.BaseAddress));
    }

    /// <summary>Forgets recorded requests (the hosts record every request; a long run would otherwise grow without bound).</summary>
    public void ClearRecorded()
    {
        foreach (var host in _hosts)
        {
            host.ClearRequests();
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var host in _hosts)
        {
            await host.DisposeAsync();
        }
    }

    /// <summary>
    /// Child-process mode (<c>emulators</c>): serves the emulators, prints one <c>endpoint NAME URL</c> line per
    /// vendor and <c>ready</c>, clears the recorded requests every second, and stops when standard input closes.
    /// </summary>
    public static async Task<int> ServeAsync(int completeAfterPolls)
    {
        await using var emulators = await StartAsync(completeAfterPolls);
        Console.WriteLine($"endpoint meigen {emulators.Endpoints.MeiGen}");
        Console.WriteLine($"endpoint veogen {emulators.Endpoints.VeoGen}");
        Console.WriteLine($"endpoint apiframe {emulators.Endpoints.Apiframe}");
        Console.WriteLine("ready");
        using var stop = new CancellationTokenSource();
        var reader = Task.Run(async () =>
        {
            while (await Console.In.ReadLineAsync() is not null)
            {
            }

            await stop.CancelAsync();
        });
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1), TimeProvider.System);
        try
        {
            while (await timer.WaitForNextTickAsync(stop.Token))
            {
                emulators.ClearRecorded();
            }
        }
        catch (OperationCanceledException)
        {
        }

        await reader;
        return 0;
    }
}

/// <summary>
/// The emulators in a child process (this same executable in <c>emulators</c> mode), so that the allocations,
/// working set and thread pool measured in this process are MediaGen's (or the floor's) alone.
/// </summary>
public sealed class EmulatorProcess : IAsyncDisposable
{
    private readonly Process _process;

    private EmulatorProcess(Process process, EmulatorEndpoints endpoints)
    {
        _process = process;
        Endpoints = endpoints;
    }

    public EmulatorEndpoints Endpoints { get; }

    public static async Task<EmulatorProcess> StartAsync(int completeAfterPolls = 1)
    {
        var self = typeof(EmulatorProcess).Assembly.Location;
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(self);
        start.ArgumentList.Add("emulators");
        start.ArgumentList.Add(completeAfterPolls.ToString(CultureInfo.InvariantCulture));
        start.Environment["DOTNET_gcServer"] = "1";
        var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start the emulator process.");
        var found = new Dictionary<string, Uri>(StringComparer.Ordinal);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (await process.StandardOutput.ReadLineAsync(timeout.Token) is { } line)
        {
            if (line == "ready")
            {
                return new EmulatorProcess(process, new EmulatorEndpoints(found["meigen"], found["veogen"], found["apiframe"]));
            }

            var parts = line.Split(' ', 3);
            if (parts is ["endpoint", var name, var url])
            {
                found[name] = new Uri(url);
            }
        }

        process.Kill();
        throw new InvalidOperationException("The emulator process ended before it was ready.");
    }

    public async ValueTask DisposeAsync()
    {
        _process.StandardInput.Close();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        try
        {
            await _process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            _process.Kill();
        }

        _process.Dispose();
    }
}
