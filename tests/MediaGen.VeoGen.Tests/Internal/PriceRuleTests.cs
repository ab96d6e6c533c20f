using MediaGen.Testing;
using MediaGen.VeoGen.Tests.TestSupport;

namespace MediaGen.VeoGen.Tests.Internal;

/// <summary>Every documented price rule, quoted through <see cref="IMediaGenerator.QuoteAsync"/>, with exact decimals.</summary>
public sealed class PriceRuleTests
{
    private readonly IMediaGenerator _veogen = Stubbed.Create(new StubHttpHandler());

    [Theory]
    [InlineData("seedance-2.0", "720p", 5, "1.42")]
    [InlineData("seedance-2.0", "480p", 5, "0.66")]
    [InlineData("seedance-2.0-fast", "480p", 10, "1.056")]
    [InlineData("seedance-2.0-fast", "720p", 5, "1.144")]
    [InlineData("grok-video-1", null, 6, "0.18")]
    [InlineData("grok-video-1", null, 30, "0.90")]
    public async Task QuoteAsync_PerSecondModels_MultipliesTheRateByTheDuration(string model, string? resolution, int seconds, string expected)
    {
        var quote = await QuoteAsync(new GenerationRequest(model, "A cat") { Resolution = resolution is null ? (Resolution?)null : new Resolution(resolution), DurationSeconds = seconds });

        Assert.Equal(Money.Usd(decimal.Parse(expected, System.Globalization.CultureInfo.InvariantCulture)), quote.Amount);
        Assert.Equal(PriceSource.Snapshot, quote.Source);
        Assert.Equal(new DateOnly(2026, 11, 21), quote.AsOf);
        Assert.Contains($"{seconds} s", quote.Basis, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("seedance-2.0", "480p", "0.40")]
    [InlineData("seedance-2.0", "720p", "0.856")]
    [InlineData("seedance-2.0-fast", "480p", "0.316")]
    [InlineData("seedance-2.0-fast", "720p", "0.68")]
    public async Task QuoteAsync_SeedanceWithReferenceVideo_UsesTheDiscountedRate(string model, string resolution, string expected)
    {
        var request = new GenerationRequest(model, "A cat") { Resolution = resolution, DurationSeconds = 5 };
        request.ReferenceVideos.Add(new ReferenceVideo(new Uri("https://example.com/ref.mp4")));

        var quote = await QuoteAsync(request);

        Assert.Equal(Money.Usd(decimal.Parse(expected, System.Globalization.CultureInfo.InvariantCulture)), quote.Amount);
        Assert.Contains("reference-video rate", quote.Basis, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null, "0.30")]
    [InlineData("720p", "0.30")]
    [InlineData("1080p", "0.30")]
    [InlineData("4k", "0.90")]
    [InlineData("4K", "0.90")]
    public async Task QuoteAsync_Veo31Fast_AppliesTheResolutionMultiplier(string? resolution, string expected)
    {
        var quote = await QuoteAsync(new GenerationRequest("veo-3.1-fast", "A cat") { Resolution = resolution is null ? (Resolution?)null : new Resolution(resolution) });

        Assert.Equal(Money.Usd(decimal.Parse(expected, System.Globalization.CultureInfo.InvariantCulture)), quote.Amount);
    }

    [Fact]
    public async Task QuoteAsync_Veo4k_SaysTheMultiplierInTheBasis()
    {
        var quote = await QuoteAsync(new GenerationRequest("veo-3.1-fast", "A cat") { Resolution = "4k" });

        Assert.Equal("flat $0.3 per generation × 3 (4k)", quote.Basis);
    }

    [Fact]
    public async Task QuoteAsync_Gpt4oImage_IsTwoCents()
    {
        var quote = await QuoteAsync(new GenerationRequest("gpt-4o-image", "A cat"));

        Assert.Equal(Money.Usd(0.02m), quote.Amount);
        Assert.Equal(MoneyUnit.Usd, quote.Amount!.Value.Unit);
    }

    [Theory]
    [InlineData("sora-2", 10)]
    [InlineData("sora-2-pro", 25)]
    [InlineData("seedream-4.5", null)]
    [InlineData("nano-banana-pro", null)]
    [InlineData("nano-banana-2", null)]
    [InlineData("seedream-5.0-lite", null)]
    public async Task QuoteAsync_ModelWithoutADocumentedPrice_IsUnknownNeverZero(string model, int? seconds)
    {
        var quote = await QuoteAsync(new GenerationRequest(model, "A cat") { DurationSeconds = seconds });

        Assert.False(quote.IsKnown);
        Assert.Null(quote.Amount);
        Assert.Equal(PriceSource.Unknown, quote.Source);
        Assert.Contains(model, quote.Basis, StringComparison.Ordinal);
    }

    [Fact]
    public async Task QuoteAsync_SeedanceWithoutResolution_IsUnknownBecauseTheDefaultIsUndocumented()
    {
        var quote = await QuoteAsync(new GenerationRequest("seedance-2.0", "A cat") { DurationSeconds = 5 });

        Assert.False(quote.IsKnown);
        Assert.Contains("set Resolution", quote.Basis, StringComparison.Ordinal);
    }

    [Fact]
    public async Task QuoteAsync_PerSecondWithoutDuration_IsUnknown()
    {
        var quote = await QuoteAsync(new GenerationRequest("grok-video-1", "A cat"));

        Assert.False(quote.IsKnown);
        Assert.Contains("DurationSeconds", quote.Basis, StringComparison.Ordinal);
    }

    [Fact]
    public async Task QuoteAsync_ResolutionWithoutAKnownMultiplier_IsUnknown()
    {
        var quote = await QuoteAsync(new GenerationRequest("gpt-4o-image", "A cat") { Resolution = "2K" });

        Assert.False(quote.IsKnown);
        Assert.Contains("multiplier for 2K", quote.Basis, StringComparison.Ordinal);
    }

    [Fact]
    public async Task QuoteAsync_PriceOverride_WinsOverTheSnapshot()
    {
        var price = new PriceOverride { Price = 0.25m, Per = PricePer.Generation };
        price.ResolutionMultipliers["4k"] = 2m;
        var veogen = Stubbed.Create(new StubHttpHandler(), o => o.PriceOverrides["veo-3.1-fast"] = price);

        var quote = (await veogen.QuoteAsync(new GenerationRequest("veo-3.1-fast", "A cat") { Resolution = "4k" })).GetValueOrThrow().Price;

        Assert.Equal(Money.Usd(0.50m), quote.Amount);
        Assert.Equal(PriceSource.Override, quote.Source);
    }

    [Fact]
    public async Task QuoteAsync_UnknownSnapshotPrice_IsReadFromTheModelsEndpoint()
    {
        var handler = new StubHttpHandler().Enqueue(200, """
            {"data":{"slug":"sora-2","label":"Sora 2","type":"video","price_usd":0.50,"multiply_by_duration":false,
             "resolution_multipliers":{"720p":1},"supported_params":["prompt","duration","aspect_ratio","resolution","image_urls","style","watermark","private"],
             "aspect_ratios":["16:9","9:16"],"resolutions":["720p"],"durations":[10,15],"modes":[]}}
            """);
        var veogen = Stubbed.Create(handler, o => o.UseLiveCatalog = true);

        var first = (await veogen.QuoteAsync(new GenerationRequest("sora-2", "A cat") { DurationSeconds = 10 })).GetValueOrThrow();
        var second = (await veogen.QuoteAsync(new GenerationRequest("sora-2", "A dog") { DurationSeconds = 15 })).GetValueOrThrow();

        Assert.Equal(Money.Usd(0.50m), first.Price.Amount);
        Assert.Equal(PriceSource.Live, first.Price.Source);
        Assert.Equal(Money.Usd(0.50m), second.Price.Amount);
        Assert.Equal([new AspectRatio[] { "16:9", "9:16" }], [first.Capabilities.AspectRatios.ToArray()]);
        var only = Assert.Single(handler.Requests);
        Assert.Equal("https://veogen.studio/api/v1/models/sora-2", only.Uri.AbsoluteUri);
    }

    [Fact]
    public async Task QuoteAsync_UnknownBecauseTheRequestLacksASetting_DoesNotAskTheModelsEndpoint()
    {
        var handler = new StubHttpHandler();
        var veogen = Stubbed.Create(handler, o => o.UseLiveCatalog = true);

        var seedance = (await veogen.QuoteAsync(new GenerationRequest("seedance-2.0", "A cat") { DurationSeconds = 5 })).GetValueOrThrow().Price;
        var grok = (await veogen.QuoteAsync(new GenerationRequest("grok-video-1", "A cat"))).GetValueOrThrow().Price;

        Assert.False(seedance.IsKnown);
        Assert.False(grok.IsKnown);
        Assert.Empty(handler.Requests);
    }

    [Fact]
    public async Task QuoteAsync_ModelsEndpointFails_StaysUnknownAndSaysWhy()
    {
        var handler = new StubHttpHandler().Enqueue(500, "{\"message\":\"Server Error\"}");
        var veogen = Stubbed.Create(handler, o => o.UseLiveCatalog = true);

        var quote = (await veogen.QuoteAsync(new GenerationRequest("sora-2", "A cat") { DurationSeconds = 10 })).GetValueOrThrow().Price;

        Assert.False(quote.IsKnown);
        Assert.Contains("models endpoint did not supply it", quote.Basis, StringComparison.Ordinal);
    }

    private async Task<PriceQuote> QuoteAsync(GenerationRequest request) => (await _veogen.QuoteAsync(request)).GetValueOrThrow().Price;
}
