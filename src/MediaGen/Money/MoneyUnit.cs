using System.Diagnostics.CodeAnalysis;

namespace MediaGen;

/// <summary>
/// The unit of a <see cref="Money"/> amount: an ISO 4217 currency (<see cref="Usd"/>) or one vendor's credits
/// (<c>MoneyUnit.Credits("meigen")</c>). Credits of different vendors are different units.
/// </summary>
public readonly struct MoneyUnit : IEquatable<MoneyUnit>
{
    private const string CreditsPrefix = "credits:";
    private readonly string? _code;

    private MoneyUnit(string code) => _code = code;

    /// <summary>US dollars.</summary>
    public static MoneyUnit Usd { get; } = new("USD");

    /// <summary>Gets the unit code: an ISO currency (<c>USD</c>) or <c>credits:{provider}</c>.</summary>
    public string Code => _code ?? string.Empty;

    /// <summary>Gets whether this unit is a vendor's credits.</summary>
    public bool IsCredits => Code.StartsWith(CreditsPrefix, StringComparison.Ordinal);

    /// <summary>Gets whether this unit is an ISO currency.</summary>
    public bool IsCurrency => !IsCredits && Code.Length == 3;

    /// <summary>Gets the vendor whose credits these are, or null for a currency.</summary>
    public string? CreditsProvider => IsCredits ? Code[CreditsPrefix.Length..] : null;

    /// <summary>One vendor's credits.</summary>
    /// <param name="provider">The vendor, e.g. <c>meigen</c>.</param>
    /// <returns>The unit.</returns>
    public static MoneyUnit Credits(string provider)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(provider);
        return new MoneyUnit(CreditsPrefix + provider.Trim().ToLowerInvariant());
    }

    /// <summary>An ISO 4217 currency.</summary>
    /// <param name="isoCode">Three letters, e.g. <c>USD</c>.</param>
    /// <returns>The unit.</returns>
    public static MoneyUnit Currency(string isoCode)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(isoCode);
        var code = isoCode.Trim().ToUpperInvariant();
        if (code.Length != 3 || !code.All(char.IsAsciiLetterUpper))
        {
            throw new ArgumentException($"'{isoCode}' is not an ISO 4217 currency code.", nameof(isoCode));
        }

        return new MoneyUnit(code);
    }

    /// <summary>Parses <c>USD</c> (or another ISO code) or <c>credits:{provider}</c>.</summary>
    /// <param name="code">The code.</param>
    /// <returns>The unit.</returns>
    public static MoneyUnit Parse(string code)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(code);
        return code.StartsWith(CreditsPrefix, StringComparison.OrdinalIgnoreCase)
            ? Credits(code[CreditsPrefix.Length..])
            : Currency(code);
    }

    /// <inheritdoc/>
    public bool Equals(MoneyUnit other) => string.Equals(Code, other.Code, StringComparison.Ordinal);

    /// <inheritdoc/>
    public override bool Equals([NotNullWhen(true)] object? obj) => obj is MoneyUnit other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(Code);

    /// <inheritdoc/>
    public override string ToString() => Code;

    /// <summary>Compares two units.</summary>
    /// <param name="left">The first.</param>
    /// <param name="right">The second.</param>
    public static bool operator ==(MoneyUnit left, MoneyUnit right) => left.Equals(right);

    /// <summary>Compares two units.</summary>
    /// <param name="left">The first.</param>
    /// <param name="right">The second.</param>
    public static bool operator !=(MoneyUnit left, MoneyUnit right) => !left.Equals(right);
}
