namespace MediaGen;

/// <summary>
/// What a request is expected to cost at one vendor, with the basis in words (<c>9 billable s × 8 credits/s</c>),
/// its source and as-of date. An unknown price is a distinct state (<see cref="IsKnown"/> false), never 0.
/// </summary>
public sealed record PriceQuote
{
    /// <summary>Gets the amount in the vendor's billing unit, or null when unknown.</summary>
    public Money? Amount { get; init; }

    /// <summary>Gets the amount in US dollars, or null when the price or the credit rate is unknown.</summary>
    public Money? Usd { get; init; }

    /// <summary>Gets how the amount was computed, in words (or why it is unknown).</summary>
    public required string Basis { get; init; }

    /// <summary>Gets where the price came from.</summary>
    public PriceSource Source { get; init; }

    /// <summary>Gets the date the price data was valid for (the snapshot's date, or when it was read live).</summary>
    public DateOnly? AsOf { get; init; }

    /// <summary>Gets the document or endpoint the price came from.</summary>
    public string? Reference { get; init; }

    /// <summary>Gets whether the amount is known.</summary>
    public bool IsKnown => Amount is not null;

    /// <summary>An unknown price.</summary>
    /// <param name="reason">Why it is unknown (named in the quote).</param>
    /// <returns>The quote.</returns>
    public static PriceQuote Unknown(string reason) => new() { Basis = reason, Source = PriceSource.Unknown };

    /// <summary>Returns a copy whose <see cref="Usd"/> is filled from the rates (left null when no rate is configured).</summary>
    /// <param name="rates">The rates.</param>
    /// <returns>The quote with USD.</returns>
    public PriceQuote WithUsd(ExchangeRates rates)
    {
        ArgumentNullException.ThrowIfNull(rates);
        return Amount is { } amount ? this with { Usd = rates.ToUsd(amount) } : this;
    }

    /// <inheritdoc/>
    public override string ToString() => Amount is { } a ? $"{a} ({Basis}; {Source}{(AsOf is { } d ? $" as of {d:yyyy-MM-dd}" : string.Empty)})" : $"unknown ({Basis})";
}
