using System.Diagnostics.CodeAnalysis;

namespace MediaGen;

/// <summary>A price/quality tier of a model (<c>mini</c>, <c>fast</c>, <c>pro</c>). Open vocabulary, case-insensitive.</summary>
public readonly struct GenerationTier : IEquatable<GenerationTier>
{
    private readonly string? _value;

    /// <summary>Creates a tier.</summary>
    /// <param name="value">The tier name.</param>
    public GenerationTier(string value)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(value);
        _value = value.Trim().ToLowerInvariant();
    }

    /// <summary>The cheapest tier, where a model has one (Seedance 2.0 does).</summary>
    public static GenerationTier Mini { get; } = new("mini");

    /// <summary>The fast tier.</summary>
    public static GenerationTier Fast { get; } = new("fast");

    /// <summary>The professional (highest fidelity) tier.</summary>
    public static GenerationTier Pro { get; } = new("pro");

    /// <summary>Gets the tier name (lower case).</summary>
    public string Value => _value ?? string.Empty;

    /// <summary>Converts a string to a tier.</summary>
    /// <param name="value">The text.</param>
    public static implicit operator GenerationTier(string value) => new(value);

    /// <summary>Creates a tier from a string.</summary>
    /// <param name="value">The text.</param>
    public static GenerationTier FromString(string value) => new(value);

    /// <inheritdoc/>
    public bool Equals(GenerationTier other) => string.Equals(Value, other.Value, StringComparison.Ordinal);

    /// <inheritdoc/>
    public override bool Equals([NotNullWhen(true)] object? obj) => obj is GenerationTier other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(Value);

    /// <inheritdoc/>
    public override string ToString() => Value;

    /// <summary>Compares two tiers.</summary>
    /// <param name="left">The first.</param>
    /// <param name="right">The second.</param>
    public static bool operator ==(GenerationTier left, GenerationTier right) => left.Equals(right);

    /// <summary>Compares two tiers.</summary>
    /// <param name="left">The first.</param>
    /// <param name="right">The second.</param>
    public static bool operator !=(GenerationTier left, GenerationTier right) => !left.Equals(right);
}
