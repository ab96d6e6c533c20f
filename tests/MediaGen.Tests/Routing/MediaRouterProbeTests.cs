using MediaGen.Routing;
using MediaGen.Testing;
using static MediaGen.Tests.Routing.RouterTestModels;

namespace MediaGen.Tests.Routing;

/// <summary>Probe before paying (<see cref="RouterOptions.ProbeBeforeSubmit"/>): a vendor without fresh evidence of health is probed first.</summary>
public class MediaRouterProbeTests
{
    private static GenerationRequest Request() => new("nano-banana-2", "a lighthouse at dusk, watercolor");

    [Fact]
    public async Task SubmitAsync_FirstVendorFailsItsProbe_FailsOverWithoutSendingItTheSubmit()
    {
        var clock = new FakeClock();
        var (meigen, veogen, _) = NanoBananaVendors(time: clock);
        var down = new Probed(meigen, () => new ProviderUnavailableError("MeiGen answered GET /api/models with HTTP 502", "meigen"));
        var router = new MediaRouter([down, new Probed(veogen)], new RouterOptions { TimeProvider = clock, Preference = ["meigen", "veogen"] });

        var job = (await router.SubmitAsync(Request())).GetValueOrThrow();

        Assert.Equal("veogen", job.Handle.Provider);
        Assert.Equal(0, meigen.SubmitCount);
        var skipped = job.Attempts.Where(a => a.Provider == "meigen").ToList();
        Assert.All(skipped, a => Assert.Equal(RouteOutcome.Skipped, a.Outcome));
        Assert.Contains("health probe", skipped[0].Reason, StringComparison.Ordinal);
        Assert.Contains("no submit was sent", skipped[0].Reason, StringComparison.Ordinal);
        Assert.IsType<ProviderUnavailableError>(skipped[0].Error);
    }

    [Fact]
    public async Task SubmitAsync_ConcurrentRequestsWithoutFreshEvidence_ShareOneProbe()
    {
        var clock = new FakeClock();
        var (meigen, _, _) = NanoBananaVendors(time: clock);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var vendor = new Probed(meigen, async () =>
        {
            await release.Task;
            return null;
        });
        var router = new MediaRouter([vendor], new RouterOptions { TimeProvider = clock });

        // The fakes quote synchronously, so all ten are waiting on the probe before it is released.
        var submits = Enumerable.Range(0, 10).Select(_ => router.SubmitAsync(Request())).ToArray();
        release.SetResult();
        var jobs = await Task.WhenAll(submits);

        Assert.All(jobs, j => Assert.Equal("meigen", j.GetValueOrThrow().Handle.Provider));
        Assert.Equal(1, vendor.Probes);
        Assert.Equal(10, meigen.SubmitCount);
    }

    [Fact]
    public async Task SubmitAsync_FreshSuccess_DoesNotProbeUntilTheEvidenceIsStale()
    {
        var clock = new FakeClock();
        var (meigen, _, _) = NanoBananaVendors(time: clock);
        var vendor = new Probed(meigen);
        var router = new MediaRouter([vendor], new RouterOptions { TimeProvider = clock, ProbeFreshness = TimeSpan.FromSeconds(30) });

        await router.SubmitAsync(Request());
        clock.Advance(TimeSpan.FromSeconds(20));
        await router.SubmitAsync(Request());
        var probesWhileFresh = vendor.Probes;
        clock.Advance(TimeSpan.FromSeconds(31));
        await router.SubmitAsync(Request());

        Assert.Equal(1, probesWhileFresh);
        Assert.Equal(2, vendor.Probes);
        Assert.Equal(3, meigen.SubmitCount);
    }

    [Fact]
    public async Task SubmitAsync_EveryProbeFails_ProbesEachOnceMoreAndSendsNoSubmit()
    {
        var clock = new FakeClock();
        var (meigen, veogen, _) = NanoBananaVendors(time: clock);
        var first = new Probed(meigen, () => new RateLimitedError("MeiGen rate limited GET /api/models (HTTP 429).", "meigen"));
        var second = new Probed(veogen, () => new ProviderUnavailableError("VeoGen could not be reached for GET /api/v1/account (TimeoutRejectedException).", "veogen"));
        var router = new MediaRouter([first, second], new RouterOptions { TimeProvider = clock, MaxRateLimitWait = TimeSpan.Zero }); // no waiting to try again

        var result = await router.SubmitAsync(Request());

        var error = Assert.IsType<NoRouteError>(result.Error);
        Assert.True(error.RejectedBeforeBilling);
        Assert.Equal(0, meigen.SubmitCount + veogen.SubmitCount);
        Assert.Equal(2, first.Probes);
        Assert.Equal(2, second.Probes);
    }

    [Fact]
    public async Task SubmitAsync_VendorDownAfterAFailedProbe_IsNotProbedAgainWithinTheFreshnessWindow()
    {
        var clock = new FakeClock();
        var (meigen, veogen, _) = NanoBananaVendors(time: clock);
        var down = new Probed(meigen, () => new ProviderUnavailableError("502", "meigen"));
        var router = new MediaRouter([down, new Probed(veogen)], new RouterOptions { TimeProvider = clock, Preference = ["meigen", "veogen"] });

        await router.SubmitAsync(Request());
        var second = (await router.SubmitAsync(Request())).GetValueOrThrow();

        Assert.Equal("veogen", second.Handle.Provider);
        Assert.Equal(1, down.Probes);
        Assert.Equal(0, meigen.SubmitCount);
    }

    [Fact]
    public async Task SubmitAsync_OutcomeUnknownAtAVendor_MakesTheNextRequestProbeItAgain()
    {
        var clock = new FakeClock();
        var (meigen, _, _) = NanoBananaVendors(time: clock);
        var vendor = new Probed(meigen);
        var router = new MediaRouter([vendor], new RouterOptions { TimeProvider = clock, MaxRateLimitWait = TimeSpan.Zero }); // no same-key retry
        await router.SubmitAsync(Request());
        meigen.FailNextSubmit(new OutcomeUnknownError("timed out after the POST was sent", "meigen", "k-1"));

        var unknown = await router.SubmitAsync(Request());
        var probesBefore = vendor.Probes;
        await router.SubmitAsync(Request());

        Assert.IsType<OutcomeUnknownError>(unknown.Error);
        Assert.Equal(1, probesBefore);
        Assert.Equal(2, vendor.Probes);
    }

    [Fact]
    public async Task SubmitAsync_VendorLeftAnOutcomeUnknown_IsTriedAfterTheOthers()
    {
        var clock = new FakeClock();
        var (meigen, veogen, _) = NanoBananaVendors(time: clock);
        var router = new MediaRouter([new Probed(meigen), new Probed(veogen)], new RouterOptions { TimeProvider = clock, Preference = ["meigen", "veogen"], MaxRateLimitWait = TimeSpan.Zero });
        meigen.FailNextSubmit(new OutcomeUnknownError("the answer was lost", "meigen", "k-1"));
        await router.SubmitAsync(Request());

        var next = (await router.SubmitAsync(Request())).GetValueOrThrow();

        Assert.Equal("veogen", next.Handle.Provider);
        Assert.Equal(1, meigen.SubmitCount);
    }

    [Fact]
    public async Task SubmitAsync_ProbeBeforeSubmitOff_SendsTheSubmitWithoutProbing()
    {
        var clock = new FakeClock();
        var (meigen, _, _) = NanoBananaVendors(time: clock);
        var vendor = new Probed(meigen, () => new ProviderUnavailableError("502", "meigen"));
        var router = new MediaRouter([vendor], new RouterOptions { TimeProvider = clock, ProbeBeforeSubmit = false });

        var job = (await router.SubmitAsync(Request())).GetValueOrThrow();

        Assert.Equal("meigen", job.Handle.Provider);
        Assert.Equal(0, vendor.Probes);
    }
}
