using System.Globalization;

namespace MediaGen;

/// <summary>
/// An exact amount in one <see cref="MoneyUnit"/>. Arithmetic and comparison work only within a unit:
/// mixing USD with credits (or one vendor's credits with another's) throws <see cref="MoneyUnitMismatchException"/>.
/// </summary>
public readonly struct Money : IEquatable<Money>, IComparable<Money>
{
    /// <summary>Creates an amount.</summary>
    /// <param name="amount">The amount.</param>
    /// <param name="unit">The unit.</param>
    public Money(decimal amount, MoneyUnit unit)
    {
        if (string.IsNullOrEmpty(unit.Code))
        {
            throw new ArgumentException("A money amount needs a unit.", nameof(unit));
        }

        Amount = amount;
        Unit = unit;
    }

    /// <summary>Gets the amount.</summary>
    public decimal Amount { get; }

    /// <summary>Gets the unit.</summary>
    public MoneyUnit Unit { get; }

    /// <summary>An amount of US dollars.</summary>
    /// <param name="amount">The amount.</param>
    /// <returns>The money.</returns>
    public static Money Usd(decimal amount) => new(amount, MoneyUnit.Usd);

    /// <summary>An amount of one vendor's credits.</summary>
    /// <param name="amount">The amount.</param>
    /// <param name="provider">The vendor.</param>
    /// <returns>The money.</returns>
    public static Money Credits(decimal amount, string provider) => new(amount, MoneyUnit.Credits(provider));

    /// <summary>Zero in a unit.</summary>
    /// <param name="unit">The unit.</param>
    /// <returns>The money.</returns>
    public static Money Zero(MoneyUnit unit) => new(0m, unit);

    /// <summary>Adds two amounts of the same unit.</summary>
    /// <param name="left">The first.</param>
    /// <param name="right">The second.</param>
    public static Money operator +(Money left, Money right)
    {
        EnsureSameUnit(left, right, "add");
        return new Money(left.Amount + right.Amount, left.Unit);
    }

    /// <summary>Subtracts two amounts of the same unit.</summary>
    /// <param name="left">The first.</param>
    /// <param name="right">The second.</param>
    public static Money operator -(Money left, Money right)
    {
        EnsureSameUnit(left, right, "subtract");
        return new Money(left.Amount - right.Amount, left.Unit);
    }

    /// <summary>Scales an amount.</summary>
    /// <param name="money">The amount.</param>
    /// <param name="factor">The factor.</param>
    public static Money operator *(Money money, decimal factor) => new(money.Amount * factor, money.Unit);

    /// <summary>Scales an amount.</summary>
    /// <param name="factor">The factor.</param>
    /// <param name="money">The amount.</param>
    public static Money operator *(decimal factor, Money money) => new(money.Amount * factor, money.Unit);

    /// <summary>Adds two amounts (named alternative to <c>+</c>).</summary>
    /// <param name="left">The first.</param>
    /// <param name="right">The second.</param>
    /// <returns>The sum.</returns>
    public static Money Add(Money left, Money right) => left + right;

    /// <summary>Subtracts two amounts (named alternative to <c>-</c>).</summary>
    /// <param name="left">The first.</param>
    /// <param name="right">The second.</param>
    /// <returns>The difference.</returns>
    public static Money Subtract(Money left, Money right) => left - right;

    /// <summary>Scales an amount (named alternative to <c>*</c>).</summary>
    /// <param name="money">The amount.</param>
    /// <param name="factor">The factor.</param>
    /// <returns>The product.</returns>
    public static Money Multiply(Money money, decimal factor) => money * factor;

    /// <inheritdoc/>
    /// <exception cref="MoneyUnitMismatchException">The units differ.</exception>
    public int CompareTo(Money other)
    {
        EnsureSameUnit(this, other, "compare");
        return Amount.CompareTo(other.Amount);
    }

    /// <summary>Compares amounts of the same unit.</summary>
    /// <param name="left">The first.</param>
    /// <param name="right">The second.</param>
    public static bool operator <(Money left, Money right) => left.CompareTo(right) < 0;

    /// <summary>Compares amounts of the same unit.</summary>
    /// <param name="left">The first.</param>
    /// <param name="right">The second.</param>
    public static bool operator >(Money left, Money right) => left.CompareTo(right) > 0;

    /// <summary>Compares amounts of the same unit.</summary>
    /// <param name="left">The first.</param>
    /// <param name="right">The second.</param>
    public static bool operator <=(Money left, Money right) => left.CompareTo(right) <= 0;

    /// <summary>Compares amounts of the same unit.</summary>
    /// <param name="left">The first.</param>
    /// <param name="right">The second.</param>
    public static bool operator >=(Money left, Money right) => left.CompareTo(right) >= 0;

    /// <summary>Equal when both amount and unit are equal (1.0 USD equals 1.00 USD; 5 credits never equals 5 USD).</summary>
    /// <param name="other">The other amount.</param>
    /// <returns>Whether they are equal.</returns>
    public bool Equals(Money other) => Unit == other.Unit && Amount == other.Amount;

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is Money other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(Amount / 1.000000000000000000000000000000000m, Unit);

    /// <summary>Compares two amounts.</summary>
    /// <param name="left">The first.</param>
    /// <param name="right">The second.</param>
    public static bool operator ==(Money left, Money right) => left.Equals(right);

    /// <summary>Compares two amounts.</summary>
    /// <param name="left">The first.</param>
    /// <param name="right">The second.</param>
    public static bool operator !=(Money left, Money right) => !left.Equals(right);

    /// <summary>Formats as <c>$1.42</c> for USD, <c>72 credits (meigen)</c> for credits, <c>1.42 EUR</c> otherwise.</summary>
    /// <returns>The text.</returns>
    public override string ToString()
    {
        var amount = Amount.ToString("0.############", CultureInfo.InvariantCulture);
        if (Unit == MoneyUnit.Usd)
        {
            return Amount < 0 ? "-$" + amount.TrimStart('-') : "$" + amount;
        }

        return Unit.IsCredits ? $"{amount} credits ({Unit.CreditsProvider})" : $"{amount} {Unit.Code}";
    }

    private static void EnsureSameUnit(Money left, Money right, string operation)
    {
        if (left.Unit != right.Unit)
        {
            throw new MoneyUnitMismatchException(left.Unit, right.Unit, operation);
        }
    }
}

/// <summary>Thrown when amounts of different units are combined or compared.</summary>
public sealed class MoneyUnitMismatchException : InvalidOperationException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="left">The first unit.</param>
    /// <param name="right">The second unit.</param>
    /// <param name="operation">What was attempted.</param>
    public MoneyUnitMismatchException(MoneyUnit left, MoneyUnit right, string operation)
        : base($"Cannot {operation} {left} and {right}: convert both to one unit first (see ExchangeRates).")
    {
        Left = left;
        Right = right;
    }

    /// <summary>Gets the first unit.</summary>
    public MoneyUnit Left { get; }

    /// <summary>Gets the second unit.</summary>
    public MoneyUnit Right { get; }
}
