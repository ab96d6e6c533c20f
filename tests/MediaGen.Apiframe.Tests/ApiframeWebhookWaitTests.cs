using MediaGen.Apiframe.Tests.TestSupport;
using MediaGen.Testing;

namespace MediaGen.Apiframe.Tests;

/// <summary>End to end: emulator → signed delivery → Kestrel endpoint on 127.0.0.1 → receiver → hub → the core wait loop.</summary>
public sealed class ApiframeWebhookWaitTests
{
    private static readonly TimeSpan Watchdog = TimeSpan.FromSeconds(60);

    private static async Task<(Result<GenerationJob> Result, EmulatorHost Host, Testing.Emulators.Apiframe.ApiframeEmulator Emulator, WebhookEndpoint Endpoint, TimeSpan Elapsed)> GenerateWithWebhooks(
        Action<Testing.Emulators.Apiframe.ApiframeEmulator> arrange, string[] events, int completesAfterSeconds = 20)
    {
        var (host, emulator, time) = await Af.StartAsync();
        host.Jobs.Default = JobScript.CompleteAfter(TimeSpan.FromSeconds(completesAfterSeconds));
        var hub = new JobUpdateHub();
        var generator = Af.Create(host);
        var endpoint = await WebhookEndpoint.StartAsync(ApiframeProvider.CreateWebhookReceiver(generator, hub));
        arrange(emulator);
        var request = Af.Request();
        request.Webhook = new WebhookOptions { Url = endpoint.Url, Events = events };
        var start = time.GetUtcNow();

        var result = await time.DriveAsync(generator.GenerateAsync(request, new WaitOptions { Updates = hub, TimeProvider = time, WatchdogInterval = Watchdog }));
        await emulator.WhenDeliveriesIdleAsync();
        return (result, host, emulator, endpoint, time.GetUtcNow() - start);
    }

    // A delivery that never helps leaves the client asleep until its watchdog; the job is scripted to finish then, so the
    // fake clock has one instant to advance to (FakeClock.DriveAsync advances only while the client sleeps).
    private const int AtWatchdog = 60;

    private static int StatusPolls(EmulatorHost host) => host.Requests.Count(r => r.Path.StartsWith("/v2/jobs/", StringComparison.Ordinal));

    [Fact]
    public async Task GenerateAsync_CompletedByWebhook_ZeroStatusPollsBeforeTheWatchdog()
    {
        var (result, host, emulator, endpoint, elapsed) = await GenerateWithWebhooks(_ => { }, ["completed", "failed"]);
        await using var _h = host;
        await using var _e = endpoint;

        var job = result.GetValueOrThrow();
        Assert.Equal(GenerationStatus.Succeeded, job.Status);
        Assert.Equal(4, job.Outputs.Count(o => o.Role is null));
        Assert.Single(job.Outputs, o => o.Role == "grid");
        Assert.Equal(Money.Credits(16, "apiframe"), job.Charge);
        Assert.Equal(0, StatusPolls(host));
        Assert.True(elapsed < Watchdog, $"finished after {elapsed}");
        Assert.Single(emulator.Deliveries);
    }

    [Fact]
    public async Task GenerateAsync_DuplicatedDelivery_SecondCopyIsDuplicateAndJobCompletesOnce()
    {
        var (result, host, emulator, endpoint, _) = await GenerateWithWebhooks(e => e.Webhooks.DuplicateNext(), ["completed"]);
        await using var _h = host;
        await using var _e = endpoint;

        Assert.Equal(GenerationStatus.Succeeded, result.GetValueOrThrow().Status);
        Assert.Equal(2, emulator.Deliveries.Count);
        Assert.Equal([ApiframeWebhookOutcome.Accepted, ApiframeWebhookOutcome.Duplicate], endpoint.Results.Select(r => r.Outcome));
        Assert.Equal(0, StatusPolls(host));
    }

    [Fact]
    public async Task GenerateAsync_ForgedDelivery_IsRejectedAndTheWatchdogPollFindsTheJob()
    {
        var (result, host, emulator, endpoint, elapsed) = await GenerateWithWebhooks(e => e.Webhooks.ForgeNext(), ["completed"], AtWatchdog);
        await using var _h = host;
        await using var _e = endpoint;

        Assert.Equal(GenerationStatus.Succeeded, result.GetValueOrThrow().Status);
        Assert.Equal(401, Assert.Single(emulator.Deliveries).StatusCode);
        Assert.Equal(1, StatusPolls(host));
        Assert.Equal(Watchdog, elapsed);
    }

    [Fact]
    public async Task GenerateAsync_LostDelivery_WatchdogPollStillCompletesTheJob()
    {
        var (result, host, emulator, endpoint, elapsed) = await GenerateWithWebhooks(e => e.Webhooks.DropNext(), ["completed"], AtWatchdog);
        await using var _h = host;
        await using var _e = endpoint;

        Assert.Equal(GenerationStatus.Succeeded, result.GetValueOrThrow().Status);
        Assert.Empty(emulator.Deliveries);
        Assert.Equal(1, StatusPolls(host));
        Assert.Equal(Watchdog, elapsed);
    }

    [Fact]
    public async Task GenerateAsync_DelayedDelivery_ArrivesLaterButBeforeTheWatchdog()
    {
        var (result, host, _, endpoint, elapsed) = await GenerateWithWebhooks(e => e.Webhooks.DelayNext(TimeSpan.FromSeconds(15)), ["completed"]);
        await using var _h = host;
        await using var _e = endpoint;

        Assert.Equal(GenerationStatus.Succeeded, result.GetValueOrThrow().Status);
        Assert.Equal(TimeSpan.FromSeconds(35), elapsed);
        Assert.Equal(0, StatusPolls(host));
    }
}
