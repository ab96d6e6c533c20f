using MediaGen.Apiframe;
using MediaGen.MeiGen;
using MediaGen.Reliability.Tests.Support;
using MediaGen.Routing;
using MediaGen.Testing;
using MediaGen.VeoGen;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace MediaGen.Reliability.Tests.CrashResume;

/// <summary>
/// Paid jobs survive a crash, across a simulated process boundary: "process 1" (its own service provider, HTTP clients,
/// providers and <see cref="JsonLinesJobLedger"/>) submits one job at each vendor — each submit losing its response to
/// a dropped connection after the vendor charged it — records them, and is killed mid-wait, leaving a torn last line in
/// the ledger file. "Process 2" shares nothing with it but the file path and the vendors (the emulators): fresh objects
/// resume every job through the router, download the outputs, and the vendors show exactly one charge per request.
/// </summary>
/// <remarks>
/// A real second OS process (a helper executable started with <c>dotnet</c>) would cost seconds of start-up and a build
/// step on a 2-core CI; the boundary is simulated by disposing everything process 1 built and building process 2 anew.
/// </remarks>
public sealed class CrashResumeTests(ITestOutputHelper output) : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("mediagen-crash-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task ResumePendingAsync_NewProcessAfterACrashMidWait_CollectsEveryVendorsOutputWithOneChargeEach()
    {
        var time = new FakeClock();
        var path = Path.Combine(_directory, "jobs.ledger.jsonl");
        var hosts = new Dictionary<string, EmulatorHost>();
        foreach (var vendor in Vendor.All)
        {
            var host = await EmulatorHost.StartAsync(vendor.NewEmulator(), new EmulatorHostOptions { TimeProvider = time });
            host.Jobs.Default = JobScript.CompleteAfterPolls(3);
            host.Faults.On(HttpMethod.Post, vendor.SubmitPath).Once().DropConnectionAfterHandler();
            hosts[vendor.Name] = host;
        }

        try
        {
            // Process 1: submit everywhere, record, wait; killed once every job has been seen running.
            var requests = Vendor.All.ToDictionary(v => v.Name, v => v.NewRequest(1, "crash"));
            var killed = new List<JobHandle>();
            await using (var process1 = Build(hosts, time))
            {
                var ledger = new JsonLinesJobLedger(path, time);
                foreach (var vendor in Vendor.All)
                {
                    killed.Add(await time.DriveAsync(RunUntilKilledAsync(process1.GetRequiredKeyedService<IMediaGenerator>(vendor.Name), requests[vendor.Name], ledger, time)));
                }
            }

            // Killed in the middle of appending a line.
            await File.AppendAllTextAsync(path, """{"event":"finished","handle":"meigen:""");
            var postsBeforeResume = hosts.Values.Sum(h => h.Requests.Count(r => r.Method == "POST"));
            // Replicate bills a prediction when it ends (replicate-http-api.md §1.8, D10): nothing yet mid-wait.
            Assert.All(Vendor.All, v => Assert.Equal(v.Name == "replicate" ? 0 : 1, hosts[v.Name].Ledger.ChargedJobCount));

            // Process 2: nothing shared but the file path and the vendors.
            IReadOnlyList<ResumedJob> resumed;
            var files = new List<string>();
            await using (var process2 = Build(hosts, time))
            {
                var ledger = new JsonLinesJobLedger(path, time);
                Assert.Equal(Vendor.All.Count, (await ledger.ListUnfinishedAsync()).Count);
                var router = process2.GetRequiredService<MediaRouter>();
                // One job at a time (maxConcurrency 1): concurrent waiters on one fake clock hung DriveAsync under heavy
                // CI load (see docs/reliability.md); the resume itself is the same.
                resumed = await time.DriveAsync(ledger.ResumePendingAsync(router, maxConcurrency: 1, Wait(time)));
                using var download = MediaDownloads.CreateHttpClient();
                foreach (var job in resumed.Select(r => r.Result.GetValueOrThrow()))
                {
                    var file = Path.Combine(_directory, $"{job.Handle.Provider}.png");
                    await job.Outputs[0].DownloadToFileAsync(download, file, MediaDownloadOptions.ForJob(router, job.Handle));
                    files.Add(file);
                }

                Assert.Empty(await new JsonLinesJobLedger(path, time).ListUnfinishedAsync());
            }

            var figures = new Figures("crash-resume", "Paid jobs survive a crash (simulated process boundary)");
            figures.Table(
                ["vendor", "submit", "process 1", "process 2", "charges", "output"],
                Vendor.All.Select(v =>
                {
                    var r = resumed.Single(x => x.Handle.Provider == v.Name);
                    var file = files.Single(f => Path.GetFileName(f) == $"{v.Name}.png");
                    return (IReadOnlyList<object>)[v.DisplayName, "response dropped after the charge, recovered", "killed mid-wait (job running)", $"resumed: {r.Outcome}, {r.Result.Value!.Status}", hosts[v.Name].Ledger.ChargedJobCount, $"{new FileInfo(file).Length:N0}-byte PNG"];
                }));
            figures.Line($"- ledger: a torn last line left by the kill was skipped; unfinished entries before the resume: 3, after: 0; POSTs after the crash: {hosts.Values.Sum(h => h.Requests.Count(r => r.Method == "POST")) - postsBeforeResume}; duplicates: 0");
            figures.Publish(output);

            Assert.Equal(killed.OrderBy(h => h.ToString(), StringComparer.Ordinal), resumed.Select(r => r.Handle).OrderBy(h => h.ToString(), StringComparer.Ordinal));
            Assert.All(resumed, r => Assert.Equal(ResumeOutcome.Finished, r.Outcome));
            Assert.All(resumed, r => Assert.Equal(GenerationStatus.Succeeded, r.Result.Value!.Status));
            Assert.All(files, f => Assert.Equal(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G' }, File.ReadAllBytes(f)[..4]));
            Assert.Equal(postsBeforeResume, hosts.Values.Sum(h => h.Requests.Count(r => r.Method == "POST"))); // the resume never submits
            foreach (var vendor in Vendor.All)
            {
                var charge = Assert.Single(hosts[vendor.Name].Ledger.Entries);
                Assert.Equal(resumed.Single(r => r.Handle.Provider == vendor.Name).Handle.VendorJobId, charge.JobId);
            }
        }
        finally
        {
            foreach (var host in hosts.Values)
            {
                await host.DisposeAsync();
            }
        }
    }

    private static async Task<JobHandle> RunUntilKilledAsync(IMediaGenerator generator, GenerationRequest request, IJobLedger ledger, TimeProvider time)
    {
        using var kill = new CancellationTokenSource();
        var progress = new KillWhenRunning(kill);
        var ex = await Assert.ThrowsAsync<JobWaitCanceledException>(() =>
            generator.GenerateAsync(request, new WaitOptions { TimeProvider = time, Ledger = ledger, FirstPollDelay = TimeSpan.FromSeconds(2), PollInterval = TimeSpan.FromSeconds(2) }, progress, kill.Token));
        return ex.Handle;
    }

    private static WaitOptions Wait(TimeProvider time) => new() { TimeProvider = time, FirstPollDelay = TimeSpan.FromSeconds(2), PollInterval = TimeSpan.FromSeconds(2) };

    private static ServiceProvider Build(Dictionary<string, EmulatorHost> hosts, FakeClock time)
    {
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(time);
        services.AddMediaGen()
            .AddMeiGen(o =>
            {
                o.ApiKey = Vendor.Get("meigen").ApiKey;
                o.BaseAddress = new Uri(hosts["meigen"].BaseAddress, "api/");
            })
            .AddVeoGen(o =>
            {
                o.ApiKey = Vendor.Get("veogen").ApiKey;
                o.BaseAddress = new Uri(hosts["veogen"].BaseAddress, "api/v1/");
            })
            .AddApiframe(o =>
            {
                o.ApiKey = Vendor.Get("apiframe").ApiKey;
                o.BaseAddress = hosts["apiframe"].BaseAddress;
            })
            .AddReplicate(o =>
            {
                o.ApiKey = Vendor.Get("replicate").ApiKey;
                o.BaseAddress = new Uri(hosts["replicate"].BaseAddress, "v1/");
            })
            .UseRouter();
        return services.BuildServiceProvider();
    }

    private sealed class KillWhenRunning(CancellationTokenSource kill) : IProgress<GenerationJob>
    {
        public void Report(GenerationJob value)
        {
            if (value.Status == GenerationStatus.Running)
            {
                kill.Cancel();
            }
        }
    }
}
