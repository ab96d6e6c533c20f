using MediaGen.Routing;
using MediaGen.Testing;

namespace MediaGen.Integration.Tests.Routing;

public class RouterIntegrationTests
{
    private static GenerationRequest NanoBanana() => new("nano-banana-2", "a lighthouse at dusk, watercolor");

    [Fact]
    public async Task QuoteAllAsync_Cheapest_RanksAcrossCreditsAndDollarsWithUnknownLast()
    {
        await using var v = await ThreeVendors.StartAsync();
        var router = v.Router(o =>
        {
            o.Strategy = RoutingStrategy.Cheapest;
            o.ExchangeRates.SetUsdPerCredit("meigen", 0.001m); // 5 credits = $0.005
        });

        var all = await router.QuoteAllAsync(NanoBanana());

        Assert.Equal("meigen", all.Quotes[0].Provider);
        Assert.Equal(MediaGen.Money.Usd(0.005m), all.Quotes[0].Usd);
        var usd = all.Quotes.Select(q => q.Usd).ToList();
        var firstUnknown = usd.FindIndex(u => u is null);
        Assert.True(firstUnknown < 0 || usd.Skip(firstUnknown).All(u => u is null), "unknown USD prices come last");
        var known = usd.Where(u => u is not null).Select(u => u!.Value.Amount).ToList();
        Assert.Equal(known.Order(), known);
        Assert.Contains(all.Quotes, q => q.Provider == "apiframe" && q.Usd is null); // apiframe credits: no rate, no documented price
    }

    [Fact]
    public async Task SubmitAsync_VendorDownOnEverySubmit_SkippedThenCircuitOpensThenProbedAfterBreak()
    {
        await using var v = await ThreeVendors.StartAsync();
        v.Host.Faults.On(HttpMethod.Post, "/v2/images/generate").Always().RespondWith(503, "{\"error\":\"Service unavailable\",\"message\":\"Job queue is temporarily down\"}");
        var router = v.Router(o => { o.Preference = ["apiframe", "meigen"]; o.CircuitMinimumThroughput = 3; o.CircuitBreakDuration = TimeSpan.FromSeconds(30); });

        for (var i = 0; i < 3; i++)
        {
            var job = (await router.SubmitAsync(NanoBanana())).GetValueOrThrow();
            Assert.Equal("meigen", job.Handle.Provider);
            Assert.Contains(job.Attempts, a => a.Provider == "apiframe" && a.Outcome == RouteOutcome.Failed);
        }

        Assert.True(router.IsCircuitOpen("apiframe"));
        var sentWhileClosed = v.Submits("apiframe");
        var whileOpen = (await router.SubmitAsync(NanoBanana())).GetValueOrThrow();
        Assert.Equal(sentWhileClosed, v.Submits("apiframe")); // no traffic while open
        Assert.Contains(whileOpen.Attempts, a => a.Provider == "apiframe" && a.Reason!.Contains("circuit open", StringComparison.Ordinal));

        v.Host.Faults.Clear();
        v.Clock.Advance(TimeSpan.FromSeconds(31));
        var probed = (await router.SubmitAsync(NanoBanana())).GetValueOrThrow();
        Assert.Equal("apiframe", probed.Handle.Provider);
        Assert.Equal(sentWhileClosed + 1, v.Submits("apiframe"));
    }

    [Fact]
    public async Task SubmitAsync_InsufficientCredits_FailsOver()
    {
        await using var v = await ThreeVendors.StartAsync();
        v.Host.Faults.On(HttpMethod.Post, "/api/generate/v2").Always().RespondWith(402, "{\"error\":\"Insufficient credits\"}");
        var router = v.Router(o => o.Preference = ["meigen", "veogen"]);

        var job = (await router.SubmitAsync(NanoBanana())).GetValueOrThrow();

        Assert.Equal("veogen", job.Handle.Provider);
        var failed = Assert.Single(job.Attempts, a => a.Provider == "meigen");
        Assert.IsType<InsufficientFundsError>(failed.Error);
        Assert.Equal(1, v.Host.Ledger.ChargedJobCount);
    }

    [Fact]
    public async Task SubmitAsync_RateLimited_FailsOver()
    {
        await using var v = await ThreeVendors.StartAsync();
        v.Host.Faults.On(HttpMethod.Post, "/api/v1/generations").Always().RespondWith(429, "{\"message\":\"Too Many Attempts.\"}", new Dictionary<string, string> { ["Retry-After"] = "60" });
        var router = v.Router(o => o.Preference = ["veogen", "apiframe"]);

        var job = (await router.SubmitAsync(NanoBanana())).GetValueOrThrow();

        Assert.Equal("apiframe", job.Handle.Provider);
        Assert.IsType<RateLimitedError>(Assert.Single(job.Attempts, a => a.Provider == "veogen").Error);
    }

    [Fact]
    public async Task GenerateAsync_ContentPolicyJobFailure_IsNotResubmittedElsewhere()
    {
        await using var v = await ThreeVendors.StartAsync();
        v.Host.Jobs.EnqueueNext(JobScript.Fail(JobFailureKind.ContentPolicy, "content policy violation"));
        var router = v.Router(o => { o.Preference = ["veogen", "meigen"]; o.ResubmitOnJobFailure = true; });

        var job = (await v.Clock.DriveAsync(router.GenerateAsync(NanoBanana(), new WaitOptions { TimeProvider = v.Clock }))).GetValueOrThrow();

        Assert.Equal(GenerationStatus.Failed, job.Status);
        Assert.Equal(FailureReason.ContentPolicy, job.Failure!.Reason);
        Assert.Equal(0, v.Submits("meigen"));
    }

    [Fact]
    public async Task SubmitAsync_DroppedAfterAcceptance_DoesNotFailOverAndChargesOnce()
    {
        await using var v = await ThreeVendors.StartAsync();
        v.Host.Faults.On(HttpMethod.Post, "/api/generate/v2").Once().DropConnectionAfterHandler();
        var router = v.Router(o => o.Preference = ["meigen", "veogen", "apiframe"]);

        var result = await v.Clock.DriveAsync(router.SubmitAsync(NanoBanana()));

        Assert.Equal(1, v.Host.Ledger.ChargedJobCount); // all three emulators share this ledger
        Assert.Equal(0, v.Submits("veogen") + v.Submits("apiframe"));
        var job = result.GetValueOrThrow(); // MeiGen recovers the accepted job by its idempotency key
        Assert.Equal("meigen", job.Handle.Provider);
        Assert.Single(job.Attempts);
    }

    [Fact]
    public async Task SubmitAsync_InvalidForOneVendor_RoutesAroundWithReasonInTrail()
    {
        await using var v = await ThreeVendors.StartAsync();
        var router = v.Router(o => o.Preference = ["meigen", "veogen"]);
        var request = NanoBanana();
        request.ReferenceImages = Enumerable.Range(0, 8).Select(i => new Uri($"https://example.com/ref-{i}.png")).ToList(); // MeiGen takes ≤ 5, VeoGen ≤ 14

        var job = (await router.SubmitAsync(request)).GetValueOrThrow();

        Assert.Equal("veogen", job.Handle.Provider);
        var skipped = Assert.Single(job.Attempts, a => a.Provider == "meigen");
        Assert.Equal(RouteOutcome.Skipped, skipped.Outcome);
        Assert.Contains("ReferenceImages", skipped.Reason, StringComparison.Ordinal);
        Assert.Equal(0, v.Submits("meigen"));
    }

    [Fact]
    public async Task GenerateAsync_JobFailureResubmission_RespectsTheCostCeiling()
    {
        await using var v = await ThreeVendors.StartAsync();
        var router = v.Router(o =>
        {
            o.Preference = ["meigen", "veogen"];
            o.ExchangeRates.SetUsdPerCredit("meigen", 0.001m);
        });

        // Within the ceiling: MeiGen's job fails (refunded), VeoGen takes the request.
        v.Host.Jobs.EnqueueNext(JobScript.Fail(JobFailureKind.ProviderError, "upstream model crashed"));
        var within = NanoBanana();
        within.Routing = new RoutingPreferences { ResubmitOnJobFailure = true, MaxCostUsd = 10m };
        var quotes = await router.QuoteAllAsync(within);
        var veogenUsd = quotes.Quotes.Single(q => q.Provider == "veogen").Usd;
        Assert.NotNull(veogenUsd); // the ceiling can only be honoured with a known price
        var resubmitted = (await v.Clock.DriveAsync(router.GenerateAsync(within, new WaitOptions { TimeProvider = v.Clock }))).GetValueOrThrow();
        Assert.Equal("veogen", resubmitted.Handle.Provider);
        Assert.Equal(GenerationStatus.Succeeded, resubmitted.Status);
        Assert.Contains(resubmitted.Attempts, a => a.Provider == "meigen" && a.Outcome == RouteOutcome.JobFailed);

        // Ceiling below VeoGen's price: the failed MeiGen job is the answer; VeoGen is never sent the request.
        v.Host.Jobs.EnqueueNext(JobScript.Fail(JobFailureKind.ProviderError, "upstream model crashed"));
        var before = v.Submits("veogen");
        var tight = NanoBanana();
        tight.Routing = new RoutingPreferences { ResubmitOnJobFailure = true, MaxCostUsd = veogenUsd!.Value.Amount / 2 };
        var notResubmitted = (await v.Clock.DriveAsync(router.GenerateAsync(tight, new WaitOptions { TimeProvider = v.Clock }))).GetValueOrThrow();
        Assert.Equal(GenerationStatus.Failed, notResubmitted.Status);
        Assert.Equal("meigen", notResubmitted.Handle.Provider);
        Assert.Equal(before, v.Submits("veogen"));
        Assert.Contains(notResubmitted.Attempts, a => a.Provider == "veogen" && a.Reason!.Contains("ceiling", StringComparison.Ordinal));
    }

    [Fact]
    public async Task SubmitAsync_VendorErrorPageEchoesTheKey_NoErrorTextCarriesIt()
    {
        await using var v = await ThreeVendors.StartAsync();
        const string EchoedKey = "meigen_sk_integration000000000000000000000";
        v.Host.Faults.On(HttpMethod.Post, "/api/generate/v2").Always().RespondWith(400, $"{{\"error\":\"bad request; you sent Authorization: Bearer {EchoedKey}\"}}");
        var router = v.Router(o => o.Preference = ["meigen"], v.MeiGen);

        var result = await router.SubmitAsync(NanoBanana());

        Assert.True(result.TryGetError(out var error));
        var texts = new[] { error.Message, error.VendorMessage, error.ToString() }
            .Concat(error.Attempts.SelectMany(a => new[] { a.Reason, a.Error?.Message, a.Error?.VendorMessage }));
        Assert.All(texts, t => Assert.DoesNotContain(EchoedKey, t ?? string.Empty, StringComparison.Ordinal));
        Assert.Contains(error.Attempts, a => (a.Error?.VendorMessage ?? string.Empty).Contains("Bearer ***", StringComparison.Ordinal));
    }
}
