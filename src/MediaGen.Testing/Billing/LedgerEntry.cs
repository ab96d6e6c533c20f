namespace MediaGen.Testing;

/// <summary>One line of a <see cref="BillingLedger"/>: a charge or a refund.</summary>
/// <param name="Kind">Whether this is a charge or a refund.</param>
/// <param name="JobId">The vendor job id the line belongs to.</param>
/// <param name="IdempotencyKey">The idempotency key the client sent with the accepted request, if any.</param>
/// <param name="Amount">The amount, always positive (refunds are positive amounts of kind <see cref="LedgerEntryKind.Refund"/>).</param>
/// <param name="Unit">The unit of <paramref name="Amount"/>, such as <c>credits</c> or <c>USD</c>.</param>
/// <param name="LogicalRequest">A free-form description of the request that caused the charge (for example the prompt), for assertions.</param>
/// <param name="At">When the line was recorded, on the ledger's <see cref="TimeProvider"/>.</param>
public sealed record LedgerEntry(
    LedgerEntryKind Kind,
    string JobId,
    string? IdempotencyKey,
    decimal Amount,
    string Unit,
    string? LogicalRequest,
    DateTimeOffset At)
{
    /// <summary>Gets the name of the emulator that recorded the line (such as <c>VeoGen</c>), or <see langword="null"/> when it was recorded outside an emulator's request.</summary>
    public string? Emulator { get; init; }
}
