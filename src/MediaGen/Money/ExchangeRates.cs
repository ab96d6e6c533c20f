namespace MediaGen;

/// <summary>
/// User-configured conversion rates to US dollars (e.g. one vendor's credits at $0.012). MediaGen never guesses a
/// rate: a unit without one converts to <see langword="null"/> (unknown), never to 0.
/// </summary>
public sealed class ExchangeRates
{
    private readonly Dictionary<MoneyUnit, decimal> _usdPerUnit = new() { [MoneyUnit.Usd] = 1m };

    /// <summary>Gets rates with none configured (only USD converts).</summary>
    public static ExchangeRates None { get; } = new();

    /// <summary>Sets the USD value of one unit.</summary>
    /// <param name="unit">The unit (credits or a currency).</param>
    /// <param name="usdPerUnit">US dollars per one unit; must be positive.</param>
    /// <returns>This instance.</returns>
    public ExchangeRates Set(MoneyUnit unit, decimal usdPerUnit)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(usdPerUnit);
        if (unit == MoneyUnit.Usd && usdPerUnit != 1m)
        {
            throw new ArgumentException("USD converts to USD at 1.", nameof(usdPerUnit));
        }

        if (ReferenceEquals(this, None))
        {
            throw new InvalidOperationException("ExchangeRates.None is shared and read-only; create a new ExchangeRates.");
        }

        _usdPerUnit[unit] = usdPerUnit;
        return this;
    }

    /// <summary>Sets the USD value of one credit of a vendor.</summary>
    /// <param name="provider">The vendor.</param>
    /// <param name="usdPerCredit">US dollars per credit.</param>
    /// <returns>This instance.</returns>
    public ExchangeRates SetUsdPerCredit(string provider, decimal usdPerCredit) => Set(MoneyUnit.Credits(provider), usdPerCredit);

    /// <summary>Gets the USD value of one unit, or null when no rate is configured.</summary>
    /// <param name="unit">The unit.</param>
    /// <returns>The rate, or null.</returns>
    public decimal? GetUsdPerUnit(MoneyUnit unit) => _usdPerUnit.TryGetValue(unit, out var rate) ? rate : null;

    /// <summary>Converts an amount to USD, or returns null when its unit has no configured rate.</summary>
    /// <param name="money">The amount.</param>
    /// <returns>The USD amount, or null (unknown).</returns>
    public Money? ToUsd(Money money) => GetUsdPerUnit(money.Unit) is { } rate ? Money.Usd(money.Amount * rate) : null;
}
