using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using MediaGen.PostgreSql;
using MediaGen.PostgreSqlTesting;
using MediaGen.Samples.WebhookReceiver;
using MediaGen.Testing;
using MediaGen.Testing.Emulators.Apiframe;

namespace MediaGen.Samples.Tests.WebhookReceiver;

/// <summary>
/// The webhook receiver sample in fleet mode, as docs/fleet.md runs it: two instances (real processes, the sample's build
/// output) on one throwaway PostgreSQL server (tests/Shared/PostgreSql) and the Apiframe emulator in this process. Instance A's
/// <c>Sample:PublicBaseUrl</c> points at instance B, as a load balancer would send the vendor's deliveries to any instance:
/// every webhook for a job A waits on reaches B, and only the fleet's fan-in (the store, then <c>LISTEN/NOTIFY</c>) can end A's wait.
/// </summary>
/// <remarks>
/// The emulator runs on a <see cref="FakeClock"/>: jobs finish when the test advances it, and their webhooks go out when it pumps
/// them. The instances are other processes on the system clock; nothing waits on it except for conditions, polled with a timeout.
/// Their watchdog poll is 60 s away, and the test asserts no status poll reached the emulator.
/// </remarks>
[Collection(PostgreSqlServerGroup.Name)]
public sealed class WebhookSampleFleetTests(PostgreSqlServerFixture fixture)
{
    private static readonly TimeSpan Startup = TimeSpan.FromMinutes(2);
    private static readonly TimeSpan JobRuns = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task Generate_WebhooksDeliveredToInstanceB_CompleteTheWaitsOnInstanceAWithOneChargeEach()
    {
        var time = new FakeClock();
        using var emulator = new ApiframeEmulator();
        await using var host = await EmulatorHost.StartAsync(emulator, new EmulatorHostOptions { TimeProvider = time });
        host.Jobs.Default = JobScript.CompleteAfter(JobRuns);
        var db = await fixture.Server.CreateDatabaseAsync("webhook_sample");
        using var client = new HttpClient { Timeout = TimeSpan.FromMinutes(3) };

        int portA = SampleProcess.FreePort(), portB = SampleProcess.FreePort();
        string[] Instance(string name, int publicPort) =>
        [
            "--store", db, "--instance", name, "--public-url", $"http://127.0.0.1:{publicPort}/",
            "--MediaGen:Apiframe:ApiKey", ApiframeEmulatorOptions.DefaultApiKey, "--MediaGen:Apiframe:BaseAddress", host.BaseAddress.ToString(),
        ];
        await using var b = SampleProcess.Start(portB, Instance("b", portB));
        await using var a = SampleProcess.Start(portA, Instance("a", portB)); // A's jobs are delivered to B
        await Task.WhenAll(a.WaitReadyAsync(client, Startup), b.WaitReadyAsync(client, Startup));

        string[] keys = [.. Enumerable.Range(0, 3).Select(i => $"fleet-sample-{i}-{Guid.NewGuid():N}")];
        var waits = keys.Select(k => client.PostAsJsonAsync(new Uri(a.BaseAddress, "/generate"), new GenerateBody("a lighthouse at dusk", IdempotencyKey: k))).ToList();
        await WaitUntilAsync(() => host.Ledger.ChargedJobCount == keys.Length, TimeSpan.FromMinutes(1), () => a.Output);

        time.Advance(JobRuns);
        await emulator.PumpWebhooksAsync();
        var all = Task.WhenAll(waits);
        if (await Task.WhenAny(all, Task.Delay(TimeSpan.FromSeconds(30))) != all)
        {
            Assert.Fail($"A's waits did not end within 30 s of the deliveries to B ({emulator.Deliveries.Count} sent).\nA:\n{a.Output}\nB:\n{b.Output}");
        }

        var answers = await all;

        foreach (var answer in answers)
        {
            Assert.True(answer.StatusCode == HttpStatusCode.OK, $"{answer.StatusCode}: {await answer.Content.ReadAsStringAsync()}\nA:\n{a.Output}\nB:\n{b.Output}");
        }

        var results = await Task.WhenAll(answers.Select(r => r.Content.ReadFromJsonAsync<GenerateResult>()));
        Assert.All(results, r => Assert.Equal(("Succeeded", "a"), (r!.Status, r.Instance)));
        Assert.Equal(keys.Length, results.Select(r => r!.Handle).Distinct().Count());

        // Every delivery went to B, none polled: A's waits ended from B's deliveries through PostgreSQL.
        var webhookB = new Uri(b.BaseAddress, WebhookSample.WebhookPath);
        Assert.NotEmpty(emulator.Deliveries);
        Assert.All(emulator.Deliveries, d => Assert.Equal((webhookB, 200), (d.Url, d.StatusCode ?? 0)));
        Assert.Equal(0, host.Requests.Count(r => r.Path.StartsWith("/v2/jobs/", StringComparison.Ordinal)));

        // One submit and one charge per key, and the job recorded once in the fleet's store, finished.
        Assert.Equal(keys.Length, host.Requests.Count(r => r.Method == "POST" && r.Path == ApiframeEmulator.SubmitPath));
        Assert.All(keys, k => Assert.Single(host.Ledger.ChargesFor(k)));
        await using var store = await PostgreSqlJobStore.OpenAsync(db);
        var stored = await store.ListJobsAsync(new JobQuery { Limit = 100 });
        Assert.Equal(keys.Order(StringComparer.Ordinal), stored.Select(j => j.Key).Order(StringComparer.Ordinal));
        Assert.All(stored, j => Assert.Equal(StoredJobState.Succeeded, j.State));
        Assert.Equal(results.Select(r => r!.Handle).Order(StringComparer.Ordinal), stored.Select(j => j.Handle!.ToString()).Order(StringComparer.Ordinal));
    }

    private static async Task WaitUntilAsync(Func<bool> condition, TimeSpan timeout, Func<string> context)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(clock.Elapsed < timeout, $"Condition not met within {timeout}.\n{context()}");
            await Task.Delay(TimeSpan.FromMilliseconds(100));
        }
    }
}
