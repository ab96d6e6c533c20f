using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace MediaGen;

/// <summary>
/// An output aspect ratio: <see cref="Auto"/> (the vendor picks), <see cref="Adaptive"/> (match the
/// reference media), or an explicit <c>W:H</c> such as <c>16:9</c>.
/// </summary>
public readonly struct AspectRatio : IEquatable<AspectRatio>
{
    private readonly string? _value;

    private AspectRatio(string value, int width, int height)
    {
        _value = value;
        Width = width;
        Height = height;
    }

    /// <summary>Let the vendor pick a suitable ratio (some vendors' default).</summary>
    public static AspectRatio Auto { get; } = new("auto", 0, 0);

    /// <summary>Match the dimensions of the reference image or video (Seedance only; needs a reference).</summary>
    public static AspectRatio Adaptive { get; } = new("adaptive", 0, 0);

    /// <summary>1:1.</summary>
    public static AspectRatio Square { get; } = new("1:1", 1, 1);

    /// <summary>16:9.</summary>
    public static AspectRatio Landscape16x9 { get; } = new("16:9", 16, 9);

    /// <summary>9:16.</summary>
    public static AspectRatio Portrait9x16 { get; } = new("9:16", 9, 16);

    /// <summary>Gets the ratio as written on the wire, e.g. <c>16:9</c> or <c>auto</c>.</summary>
    public string Value => _value ?? string.Empty;

    /// <summary>Gets the width part of an explicit ratio; 0 for <c>auto</c> and <c>adaptive</c>.</summary>
    public int Width { get; }

    /// <summary>Gets the height part of an explicit ratio; 0 for <c>auto</c> and <c>adaptive</c>.</summary>
    public int Height { get; }

    /// <summary>Gets whether this is <see cref="Auto"/>.</summary>
    public bool IsAuto => Value == "auto";

    /// <summary>Gets whether this is <see cref="Adaptive"/>.</summary>
    public bool IsAdaptive => Value == "adaptive";

    /// <summary>Gets whether this is an explicit <c>W:H</c> ratio.</summary>
    public bool IsExplicit => Width > 0;

    /// <summary>Parses <c>auto</c>, <c>adaptive</c> or <c>W:H</c> with positive whole numbers.</summary>
    /// <param name="value">The text.</param>
    /// <returns>The ratio.</returns>
    /// <exception cref="FormatException">The text is not a ratio.</exception>
    public static AspectRatio Parse(string value) =>
        TryParse(value, out var ratio)
            ? ratio
            : throw new FormatException($"'{value}' is not an aspect ratio; expected 'auto', 'adaptive' or W:H such as '16:9'.");

    /// <summary>Tries to parse <c>auto</c>, <c>adaptive</c> or <c>W:H</c>.</summary>
    /// <param name="value">The text.</param>
    /// <param name="ratio">The ratio, when the text is valid.</param>
    /// <returns>Whether the text is a ratio.</returns>
    public static bool TryParse([NotNullWhen(true)] string? value, out AspectRatio ratio)
    {
        ratio = default;
        if (string.IsNullOrWhiteSpace(value))
        {
            return false;
        }

        var text = value.Trim();
        if (text.Equals("auto", StringComparison.OrdinalIgnoreCase))
        {
            ratio = Auto;
            return true;
        }

        if (text.Equals("adaptive", StringComparison.OrdinalIgnoreCase))
        {
            ratio = Adaptive;
            return true;
        }

        var colon = text.IndexOf(':', StringComparison.Ordinal);
        if (colon <= 0
            || !int.TryParse(text.AsSpan(0, colon), NumberStyles.None, CultureInfo.InvariantCulture, out var w)
            || !int.TryParse(text.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var h)
            || w <= 0 || h <= 0 || w > 100 || h > 100)
        {
            return false;
        }

        ratio = new AspectRatio(string.Create(CultureInfo.InvariantCulture, $"{w}:{h}"), w, h);
        return true;
    }

    /// <summary>Parses a ratio from a string.</summary>
    /// <param name="value">The text.</param>
    public static implicit operator AspectRatio(string value) => Parse(value);

    /// <summary>Parses a ratio from a string (the named alternative to the implicit conversion).</summary>
    /// <param name="value">The text.</param>
    public static AspectRatio FromString(string value) => Parse(value);

    /// <inheritdoc/>
    public bool Equals(AspectRatio other) => string.Equals(Value, other.Value, StringComparison.Ordinal);

    /// <inheritdoc/>
    public override bool Equals([NotNullWhen(true)] object? obj) => obj is AspectRatio other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(Value);

    /// <inheritdoc/>
    public override string ToString() => Value;

    /// <summary>Compares two ratios.</summary>
    /// <param name="left">The first ratio.</param>
    /// <param name="right">The second ratio.</param>
    public static bool operator ==(AspectRatio left, AspectRatio right) => left.Equals(right);

    /// <summary>Compares two ratios.</summary>
    /// <param name="left">The first ratio.</param>
    /// <param name="right">The second ratio.</param>
    public static bool operator !=(AspectRatio left, AspectRatio right) => !left.Equals(right);
}
