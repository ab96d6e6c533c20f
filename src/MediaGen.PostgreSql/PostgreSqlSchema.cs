using Npgsql;

namespace MediaGen.PostgreSql;

/// <summary>
/// Creates or migrates the fleet schema: each version's statements run once, in order, inside one transaction that holds a
/// transaction-level advisory lock, so instances starting together migrate once and never see half a schema.
/// </summary>
internal static class PostgreSqlSchema
{
    /// <summary>The advisory lock key of migrations (any fixed 64-bit number; "MGSCHEMA" in ASCII).</summary>
    private const long MigrationLock = 0x4D47534348454D41;

    private static readonly string[] Migrations =
    [
        // 1: jobs and the handles they accepted.
        """
        CREATE TABLE mediagen_jobs (
            key text PRIMARY KEY,
            state text NOT NULL,
            provider text,
            created_at bigint NOT NULL,
            updated_at bigint NOT NULL,
            accepted_at bigint,
            lease_owner text,
            lease_expires bigint,
            doc jsonb NOT NULL
        );
        CREATE INDEX mediagen_jobs_by_state ON mediagen_jobs (state, accepted_at);
        CREATE INDEX mediagen_jobs_by_created ON mediagen_jobs (created_at);
        CREATE TABLE mediagen_handles (
            provider text NOT NULL,
            vendor_job_id text NOT NULL,
            key text NOT NULL REFERENCES mediagen_jobs (key),
            PRIMARY KEY (provider, vendor_job_id)
        );
        """,

        // 2: the fleet's shared state: budgets and their reservations, rate-limit windows, circuit state.
        """
        CREATE TABLE mediagen_budget_periods (
            budget text NOT NULL,
            scope text NOT NULL,
            period_start bigint NOT NULL,
            unit text NOT NULL,
            cap numeric NOT NULL,
            reserved numeric NOT NULL DEFAULT 0,
            spent numeric NOT NULL DEFAULT 0,
            PRIMARY KEY (budget, scope, period_start, unit)
        );
        CREATE TABLE mediagen_budget_reservations (
            id text NOT NULL,
            line int NOT NULL,
            budget text NOT NULL,
            scope text NOT NULL,
            period_start bigint NOT NULL,
            unit text NOT NULL,
            amount numeric NOT NULL,
            settled numeric,
            PRIMARY KEY (id, line)
        );
        CREATE TABLE mediagen_rate_limiters (
            limiter text PRIMARY KEY
        );
        CREATE TABLE mediagen_rate_permits (
            limiter text NOT NULL REFERENCES mediagen_rate_limiters (limiter),
            at bigint NOT NULL
        );
        CREATE INDEX mediagen_rate_permits_by_limiter ON mediagen_rate_permits (limiter, at);
        CREATE TABLE mediagen_circuits (
            provider text PRIMARY KEY,
            open_until bigint NOT NULL,
            reason text,
            opened_by text
        );
        """,

        // 3: the polling learner's recent completion times per timing key (provider|model|variant), newest by id.
        """
        CREATE TABLE mediagen_polling_samples (
            id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            key text NOT NULL,
            at_least bigint NOT NULL,
            at_most bigint NOT NULL,
            observed_at bigint NOT NULL
        );
        CREATE INDEX mediagen_polling_samples_by_key ON mediagen_polling_samples (key, id);
        """,
    ];

    public static async Task MigrateAsync(NpgsqlDataSource dataSource, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var tx = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await ExecuteAsync(connection, tx, $"SELECT pg_advisory_xact_lock({MigrationLock}); CREATE TABLE IF NOT EXISTS mediagen_schema (id int PRIMARY KEY CHECK (id = 1), version int NOT NULL);", cancellationToken).ConfigureAwait(false);
        await using var read = new NpgsqlCommand("SELECT version FROM mediagen_schema WHERE id = 1", connection, tx);
        var version = await read.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is int v ? v : 0;
        if (version > Migrations.Length)
        {
            throw new InvalidOperationException($"The job store database {connection.Database} has schema version {version}, newer than this MediaGen.PostgreSql understands ({Migrations.Length}); upgrade MediaGen or use another database.");
        }

        for (var next = version; next < Migrations.Length; next++)
        {
            await ExecuteAsync(connection, tx, Migrations[next], cancellationToken).ConfigureAwait(false);
        }

        if (version < Migrations.Length)
        {
            await ExecuteAsync(
                connection,
                tx,
                $"INSERT INTO mediagen_schema (id, version) VALUES (1, {Migrations.Length}) ON CONFLICT (id) DO UPDATE SET version = excluded.version;",
                cancellationToken).ConfigureAwait(false);
        }

        await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, NpgsqlTransaction tx, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection, tx);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }
}
