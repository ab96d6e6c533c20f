namespace MediaGen;

/// <summary>An <see cref="ISpendBudgets"/> held in memory, for one process (one lock); use MediaGen.PostgreSql's for a fleet.</summary>
public sealed class InMemorySpendBudgets : ISpendBudgets
{
    private readonly Lock _gate = new();
    private readonly Dictionary<(string Budget, string Scope, DateTimeOffset Start, MoneyUnit Unit), (decimal Reserved, decimal Spent)> _periods = [];
    private readonly Dictionary<string, (IReadOnlyList<BudgetLine> Lines, bool Done)> _reservations = new(StringComparer.Ordinal);

    /// <inheritdoc/>
    public Task<BudgetReservation> ReserveAsync(string reservationId, IReadOnlyList<BudgetLine> lines, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(reservationId);
        ArgumentNullException.ThrowIfNull(lines);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            if (_reservations.ContainsKey(reservationId))
            {
                return Task.FromResult(new BudgetReservation(true));
            }

            foreach (var line in lines)
            {
                var (reserved, spent) = _periods.GetValueOrDefault(Key(line));
                if (reserved + spent + line.Amount.Amount > line.Cap.Amount)
                {
                    return Task.FromResult(new BudgetReservation(false, line, Usage(line, reserved, spent)));
                }
            }

            foreach (var line in lines)
            {
                var (reserved, spent) = _periods.GetValueOrDefault(Key(line));
                _periods[Key(line)] = (reserved + line.Amount.Amount, spent);
            }

            _reservations[reservationId] = (lines, false);
            return Task.FromResult(new BudgetReservation(true));
        }
    }

    /// <inheritdoc/>
    public Task SettleAsync(string reservationId, Money? charge, CancellationToken cancellationToken = default) =>
        Finish(reservationId, line => charge is { } c && c.Unit == line.Amount.Unit ? c.Amount : line.Amount.Amount, cancellationToken);

    /// <inheritdoc/>
    public Task ReleaseAsync(string reservationId, CancellationToken cancellationToken = default) =>
        Finish(reservationId, _ => 0m, cancellationToken);

    /// <inheritdoc/>
    public Task<BudgetUsage> GetUsageAsync(string budget, string scope, DateTimeOffset periodStart, Money cap, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            var line = new BudgetLine(budget, scope, periodStart, cap, Money.Zero(cap.Unit));
            var (reserved, spent) = _periods.GetValueOrDefault(Key(line));
            return Task.FromResult(Usage(line, reserved, spent));
        }
    }

    private static (string, string, DateTimeOffset, MoneyUnit) Key(BudgetLine line) => (line.Budget, line.Scope, line.PeriodStart, line.Cap.Unit);

    private static BudgetUsage Usage(BudgetLine line, decimal reserved, decimal spent) =>
        new(line.Budget, line.Scope, line.PeriodStart, line.Cap, new Money(reserved, line.Cap.Unit), new Money(spent, line.Cap.Unit));

    private Task Finish(string reservationId, Func<BudgetLine, decimal> spentOf, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(reservationId);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            if (!_reservations.TryGetValue(reservationId, out var reservation) || reservation.Done)
            {
                return Task.CompletedTask;
            }

            foreach (var line in reservation.Lines)
            {
                var (reserved, spent) = _periods[Key(line)];
                _periods[Key(line)] = (reserved - line.Amount.Amount, spent + spentOf(line));
            }

            _reservations[reservationId] = (reservation.Lines, true);
            return Task.CompletedTask;
        }
    }
}
