using MediaGen.Routing;
using MediaGen.Testing;
using static MediaGen.Tests.Routing.RouterTestModels;

namespace MediaGen.Tests.Routing;

/// <summary>
/// Waits that serve: when no vendor served a request at once, the router waits and tries again within
/// <see cref="RouterOptions.MaxRateLimitWait"/> a vendor that refused before billing, whose probe failed, or that dedupes
/// the key of an unknown outcome — never sending the key anywhere it could be charged twice.
/// </summary>
public class MediaRouterRetryTests
{
    private static GenerationRequest Request(string key = "retry-key-1") => new("nano-banana-2", "a lighthouse at dusk, watercolor") { IdempotencyKey = key };

    [Fact]
    public async Task SubmitAsync_OnlyVendorRefusesWhileUnavailable_WaitsAndServesThere()
    {
        var clock = new FakeClock();
        var (meigen, _, _) = NanoBananaVendors(time: clock);
        meigen.FailNextSubmit(new ProviderUnavailableError("503 job queue down", "meigen"));
        meigen.FailNextSubmit(new ProviderUnavailableError("503 job queue down", "meigen"));
        var router = new MediaRouter([meigen], new RouterOptions { TimeProvider = clock });
        var started = clock.GetUtcNow();

        var job = (await clock.DriveAsync(router.SubmitAsync(Request()))).GetValueOrThrow();

        Assert.Equal("meigen", job.Handle.Provider);
        Assert.Equal(3, meigen.SubmitCount);
        Assert.Equal(TimeSpan.FromSeconds(3), clock.GetUtcNow() - started); // 1 s, then 2 s
    }

    [Fact]
    public async Task SubmitAsync_VendorKeepsRefusing_ReturnsNoRouteOnceTheWaitBudgetIsSpent()
    {
        var clock = new FakeClock();
        var (meigen, _, _) = NanoBananaVendors(time: clock);
        for (var i = 0; i < 50; i++)
        {
            meigen.FailNextSubmit(new ProviderUnavailableError("503 job queue down", "meigen"));
        }

        var router = new MediaRouter([meigen], new RouterOptions { TimeProvider = clock, MaxRateLimitWait = TimeSpan.FromSeconds(20) });
        var started = clock.GetUtcNow();

        var result = await clock.DriveAsync(router.SubmitAsync(Request()));

        Assert.IsType<NoRouteError>(result.Error);
        Assert.True(clock.GetUtcNow() - started <= TimeSpan.FromSeconds(20));
        Assert.Equal(3, meigen.SubmitCount); // at 0, 1 and 3 s; then its circuit is open (three failures) at 7 and 15 s, and 31 s is past the budget
    }

    [Fact]
    public async Task SubmitAsync_EveryProbeFailsThenOneRecovers_ProbesAgainAfterABackOffAndServes()
    {
        var clock = new FakeClock();
        var (meigen, _, _) = NanoBananaVendors(time: clock);
        var failures = 3;
        var vendor = new Probed(meigen, () => Interlocked.Decrement(ref failures) >= 0 ? new ProviderUnavailableError("MeiGen answered GET /api/models with HTTP 503", "meigen") : null);
        var router = new MediaRouter([vendor], new RouterOptions { TimeProvider = clock });

        var job = (await clock.DriveAsync(router.SubmitAsync(Request()))).GetValueOrThrow();

        Assert.Equal("meigen", job.Handle.Provider);
        Assert.Equal(4, vendor.Probes);
        Assert.Equal(1, meigen.SubmitCount);
    }

    [Fact]
    public async Task SubmitAsync_OutcomeUnknownAtAVendorThatDedupes_ResendsTheSameKeyThereOnly()
    {
        var clock = new FakeClock();
        var (meigen, veogen, _) = NanoBananaVendors(time: clock);
        meigen.FailNextSubmit(new OutcomeUnknownError("the answer was lost", "meigen", "retry-key-1"));
        var router = new MediaRouter([meigen, veogen], new RouterOptions { TimeProvider = clock, Preference = ["meigen", "veogen"] });

        var job = (await clock.DriveAsync(router.SubmitAsync(Request()))).GetValueOrThrow();

        Assert.Equal("meigen", job.Handle.Provider);
        Assert.Equal("retry-key-1", job.Handle.IdempotencyKey);
        Assert.Equal(2, meigen.SubmitCount);
        Assert.Equal(0, veogen.SubmitCount);
    }

    [Fact]
    public async Task SubmitAsync_OutcomeUnknownAtAVendorWithoutDedupe_StopsWithoutSendingItAgain()
    {
        var clock = new FakeClock();
        var (meigen, veogen, _) = NanoBananaVendors(time: clock);
        meigen.DedupesByIdempotencyKey = false;
        meigen.FailNextSubmit(new OutcomeUnknownError("the answer was lost", "meigen", "retry-key-1"));
        var router = new MediaRouter([meigen, veogen], new RouterOptions { TimeProvider = clock, Preference = ["meigen", "veogen"] });

        var result = await clock.DriveAsync(router.SubmitAsync(Request()));

        Assert.IsType<OutcomeUnknownError>(result.Error);
        Assert.Equal(1, meigen.SubmitCount);
        Assert.Equal(0, veogen.SubmitCount);
    }

    [Fact]
    public async Task SubmitAsync_SameKeyResendRefusedAfterAnUnknownOutcome_StaysOutcomeUnknown()
    {
        var clock = new FakeClock();
        var (meigen, veogen, _) = NanoBananaVendors(time: clock);
        meigen.FailNextSubmit(new OutcomeUnknownError("the answer was lost", "meigen", "retry-key-1"));
        for (var i = 0; i < 50; i++)
        {
            meigen.FailNextSubmit(new ProviderUnavailableError("503 job queue down", "meigen"));
        }

        var router = new MediaRouter([meigen, veogen], new RouterOptions { TimeProvider = clock, MaxRateLimitWait = TimeSpan.FromSeconds(10) });

        var result = await clock.DriveAsync(router.SubmitAsync(Request()));

        // The first POST may have been charged: a refusal of a later one proves nothing, and nothing goes to VeoGen.
        var unknown = Assert.IsType<OutcomeUnknownError>(result.Error);
        Assert.Equal("retry-key-1", unknown.IdempotencyKey);
        Assert.Equal(0, veogen.SubmitCount);
    }

    [Fact]
    public async Task SubmitAsync_VendorProvedNotAcceptedAndTheOtherLeftUnknowns_TriesTheProvenOneAgainBeforeTheLastResort()
    {
        var clock = new FakeClock();
        var (meigen, veogen, _) = NanoBananaVendors(time: clock);
        veogen.DedupesByIdempotencyKey = false;
        var router = new MediaRouter([new Probed(meigen), new Probed(veogen)], new RouterOptions { TimeProvider = clock, Preference = ["veogen", "meigen"] });
        veogen.FailNextSubmit(new OutcomeUnknownError("the answer was lost", "veogen", "earlier"));
        await clock.DriveAsync(router.SubmitAsync(Request("earlier")));
        meigen.FailNextSubmit(new ProviderUnavailableError("MeiGen did not accept the generate request: HTTP 503", "meigen") { NotAcceptedProof = "MeiGen's request log had no entry for the key (404 request_not_found)" });

        var job = (await clock.DriveAsync(router.SubmitAsync(Request("next")))).GetValueOrThrow();

        Assert.Equal("meigen", job.Handle.Provider);
        Assert.Equal(2, meigen.SubmitCount);
        Assert.Equal(1, veogen.SubmitCount);
    }

    [Fact]
    public async Task CheckAsync_RecheckWithinTheReuseWindowOfAFailedVerdict_ReusesItWithoutProbing()
    {
        var clock = new FakeClock();
        var health = new ProviderHealth(clock);
        var probes = 0;
        var probe = new ProviderProbe("GET /health", _ =>
        {
            probes++;
            return Task.FromResult<MediaGenError?>(new ProviderUnavailableError("503", "meigen"));
        });
        await health.CheckAsync(probe, TimeSpan.FromSeconds(30), recheck: false, TimeSpan.Zero, default);
        clock.Advance(TimeSpan.FromSeconds(1));

        // Another request that waited 2 s finds a verdict made during its wait: it shares it.
        var shared = await health.CheckAsync(probe, TimeSpan.FromSeconds(30), recheck: true, TimeSpan.FromSeconds(2), default);
        var sharedProbes = probes;

        // One that waited only 0.5 s probes again.
        var fresh = await health.CheckAsync(probe, TimeSpan.FromSeconds(30), recheck: true, TimeSpan.FromMilliseconds(500), default);

        Assert.NotNull(shared);
        Assert.NotNull(fresh);
        Assert.Equal(1, sharedProbes);
        Assert.Equal(2, probes);
    }

    [Fact]
    public async Task SubmitAsync_ConcurrentRequestsAtAVendorWithNoAcceptedSubmit_SendOneTrialAndTryTheOthersAfterItsUnknownOutcome()
    {
        var clock = new FakeClock();
        var (meigen, veogen, _) = NanoBananaVendors(time: clock);
        meigen.DedupesByIdempotencyKey = false;
        meigen.FailNextSubmit(new OutcomeUnknownError("the answer was lost", "meigen", "k-0"));
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var router = new MediaRouter([new Held(meigen, release.Task), veogen], new RouterOptions { TimeProvider = clock, Preference = ["meigen", "veogen"] });

        // The fakes quote synchronously, so all ten reach MeiGen while its first submit is held.
        var submits = Enumerable.Range(0, 10).Select(i => router.SubmitAsync(Request($"k-{i}"))).ToArray();
        release.SetResult();
        var results = await Task.WhenAll(submits);

        Assert.Single(results, r => r.Error is OutcomeUnknownError);
        Assert.Equal(9, results.Count(r => r.IsSuccess && r.Value!.Handle.Provider == "veogen"));
        Assert.Equal(1, meigen.SubmitCount);
    }

    /// <summary>A fake vendor whose first submit waits for <paramref name="release"/> (a slow answer in flight).</summary>
    private sealed class Held(FakeMediaGenerator inner, Task release) : IMediaGenerator
    {
        private int _submits;

        public ValueTask<Result<GenerationQuote>> QuoteAsync(GenerationRequest request, CancellationToken cancellationToken = default) => inner.QuoteAsync(request, cancellationToken);

        public async Task<Result<GenerationJob>> SubmitAsync(GenerationQuote quote, CancellationToken cancellationToken = default)
        {
            if (Interlocked.Increment(ref _submits) == 1)
            {
                await release;
            }

            return await inner.SubmitAsync(quote, cancellationToken);
        }

        public Task<Result<GenerationJob>> GetJobAsync(JobHandle handle, CancellationToken cancellationToken = default) => inner.GetJobAsync(handle, cancellationToken);

        public object? GetService(Type serviceType, object? serviceKey = null) => inner.GetService(serviceType, serviceKey);

        public void Dispose() => inner.Dispose();
    }
}
