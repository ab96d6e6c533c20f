namespace MediaGen.Tests.Money;

using Money = MediaGen.Money;

public class ExchangeRatesTests
{
    [Fact]
    public void ToUsd_ConfiguredCreditRate_Converts()
    {
        var rates = new ExchangeRates().SetUsdPerCredit("meigen", 0.012m);
        Assert.Equal(Money.Usd(0.864m), rates.ToUsd(Money.Credits(72m, "meigen")));
    }

    [Fact]
    public void ToUsd_NoRateForUnit_IsUnknownNotZero()
    {
        var rates = new ExchangeRates().SetUsdPerCredit("meigen", 0.012m);
        Assert.Null(rates.ToUsd(Money.Credits(16m, "apiframe")));
    }

    [Fact]
    public void ToUsd_Usd_IsIdentity()
    {
        Assert.Equal(Money.Usd(1.42m), ExchangeRates.None.ToUsd(Money.Usd(1.42m)));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-0.01)]
    public void Set_NonPositiveRate_Throws(double rate)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new ExchangeRates().SetUsdPerCredit("meigen", (decimal)rate));
    }

    [Fact]
    public void Set_OnSharedNone_Throws()
    {
        Assert.Throws<InvalidOperationException>(() => ExchangeRates.None.SetUsdPerCredit("meigen", 0.01m));
    }
}
