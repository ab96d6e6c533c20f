using System.Text;
using MediaGen.Apiframe.Tests.TestSupport;
using MediaGen.Testing;
using MediaGen.Testing.Emulators.Apiframe;

namespace MediaGen.Apiframe.Tests;

public sealed class ApiframeConcurrencyTests
{
    private static async Task<(EmulatorHost Host, ApiframeEmulator Emulator, IMediaGenerator Generator)> Start(Action<ApiframeOptions>? configure = null)
    {
        var (host, emulator, _) = await Af.StartAsync(new ApiframeEmulatorOptions { MaxConcurrentJobs = 2, EnforceConcurrency = true });
        host.Jobs.Default = JobScript.CompleteAfterPolls(1);
        var generator = Af.Create(host, o =>
        {
            o.MaxConcurrentJobs = null; // read from GET /v2/me
            configure?.Invoke(o);
        });
        return (host, emulator, generator);
    }

    [Fact]
    public async Task SubmitAsync_AtMaxConcurrentJobsFromMe_ThirdSubmitWaitsUntilAJobIsSeenEnded()
    {
        var (host, emulator, generator) = await Start();
        await using var _h = host;
        var first = (await generator.SubmitAsync(Af.Request("midjourney", "one"))).GetValueOrThrow();
        (await generator.SubmitAsync(Af.Request("midjourney", "two"))).GetValueOrThrow();

        var third = generator.SubmitAsync(Af.Request("midjourney", "three"));

        Assert.False(third.IsCompleted);
        Assert.Equal(2, host.Requests.Count(r => r.Path == "/v2/images/generate"));
        Assert.Equal(GenerationStatus.Succeeded, (await generator.GetJobAsync(first.Handle)).GetValueOrThrow().Status);
        Assert.Equal(GenerationStatus.Queued, (await third).GetValueOrThrow().Status);
        Assert.Equal(1, host.Requests.Count(r => r.Path == "/v2/me"));
        Assert.Equal(2, emulator.PeakConcurrentJobs);
    }

    [Fact]
    public async Task PeakConcurrentJobs_TrackingOffForALoadRun_StaysZeroWhileSubmitsAreAccepted()
    {
        var (host, emulator, _) = await Af.StartAsync(new ApiframeEmulatorOptions { TrackPeakConcurrency = false });
        await using var _h = host;
        var generator = Af.Create(host, o => o.LimitConcurrency = false);

        (await generator.SubmitAsync(Af.Request("midjourney", "one"))).GetValueOrThrow();
        (await generator.SubmitAsync(Af.Request("midjourney", "two"))).GetValueOrThrow();

        Assert.Equal(2, host.Ledger.ChargedJobCount);
        Assert.Equal(0, emulator.PeakConcurrentJobs); // no scan of every job per submit
    }

    [Fact]
    public async Task SubmitAsync_AtCapWithNoQueue_RateLimitedBeforeSending()
    {
        var (host, _, generator) = await Start(o => o.ConcurrencyQueueLimit = 0);
        await using var _h = host;
        (await generator.SubmitAsync(Af.Request("midjourney", "one"))).GetValueOrThrow();
        (await generator.SubmitAsync(Af.Request("midjourney", "two"))).GetValueOrThrow();

        var result = await generator.SubmitAsync(Af.Request("midjourney", "three"));

        var error = Assert.IsType<RateLimitedError>(result.Error);
        Assert.True(error.RejectedBeforeBilling);
        Assert.Equal(2, host.Requests.Count(r => r.Path == "/v2/images/generate"));
    }

    [Fact]
    public async Task SubmitAsync_RefusedSubmit_GivesItsSlotBack()
    {
        var (host, _, generator) = await Start(o => o.ConcurrencyQueueLimit = 0);
        await using var _h = host;
        host.Ledger.SetBalance("credits:apiframe", 0);
        for (var i = 0; i < 3; i++)
        {
            Assert.IsType<InsufficientFundsError>((await generator.SubmitAsync(Af.Request())).Error);
        }

        host.Ledger.SetBalance("credits:apiframe", 100);
        (await generator.SubmitAsync(Af.Request())).GetValueOrThrow();
        (await generator.SubmitAsync(Af.Request())).GetValueOrThrow();
    }

    [Fact]
    public async Task Receive_VerifiedTerminalWebhook_FreesTheJobsSlot()
    {
        var (host, _, generator) = await Start(o => o.ConcurrencyQueueLimit = 0);
        await using var _h = host;
        var receiver = ApiframeProvider.CreateWebhookReceiver(generator, new JobUpdateHub());
        var first = (await generator.SubmitAsync(Af.Request("midjourney", "one"))).GetValueOrThrow();
        (await generator.SubmitAsync(Af.Request("midjourney", "two"))).GetValueOrThrow();
        Assert.IsType<RateLimitedError>((await generator.SubmitAsync(Af.Request())).Error);

        host.Jobs.Get(first.Handle.VendorJobId).Fail(JobFailureKind.ProviderError, "internal"); // the vendor's side of the story
        var body = Encoding.UTF8.GetBytes($$"""{"event":"failed","jobId":"{{first.Handle.VendorJobId}}","status":"FAILED","error":"Provider returned an error: internal","model":"midjourney"}""");
        Assert.Equal(ApiframeWebhookOutcome.Accepted, receiver.Receive(body, ApiframeEmulator.Sign(Af.Key, body), "failed").Outcome);

        Assert.True((await generator.SubmitAsync(Af.Request()).WaitAsync(TimeSpan.FromSeconds(30))).IsSuccess);
    }

    [Fact]
    public async Task SubmitAsync_LimitingDisabled_DoesNotReadMe()
    {
        var (host, _, generator) = await Start(o => o.LimitConcurrency = false);
        await using var _h = host;

        (await generator.SubmitAsync(Af.Request())).GetValueOrThrow();

        Assert.DoesNotContain(host.Requests, r => r.Path == "/v2/me");
    }

    [Fact]
    public async Task SubmitAsync_SharedSemaphore_IsTheLimiterUsed()
    {
        using var shared = new SemaphoreSlim(1, 1);
        var (host, _, generator) = await Start(o => { o.ConcurrencyLimiter = shared; o.ConcurrencyQueueLimit = 0; });
        await using var _h = host;

        (await generator.SubmitAsync(Af.Request())).GetValueOrThrow();

        Assert.Equal(0, shared.CurrentCount);
        Assert.IsType<RateLimitedError>((await generator.SubmitAsync(Af.Request())).Error);
    }

    [Fact]
    public async Task SubmitAsync_JobNeverSeenEnded_ItsSlotExpiresAfterThePermitLifetime()
    {
        var (host, _, time) = await Af.StartAsync();
        await using var _h = host;
        var generator = Af.Create(host, o => { o.MaxConcurrentJobs = 1; o.ConcurrencyPermitLifetime = TimeSpan.FromMinutes(10); });
        var start = time.GetUtcNow();
        (await generator.SubmitAsync(Af.Request("midjourney", "never polled"))).GetValueOrThrow();

        var second = await time.DriveAsync(generator.SubmitAsync(Af.Request("midjourney", "waits")));

        Assert.True(second.IsSuccess);
        Assert.Equal(TimeSpan.FromMinutes(10), time.GetUtcNow() - start);
    }
}
