namespace MediaGen;

/// <summary>Where a price came from.</summary>
public enum PriceSource
{
    /// <summary>No price is known.</summary>
    Unknown,

    /// <summary>The price table built into MediaGen from the vendor's docs (see the quote's as-of date).</summary>
    Snapshot,

    /// <summary>Read from the vendor's models endpoint at run time.</summary>
    Live,

    /// <summary>Configured by the user.</summary>
    Override,

    /// <summary>Reported by the vendor for this job (the actual charge).</summary>
    Vendor,
}
