namespace MediaGen.Testing;

/// <summary>
/// Records what an emulated vendor charged, so tests can assert how many jobs were paid for, and keeps per-unit
/// account balances that emulators debit. Thread-safe.
/// </summary>
/// <remarks>
/// Charges and balances are independent: <see cref="Accept"/> and <see cref="Refund"/> do not touch balances, so an
/// emulator that models credits calls <see cref="TryDebit"/> (and <see cref="Credit"/> on refund) itself.
/// </remarks>
public sealed class BillingLedger
{
    /// <summary>The balance of a unit that was never set: 1,000,000.</summary>
    public const decimal DefaultBalance = 1_000_000m;

    private readonly Lock _lock = new();
    private readonly List<LedgerEntry> _entries = [];
    private readonly Dictionary<string, decimal> _balances = new(StringComparer.Ordinal);
    private readonly TimeProvider _timeProvider;

    /// <summary>Initializes a new instance of the <see cref="BillingLedger"/> class.</summary>
    /// <param name="timeProvider">The clock that timestamps entries. The default is <see cref="TimeProvider.System"/>.</param>
    public BillingLedger(TimeProvider? timeProvider = null)
    {
        _timeProvider = timeProvider ?? TimeProvider.System;
    }

    /// <summary>Gets a snapshot of every charge and refund, in the order they were recorded.</summary>
    public IReadOnlyList<LedgerEntry> Entries
    {
        get
        {
            lock (_lock)
            {
                return [.. _entries];
            }
        }
    }

    /// <summary>Gets the number of distinct jobs that were accepted (charged, even zero) and not fully refunded.</summary>
    public int ChargedJobCount
    {
        get
        {
            lock (_lock)
            {
                return _entries
                    .GroupBy(e => (e.JobId, e.Unit))
                    .Where(IsOpen)
                    .Select(g => g.Key.JobId)
                    .Distinct(StringComparer.Ordinal)
                    .Count();
            }
        }
    }

    /// <summary>Records that a job was accepted and charged.</summary>
    /// <param name="jobId">The vendor job id.</param>
    /// <param name="idempotencyKey">The idempotency key the client sent, if any.</param>
    /// <param name="amount">The amount charged; zero or positive.</param>
    /// <param name="unit">The unit of <paramref name="amount"/>, such as <c>credits</c>.</param>
    /// <param name="logicalRequest">A free-form description of the request (for example the prompt), for assertions.</param>
    /// <returns>The recorded entry.</returns>
    /// <exception cref="ArgumentException"><paramref name="jobId"/> or <paramref name="unit"/> is null or empty.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="amount"/> is negative.</exception>
    public LedgerEntry Accept(string jobId, string? idempotencyKey, decimal amount, string unit, string? logicalRequest = null) =>
        AcceptFor(jobId, idempotencyKey, amount, unit, logicalRequest, emulator: null);

    /// <summary>Records that a job was accepted and charged by a named emulator (see <see cref="LedgerEntry.Emulator"/>).</summary>
    internal LedgerEntry AcceptFor(string jobId, string? idempotencyKey, decimal amount, string unit, string? logicalRequest, string? emulator)
    {
        ArgumentException.ThrowIfNullOrEmpty(jobId);
        ArgumentException.ThrowIfNullOrEmpty(unit);
        ArgumentOutOfRangeException.ThrowIfNegative(amount);
        var entry = new LedgerEntry(LedgerEntryKind.Charge, jobId, idempotencyKey, amount, unit, logicalRequest, _timeProvider.GetUtcNow()) { Emulator = emulator ?? Internal.EmulatorScope.Current };
        lock (_lock)
        {
            _entries.Add(entry);
        }

        return entry;
    }

    /// <summary>Refunds everything still charged for a job, recording one refund entry per unit.</summary>
    /// <param name="jobId">The vendor job id.</param>
    /// <returns><see langword="true"/> if anything was refunded; <see langword="false"/> if the job had no outstanding charge.</returns>
    /// <exception cref="ArgumentException"><paramref name="jobId"/> is null or empty.</exception>
    public bool Refund(string jobId)
    {
        ArgumentException.ThrowIfNullOrEmpty(jobId);
        DateTimeOffset now = _timeProvider.GetUtcNow();
        lock (_lock)
        {
            var refunds = _entries
                .Where(e => e.JobId == jobId)
                .GroupBy(e => e.Unit, StringComparer.Ordinal)
                .Where(IsOpen)
                .Select(g => (Unit: g.Key, Outstanding: Math.Max(Net(g), 0m), First: g.First(e => e.Kind == LedgerEntryKind.Charge)))
                .Select(r => new LedgerEntry(LedgerEntryKind.Refund, jobId, r.First.IdempotencyKey, r.Outstanding, r.Unit, r.First.LogicalRequest, now) { Emulator = r.First.Emulator })
                .ToList();
            _entries.AddRange(refunds);
            return refunds.Count > 0;
        }
    }

    /// <summary>Gets the net amount charged in a unit: charges minus refunds.</summary>
    /// <param name="unit">The unit, such as <c>credits</c>.</param>
    /// <returns>The net amount; zero when nothing was charged in <paramref name="unit"/>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="unit"/> is <see langword="null"/>.</exception>
    public decimal TotalCharged(string unit)
    {
        ArgumentNullException.ThrowIfNull(unit);
        lock (_lock)
        {
            return Net(_entries.Where(e => e.Unit == unit));
        }
    }

    /// <summary>Gets the charge entries recorded with an idempotency key (refunds excluded).</summary>
    /// <param name="idempotencyKey">The idempotency key.</param>
    /// <returns>The charges, in the order they were recorded. More than one means the vendor charged a retried request twice.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="idempotencyKey"/> is <see langword="null"/>.</exception>
    public IReadOnlyList<LedgerEntry> ChargesFor(string idempotencyKey)
    {
        ArgumentNullException.ThrowIfNull(idempotencyKey);
        lock (_lock)
        {
            return [.. _entries.Where(e => e.Kind == LedgerEntryKind.Charge && e.IdempotencyKey == idempotencyKey)];
        }
    }

    /// <summary>Sets the balance of a unit.</summary>
    /// <param name="unit">The unit, such as <c>credits</c>.</param>
    /// <param name="amount">The new balance.</param>
    /// <exception cref="ArgumentException"><paramref name="unit"/> is null or empty.</exception>
    public void SetBalance(string unit, decimal amount)
    {
        ArgumentException.ThrowIfNullOrEmpty(unit);
        lock (_lock)
        {
            _balances[unit] = amount;
        }
    }

    /// <summary>Gets the balance of a unit; <see cref="DefaultBalance"/> if it was never set.</summary>
    /// <param name="unit">The unit, such as <c>credits</c>.</param>
    /// <returns>The current balance.</returns>
    /// <exception cref="ArgumentException"><paramref name="unit"/> is null or empty.</exception>
    public decimal GetBalance(string unit)
    {
        ArgumentException.ThrowIfNullOrEmpty(unit);
        lock (_lock)
        {
            return _balances.GetValueOrDefault(unit, DefaultBalance);
        }
    }

    /// <summary>Debits a balance if it covers the amount; an emulator answers 402 when this returns <see langword="false"/>.</summary>
    /// <param name="unit">The unit, such as <c>credits</c>.</param>
    /// <param name="amount">The amount to debit; zero or positive.</param>
    /// <param name="balanceAfter">The balance after the call (unchanged when the debit is refused).</param>
    /// <returns><see langword="true"/> if the balance covered <paramref name="amount"/> and was debited.</returns>
    /// <exception cref="ArgumentException"><paramref name="unit"/> is null or empty.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="amount"/> is negative.</exception>
    public bool TryDebit(string unit, decimal amount, out decimal balanceAfter)
    {
        ArgumentException.ThrowIfNullOrEmpty(unit);
        ArgumentOutOfRangeException.ThrowIfNegative(amount);
        lock (_lock)
        {
            decimal balance = _balances.GetValueOrDefault(unit, DefaultBalance);
            if (balance < amount)
            {
                balanceAfter = balance;
                return false;
            }

            balanceAfter = _balances[unit] = balance - amount;
            return true;
        }
    }

    /// <summary>Adds to a balance (for example when an emulator refunds a failed job).</summary>
    /// <param name="unit">The unit, such as <c>credits</c>.</param>
    /// <param name="amount">The amount to add; zero or positive.</param>
    /// <returns>The balance after the credit.</returns>
    /// <exception cref="ArgumentException"><paramref name="unit"/> is null or empty.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="amount"/> is negative.</exception>
    public decimal Credit(string unit, decimal amount)
    {
        ArgumentException.ThrowIfNullOrEmpty(unit);
        ArgumentOutOfRangeException.ThrowIfNegative(amount);
        lock (_lock)
        {
            return _balances[unit] = _balances.GetValueOrDefault(unit, DefaultBalance) + amount;
        }
    }

    // A job's charges in one unit are open when a charge was recorded after the last refund (zero-amount charges count).
    private static bool IsOpen(IEnumerable<LedgerEntry> entriesOfOneJobAndUnit) =>
        entriesOfOneJobAndUnit.LastOrDefault()?.Kind == LedgerEntryKind.Charge;

    private static decimal Net(IEnumerable<LedgerEntry> entries) =>
        entries.Sum(e => e.Kind == LedgerEntryKind.Charge ? e.Amount : -e.Amount);
}
