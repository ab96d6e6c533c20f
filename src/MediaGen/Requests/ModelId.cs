using System.Diagnostics.CodeAnalysis;

namespace MediaGen;

/// <summary>
/// Identifies a model: either a canonical MediaGen slug (e.g. <c>nano-banana-2</c>) or a vendor's own id
/// (which routes to that vendor only). An open vocabulary: any non-empty string is a valid id.
/// </summary>
/// <remarks>Comparison is ordinal and case-insensitive; the original spelling is preserved.</remarks>
public readonly struct ModelId : IEquatable<ModelId>
{
    private readonly string? _value;

    /// <summary>Creates a model id.</summary>
    /// <param name="value">The id; must not be null or white space.</param>
    /// <exception cref="ArgumentException"><paramref name="value"/> is null, empty or white space.</exception>
    public ModelId(string value)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(value);
        _value = value.Trim();
    }

    /// <summary>Gets the id as written. <see langword="default"/> yields an empty string.</summary>
    public string Value => _value ?? string.Empty;

    /// <summary>Gets whether this is the default (empty) id.</summary>
    public bool IsEmpty => string.IsNullOrEmpty(_value);

    /// <summary>Converts a string to a model id.</summary>
    /// <param name="value">The id.</param>
    public static implicit operator ModelId(string value) => new(value);

    /// <inheritdoc/>
    public bool Equals(ModelId other) => string.Equals(Value, other.Value, StringComparison.OrdinalIgnoreCase);

    /// <inheritdoc/>
    public override bool Equals([NotNullWhen(true)] object? obj) => obj is ModelId other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode() => StringComparer.OrdinalIgnoreCase.GetHashCode(Value);

    /// <inheritdoc/>
    public override string ToString() => Value;

    /// <summary>Compares two ids.</summary>
    /// <param name="left">The first id.</param>
    /// <param name="right">The second id.</param>
    public static bool operator ==(ModelId left, ModelId right) => left.Equals(right);

    /// <summary>Compares two ids.</summary>
    /// <param name="left">The first id.</param>
    /// <param name="right">The second id.</param>
    public static bool operator !=(ModelId left, ModelId right) => !left.Equals(right);

    /// <summary>Creates a model id from a string (the named alternative to the implicit conversion).</summary>
    /// <param name="value">The id.</param>
    public static ModelId FromString(string value) => new(value);
}
