using MediaGen.Routing;
using MediaGen.Testing;
using static MediaGen.Tests.Routing.RouterTestModels;

namespace MediaGen.Tests.Routing;

public class MediaRouterTests
{
    private static GenerationRequest Request(string model = "nano-banana-2") => new(model, "a lighthouse at dusk, watercolor");

    /// <summary>A router that never waits to try a vendor again (the one-shot rules, without the same-key retry after an unknown outcome).</summary>
    private static RouterOptions NoWaiting() => new() { MaxRateLimitWait = TimeSpan.Zero };

    [Fact]
    public async Task QuoteAllAsync_Cheapest_RanksByUsdAcrossUnitsAndPutsUnknownLast()
    {
        var (meigen, veogen, apiframe) = NanoBananaVendors(meigenCredits: 5, veogenUsd: 0.08m, apiframeCredits: 3);
        var options = new RouterOptions { Strategy = RoutingStrategy.Cheapest };
        options.ExchangeRates.SetUsdPerCredit("meigen", 0.012m); // 5 credits = $0.06; apiframe has no rate → unknown
        var router = new MediaRouter([apiframe, veogen, meigen], options);

        var all = await router.QuoteAllAsync(Request());

        Assert.Equal(["meigen", "veogen", "apiframe"], all.Quotes.Select(q => q.Provider));
        Assert.Equal(MediaGen.Money.Usd(0.06m), all.Quotes[0].Usd);
        Assert.Null(all.Quotes[2].Usd);
        Assert.True(all.Quotes[2].Quote.Price.IsKnown); // 3 apiframe credits are known; only the USD rate is not
        Assert.Equal("nanobanana-2", all.Quotes[0].Quote.Model.Value);
    }

    [Fact]
    public async Task QuoteAllAsync_RequestInvalidAtOneVendor_ListsItUnavailableWithTheReason()
    {
        var (meigen, veogen, _) = NanoBananaVendors();
        var router = new MediaRouter([meigen, veogen]);
        var request = Request();
        request.ReferenceImages = Enumerable.Range(0, 8).Select(i => new Uri($"https://example.com/{i}.png")).ToList();

        var all = await router.QuoteAllAsync(request);

        Assert.Equal("veogen", Assert.Single(all.Quotes).Provider);
        var skipped = Assert.Single(all.Unavailable);
        Assert.Equal("meigen", skipped.Provider);
        Assert.Contains("ReferenceImages", skipped.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task QuoteAllAsync_VendorOwnSlug_RoutesOnlyToThatVendor()
    {
        var (meigen, veogen, apiframe) = NanoBananaVendors();
        var router = new MediaRouter([meigen, veogen, apiframe]);

        var all = await router.QuoteAllAsync(Request("nanobanana-2"));

        Assert.Equal("meigen", Assert.Single(all.Quotes).Provider);
        Assert.Contains(all.Unavailable, u => u.Provider == "veogen" && u.Reason.Contains("does not serve", StringComparison.Ordinal));
    }

    [Fact]
    public async Task SubmitAsync_InsufficientFundsAtFirst_FailsOverAndRecordsTrail()
    {
        var (meigen, veogen, _) = NanoBananaVendors();
        meigen.FailNextSubmit(new InsufficientFundsError("402 insufficient credits", "meigen"));
        var router = new MediaRouter([meigen, veogen], new RouterOptions { Preference = ["meigen", "veogen"] });

        var job = (await router.SubmitAsync(Request())).GetValueOrThrow();

        Assert.Equal("veogen", job.Handle.Provider);
        Assert.Equal([RouteOutcome.Failed, RouteOutcome.Accepted], job.Attempts.Select(a => a.Outcome));
        Assert.Contains("402", job.Attempts[0].Reason, StringComparison.Ordinal);
        Assert.Empty(meigen.AcceptedJobs);
    }

    [Fact]
    public async Task SubmitAsync_RateLimitedAtFirst_FailsOver()
    {
        var (meigen, veogen, _) = NanoBananaVendors();
        meigen.FailNextSubmit(new RateLimitedError("429", "meigen", TimeSpan.FromSeconds(60)));
        var router = new MediaRouter([meigen, veogen]);

        var job = (await router.SubmitAsync(Request())).GetValueOrThrow();

        Assert.Equal("veogen", job.Handle.Provider);
    }

    [Fact]
    public async Task SubmitAsync_ContentRejected_DoesNotFailOver()
    {
        var (meigen, veogen, _) = NanoBananaVendors();
        meigen.FailNextSubmit(new ContentRejectedError("content policy violation", "meigen"));
        var router = new MediaRouter([meigen, veogen]);

        var result = await router.SubmitAsync(Request());

        Assert.True(result.TryGetError(out var error));
        Assert.IsType<ContentRejectedError>(error);
        Assert.Equal(0, veogen.SubmitCount);
        Assert.Single(error.Attempts);
    }

    [Fact]
    public async Task SubmitAsync_OutcomeUnknown_DoesNotFailOverAndKeepsTheKey()
    {
        var (meigen, veogen, _) = NanoBananaVendors();
        var request = Request();
        request.IdempotencyKey = "logical-1";
        meigen.FailNextSubmit(new OutcomeUnknownError("connection dropped after send", "meigen", "logical-1"));
        var router = new MediaRouter([meigen, veogen], NoWaiting());

        var result = await router.SubmitAsync(request);

        Assert.True(result.TryGetError(out var error));
        var unknown = Assert.IsType<OutcomeUnknownError>(error);
        Assert.Equal("logical-1", unknown.IdempotencyKey);
        Assert.Equal(0, veogen.SubmitCount);
    }

    [Fact]
    public async Task SubmitAsync_ResubmitSameKeyAfterOutcomeUnknown_GoesOnlyToThatVendor()
    {
        var (meigen, veogen, _) = NanoBananaVendors();
        var router = new MediaRouter([meigen, veogen], NoWaiting());
        var request = Request();
        request.IdempotencyKey = "logical-7";
        meigen.FailNextSubmit(new OutcomeUnknownError("dropped", "meigen", "logical-7"));
        meigen.FailNextSubmit(new ProviderUnavailableError("503 still down", "meigen"));
        Assert.IsType<OutcomeUnknownError>((await router.SubmitAsync(request)).Error);

        // The caller retries with the same key while MeiGen refuses: VeoGen must not get a second paid copy.
        var retry = await router.SubmitAsync(request);

        Assert.IsType<NoRouteError>(retry.Error);
        Assert.Equal(0, veogen.SubmitCount);
        Assert.Contains(retry.Error!.Attempts, a => a.Provider == "veogen" && a.Reason!.Contains("logical-7", StringComparison.Ordinal));

        // Once MeiGen answers, the key is resolved there.
        var settled = (await router.SubmitAsync(request)).GetValueOrThrow();
        Assert.Equal("meigen", settled.Handle.Provider);
    }

    [Fact]
    public async Task SubmitAsync_OutcomeUnknownWithDuplicateSpendAllowed_FailsOver()
    {
        var (meigen, veogen, _) = NanoBananaVendors();
        meigen.FailNextSubmit(new OutcomeUnknownError("dropped", "meigen", "k"));
        var request = Request();
        request.Routing = new RoutingPreferences { AllowDuplicateSpend = true };
        var router = new MediaRouter([meigen, veogen]);

        var job = (await router.SubmitAsync(request)).GetValueOrThrow();

        Assert.Equal("veogen", job.Handle.Provider);
    }

    [Fact]
    public async Task SubmitAsync_NoIdempotencyKey_MintsOneKeptAcrossVendorAttempts()
    {
        var (meigen, veogen, _) = NanoBananaVendors();
        meigen.FailNextSubmit(new ProviderUnavailableError("503", "meigen"));
        var router = new MediaRouter([meigen, veogen]);

        var job = (await router.SubmitAsync(Request())).GetValueOrThrow();

        var keys = job.Attempts.Select(a => a.IdempotencyKey).Distinct().ToList();
        Assert.Single(keys);
        Assert.False(string.IsNullOrEmpty(keys[0]));
        Assert.Equal(keys[0], job.Handle.IdempotencyKey);
    }

    [Fact]
    public async Task SubmitAsync_CeilingBelowPrice_SkipsVendorWithReason()
    {
        var (meigen, veogen, _) = NanoBananaVendors(veogenUsd: 0.08m);
        var options = new RouterOptions { Preference = ["veogen", "meigen"] };
        options.ExchangeRates.SetUsdPerCredit("meigen", 0.01m);
        var router = new MediaRouter([meigen, veogen], options);
        var request = Request();
        request.Routing = new RoutingPreferences { MaxCostUsd = 0.06m };

        var job = (await router.SubmitAsync(request)).GetValueOrThrow();

        Assert.Equal("meigen", job.Handle.Provider);
        Assert.Contains(job.Attempts, a => a.Provider == "veogen" && a.Reason!.Contains("ceiling", StringComparison.Ordinal));
    }

    [Fact]
    public async Task SubmitAsync_CeilingWithUnknownUsdPrice_SkipsThatVendor()
    {
        var (meigen, _, _) = NanoBananaVendors();
        var router = new MediaRouter([meigen]); // no credit rate configured
        var request = Request();
        request.Routing = new RoutingPreferences { MaxCostUsd = 10m };

        var result = await router.SubmitAsync(request);

        Assert.True(result.TryGetError(out var error));
        Assert.IsType<NoRouteError>(error);
        Assert.Contains("unknown", error.Attempts.Single().Reason, StringComparison.Ordinal);
        Assert.Equal(0, meigen.SubmitCount);
    }

    [Fact]
    public async Task SubmitAsync_EveryVendorRefuses_ReturnsNoRouteWithEveryReason()
    {
        var (meigen, veogen, _) = NanoBananaVendors();
        meigen.FailNextSubmit(new InsufficientFundsError("no credits", "meigen"));
        veogen.FailNextSubmit(new UnauthorizedError("bad token", "veogen"));
        var router = new MediaRouter([meigen, veogen]);

        var error = Assert.IsType<NoRouteError>((await router.SubmitAsync(Request())).Error);

        Assert.Contains("no credits", error.Message, StringComparison.Ordinal);
        Assert.Contains("bad token", error.Message, StringComparison.Ordinal);
        Assert.Equal(2, error.Attempts.Count);
    }

    [Fact]
    public async Task SubmitAsync_InvalidAtEveryVendor_ReturnsInvalidRequestNamingTheField()
    {
        var (meigen, veogen, _) = NanoBananaVendors();
        var router = new MediaRouter([meigen, veogen]);

        var request = Request();
        request.Prompt = " ";

        var result = await router.SubmitAsync(request);

        Assert.Equal("Prompt", Assert.Single(Assert.IsType<InvalidRequestError>(result.Error).Errors).Field);
        Assert.Equal(0, meigen.SubmitCount + veogen.SubmitCount);
    }

    [Fact]
    public async Task SubmitAsync_AllowedProviders_RestrictsCandidates()
    {
        var (meigen, veogen, _) = NanoBananaVendors();
        var router = new MediaRouter([meigen, veogen]);
        var request = Request();
        request.Routing = new RoutingPreferences { AllowedProviders = ["veogen"] };

        var job = (await router.SubmitAsync(request)).GetValueOrThrow();

        Assert.Equal("veogen", job.Handle.Provider);
        Assert.Equal(0, meigen.SubmitCount);
    }

    [Fact]
    public async Task SubmitAsync_Fastest_PicksShortestTypicalTime()
    {
        var (meigen, veogen, apiframe) = NanoBananaVendors();
        var router = new MediaRouter([meigen, apiframe, veogen], new RouterOptions { Strategy = RoutingStrategy.Fastest });

        var job = (await router.SubmitAsync(Request())).GetValueOrThrow();

        Assert.Equal("veogen", job.Handle.Provider);
    }

    [Fact]
    public async Task SubmitAsync_CustomStrategy_UsesDelegate()
    {
        var (meigen, veogen, apiframe) = NanoBananaVendors();
        var router = new MediaRouter([meigen, veogen, apiframe], new RouterOptions
        {
            Strategy = RoutingStrategy.Custom,
            CustomOrder = quotes => quotes.OrderByDescending(q => q.Provider, StringComparer.Ordinal),
        });

        var job = (await router.SubmitAsync(Request())).GetValueOrThrow();

        Assert.Equal("veogen", job.Handle.Provider);
    }

    [Fact]
    public async Task SubmitAsync_RouterRateLimiterExhausted_SkipsVendorWithoutCallingIt()
    {
        var (meigen, veogen, _) = NanoBananaVendors();
        var options = new RouterOptions();
        options.RateLimiters["meigen"] = new System.Threading.RateLimiting.ConcurrencyLimiter(new() { PermitLimit = 1, QueueLimit = 0 });
        using var held = options.RateLimiters["meigen"].AttemptAcquire(1);
        var router = new MediaRouter([meigen, veogen], options);

        var job = (await router.SubmitAsync(Request())).GetValueOrThrow();

        Assert.Equal("veogen", job.Handle.Provider);
        Assert.Equal(0, meigen.SubmitCount);
        Assert.Contains(job.Attempts, a => a.Provider == "meigen" && a.Reason!.Contains("rate limit", StringComparison.Ordinal));
    }

    [Fact]
    public async Task GetJobAsync_DispatchesByHandleProvider()
    {
        var (meigen, veogen, _) = NanoBananaVendors();
        var router = new MediaRouter([meigen, veogen]);
        var job = (await veogen.SubmitAsync(new GenerationRequest("nano-banana-2", "x"))).GetValueOrThrow();

        var polled = (await router.GetJobAsync(job.Handle)).GetValueOrThrow();

        Assert.Equal(job.Handle, polled.Handle);
        Assert.Equal(1, veogen.PollCount);
        Assert.Equal(0, meigen.PollCount);
    }

    [Fact]
    public async Task GetJobAsync_UnknownProvider_ReturnsNotFoundNamingIt()
    {
        var router = new MediaRouter([]);
        var result = await router.GetJobAsync(new JobHandle("nobody", "1"));
        Assert.Contains("nobody", Assert.IsType<NotFoundError>(result.Error).Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CircuitBreaker_RepeatedUnavailability_OpensThenProbesAfterBreak()
    {
        var clock = new FakeClock();
        var (meigen, veogen, _) = NanoBananaVendors(time: clock);
        var router = new MediaRouter([meigen, veogen], new RouterOptions { TimeProvider = clock, CircuitMinimumThroughput = 3, CircuitBreakDuration = TimeSpan.FromSeconds(30) });
        for (var i = 0; i < 3; i++)
        {
            meigen.FailNextSubmit(new ProviderUnavailableError("503 job queue down", "meigen"));
            Assert.Equal("veogen", (await router.SubmitAsync(Request())).GetValueOrThrow().Handle.Provider);
        }

        Assert.True(router.IsCircuitOpen("meigen"));
        var whileOpen = (await router.SubmitAsync(Request())).GetValueOrThrow();
        Assert.Equal(3, meigen.SubmitCount); // no traffic while open
        Assert.Contains(whileOpen.Attempts, a => a.Provider == "meigen" && a.Reason!.Contains("circuit open", StringComparison.Ordinal));

        clock.Advance(TimeSpan.FromSeconds(31));
        var probed = (await router.SubmitAsync(Request())).GetValueOrThrow();
        Assert.Equal("meigen", probed.Handle.Provider);
        Assert.Equal(4, meigen.SubmitCount);
        Assert.False(router.IsCircuitOpen("meigen"));
    }

    [Fact]
    public async Task SharedCircuits_OneRouterOpensIt_AnotherSharingTheStateSkipsTheVendorUntilTheReportedTime()
    {
        var clock = new FakeClock();
        var shared = new SharedCircuits();
        var (meigen, veogen, _) = NanoBananaVendors(time: clock);
        RouterOptions Options() => new() { TimeProvider = clock, CircuitMinimumThroughput = 3, CircuitBreakDuration = TimeSpan.FromSeconds(30), SharedCircuits = shared };
        var first = new MediaRouter([meigen, veogen], Options());
        var second = new MediaRouter([meigen, veogen], Options());
        for (var i = 0; i < 3; i++)
        {
            meigen.FailNextSubmit(new ProviderUnavailableError("503 job queue down", "meigen"));
            await first.SubmitAsync(Request());
        }

        var elsewhere = (await second.SubmitAsync(Request())).GetValueOrThrow();
        clock.Advance(TimeSpan.FromSeconds(31));
        var later = (await second.SubmitAsync(Request())).GetValueOrThrow();

        Assert.Equal(clock.GetUtcNow() - TimeSpan.FromSeconds(1), shared.OpenUntil["meigen"]);
        Assert.Equal("veogen", elsewhere.Handle.Provider);
        Assert.Contains(elsewhere.Attempts, a => a.Provider == "meigen" && a.Reason!.Contains("reported by another instance", StringComparison.Ordinal));
        Assert.Equal("meigen", later.Handle.Provider);
    }

    [Fact]
    public async Task GenerateAsync_ResubmitOnJobFailure_NextVendorWithinCeiling()
    {
        var clock = new FakeClock();
        var (meigen, veogen, _) = NanoBananaVendors(meigenCredits: 5, veogenUsd: 0.08m, time: clock);
        meigen.EnqueueScript(FakeJobScript.FailAfterPolls(1, FailureReason.ProviderError, "upstream timeout"));
        var options = new RouterOptions { Preference = ["meigen", "veogen"], TimeProvider = clock };
        options.ExchangeRates.SetUsdPerCredit("meigen", 0.01m);
        var router = new MediaRouter([meigen, veogen], options);
        var request = Request();
        request.Routing = new RoutingPreferences { ResubmitOnJobFailure = true, MaxCostUsd = 0.20m };

        var job = (await clock.DriveAsync(router.GenerateAsync(request, new WaitOptions { TimeProvider = clock }))).GetValueOrThrow();

        Assert.Equal(GenerationStatus.Succeeded, job.Status);
        Assert.Equal("veogen", job.Handle.Provider);
        Assert.Contains(job.Attempts, a => a.Outcome == RouteOutcome.JobFailed && a.Provider == "meigen");
    }

    [Fact]
    public async Task GenerateAsync_ResubmitButNextVendorOverCeiling_ReturnsTheFailedJob()
    {
        var clock = new FakeClock();
        var (meigen, veogen, _) = NanoBananaVendors(meigenCredits: 5, veogenUsd: 0.50m, time: clock);
        meigen.EnqueueScript(FakeJobScript.FailAfterPolls(1));
        var options = new RouterOptions { Preference = ["meigen", "veogen"], TimeProvider = clock };
        options.ExchangeRates.SetUsdPerCredit("meigen", 0.01m);
        var router = new MediaRouter([meigen, veogen], options);
        var request = Request();
        request.Routing = new RoutingPreferences { ResubmitOnJobFailure = true, MaxCostUsd = 0.20m };

        var job = (await clock.DriveAsync(router.GenerateAsync(request, new WaitOptions { TimeProvider = clock }))).GetValueOrThrow();

        Assert.Equal(GenerationStatus.Failed, job.Status);
        Assert.Equal("meigen", job.Handle.Provider);
        Assert.Equal(0, veogen.SubmitCount);
        Assert.Contains(job.Attempts, a => a.Provider == "veogen" && a.Reason!.Contains("ceiling", StringComparison.Ordinal));
    }

    [Fact]
    public async Task GenerateAsync_ContentPolicyJobFailure_IsNotResubmitted()
    {
        var clock = new FakeClock();
        var (meigen, veogen, _) = NanoBananaVendors(time: clock);
        meigen.EnqueueScript(FakeJobScript.FailAfterPolls(1, FailureReason.ContentPolicy, "content policy violation"));
        var router = new MediaRouter([meigen, veogen], new RouterOptions { TimeProvider = clock, ResubmitOnJobFailure = true });

        var job = (await clock.DriveAsync(router.GenerateAsync(Request(), new WaitOptions { TimeProvider = clock }))).GetValueOrThrow();

        Assert.Equal(GenerationStatus.Failed, job.Status);
        Assert.Equal(0, veogen.SubmitCount);
    }

    private sealed class SharedCircuits : ISharedCircuitState
    {
        public Dictionary<string, DateTimeOffset> OpenUntil { get; } = new(StringComparer.OrdinalIgnoreCase);

        public Task<DateTimeOffset?> GetOpenUntilAsync(string provider, CancellationToken cancellationToken = default) =>
            Task.FromResult(OpenUntil.TryGetValue(provider, out var until) ? until : (DateTimeOffset?)null);

        public Task ReportOpenAsync(string provider, DateTimeOffset openUntil, string reason, CancellationToken cancellationToken = default)
        {
            OpenUntil[provider] = openUntil;
            return Task.CompletedTask;
        }
    }
}
