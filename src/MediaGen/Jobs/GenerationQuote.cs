namespace MediaGen;

/// <summary>
/// A request prepared for one vendor without submitting it: the vendor's model, its capabilities, the translation
/// report and the price. Submitting the quote (<see cref="IMediaGenerator.SubmitAsync(GenerationQuote, CancellationToken)"/>)
/// sends exactly what was validated, translated and priced here; nothing is prepared again.
/// </summary>
public sealed record GenerationQuote
{
    /// <summary>Gets the provider.</summary>
    public required string Provider { get; init; }

    /// <summary>Gets the vendor's model id the request translates to.</summary>
    public required ModelId Model { get; init; }

    /// <summary>Gets the model's capabilities.</summary>
    public required ModelCapabilities Capabilities { get; init; }

    /// <summary>Gets what translation did with each setting.</summary>
    public required TranslationReport Translation { get; init; }

    /// <summary>Gets the price.</summary>
    public required PriceQuote Price { get; init; }

    /// <summary>
    /// Gets the request the quote was made from (not copied: the vendor payload was prepared from it when quoting, so
    /// changing it afterwards does not change what is sent).
    /// </summary>
    public required GenerationRequest Request { get; init; }

    /// <summary>
    /// Gets the idempotency key the submit carries: the request's key when quoting, or one set with
    /// <c>quote with { IdempotencyKey = … }</c>. When null, a key is minted as the quote is submitted (quoting mints none).
    /// </summary>
    public string? IdempotencyKey { get; init; }

    /// <summary>
    /// Gets what the generator that made the quote needs to send it (its vendor payload), tagged with that generator.
    /// Provider authors reach it through <see cref="Providers.VendorGenerator{TModel, TPayload}"/> or
    /// <see cref="Providers.QuotePayloads"/>; it is not part of the user API.
    /// </summary>
    internal QuotePayload? Payload { get; init; }
}

/// <summary>A quote's vendor payload and the generator that prepared it (only that generator may send it).</summary>
/// <param name="Issuer">The generator that made the quote.</param>
/// <param name="Value">The prepared payload.</param>
internal sealed record QuotePayload(object Issuer, object Value);
