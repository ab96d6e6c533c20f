using System.Text.Json.Nodes;
using MediaGen.Providers;
using MediaGen.Routing;

namespace MediaGen.Integration.Tests.Routing;

/// <summary>A routed request is prepared once per vendor, and the quote the router ranked is exactly what is sent.</summary>
public class RouterPipelineTests
{
    private static GenerationRequest NanoBanana() => new("nano-banana-2", "a lighthouse at dusk, watercolor") { AspectRatio = "16:9" };

    [Theory]
    [InlineData("meigen", "/api/generate/v2")]
    [InlineData("veogen", "/api/v1/generations")]
    [InlineData("apiframe", "/v2/images/generate")]
    public async Task SubmitAsync_RankedQuoteAcrossThreeVendors_PreparesOncePerVendorAndSendsExactlyWhatWasQuoted(string winner, string submitPath)
    {
        await using var v = await ThreeVendors.StartAsync();
        var router = v.Router(o =>
        {
            o.Preference = [winner, .. new[] { "meigen", "veogen", "apiframe" }.Where(n => n != winner)];
            o.ExchangeRates.SetUsdPerCredit("meigen", 0.001m);
        });

        var quote = (await router.QuoteAsync(NanoBanana())).GetValueOrThrow();
        var job = (await router.SubmitAsync(quote)).GetValueOrThrow();

        // Validated, translated and priced once at each vendor; sent once, at the winner only.
        foreach (var (name, vendor) in new[] { ("meigen", v.MeiGen), ("veogen", v.VeoGen), ("apiframe", v.Apiframe) })
        {
            var steps = vendor.GetService<PipelineCounters>()!;
            Assert.Equal((1, 1, 1, name == winner ? 1 : 0), (steps.Validated, steps.Translated, steps.Priced, steps.Sent));
        }

        // The job reports the ranked candidate's quote, USD value included (known for the credit vendor with a rate and for VeoGen).
        var plan = Assert.IsType<MediaRouter.RoutePlan>(quote.Payload!.Value);
        var ranked = plan.Candidates[0];
        Assert.Equal(winner, job.Handle.Provider);
        Assert.Equal(ranked.Quote.Price, job.Quote);
        Assert.Equal(ranked.Usd, job.Quote!.Usd);
        if (winner != "apiframe")
        {
            Assert.NotNull(job.Quote.Usd);
        }

        // The body the vendor received is the quoted payload; the idempotency key was attached at send time.
        var prepared = (IPreparedPayload)ranked.Quote.Payload!.Value;
        var quotedBody = Assert.IsType<JsonObject>(prepared.Payload.GetType().GetProperty("Body")!.GetValue(prepared.Payload));
        var post = Assert.Single(v.Host.Requests, r => r.Method == "POST" && r.Path == submitPath);
        var received = JsonNode.Parse(post.Body)!.AsObject();
        if (winner == "meigen")
        {
            Assert.Equal(job.Handle.IdempotencyKey, received["idempotencyKey"]!.GetValue<string>());
            received.Remove("idempotencyKey");
            Assert.False(quotedBody.ContainsKey("idempotencyKey")); // the quote minted no key of its own
        }
        else if (winner == "apiframe")
        {
            Assert.Equal(job.Handle.IdempotencyKey, post.Header("Idempotency-Key"));
        }

        Assert.True(JsonNode.DeepEquals(quotedBody, received), $"sent {received.ToJsonString()}, quoted {quotedBody.ToJsonString()}");
    }

    [Fact]
    public async Task GenerateAsync_RoutedAcrossThreeVendors_PreparesOncePerVendorAndTheJobKeepsTheRankedUsdQuote()
    {
        await using var v = await ThreeVendors.StartAsync();
        var router = v.Router(o =>
        {
            o.Strategy = RoutingStrategy.Cheapest;
            o.ExchangeRates.SetUsdPerCredit("meigen", 0.001m); // 5 credits = $0.005: the cheapest
        });

        var job = (await v.Clock.DriveAsync(((IMediaGenerator)router).GenerateAsync(NanoBanana(), new WaitOptions { TimeProvider = v.Clock }))).GetValueOrThrow();

        Assert.Equal(GenerationStatus.Succeeded, job.Status);
        Assert.Equal("meigen", job.Handle.Provider);
        Assert.Equal(MediaGen.Money.Usd(0.005m), job.Quote!.Usd);
        Assert.Equal(job.Quote, Assert.Single(job.Attempts, a => a.Outcome == RouteOutcome.Accepted).Quote);
        Assert.All(new[] { v.MeiGen, v.VeoGen, v.Apiframe }, vendor => Assert.Equal(1, vendor.GetService<PipelineCounters>()!.Translated));
        Assert.Equal(1, v.Submits("meigen"));
    }
}
