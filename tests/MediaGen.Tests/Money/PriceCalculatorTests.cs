namespace MediaGen.Tests.Money;

using Money = MediaGen.Money;

public class PriceCalculatorTests
{
    private static readonly PriceProvenance Docs = new(PriceSource.Snapshot, new DateOnly(2026, 11, 21), "meigen-generate-v2.rev1");

    [Fact]
    public void PerSecond_MeiGenSeedance720pFiveSeconds_Is130Credits()
    {
        var quote = PriceCalculator.PerSecond(Money.Credits(26m, "meigen"), 5, Docs, "720p");
        Assert.Equal(Money.Credits(130m, "meigen"), quote.Amount);
        Assert.Equal("5 s × 26 credits/s (720p)", quote.Basis);
        Assert.Equal(new DateOnly(2026, 11, 21), quote.AsOf);
    }

    [Fact]
    public void Continuation_MinimumBillableApplies_UsesMinimum()
    {
        var quote = PriceCalculator.Continuation(Money.Credits(8m, "meigen"), 3, 5, 9, Docs, "480p");
        Assert.Equal(Money.Credits(72m, "meigen"), quote.Amount);
        Assert.Equal("max(3 s + 5 s, 9 s) = 9 billable s × 8 credits/s (480p)", quote.Basis);
    }

    [Fact]
    public void Continuation_ReferencePlusDurationExceedsMinimum_UsesSum()
    {
        var quote = PriceCalculator.Continuation(Money.Credits(14m, "meigen"), 6.2, 5, 9, Docs);
        Assert.Equal(Money.Credits(14m * 12, "meigen"), quote.Amount);
    }

    [Fact]
    public void PerImage_Count_MultipliesAndSaysSo()
    {
        var quote = PriceCalculator.PerImage(Money.Credits(9m, "apiframe"), 3, Docs);
        Assert.Equal(Money.Credits(27m, "apiframe"), quote.Amount);
        Assert.Equal("3 images × 9 credits", quote.Basis);
    }

    [Fact]
    public void Multiply_ResolutionMultiplier_ExtendsBasis()
    {
        var quote = PriceCalculator.Multiply(PriceCalculator.PerGeneration(Money.Usd(0.30m), Docs), 3m, "4k");
        Assert.Equal(Money.Usd(0.90m), quote.Amount);
        Assert.EndsWith("× 3 (4k)", quote.Basis, StringComparison.Ordinal);
    }

    [Fact]
    public void Multiply_UnknownQuote_StaysUnknown()
    {
        var quote = PriceCalculator.Multiply(PriceQuote.Unknown("no price"), 3m, "4k");
        Assert.False(quote.IsKnown);
    }
}
