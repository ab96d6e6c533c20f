using MediaGen.MeiGen.Internal;
using MediaGen.MeiGen.Tests.TestSupport;
using MediaGen.Testing;

namespace MediaGen.MeiGen.Tests.Contract;

/// <summary>The MeiGen findings of the vendor audit (issue 13), each fixed or argued in docs/providers/meigen.md.</summary>
public class VendorTruthTests
{
    [Fact]
    public async Task QuoteAsync_SeedanceMiniTier_IsRefusedBecauseRev2ListsOnlyFastAndPro()
    {
        var result = await Clients.WithStub(new StubHttpHandler()).QuoteAsync(new GenerationRequest("seedance-2-0", "p") { Tier = GenerationTier.Mini });

        var error = Assert.IsType<InvalidRequestError>(result.Error);
        Assert.Contains("fast, pro", Assert.Single(error.Errors).Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SubmitAsync_SeedanceWithoutTier_SendsTheTierItPricedAndIsBilledTheQuote()
    {
        await using var meigen = await EmulatedMeiGen.StartAsync();
        var client = meigen.Client(o => o.UseLiveCatalog = false);
        var request = new GenerationRequest("seedance-2-0", "p") { Resolution = "720p", DurationSeconds = 5 };

        var quote = (await client.QuoteAsync(request)).GetValueOrThrow();
        var job = (await client.SubmitAsync(request)).GetValueOrThrow();

        Assert.Equal(Money.Credits(130, "meigen"), quote.Price.Amount);
        Assert.Equal(quote.Price.Amount, job.Charge);
        Assert.Contains("\"tier\":\"fast\"", meigen.Host.Requests.Last(r => r.Method == "POST").Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task QuoteAsync_Veo31FastEightSeconds_IsTheOverviewsTwentyCreditsNamingItsSource()
    {
        var stub = Clients.WithStub(new StubHttpHandler());

        var eight = (await stub.QuoteAsync(new GenerationRequest("veo-3.1", "p") { DurationSeconds = 8 })).GetValueOrThrow().Price;
        var four = (await stub.QuoteAsync(new GenerationRequest("veo-3.1", "p"))).GetValueOrThrow().Price;
        var pro = (await stub.QuoteAsync(new GenerationRequest("veo-3.1", "p") { DurationSeconds = 8, Tier = GenerationTier.Pro })).GetValueOrThrow().Price;

        Assert.Equal(Money.Credits(20, "meigen"), eight.Amount);
        Assert.Equal(MeiGenPrices.Veo31Reference, eight.Reference);
        Assert.False(four.IsKnown);
        Assert.False(pro.IsKnown);
    }

    [Fact]
    public async Task SubmitAsync_Veo31FastEightSeconds_EmulatorBillsTheDocumentedTwenty()
    {
        await using var meigen = await EmulatedMeiGen.StartAsync();
        var client = meigen.Client(o => o.UseLiveCatalog = false);
        var request = new GenerationRequest("veo-3.1", "p") { DurationSeconds = 8 };

        var quote = (await client.QuoteAsync(request)).GetValueOrThrow();
        var job = (await client.SubmitAsync(request)).GetValueOrThrow();

        Assert.Equal(Money.Credits(20, "meigen"), job.Charge);
        Assert.Equal(quote.Price.Amount, job.Charge);
    }

    [Fact]
    public async Task QuoteAsync_LegacyMidjourneyV7_SaysItIsServedAsV81WithoutADocumentedPrice()
    {
        var price = (await Clients.WithStub(new StubHttpHandler()).QuoteAsync(new GenerationRequest("midjourney-v7", "p"))).GetValueOrThrow().Price;

        Assert.Equal(Money.Credits(15, "meigen"), price.Amount);
        Assert.Contains("V8.1", price.Reference, StringComparison.Ordinal);
    }

    [Fact]
    public async Task QuoteAsync_FractionalReferenceSeconds_AreRoundedUpSoTheQuoteIsACeiling()
    {
        var request = new GenerationRequest("seedance-2-0", "p")
        {
            Resolution = "720p",
            DurationSeconds = 5,
            ReferenceVideos = [new ReferenceVideo(new Uri("https://cdn.example.com/prev.mp4"), 4.5)],
        };

        var price = (await Clients.WithStub(new StubHttpHandler()).QuoteAsync(request)).GetValueOrThrow().Price;

        Assert.Equal(Money.Credits(140, "meigen"), price.Amount); // ceil(4.5) + 5 = 10 s × 14, above the 9 s floor
    }

    [Fact]
    public async Task QuoteAsync_NoModel_IsRefusedNamingModelRatherThanLeftToThePlatformDefault()
    {
        var result = await Clients.WithStub(new StubHttpHandler()).QuoteAsync(new GenerationRequest { Prompt = "p" });

        var error = Assert.IsType<InvalidRequestError>(result.Error);
        Assert.Contains(error.Errors, e => e.Field == nameof(GenerationRequest.Model));
    }

    [Fact]
    public void Create_SupabaseSessionToken_IsRefusedAsDocumentedInMeigenMd()
    {
        var error = Assert.Throws<ArgumentException>(() => MeiGenProvider.Create(new MeiGenOptions { ApiKey = "eyJhbGciOiJIUzI1NiJ9.session.token" }));

        Assert.Contains("meigen_sk_", error.Message, StringComparison.Ordinal);
    }
}
