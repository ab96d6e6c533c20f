using MediaGen.MeiGen.Tests.TestSupport;
using MediaGen.Testing;

namespace MediaGen.MeiGen.Tests.Internal;

/// <summary>Prices in MeiGen credits from the docs' numbers (offline), overrides, and what stays unknown.</summary>
public sealed class MeiGenPricingTests
{
    private static async Task<PriceQuote> QuoteAsync(GenerationRequest request, Action<MeiGenOptions>? configure = null) =>
        (await Clients.WithStub(new StubHttpHandler(), configure: configure).QuoteAsync(request)).GetValueOrThrow().Price;

    private static GenerationRequest Continuation(string resolution, int seconds, double referenceSeconds) => new("seedance-2-0", "Continue the scene")
    {
        AspectRatio = AspectRatio.Adaptive,
        Resolution = resolution,
        DurationSeconds = seconds,
        ReferenceVideos = [new ReferenceVideo(new Uri("https://images.meigen.art/generations/eagle-clip.mp4"), referenceSeconds)],
    };

    [Fact]
    public async Task QuoteAsync_Rev1SeedanceExample_Is130Credits()
    {
        var price = await QuoteAsync(new GenerationRequest("seedance-2-0", "eagle") { Resolution = "720p", DurationSeconds = 5 });

        Assert.Equal(Money.Credits(130, "meigen"), price.Amount); // "720p × 5 sec = 26 × 5 = 130 credits"
        Assert.StartsWith("5 s × 26 credits/s", price.Basis, StringComparison.Ordinal);
        Assert.Equal(PriceSource.Snapshot, price.Source);
        Assert.Equal(new DateOnly(2026, 11, 21), price.AsOf);
    }

    [Fact]
    public async Task QuoteAsync_Rev1ContinuationExample_Is72Credits()
    {
        var price = await QuoteAsync(Continuation("480p", 5, 3));

        Assert.Equal(Money.Credits(72, "meigen"), price.Amount); // "max(3 + 5, 9) = 9 sec, total 72 credits"
        Assert.StartsWith("max(3 s + 5 s, 9 s) = 9 billable s × 8 credits/s", price.Basis, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("720p")]
    [InlineData("1080p")]
    public async Task QuoteAsync_Rev2Continuation_Is14CreditsPerSecond(string resolution)
    {
        var price = await QuoteAsync(Continuation(resolution, 5, 3));

        Assert.Equal(Money.Credits(9 * 14, "meigen"), price.Amount);
    }

    [Fact]
    public async Task QuoteAsync_LongReference_BillsReferencePlusDurationAboveTheFloor()
    {
        var price = await QuoteAsync(Continuation("480p", 5, 6.2));

        Assert.Equal(Money.Credits((7 + 5) * 8, "meigen"), price.Amount); // 6.2 s rounds up to 7
    }

    [Fact]
    public async Task QuoteAsync_ContinuationFloorTheDocsDoNotGive_IsUnknownNotZero()
    {
        var price = await QuoteAsync(Continuation("480p", 6, 3));

        Assert.False(price.IsKnown);
        Assert.Null(price.Amount);
        Assert.Contains("minBillableTable", price.Basis, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("nanobanana-2", 5)]
    [InlineData("seedream-5.0-lite", 5)]
    [InlineData("seedream-4.5", 5)]
    [InlineData("gemini-3-pro-image-preview", 10)]
    [InlineData("z-image-turbo", 2)]
    [InlineData("midjourney-v7", 15)]
    [InlineData("midjourney-niji7", 15)]
    public async Task QuoteAsync_ImageModelInTheDocsTable_IsItsFlatPrice(string model, int credits)
    {
        var price = await QuoteAsync(Clients.Request(model));

        Assert.Equal(Money.Credits(credits, "meigen"), price.Amount);
        Assert.Contains("overview", price.Reference, StringComparison.OrdinalIgnoreCase);
    }

    [Theory]
    [InlineData("gpt-image-2", null)]
    [InlineData("midjourney-v8.1", null)]
    [InlineData("flux2-klein", null)]
    [InlineData("happyhorse-1.0", "720p")]
    [InlineData("veo-3.1", "720p")]
    public async Task QuoteAsync_PriceTheDocsDoNotGive_IsUnknownNotZero(string model, string? resolution)
    {
        var price = await QuoteAsync(new GenerationRequest(model, "p") { Resolution = resolution is null ? default(Resolution?) : new Resolution(resolution) });

        Assert.False(price.IsKnown);
        Assert.Equal(PriceSource.Unknown, price.Source);
    }

    [Theory]
    [InlineData("480p", "fast")]
    [InlineData("720p", "pro")]
    [InlineData("1080p", "fast")]
    public async Task QuoteAsync_SeedanceRateTheDocsDoNotGive_IsUnknown(string resolution, string tier)
    {
        var price = await QuoteAsync(new GenerationRequest("seedance-2-0", "p") { Resolution = resolution, Tier = tier, DurationSeconds = 5 });

        Assert.False(price.IsKnown);
    }

    [Fact]
    public async Task QuoteAsync_SeedanceWithoutResolutionOffline_IsUnknownBecauseTheDefaultIsUnknown()
    {
        var price = await QuoteAsync(new GenerationRequest("seedance-2-0", "p") { DurationSeconds = 5 });

        Assert.Contains("resolution", price.Basis, StringComparison.Ordinal);
    }

    [Fact]
    public async Task QuoteAsync_Overrides_WinOverTheSnapshot()
    {
        var price = await QuoteAsync(Clients.Request("gpt-image-2"), o => { o.PriceOverrides["gpt-image-2"] = 12; o.PriceOverrides["nanobanana-2"] = 6; });
        var nano = await QuoteAsync(Clients.Request("nanobanana-2"), o => o.PriceOverrides["nanobanana-2"] = 6);
        var veo = await QuoteAsync(new GenerationRequest("veo-3.1", "p") { DurationSeconds = 8 }, o => o.PriceOverrides["veo-3.1"] = new PriceOverride().Add(new() { Tier = GenerationTier.Fast, DurationSeconds = 8, Price = 20 }));
        var horse = await QuoteAsync(new GenerationRequest("happyhorse-1.0", "p") { Resolution = "720p", DurationSeconds = 4 }, o => o.PriceOverrides["happyhorse-1.0"] = new PriceOverride { Per = PricePer.Second }.Add(new() { Resolution = "720p", Price = 11 }));

        Assert.Equal(Money.Credits(12, "meigen"), price.Amount);
        Assert.Equal(PriceSource.Override, price.Source);
        Assert.Equal(Money.Credits(6, "meigen"), nano.Amount);
        Assert.Equal(Money.Credits(20, "meigen"), veo.Amount); // no tier given: the default (fast)
        Assert.Equal(Money.Credits(44, "meigen"), horse.Amount);
    }

    [Fact]
    public async Task QuoteAsync_OverriddenContinuationFloor_CompletesTheQuote()
    {
        var price = await QuoteAsync(Continuation("480p", 6, 3), o => o.PriceOverrides["seedance-2-0"] = new PriceOverride { MinimumBillableSeconds = { [6] = 10 } });

        Assert.Equal(Money.Credits(10 * 8, "meigen"), price.Amount);
        Assert.Contains("rate:", price.Reference, StringComparison.Ordinal); // rate and floor come from different sources
    }

    [Fact]
    public async Task QuoteAsync_ProviderOptionChangingTheTier_PricesWhatIsSent()
    {
        var request = new GenerationRequest("seedance-2-0", "p") { Resolution = "720p", DurationSeconds = 5 };
        request.ProviderOptions["meigen"] = new System.Text.Json.Nodes.JsonObject { ["tier"] = "pro" };

        var price = await QuoteAsync(request);

        Assert.False(price.IsKnown); // pro 720p is not in the docs; the fast 130 would be wrong
    }
}
