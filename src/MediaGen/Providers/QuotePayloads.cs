using System.Diagnostics.CodeAnalysis;

namespace MediaGen.Providers;

/// <summary>
/// For generators that do not derive from <see cref="VendorGenerator{TModel, TPayload}"/>: attach a prepared payload to
/// a quote, and read it back when the quote is submitted, so what was quoted is what is sent.
/// </summary>
public static class QuotePayloads
{
    /// <summary>Returns a copy of the quote carrying a payload only <paramref name="issuer"/> can read back.</summary>
    /// <param name="quote">The quote.</param>
    /// <param name="issuer">The generator that made it.</param>
    /// <param name="payload">What that generator needs to send it.</param>
    /// <returns>The quote with the payload.</returns>
    public static GenerationQuote WithPayload(GenerationQuote quote, object issuer, object payload)
    {
        ArgumentNullException.ThrowIfNull(quote);
        ArgumentNullException.ThrowIfNull(issuer);
        ArgumentNullException.ThrowIfNull(payload);
        return quote with { Payload = new QuotePayload(issuer, payload) };
    }

    /// <summary>Gets the payload <paramref name="issuer"/> attached to the quote.</summary>
    /// <typeparam name="TPayload">The payload type.</typeparam>
    /// <param name="quote">The quote.</param>
    /// <param name="issuer">The generator asking (it must be the one that made the quote).</param>
    /// <param name="payload">The payload.</param>
    /// <returns>Whether the quote was made by <paramref name="issuer"/> with a payload of that type.</returns>
    public static bool TryGetPayload<TPayload>(GenerationQuote quote, object issuer, [NotNullWhen(true)] out TPayload? payload)
        where TPayload : class
    {
        ArgumentNullException.ThrowIfNull(quote);
        ArgumentNullException.ThrowIfNull(issuer);
        if (quote.Payload is { } attached && ReferenceEquals(attached.Issuer, issuer) && attached.Value is TPayload typed)
        {
            payload = typed;
            return true;
        }

        payload = null;
        return false;
    }

    /// <summary>The error for a quote submitted to a generator that did not make it.</summary>
    /// <param name="quote">The quote.</param>
    /// <param name="provider">The generator it was submitted to.</param>
    /// <returns>The error (nothing was sent).</returns>
    public static InvalidRequestError ForeignQuote(GenerationQuote quote, string provider)
    {
        ArgumentNullException.ThrowIfNull(quote);
        return new InvalidRequestError(
            "Quote",
            $"this quote was made by {quote.Provider}{(quote.Payload is null ? " without a prepared payload" : " through another generator instance")}, not by this {provider} generator; submit it to the generator that quoted it, or quote the request here first. Nothing was sent.",
            provider);
    }
}
