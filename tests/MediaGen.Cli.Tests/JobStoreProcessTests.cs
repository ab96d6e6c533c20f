using System.Diagnostics;
using System.Text.Json;
using MediaGen.Testing;
using MediaGen.Testing.Emulators;
using MediaGen.Testing.Emulators.Apiframe;
using MediaGen.Testing.Emulators.MeiGen;

namespace MediaGen.Cli.Tests;

/// <summary>Real mediagen processes on one SQLite store, against the emulators over loopback.</summary>
public sealed class JobStoreProcessTests : IAsyncLifetime
{
    private static readonly TimeSpan ProcessTimeout = TimeSpan.FromMinutes(2);
    private readonly string _dir = Directory.CreateTempSubdirectory("mediagen-procs-").FullName;
    private EmulatorHost _host = null!;

    public async Task InitializeAsync()
    {
        _host = await EmulatorHost.StartAsync([new MeiGenEmulator(), new VeoGenEmulator(), new ApiframeEmulator()]);
        _host.Jobs.Default = JobScript.CompleteAfterPolls(2);
    }

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        try
        {
            Directory.Delete(_dir, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    [Fact]
    public async Task Generate_FourProcessesAtOnceOnOneStore_LoseNoRecordAndJobsAndSpendShowQuoteAndCharge()
    {
        var runs = await Task.WhenAll(Enumerable.Range(0, 4).Select(i => RunAsync("generate", $"picture {i}", "--model", "nano-banana-2", "--idempotency-key", $"proc-{i}", "--json")));

        Assert.All(runs, r => Assert.True(r.ExitCode == 0, r.Stdout + r.Stderr));
        var jobs = await RunAsync("jobs", "--json");
        var spend = await RunAsync("spend", "--json");
        var listed = Parse(jobs.Stdout).GetProperty("jobs").EnumerateArray().ToList();
        Assert.Equal(4, listed.Count);
        Assert.Equal(runs.Select(r => Parse(r.Stdout).GetProperty("job").GetString()).Order(), listed.Select(j => j.GetProperty("job").GetString()).Order());
        Assert.All(listed, j =>
        {
            Assert.Equal("succeeded", j.GetProperty("state").GetString());
            Assert.Equal(j.GetProperty("quote").GetProperty("amount").GetDecimal(), j.GetProperty("charge").GetProperty("amount").GetDecimal());
        });
        var line = Assert.Single(Parse(spend.Stdout).GetProperty("lines").EnumerateArray());
        Assert.Equal(4, line.GetProperty("jobs").GetInt32());
        Assert.Equal(line.GetProperty("quoted").GetDecimal(), line.GetProperty("charged").GetDecimal());
        Assert.Equal(4, _host.Ledger.ChargedJobCount);
    }

    [Fact]
    public async Task Resume_AfterKill9MidWait_FinishesTheJobWithOneCharge()
    {
        _host.Jobs.Default = JobScript.CompleteAfter(TimeSpan.FromSeconds(4));
        using var victim = Start("generate", "a lighthouse", "--model", "nano-banana-2", "--idempotency-key", "killed", "--json");
        await WaitUntilAcceptedAsync();
        victim.Kill(entireProcessTree: true);
        await victim.WaitForExitAsync();

        var resumed = await RunAsync("resume", "--json");
        var again = await RunAsync("generate", "a lighthouse", "--model", "nano-banana-2", "--idempotency-key", "killed", "--json");

        Assert.True(resumed.ExitCode == 0, resumed.Stdout + resumed.Stderr);
        var only = Assert.Single(Parse(resumed.Stdout).GetProperty("resumed").EnumerateArray());
        Assert.Equal("finished", only.GetProperty("outcome").GetString());
        Assert.Equal("succeeded", only.GetProperty("status").GetString());
        Assert.Equal(0, again.ExitCode);
        Assert.Equal(only.GetProperty("job").GetString(), Parse(again.Stdout).GetProperty("job").GetString());
        Assert.Equal(1, _host.Ledger.ChargedJobCount);
    }

    [Fact]
    public async Task Status_WaitOutAfterKill9MidWait_SavesTheOutputAndShowsModelAndCharge()
    {
        _host.Jobs.Default = JobScript.CompleteAfter(TimeSpan.FromSeconds(4));
        using var victim = Start("generate", "a lighthouse", "--model", "nano-banana-2", "--idempotency-key", "killed", "--json");
        await WaitUntilAcceptedAsync();
        victim.Kill(entireProcessTree: true);
        await victim.WaitForExitAsync();
        var handle = Parse((await RunAsync("jobs", "--json")).Stdout).GetProperty("jobs")[0].GetProperty("job").GetString()!;

        var status = await RunAsync("status", handle, "--wait", "--out", "resumed");

        Assert.True(status.ExitCode == 0, status.Stdout + status.Stderr);
        var lines = status.Stdout.ReplaceLineEndings("\n").Split('\n');
        Assert.Equal($"job {handle} succeeded (nanobanana-2)", lines[0]);
        Assert.Contains(lines, l => l.StartsWith("  saved " + Path.Combine(_dir, "resumed"), StringComparison.Ordinal));
        Assert.Contains("  charged: 5 credits (meigen)", lines);
        Assert.Single(Directory.GetFiles(Path.Combine(_dir, "resumed")));
        Assert.Equal(1, _host.Ledger.ChargedJobCount);
    }

    [Fact]
    public async Task Generate_SigtermWhileWaiting_EndsWithin2SecondsPrintingTheHandle()
    {
        if (OperatingSystem.IsWindows())
        {
            return; // no SIGTERM there
        }

        _host.Jobs.Default = JobScript.NeverComplete();
        using var waiting = Start("generate", "a lighthouse", "--model", "nano-banana-2", "--idempotency-key", "term");
        var stderr = waiting.StandardError.ReadToEndAsync();
        await WaitUntilAcceptedAsync();

        using (var kill = Process.Start("kill", ["-TERM", waiting.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
        {
            await kill.WaitForExitAsync();
        }

        var sent = Stopwatch.StartNew();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await waiting.WaitForExitAsync(timeout.Token);
        Assert.InRange(sent.Elapsed, TimeSpan.Zero, TimeSpan.FromSeconds(2));
        Assert.Equal(130, waiting.ExitCode);
        Assert.Contains("resume with: mediagen status meigen:", await stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GenerateJson_KilledAfterAcceptance_HasPrintedTheHandleOnStderr()
    {
        // Issue 19, "the handle first": a script running --json and killed mid-wait still has the paid job's handle.
        _host.Jobs.Default = JobScript.NeverComplete();
        using var victim = Start("generate", "a lighthouse that never finishes", "--model", "nano-banana-2", "--idempotency-key", "killed-json", "--json");
        using var timeout = new CancellationTokenSource(ProcessTimeout);
        string? accepted = null;
        while (accepted is null && await victim.StandardError.ReadLineAsync(timeout.Token) is { } line)
        {
            if (line.StartsWith('{') && Parse(line).GetProperty("event").GetString() == "accepted")
            {
                accepted = line;
            }
        }

        victim.Kill(entireProcessTree: true);
        await victim.WaitForExitAsync(timeout.Token);

        Assert.NotNull(accepted);
        var handle = Parse(accepted).GetProperty("job").GetString()!;
        Assert.True(JobHandle.TryParse(handle, out var parsed), handle);
        Assert.Equal("meigen", parsed.Provider);
        Assert.Equal($"mediagen status {handle} --wait", Parse(accepted).GetProperty("resume").GetString());
        var unfinished = await RunAsync("jobs", "--unfinished", "--json");
        Assert.Contains(Parse(unfinished.Stdout).GetProperty("jobs").EnumerateArray(), j => j.GetProperty("job").GetString() == handle);
        Assert.Equal(1, _host.Ledger.ChargedJobCount);
    }

    private static JsonElement Parse(string json)
    {
        using var doc = JsonDocument.Parse(json);
        return doc.RootElement.Clone();
    }

    private async Task WaitUntilAcceptedAsync()
    {
        // Poll the store file the victim writes (real processes: no fake clock to drive).
        var deadline = DateTime.UtcNow + ProcessTimeout;
        while (DateTime.UtcNow < deadline)
        {
            var jobs = await RunAsync("jobs", "--unfinished", "--json");
            if (jobs.ExitCode == 0 && Parse(jobs.Stdout).GetProperty("jobs").EnumerateArray().Any(j => j.GetProperty("state").GetString() == "accepted"))
            {
                return;
            }
        }

        throw new TimeoutException("the victim process never recorded an accepted job");
    }

    private Process Start(params string[] args)
    {
        var exe = Path.Combine(AppContext.BaseDirectory, OperatingSystem.IsWindows() ? "MediaGen.Cli.exe" : "MediaGen.Cli");
        var info = new ProcessStartInfo(exe) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = _dir };
        foreach (var a in args)
        {
            info.ArgumentList.Add(a);
        }

        info.Environment["MEIGEN_API_KEY"] = Sandbox.MeiGenKey;
        info.Environment["MEIGEN_BASE_URL"] = new Uri(_host.BaseAddress, "api").ToString();
        info.Environment["MEIGEN_USD_PER_CREDIT"] = "0.01";
        info.Environment["MEDIAGEN_STORE"] = Path.Combine(_dir, "jobs.db");
        info.Environment["MEDIAGEN_POLL_INTERVAL"] = "00:00:00.200";
        info.Environment.Remove("VEOGEN_API_KEY");
        info.Environment.Remove("APIFRAME_API_KEY");
        return Process.Start(info)!;
    }

    private async Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(params string[] args)
    {
        using var process = Start(args);
        using var timeout = new CancellationTokenSource(ProcessTimeout);
        var stdout = process.StandardOutput.ReadToEndAsync(timeout.Token);
        var stderr = process.StandardError.ReadToEndAsync(timeout.Token);
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await stdout, await stderr);
    }
}
