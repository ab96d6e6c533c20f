namespace MediaGen;

/// <summary>
/// Where spend caps are kept and enforced: a submit reserves its quote against every budget it falls under before it is
/// sent (all or nothing), then settles with the vendor-reported charge, or releases the reservation when the vendor
/// provably took nothing. Used by <see cref="SpendBudgetMediaGenerator"/>; <see cref="InMemorySpendBudgets"/> serves one
/// process, MediaGen.PostgreSql's <c>PostgreSqlSpendBudgets</c> a fleet.
/// </summary>
/// <remarks>
/// Contract: <see cref="ReserveAsync"/> is atomic and linearizable per budget period across every process sharing the
/// store, so the reserved plus spent amount of a period never exceeds its cap, however many submits race; every call is
/// idempotent per reservation id (the idempotency key): reserving an id again changes nothing and says reserved, settling
/// or releasing an id a second time changes nothing.
/// </remarks>
public interface ISpendBudgets
{
    /// <summary>Reserves every line under one id, all or nothing.</summary>
    /// <param name="reservationId">The id (the request's idempotency key).</param>
    /// <param name="lines">The budgets and amounts.</param>
    /// <param name="cancellationToken">Cancels before anything is written.</param>
    /// <returns>Whether it was reserved, or which budget refused and what it had left.</returns>
    Task<BudgetReservation> ReserveAsync(string reservationId, IReadOnlyList<BudgetLine> lines, CancellationToken cancellationToken = default);

    /// <summary>
    /// Settles a reservation: each line's reserved amount is replaced by the charge (when it is in the line's unit) or kept
    /// as spent (when the charge is unknown or in another unit). Unknown or already settled ids change nothing.
    /// </summary>
    /// <param name="reservationId">The id.</param>
    /// <param name="charge">The vendor-reported charge, when known.</param>
    /// <param name="cancellationToken">Cancels before anything is written.</param>
    /// <returns>A task.</returns>
    Task SettleAsync(string reservationId, Money? charge, CancellationToken cancellationToken = default);

    /// <summary>Releases a reservation nothing was billed for. Unknown or settled ids change nothing.</summary>
    /// <param name="reservationId">The id.</param>
    /// <param name="cancellationToken">Cancels before anything is written.</param>
    /// <returns>A task.</returns>
    Task ReleaseAsync(string reservationId, CancellationToken cancellationToken = default);

    /// <summary>Reads what a budget period has used.</summary>
    /// <param name="budget">The budget's name.</param>
    /// <param name="scope">The scope.</param>
    /// <param name="periodStart">The period's start.</param>
    /// <param name="cap">The cap (its unit selects the line).</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The usage (zero when nothing was reserved yet).</returns>
    Task<BudgetUsage> GetUsageAsync(string budget, string scope, DateTimeOffset periodStart, Money cap, CancellationToken cancellationToken = default);
}
