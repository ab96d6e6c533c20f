using System.Text.Json.Nodes;
using MediaGen.Apiframe.Tests.TestSupport;

namespace MediaGen.Apiframe.Tests.Internal;

/// <summary>
/// Apiframe's documented prices, quoted through <see cref="IMediaGenerator.QuoteAsync"/> offline. The wire parameters
/// go in as apiframe provider options, so each quote is of exactly those parameters (prices are read from the final
/// wire parameters).
/// </summary>
public sealed class PriceTableTests
{
    private static async Task<PriceQuote> QuoteAsync(string model, JsonObject parameters, IDictionary<string, decimal>? overrides = null)
    {
        var request = Af.Request(model);
        if (parameters.Count > 0)
        {
            request.ProviderOptions[ApiframeProvider.Name] = parameters;
        }

        using var apiframe = ApiframeProvider.Create(Af.Options(configure: o =>
        {
            foreach (var (id, credits) in overrides ?? new Dictionary<string, decimal>())
            {
                o.PriceOverrides[id] = credits;
            }
        }));
        return (await apiframe.QuoteAsync(request)).GetValueOrThrow().Price;
    }

    [Fact]
    public async Task QuoteAsync_Midjourney_16CreditsSnapshotWithSource()
    {
        var quote = await QuoteAsync("midjourney", []);

        Assert.Equal(Money.Credits(16, "apiframe"), quote.Amount);
        Assert.Equal(PriceSource.Snapshot, quote.Source);
        Assert.Equal(new DateOnly(2026, 11, 21), quote.AsOf);
        Assert.Contains("apiframe.ai/docs/images/midjourney", quote.Reference, StringComparison.Ordinal);
    }

    [Fact]
    public async Task QuoteAsync_QwenImage2_3Credits() => Assert.Equal(Money.Credits(3, "apiframe"), (await QuoteAsync("qwen-image-2", [])).Amount);

    [Theory]
    [InlineData("low", 1, 4)]
    [InlineData("medium", 1, 9)]
    [InlineData("auto", 1, 24)]
    [InlineData("high", 1, 24)]
    [InlineData("low", 10, 40)]
    [InlineData("high", 3, 72)]
    public async Task QuoteAsync_GptImage15_PerImageByQualityTimesCountFromNewerB3Table(string quality, int count, decimal expected)
    {
        var quote = await QuoteAsync("gpt-image-1.5", new JsonObject { ["quality"] = quality, ["number_of_images"] = count });

        Assert.Equal(Money.Credits(expected, "apiframe"), quote.Amount);
        Assert.Contains("B3", quote.Reference, StringComparison.Ordinal);
    }

    [Fact]
    public async Task QuoteAsync_GptImageWithoutQuality_IsPricedAtTheDocumentedAutoDefaultItSends()
    {
        var quote = await QuoteAsync("gpt-image-1.5", []);

        Assert.Equal(Money.Credits(24, "apiframe"), quote.Amount); // B3's auto, sent as quality "auto" so the bill matches
        Assert.Contains("B3", quote.Reference, StringComparison.Ordinal);
        Assert.Contains("A10", quote.Reference, StringComparison.Ordinal); // the quote names the other table too
    }

    [Theory]
    [InlineData(5, null, 25)]
    [InlineData(5, true, 25)]
    [InlineData(5, false, 15)]
    [InlineData(10, false, 25)]
    [InlineData(10, true, 40)]
    public async Task QuoteAsync_Kling26_ByDurationAndAudioDefaultingToAudio(int seconds, bool? audio, decimal expected)
    {
        var p = new JsonObject { ["duration"] = seconds };
        if (audio is { } a)
        {
            p["generate_audio"] = a;
        }

        Assert.Equal(Money.Credits(expected, "apiframe"), (await QuoteAsync("kling-2.6", p)).Amount);
    }

    [Theory]
    [InlineData("standard", 5, 3)]
    [InlineData("standard", 10, 5)]
    [InlineData("pro", 5, 5)]
    [InlineData(null, 10, 10)]
    public async Task QuoteAsync_Kling21_ByModeDefaultingToPro(string? mode, int seconds, decimal expected)
    {
        var p = new JsonObject { ["duration"] = seconds };
        if (mode is not null)
        {
            p["mode"] = mode;
        }

        Assert.Equal(Money.Credits(expected, "apiframe"), (await QuoteAsync("kling-2.1", p)).Amount);
    }

    [Theory]
    [InlineData(5, 4)]
    [InlineData(10, 7)]
    public async Task QuoteAsync_Kling25TurboPro_ByDuration(int seconds, decimal expected) =>
        Assert.Equal(Money.Credits(expected, "apiframe"), (await QuoteAsync("kling-2.5-turbo-pro", new JsonObject { ["duration"] = seconds })).Amount);

    [Theory]
    [InlineData("pro", true, 5, 35)]
    [InlineData("standard", false, 15, 45)]
    [InlineData("standard", true, 3, 12)]
    [InlineData("pro", false, 8, 40)]
    public async Task QuoteAsync_Kling30_PerSecondByModeAndAudio(string mode, bool audio, int seconds, decimal expected)
    {
        var quote = await QuoteAsync("kling-3.0", new JsonObject { ["duration"] = seconds, ["mode"] = mode, ["generate_audio"] = audio });

        Assert.Equal(Money.Credits(expected, "apiframe"), quote.Amount);
        Assert.Contains($"{seconds} s ×", quote.Basis, StringComparison.Ordinal);
    }

    [Fact]
    public async Task QuoteAsync_KlingWithoutDuration_Unknown() => Assert.False((await QuoteAsync("kling-2.6", [])).IsKnown);

    [Fact]
    public async Task QuoteAsync_Kling30WithoutAudioChoice_Unknown() =>
        Assert.False((await QuoteAsync("kling-3.0", new JsonObject { ["duration"] = 5, ["mode"] = "pro" })).IsKnown);

    [Theory]
    [InlineData("flux-2-pro")]
    [InlineData("nano-banana")]
    [InlineData("kling-2.1-master")]
    [InlineData("qwen-image-2-pro")]
    public async Task QuoteAsync_UndocumentedModel_UnknownNamingWhy(string model)
    {
        var quote = await QuoteAsync(model, []);

        Assert.Null(quote.Amount);
        Assert.Contains(model, quote.Basis, StringComparison.Ordinal);
    }

    [Fact]
    public async Task QuoteAsync_Override_WinsAndIsMarkedOverride()
    {
        var quote = await QuoteAsync("flux-2-pro", [], new Dictionary<string, decimal> { ["flux-2-pro"] = 6 });

        Assert.Equal(Money.Credits(6, "apiframe"), quote.Amount);
        Assert.Equal(PriceSource.Override, quote.Source);
    }
}
