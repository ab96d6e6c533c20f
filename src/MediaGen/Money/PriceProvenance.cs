namespace MediaGen;

/// <summary>Where a price table came from: its source, the date it was valid for, and the page or endpoint.</summary>
/// <param name="Source">The source.</param>
/// <param name="AsOf">The date the data was valid for.</param>
/// <param name="Reference">The document or endpoint.</param>
public sealed record PriceProvenance(PriceSource Source, DateOnly? AsOf, string? Reference);
