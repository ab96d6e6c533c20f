using MediaGen.Routing;
using MediaGen.Testing;

namespace MediaGen.Integration.Tests.Routing;

/// <summary>Issue 19, "settled means settled": a vendor that is down is left when its own records prove it did not accept the submit.</summary>
public class RouterOutageTests
{
    private const string MeiGenSubmit = "/api/generate/v2";
    private const string MeiGenRequestLog = "/api/generate/v2/requests/";
    private const string Unavailable = """{"error": "Service temporarily unavailable"}""";

    private static GenerationRequest NanoBanana() => new("nano-banana-2", "a lighthouse at dusk, watercolor");

    [Fact]
    public async Task SubmitAsync_MeiGen503OnEverySubmitAndRequestNotFound_SucceedsAtVeoGenChargingOnce()
    {
        await using var v = await ThreeVendors.StartAsync();
        v.Host.Faults.On(HttpMethod.Post, MeiGenSubmit).Always().RespondWith(503, Unavailable);
        var router = v.Router(o => o.Preference = ["meigen", "veogen", "apiframe"]);

        var job = (await v.Clock.DriveAsync(router.SubmitAsync(NanoBanana()))).GetValueOrThrow();

        Assert.Equal("veogen", job.Handle.Provider);
        var meigen = Assert.Single(job.Attempts, a => a.Provider == "meigen");
        Assert.Equal(RouteOutcome.Failed, meigen.Outcome);
        Assert.True(meigen.Error!.RejectedBeforeBilling);
        Assert.Contains("request_not_found", meigen.Error.NotAcceptedProof, StringComparison.Ordinal);
        Assert.Equal(job.Handle.IdempotencyKey, meigen.IdempotencyKey); // the key's history: a late MeiGen commit is found by it
        Assert.Contains(job.Handle.IdempotencyKey!, meigen.Reason, StringComparison.Ordinal);
        Assert.Equal(1, v.Host.Ledger.ChargedJobCount); // all three emulators share this ledger
        Assert.Equal(0, v.Submits("apiframe"));
    }

    [Fact]
    public async Task SubmitAsync_MeiGen503AndItsRequestLogDown_IsOutcomeUnknownWithoutFailoverAndPinsTheKey()
    {
        await using var v = await ThreeVendors.StartAsync();
        v.Host.Faults.On(HttpMethod.Post, MeiGenSubmit).Always().RespondWith(503, Unavailable);
        v.Host.Faults.OnPrefix(HttpMethod.Get, MeiGenRequestLog).Always().RespondWith(503, Unavailable);
        var router = v.Router(o => o.Preference = ["meigen", "veogen", "apiframe"]);
        var request = NanoBanana();
        request.IdempotencyKey = "5f0c8a7e-2b1d-4c3e-9f8a-7b6c5d4e3f21";

        var result = await v.Clock.DriveAsync(router.SubmitAsync(request));

        var error = Assert.IsType<OutcomeUnknownError>(result.Error);
        Assert.Equal(request.IdempotencyKey, error.IdempotencyKey);
        Assert.Null(error.NotAcceptedProof);
        Assert.Equal(0, v.Submits("veogen") + v.Submits("apiframe"));
        Assert.Equal(0, v.Host.Ledger.ChargedJobCount);

        // The key is pinned: a resubmission with it goes to MeiGen only, even when VeoGen is preferred now.
        request.Routing = new RoutingPreferences { Preference = ["veogen", "meigen"] };
        var again = await v.Clock.DriveAsync(router.SubmitAsync(request));
        Assert.False(again.IsSuccess);
        Assert.Contains(again.Error!.Attempts, a => a.Provider == "veogen" && a.Outcome == RouteOutcome.Skipped && a.Reason!.Contains("may already have a job at meigen", StringComparison.Ordinal));
        Assert.Equal(0, v.Submits("veogen") + v.Submits("apiframe"));
    }

    [Fact]
    public async Task SubmitAsync_FailOverOnNotAcceptedProofOff_StaysAtMeiGenAsOutcomeUnknown()
    {
        await using var v = await ThreeVendors.StartAsync();
        v.Host.Faults.On(HttpMethod.Post, MeiGenSubmit).Always().RespondWith(503, Unavailable);
        var router = v.Router(o =>
        {
            o.Preference = ["meigen", "veogen"];
            o.FailOverOnNotAcceptedProof = false;
        });

        var result = await v.Clock.DriveAsync(router.SubmitAsync(NanoBanana()));

        var error = Assert.IsType<OutcomeUnknownError>(result.Error);
        Assert.Contains("request_not_found", error.NotAcceptedProof, StringComparison.Ordinal);
        Assert.Contains("FailOverOnNotAcceptedProof", error.Message, StringComparison.Ordinal);
        Assert.Equal(0, v.Submits("veogen"));
    }
}
