namespace MediaGen;

/// <summary>
/// A request prepared for one vendor without submitting it: the vendor's model, its capabilities, the
/// translation report and the price.
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
}
