using System.Globalization;

namespace MediaGen;

/// <summary>
/// The price formulas vendors use, written once, each producing a <see cref="PriceQuote"/> whose basis says the
/// computation in words. Providers keep their rates as data and call these.
/// </summary>
public static class PriceCalculator
{
    /// <summary>A flat price per generation.</summary>
    /// <param name="price">The price.</param>
    /// <param name="provenance">Where the price came from.</param>
    /// <param name="label">What the price applies to, e.g. <c>5 s, with audio</c> (optional).</param>
    /// <returns>The quote.</returns>
    public static PriceQuote PerGeneration(Money price, PriceProvenance provenance, string? label = null) =>
        Quote(price, $"flat {Format(price)} per generation{Suffix(label)}", provenance);

    /// <summary>A price per image times the number of images.</summary>
    /// <param name="perImage">The price of one image.</param>
    /// <param name="count">The number of images.</param>
    /// <param name="provenance">Where the price came from.</param>
    /// <param name="label">What the price applies to, e.g. <c>low quality</c> (optional).</param>
    /// <returns>The quote.</returns>
    public static PriceQuote PerImage(Money perImage, int count, PriceProvenance provenance, string? label = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count);
        return Quote(perImage * count, $"{count} image{(count == 1 ? string.Empty : "s")} × {Format(perImage)}{Suffix(label)}", provenance);
    }

    /// <summary>A rate per second times the duration.</summary>
    /// <param name="ratePerSecond">The rate.</param>
    /// <param name="seconds">The billable seconds.</param>
    /// <param name="provenance">Where the price came from.</param>
    /// <param name="label">What the rate applies to, e.g. <c>720p</c> (optional).</param>
    /// <returns>The quote.</returns>
    public static PriceQuote PerSecond(Money ratePerSecond, int seconds, PriceProvenance provenance, string? label = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(seconds);
        return Quote(ratePerSecond * seconds, $"{seconds} s × {Format(ratePerSecond)}/s{Suffix(label)}", provenance);
    }

    /// <summary>
    /// Continuation billing: <c>max(reference + duration, minBillable) × rate</c>. A fractional reference length
    /// is rounded up to the next whole second.
    /// </summary>
    /// <param name="ratePerSecond">The continuation rate.</param>
    /// <param name="referenceSeconds">The reference video's length.</param>
    /// <param name="seconds">The requested duration.</param>
    /// <param name="minBillableSeconds">The minimum billable seconds for this duration (0 when none).</param>
    /// <param name="provenance">Where the price came from.</param>
    /// <param name="label">What the rate applies to (optional).</param>
    /// <returns>The quote.</returns>
    public static PriceQuote Continuation(Money ratePerSecond, double referenceSeconds, int seconds, int minBillableSeconds, PriceProvenance provenance, string? label = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(referenceSeconds);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(seconds);
        var reference = (int)Math.Ceiling(referenceSeconds);
        var billable = Math.Max(reference + seconds, minBillableSeconds);
        return Quote(
            ratePerSecond * billable,
            $"max({reference} s + {seconds} s, {minBillableSeconds} s) = {billable} billable s × {Format(ratePerSecond)}/s{Suffix(label)}",
            provenance);
    }

    /// <summary>Applies a multiplier (e.g. a resolution multiplier) to a quote, extending its basis.</summary>
    /// <param name="quote">The base quote.</param>
    /// <param name="multiplier">The multiplier.</param>
    /// <param name="reason">Why, e.g. <c>4k</c>.</param>
    /// <returns>The quote.</returns>
    public static PriceQuote Multiply(PriceQuote quote, decimal multiplier, string reason)
    {
        ArgumentNullException.ThrowIfNull(quote);
        if (quote.Amount is not { } amount || multiplier == 1m)
        {
            return quote;
        }

        return quote with
        {
            Amount = amount * multiplier,
            Usd = null,
            Basis = $"{quote.Basis} × {multiplier.ToString("0.####", CultureInfo.InvariantCulture)} ({reason})",
        };
    }

    /// <summary>Formats a rate for a basis text: <c>$0.284</c> or <c>8 credits</c>.</summary>
    /// <param name="money">The amount.</param>
    /// <returns>The text.</returns>
    public static string Format(Money money)
    {
        var amount = money.Amount.ToString("0.############", CultureInfo.InvariantCulture);
        return money.Unit == MoneyUnit.Usd ? "$" + amount : money.Unit.IsCredits ? $"{amount} credits" : $"{amount} {money.Unit.Code}";
    }

    private static string Suffix(string? label) => string.IsNullOrEmpty(label) ? string.Empty : $" ({label})";

    private static PriceQuote Quote(Money amount, string basis, PriceProvenance provenance)
    {
        ArgumentNullException.ThrowIfNull(provenance);
        return new PriceQuote
        {
            Amount = amount,
            Basis = basis,
            Source = provenance.Source,
            AsOf = provenance.AsOf,
            Reference = provenance.Reference,
        };
    }
}
