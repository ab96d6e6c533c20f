namespace MediaGen.Testing;

/// <summary>The kind of a <see cref="LedgerEntry"/>.</summary>
public enum LedgerEntryKind
{
    /// <summary>A job was accepted and charged.</summary>
    Charge,

    /// <summary>A job's charges were refunded.</summary>
    Refund,
}
