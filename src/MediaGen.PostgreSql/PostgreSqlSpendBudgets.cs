using System.Data;
using Npgsql;
using NpgsqlTypes;

namespace MediaGen.PostgreSql;

/// <summary>
/// The fleet's <see cref="ISpendBudgets"/>: one row per budget, scope, period and unit in <c>mediagen_budget_periods</c>, and
/// one row per reserved line in <c>mediagen_budget_reservations</c>. A reservation locks its period rows with
/// <c>SELECT … FOR UPDATE</c> (in a fixed order, so two reservations never deadlock), checks reserved + spent + amount
/// against the cap and adds its amount, all in one transaction: however many instances race, a period's reserved plus spent
/// never exceeds its cap.
/// </summary>
public sealed class PostgreSqlSpendBudgets : ISpendBudgets
{
    private readonly NpgsqlDataSource _dataSource;

    /// <summary>Creates the budgets over a database whose schema <see cref="PostgreSqlJobStore.OpenAsync(NpgsqlDataSource, TimeProvider?, CancellationToken)"/> created.</summary>
    /// <param name="dataSource">The data source (not disposed by this object).</param>
    public PostgreSqlSpendBudgets(NpgsqlDataSource dataSource)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        _dataSource = dataSource;
    }

    /// <inheritdoc/>
    public async Task<BudgetReservation> ReserveAsync(string reservationId, IReadOnlyList<BudgetLine> lines, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(reservationId);
        ArgumentNullException.ThrowIfNull(lines);
        cancellationToken.ThrowIfCancellationRequested();
        var ordered = lines.Select((line, i) => (Line: line, Index: i))
            .OrderBy(l => l.Line.Budget, StringComparer.Ordinal).ThenBy(l => l.Line.Scope, StringComparer.Ordinal)
            .ThenBy(l => l.Line.PeriodStart).ThenBy(l => l.Line.Cap.Unit.Code, StringComparer.Ordinal).ToList();
        return await PostgreSqlRetry.RunAsync(_dataSource, async (connection, tx) =>
        {
            foreach (var (line, _) in ordered)
            {
                await ExecuteAsync(connection, tx, "INSERT INTO mediagen_budget_periods (budget, scope, period_start, unit, cap) VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING", Key(line), Numeric(line.Cap.Amount)).ConfigureAwait(false);
                var (reserved, spent) = await ReadPeriodAsync(connection, tx, line, forUpdate: true).ConfigureAwait(false);
                if (await ExistsAsync(connection, tx, reservationId).ConfigureAwait(false))
                {
                    return new BudgetReservation(true);
                }

                if (reserved + spent + line.Amount.Amount > line.Cap.Amount)
                {
                    return new BudgetReservation(false, line, new BudgetUsage(line.Budget, line.Scope, line.PeriodStart, line.Cap, new Money(reserved, line.Cap.Unit), new Money(spent, line.Cap.Unit)));
                }
            }

            foreach (var (line, index) in ordered)
            {
                await ExecuteAsync(connection, tx, "UPDATE mediagen_budget_periods SET reserved = reserved + $5, cap = $6 WHERE budget = $1 AND scope = $2 AND period_start = $3 AND unit = $4", [.. Key(line), Numeric(line.Amount.Amount), Numeric(line.Cap.Amount)]).ConfigureAwait(false);
                await ExecuteAsync(
                    connection,
                    tx,
                    "INSERT INTO mediagen_budget_reservations (id, line, budget, scope, period_start, unit, amount) VALUES ($6, $7, $1, $2, $3, $4, $5)",
                    [.. Key(line), Numeric(line.Amount.Amount), PostgreSqlJobStore.Text(reservationId), new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Integer, Value = index }]).ConfigureAwait(false);
            }

            return new BudgetReservation(true);
        }).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public Task SettleAsync(string reservationId, Money? charge, CancellationToken cancellationToken = default) =>
        FinishAsync(reservationId, (unit, amount) => charge is { } c && string.Equals(c.Unit.Code, unit, StringComparison.Ordinal) ? c.Amount : amount, cancellationToken);

    /// <inheritdoc/>
    public Task ReleaseAsync(string reservationId, CancellationToken cancellationToken = default) =>
        FinishAsync(reservationId, (_, _) => 0m, cancellationToken);

    /// <inheritdoc/>
    public async Task<BudgetUsage> GetUsageAsync(string budget, string scope, DateTimeOffset periodStart, Money cap, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        var line = new BudgetLine(budget, scope, periodStart, cap, Money.Zero(cap.Unit));
        var (reserved, spent) = await ReadPeriodAsync(connection, null, line, forUpdate: false).ConfigureAwait(false);
        return new BudgetUsage(budget, scope, periodStart, cap, new Money(reserved, cap.Unit), new Money(spent, cap.Unit));
    }

    private async Task FinishAsync(string reservationId, Func<string, decimal, decimal> spentOf, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(reservationId);
        cancellationToken.ThrowIfCancellationRequested();
        await PostgreSqlRetry.RunAsync(_dataSource, async (connection, tx) =>
        {
            var lines = new List<(int Line, string Budget, string Scope, long Start, string Unit, decimal Amount)>();
            await using (var read = new NpgsqlCommand("SELECT line, budget, scope, period_start, unit, amount FROM mediagen_budget_reservations WHERE id = $1 AND settled IS NULL ORDER BY budget, scope, period_start, unit FOR UPDATE", connection, tx))
            {
                read.Parameters.Add(PostgreSqlJobStore.Text(reservationId));
                await using var reader = await read.ExecuteReaderAsync(CancellationToken.None).ConfigureAwait(false);
                while (await reader.ReadAsync(CancellationToken.None).ConfigureAwait(false))
                {
                    lines.Add((reader.GetInt32(0), reader.GetString(1), reader.GetString(2), reader.GetInt64(3), reader.GetString(4), reader.GetDecimal(5)));
                }
            }

            foreach (var l in lines)
            {
                var spent = spentOf(l.Unit, l.Amount);
                await ExecuteAsync(
                    connection,
                    tx,
                    "UPDATE mediagen_budget_periods SET reserved = reserved - $5, spent = spent + $6 WHERE budget = $1 AND scope = $2 AND period_start = $3 AND unit = $4",
                    PostgreSqlJobStore.Text(l.Budget), PostgreSqlJobStore.Text(l.Scope), PostgreSqlJobStore.Bigint(l.Start), PostgreSqlJobStore.Text(l.Unit), Numeric(l.Amount), Numeric(spent)).ConfigureAwait(false);
                await ExecuteAsync(
                    connection,
                    tx,
                    "UPDATE mediagen_budget_reservations SET settled = $3 WHERE id = $1 AND line = $2",
                    PostgreSqlJobStore.Text(reservationId), new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Integer, Value = l.Line }, Numeric(spent)).ConfigureAwait(false);
            }

            return true;
        }).ConfigureAwait(false);
    }

    private static NpgsqlParameter[] Key(BudgetLine line) =>
        [PostgreSqlJobStore.Text(line.Budget), PostgreSqlJobStore.Text(line.Scope), PostgreSqlJobStore.Bigint(line.PeriodStart.UtcTicks), PostgreSqlJobStore.Text(line.Cap.Unit.Code)];

    private static NpgsqlParameter Numeric(decimal value) => new() { NpgsqlDbType = NpgsqlDbType.Numeric, Value = value };

    private static async Task<(decimal Reserved, decimal Spent)> ReadPeriodAsync(NpgsqlConnection connection, NpgsqlTransaction? tx, BudgetLine line, bool forUpdate)
    {
        await using var command = new NpgsqlCommand(
            "SELECT reserved, spent FROM mediagen_budget_periods WHERE budget = $1 AND scope = $2 AND period_start = $3 AND unit = $4" + (forUpdate ? " FOR UPDATE" : string.Empty),
            connection,
            tx);
        command.Parameters.AddRange(Key(line));
        await using var reader = await command.ExecuteReaderAsync(CancellationToken.None).ConfigureAwait(false);
        return await reader.ReadAsync(CancellationToken.None).ConfigureAwait(false) ? (reader.GetDecimal(0), reader.GetDecimal(1)) : (0m, 0m);
    }

    private static async Task<bool> ExistsAsync(NpgsqlConnection connection, NpgsqlTransaction tx, string id)
    {
        await using var command = new NpgsqlCommand("SELECT 1 FROM mediagen_budget_reservations WHERE id = $1 LIMIT 1", connection, tx);
        command.Parameters.Add(PostgreSqlJobStore.Text(id));
        return await command.ExecuteScalarAsync(CancellationToken.None).ConfigureAwait(false) is not null;
    }

    private static Task ExecuteAsync(NpgsqlConnection connection, NpgsqlTransaction tx, string sql, NpgsqlParameter[] key, NpgsqlParameter extra) =>
        ExecuteAsync(connection, tx, sql, [.. key, extra]);

    private static async Task ExecuteAsync(NpgsqlConnection connection, NpgsqlTransaction tx, string sql, params NpgsqlParameter[] parameters)
    {
        await using var command = new NpgsqlCommand(sql, connection, tx);
        command.Parameters.AddRange(parameters);
        await command.ExecuteNonQueryAsync(CancellationToken.None).ConfigureAwait(false);
    }
}

/// <summary>Runs one transaction to completion (never cancelled once started), repeating it when PostgreSQL broke a deadlock.</summary>
internal static class PostgreSqlRetry
{
    public static async Task<T> RunAsync<T>(NpgsqlDataSource dataSource, Func<NpgsqlConnection, NpgsqlTransaction, Task<T>> work)
    {
        for (var attempt = 1; ; attempt++)
        {
            await using var connection = await dataSource.OpenConnectionAsync(CancellationToken.None).ConfigureAwait(false);
            await using var tx = await connection.BeginTransactionAsync(IsolationLevel.ReadCommitted, CancellationToken.None).ConfigureAwait(false);
            try
            {
                var result = await work(connection, tx).ConfigureAwait(false);
                await tx.CommitAsync(CancellationToken.None).ConfigureAwait(false);
                return result;
            }
            catch (PostgresException e) when (e.SqlState is PostgresErrorCodes.DeadlockDetected or PostgresErrorCodes.SerializationFailure or PostgresErrorCodes.UniqueViolation && attempt < 10)
            {
                await tx.RollbackAsync(CancellationToken.None).ConfigureAwait(false);
            }
        }
    }
}
