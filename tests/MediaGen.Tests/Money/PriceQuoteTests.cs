namespace MediaGen.Tests.Money;

using Money = MediaGen.Money;

public class PriceQuoteTests
{
    [Fact]
    public void Unknown_HasNoAmountAndKeepsReason()
    {
        var quote = PriceQuote.Unknown("the docs give no price for happyhorse-1.0");
        Assert.False(quote.IsKnown);
        Assert.Null(quote.Amount);
        Assert.Equal(PriceSource.Unknown, quote.Source);
        Assert.StartsWith("unknown", quote.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void WithUsd_CreditsWithoutRate_LeavesUsdUnknown()
    {
        var quote = PriceCalculator.PerGeneration(Money.Credits(5m, "meigen"), new PriceProvenance(PriceSource.Snapshot, null, null));
        var priced = quote.WithUsd(ExchangeRates.None);
        Assert.True(priced.IsKnown);
        Assert.Null(priced.Usd);
    }

    [Fact]
    public void WithUsd_CreditsWithRate_FillsUsd()
    {
        var quote = PriceCalculator.PerGeneration(Money.Credits(5m, "meigen"), new PriceProvenance(PriceSource.Snapshot, null, null));
        var priced = quote.WithUsd(new ExchangeRates().SetUsdPerCredit("meigen", 0.01m));
        Assert.Equal(Money.Usd(0.05m), priced.Usd);
    }

    [Fact]
    public void WithUsd_UnknownQuote_StaysUnknown()
    {
        var priced = PriceQuote.Unknown("no price").WithUsd(new ExchangeRates().SetUsdPerCredit("meigen", 0.01m));
        Assert.Null(priced.Usd);
        Assert.False(priced.IsKnown);
    }
}
