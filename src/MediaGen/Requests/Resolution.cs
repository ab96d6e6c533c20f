using System.Diagnostics.CodeAnalysis;

namespace MediaGen;

/// <summary>
/// An output resolution: image sizes (<c>0.5K</c>, <c>1K</c>, <c>2K</c>, <c>3K</c>, <c>4K</c>) or video
/// heights (<c>480p</c>, <c>720p</c>, <c>1080p</c>, <c>4k</c>). An open vocabulary; comparison ignores case,
/// so <c>4K</c> and <c>4k</c> are the same setting and each vendor's translator writes its own spelling.
/// </summary>
public readonly struct Resolution : IEquatable<Resolution>
{
    private readonly string? _value;

    /// <summary>Creates a resolution.</summary>
    /// <param name="value">The resolution, e.g. <c>2K</c> or <c>720p</c>.</param>
    public Resolution(string value)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(value);
        _value = value.Trim();
    }

    /// <summary>0.5K image.</summary>
    public static Resolution HalfK { get; } = new("0.5K");

    /// <summary>1K image.</summary>
    public static Resolution OneK { get; } = new("1K");

    /// <summary>2K image.</summary>
    public static Resolution TwoK { get; } = new("2K");

    /// <summary>3K image.</summary>
    public static Resolution ThreeK { get; } = new("3K");

    /// <summary>4K image or video.</summary>
    public static Resolution FourK { get; } = new("4K");

    /// <summary>480p video.</summary>
    public static Resolution P480 { get; } = new("480p");

    /// <summary>720p video.</summary>
    public static Resolution P720 { get; } = new("720p");

    /// <summary>1080p video.</summary>
    public static Resolution P1080 { get; } = new("1080p");

    /// <summary>Gets the resolution as written.</summary>
    public string Value => _value ?? string.Empty;

    /// <summary>Converts a string to a resolution.</summary>
    /// <param name="value">The text.</param>
    public static implicit operator Resolution(string value) => new(value);

    /// <summary>Creates a resolution from a string (the named alternative to the implicit conversion).</summary>
    /// <param name="value">The text.</param>
    public static Resolution FromString(string value) => new(value);

    /// <inheritdoc/>
    public bool Equals(Resolution other) => string.Equals(Value, other.Value, StringComparison.OrdinalIgnoreCase);

    /// <inheritdoc/>
    public override bool Equals([NotNullWhen(true)] object? obj) => obj is Resolution other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode() => StringComparer.OrdinalIgnoreCase.GetHashCode(Value);

    /// <inheritdoc/>
    public override string ToString() => Value;

    /// <summary>Compares two resolutions.</summary>
    /// <param name="left">The first.</param>
    /// <param name="right">The second.</param>
    public static bool operator ==(Resolution left, Resolution right) => left.Equals(right);

    /// <summary>Compares two resolutions.</summary>
    /// <param name="left">The first.</param>
    /// <param name="right">The second.</param>
    public static bool operator !=(Resolution left, Resolution right) => !left.Equals(right);
}
