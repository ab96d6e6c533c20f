namespace MediaGen.Tests.Money;

using Money = MediaGen.Money;

public class MoneyTests
{
    [Fact]
    public void Add_SameUnit_SumsExactly()
    {
        var total = Money.Usd(0.1m) + Money.Usd(0.2m);
        Assert.Equal(Money.Usd(0.3m), total);
    }

    [Fact]
    public void Add_UsdAndCredits_ThrowsUnitMismatch()
    {
        var ex = Assert.Throws<MoneyUnitMismatchException>(() => Money.Usd(1m) + Money.Credits(1m, "meigen"));
        Assert.Contains("USD", ex.Message, StringComparison.Ordinal);
        Assert.Contains("credits:meigen", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Subtract_CreditsOfTwoVendors_ThrowsUnitMismatch()
    {
        Assert.Throws<MoneyUnitMismatchException>(() => Money.Credits(10m, "meigen") - Money.Credits(1m, "apiframe"));
    }

    [Fact]
    public void CompareTo_DifferentUnits_Throws()
    {
        Assert.Throws<MoneyUnitMismatchException>(() => Money.Usd(1m) < Money.Credits(5m, "meigen"));
    }

    [Fact]
    public void Comparison_SameUnit_OrdersByAmount()
    {
        Assert.True(Money.Usd(0.4m) < Money.Usd(1.42m));
        Assert.True(Money.Credits(72m, "meigen") >= Money.Credits(72m, "meigen"));
    }

    [Fact]
    public void Multiply_ByDecimal_KeepsUnitAndPrecision()
    {
        var price = Money.Usd(0.2288m) * 5;
        Assert.Equal(1.144m, price.Amount);
        Assert.Equal(MoneyUnit.Usd, price.Unit);
    }

    [Fact]
    public void Equals_SameAmountDifferentUnit_IsFalse()
    {
        Assert.NotEqual(Money.Usd(5m), Money.Credits(5m, "meigen"));
    }

    [Fact]
    public void Equals_TrailingZeros_IsTrueWithEqualHashCodes()
    {
        Assert.Equal(Money.Usd(1.0m), Money.Usd(1.00m));
        Assert.Equal(Money.Usd(1.0m).GetHashCode(), Money.Usd(1.00m).GetHashCode());
    }

    [Fact]
    public void ToString_UsdAndCredits_ReadsNaturally()
    {
        Assert.Equal("$1.42", Money.Usd(1.42m).ToString());
        Assert.Equal("72 credits (meigen)", Money.Credits(72m, "meigen").ToString());
    }

    [Fact]
    public void Constructor_DefaultUnit_Throws()
    {
        Assert.Throws<ArgumentException>(() => new Money(1m, default));
    }

    [Fact]
    public void MoneyUnitParse_CreditsAndCurrency_RoundTrips()
    {
        Assert.Equal(MoneyUnit.Credits("MeiGen"), MoneyUnit.Parse("credits:meigen"));
        Assert.Equal(MoneyUnit.Usd, MoneyUnit.Parse("usd"));
        Assert.Equal("meigen", MoneyUnit.Parse("credits:meigen").CreditsProvider);
        Assert.Throws<ArgumentException>(() => MoneyUnit.Parse("dollars"));
    }
}
