using MediaGen.Replicate.Tests.TestSupport;
using MediaGen.Routing;
using MediaGen.Testing;

namespace MediaGen.Replicate.Tests;

/// <summary>Quotes: USD per image where a price was found, unknown (never 0) otherwise, with source and date on every one.</summary>
public sealed class ReplicateQuoteTests
{
    [Fact]
    public async Task QuoteAsync_FluxSchnellFourImages_IsFourTimesThePerImagePrice()
    {
        using var provider = Stubbed.Create(new StubHttpHandler());

        var quote = (await provider.QuoteAsync(new GenerationRequest("black-forest-labs/flux-schnell", "a fox") { Count = 4 })).GetValueOrThrow();

        Assert.Equal(Money.Usd(0.012m), quote.Price.Amount);
        Assert.Equal(PriceSource.Snapshot, quote.Price.Source);
        Assert.NotNull(quote.Price.AsOf);
        Assert.Contains("cinemasetfree.com", quote.Price.Reference, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("google/nano-banana-pro")]
    [InlineData("google/veo-3.1")]
    [InlineData("bytedance/seedance-2.0")]
    [InlineData("openai/sora-2")]
    public async Task QuoteAsync_ModelWithoutAPublishedPrice_IsUnknownNeverZeroWithItsSource(string model)
    {
        using var provider = Stubbed.Create(new StubHttpHandler());

        var quote = (await provider.QuoteAsync(new GenerationRequest(model, "a fox"))).GetValueOrThrow();

        Assert.False(quote.Price.IsKnown);
        Assert.Null(quote.Price.Amount);
        Assert.Contains("NOT FOUND", quote.Price.Reference, StringComparison.Ordinal);
        Assert.NotNull(quote.Price.AsOf);
    }

    [Fact]
    public async Task QuoteAsync_AnyModel_NotesTheOneHourOutputRetention()
    {
        using var provider = Stubbed.Create(new StubHttpHandler());

        var quote = (await provider.QuoteAsync(new GenerationRequest("black-forest-labs/flux-1.1-pro", "a fox"))).GetValueOrThrow();

        Assert.Equal(Money.Usd(0.04m), quote.Price.Amount);
        Assert.Contains("1 hour after completion", quote.Price.Basis, StringComparison.Ordinal);
    }

    [Fact]
    public async Task QuoteAsync_PriceOverride_Wins()
    {
        using var provider = Stubbed.Create(new StubHttpHandler(), o => o.PriceOverrides["google/nano-banana-pro"] = new PriceOverride { Price = 0.15m, Per = PricePer.Image });

        var quote = (await provider.QuoteAsync(new GenerationRequest("google/nano-banana-pro", "a fox"))).GetValueOrThrow();

        Assert.Equal(Money.Usd(0.15m), quote.Price.Amount);
    }

    [Fact]
    public async Task QuoteAsync_UnknownModel_NamesTheKnownOnes()
    {
        using var provider = Stubbed.Create(new StubHttpHandler());

        var result = await provider.QuoteAsync(new GenerationRequest("someone/some-model", "a fox"));

        var error = Assert.IsType<InvalidRequestError>(result.Error);
        Assert.Contains("google/nano-banana-pro", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task QuoteAsync_SettingsAModelLacks_AreDroppedAndReported()
    {
        using var provider = Stubbed.Create(new StubHttpHandler());

        var quote = (await provider.QuoteAsync(new GenerationRequest("google/nano-banana", "a fox") { AspectRatio = "16:9", Seed = 3 })).GetValueOrThrow();

        Assert.Contains(quote.Translation.Entries, e => e.Field == "AspectRatio" && e.Action == TranslationAction.Dropped);
        Assert.Contains(quote.Translation.Entries, e => e.Field == "Seed" && e.Action == TranslationAction.Dropped);
    }

    [Fact]
    public void GetService_CanonicalMappings_MapEveryOverlappingSlugWithAReason()
    {
        using var provider = Stubbed.Create(new StubHttpHandler());

        var mappings = Assert.IsType<ProviderModelMappings>(provider.GetService(typeof(ProviderModelMappings)));

        Assert.Contains(mappings.Mappings, m => m.Canonical == new ModelId("nano-banana-pro") && m.VendorModel == new ModelId("google/nano-banana-pro"));
        Assert.Contains(mappings.Mappings, m => m.Canonical == new ModelId("veo-3.1") && m.Tier == GenerationTier.Fast && m.VendorModel == new ModelId("google/veo-3.1-fast"));
        Assert.All(mappings.Mappings, m => Assert.False(string.IsNullOrWhiteSpace(m.Reason)));
    }

    [Fact]
    public void GetService_Metadata_SaysUsdNoIdempotencyAndWebhooks()
    {
        using var provider = Stubbed.Create(new StubHttpHandler());

        var metadata = Assert.IsType<ProviderMetadata>(provider.GetService(typeof(ProviderMetadata)));

        Assert.Equal("replicate", metadata.Name);
        Assert.Equal(MoneyUnit.Usd, metadata.BillingUnit);
        Assert.False(metadata.DedupesByIdempotencyKey);
        Assert.True(metadata.PushesWebhooks);
    }
}
