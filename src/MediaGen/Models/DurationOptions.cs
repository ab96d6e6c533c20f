namespace MediaGen;

/// <summary>The durations a video model accepts: a set of values or a whole-second range, with a default.</summary>
public sealed record DurationOptions
{
    private DurationOptions(IReadOnlyList<int>? values, int min, int max, int? defaultSeconds)
    {
        Values = values;
        Min = min;
        Max = max;
        DefaultSeconds = defaultSeconds;
    }

    /// <summary>Gets the accepted values when the model takes a fixed set; null for a range.</summary>
    public IReadOnlyList<int>? Values { get; }

    /// <summary>Gets the shortest accepted duration.</summary>
    public int Min { get; }

    /// <summary>Gets the longest accepted duration.</summary>
    public int Max { get; }

    /// <summary>Gets the duration used when the request gives none.</summary>
    public int? DefaultSeconds { get; }

    /// <summary>A fixed set of accepted durations.</summary>
    /// <param name="defaultSeconds">The default.</param>
    /// <param name="values">The accepted values.</param>
    /// <returns>The options.</returns>
    public static DurationOptions OneOf(int? defaultSeconds, params int[] values)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (values.Length == 0)
        {
            throw new ArgumentException("At least one duration is required.", nameof(values));
        }

        return new DurationOptions([.. values], values.Min(), values.Max(), defaultSeconds);
    }

    /// <summary>Any whole number of seconds in an inclusive range.</summary>
    /// <param name="min">The minimum.</param>
    /// <param name="max">The maximum.</param>
    /// <param name="defaultSeconds">The default.</param>
    /// <returns>The options.</returns>
    public static DurationOptions Range(int min, int max, int? defaultSeconds = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(min);
        ArgumentOutOfRangeException.ThrowIfLessThan(max, min);
        return new DurationOptions(null, min, max, defaultSeconds);
    }

    /// <summary>Gets whether a duration is accepted.</summary>
    /// <param name="seconds">The duration.</param>
    /// <returns>Whether it is accepted.</returns>
    public bool Accepts(int seconds) => Values is { } set ? set.Contains(seconds) : seconds >= Min && seconds <= Max;

    /// <inheritdoc/>
    public override string ToString() => Values is { } set ? string.Join("|", set) + " s" : $"{Min}–{Max} s";
}
