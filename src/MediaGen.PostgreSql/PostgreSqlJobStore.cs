using System.Data;
using Npgsql;
using NpgsqlTypes;

namespace MediaGen.PostgreSql;

/// <summary>
/// The fleet <see cref="IJobStore"/>: one PostgreSQL database (Npgsql) shared by every instance of an application. It keeps
/// the whole <see cref="IJobStore"/> contract across machines: every write is one transaction that locks the job's row
/// (<c>SELECT … FOR UPDATE</c>), applies <see cref="StoredJobRules"/> and writes it back.
/// </summary>
/// <remarks>
/// <para><b>One submit per key.</b> The key is the primary key of <c>mediagen_jobs</c>. Two instances claiming a new key both
/// find no row and both insert; the unique constraint lets one insert win (<c>ON CONFLICT DO NOTHING</c>), and the loser
/// repeats its transaction, which now locks the winner's row and finds the key in flight (or accepted): it adopts the job and
/// waits on it instead of submitting.</para>
/// <para><b>Leases.</b> <see cref="AcquireUnfinishedAsync"/> takes unfinished jobs with <c>SELECT … FOR UPDATE SKIP LOCKED</c>,
/// so concurrent instances taking over a dead instance's jobs never get the same one and never wait on each other.</para>
/// <para><b>Clock.</b> Record times and lease expiry come from the <see cref="TimeProvider"/> the store was given (every
/// instance of a fleet should run on synchronised clocks; leases are minutes long, so seconds of skew do not matter).</para>
/// <para><b>Schema.</b> Created or migrated by <see cref="OpenAsync(string, TimeProvider?, CancellationToken)"/> under a transaction-level
/// advisory lock (instances starting together migrate once), versioned in <c>mediagen_schema</c> (<see cref="SchemaVersion"/>);
/// a database written by a newer version is refused. Each job is a row with its key, state, times and lease as columns and the
/// whole job as a <see cref="JobStoreJson"/> document (<c>jsonb</c>); every handle a job accepted is a row of
/// <c>mediagen_handles</c> (unique), so a handle belongs to one key. The fleet's budgets, rate limits and circuit state have
/// their own tables (see docs/fleet.md), and so do the polling learner's completion times (<c>mediagen_polling_samples</c>,
/// <see cref="IPollingStatsStore"/>: instances of a fleet learn together and a new one starts warm).</para>
/// <para><b>Durability.</b> A write returns after PostgreSQL committed it (with the server's <c>fsync</c> and
/// <c>synchronous_commit</c> settings).</para>
/// </remarks>
public sealed class PostgreSqlJobStore : IJobStore, IPollingStatsStore, IAsyncDisposable, IDisposable
{
    /// <summary>The schema version this build writes.</summary>
    public const int SchemaVersion = 3;

    private const string Columns = "doc::text";
    private readonly TimeProvider _time;
    private readonly bool _ownsDataSource;

    private PostgreSqlJobStore(NpgsqlDataSource dataSource, TimeProvider time, bool ownsDataSource)
    {
        DataSource = dataSource;
        _time = time;
        _ownsDataSource = ownsDataSource;
    }

    /// <summary>Gets the data source (the connection pool) the store uses; the fleet's other PostgreSQL services may share it.</summary>
    public NpgsqlDataSource DataSource { get; }

    /// <summary>Gets the store's clock.</summary>
    public TimeProvider TimeProvider => _time;

    /// <summary>Opens a store on a database, and creates or migrates its schema.</summary>
    /// <param name="connectionString">A <c>postgresql://user[:password]@host[:port]/database</c> URL or an Npgsql connection string (see <see cref="ToConnectionString"/>).</param>
    /// <param name="timeProvider">The store's clock: record times and lease expiry (default: the system clock).</param>
    /// <param name="cancellationToken">Cancels opening.</param>
    /// <returns>The store (dispose it to close its connection pool).</returns>
    /// <exception cref="InvalidOperationException">The database was written by a newer schema version.</exception>
    public static async Task<PostgreSqlJobStore> OpenAsync(string connectionString, TimeProvider? timeProvider = null, CancellationToken cancellationToken = default)
    {
        var dataSource = CreateDataSource(connectionString);
        try
        {
            var store = new PostgreSqlJobStore(dataSource, timeProvider ?? TimeProvider.System, ownsDataSource: true);
            await PostgreSqlSchema.MigrateAsync(dataSource, cancellationToken).ConfigureAwait(false);
            return store;
        }
        catch
        {
            await dataSource.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Opens a store on a data source the caller owns (and disposes), and creates or migrates its schema.</summary>
    /// <param name="dataSource">The data source.</param>
    /// <param name="timeProvider">The store's clock (default: the system clock).</param>
    /// <param name="cancellationToken">Cancels opening.</param>
    /// <returns>The store (disposing it leaves <paramref name="dataSource"/> open).</returns>
    public static async Task<PostgreSqlJobStore> OpenAsync(NpgsqlDataSource dataSource, TimeProvider? timeProvider = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        await PostgreSqlSchema.MigrateAsync(dataSource, cancellationToken).ConfigureAwait(false);
        return new PostgreSqlJobStore(dataSource, timeProvider ?? TimeProvider.System, ownsDataSource: false);
    }

    /// <summary>
    /// Turns a <c>postgresql://</c> (or <c>postgres://</c>) URL into an Npgsql connection string; any other text is returned as
    /// it is (an Npgsql connection string). The URL form is <c>postgresql://[user[:password]@][host][:port][/database][?key=value&amp;…]</c>
    /// (user, password and values percent-decoded; query keys are Npgsql connection-string keywords, e.g. <c>?Pooling=false</c>).
    /// </summary>
    /// <param name="urlOrConnectionString">The URL or connection string.</param>
    /// <returns>The connection string.</returns>
    /// <exception cref="ArgumentException">The URL is malformed.</exception>
    public static string ToConnectionString(string urlOrConnectionString)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(urlOrConnectionString);
        var text = urlOrConnectionString.Trim();
        if (!text.StartsWith("postgresql://", StringComparison.OrdinalIgnoreCase) && !text.StartsWith("postgres://", StringComparison.OrdinalIgnoreCase))
        {
            return text;
        }

        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri))
        {
            throw new ArgumentException("The PostgreSQL URL is malformed; expected postgresql://user@host:port/database.", nameof(urlOrConnectionString));
        }

        var builder = new NpgsqlConnectionStringBuilder { Host = string.IsNullOrEmpty(uri.Host) ? "localhost" : uri.Host };
        if (uri.Port > 0)
        {
            builder.Port = uri.Port;
        }

        if (uri.UserInfo is { Length: > 0 } info)
        {
            var colon = info.IndexOf(':', StringComparison.Ordinal);
            builder.Username = Uri.UnescapeDataString(colon < 0 ? info : info[..colon]);
            if (colon >= 0)
            {
                builder.Password = Uri.UnescapeDataString(info[(colon + 1)..]);
            }
        }

        if (uri.AbsolutePath.Trim('/') is { Length: > 0 } database)
        {
            builder.Database = Uri.UnescapeDataString(database);
        }

        foreach (var pair in uri.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = pair.IndexOf('=', StringComparison.Ordinal);
            var name = Uri.UnescapeDataString(eq < 0 ? pair : pair[..eq]);
            builder[name] = eq < 0 ? "true" : Uri.UnescapeDataString(pair[(eq + 1)..]);
        }

        return builder.ConnectionString;
    }

    /// <summary>Creates a data source from a URL or connection string, with what the fleet services need enabled.</summary>
    /// <param name="urlOrConnectionString">The URL or connection string.</param>
    /// <returns>The data source.</returns>
    public static NpgsqlDataSource CreateDataSource(string urlOrConnectionString) =>
        new NpgsqlSlimDataSourceBuilder(ToConnectionString(urlOrConnectionString)).Build();

    /// <inheritdoc/>
    public async Task<JobClaim> ClaimAsync(JobClaimRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        JobClaim? claim = null;
        await WriteAsync(
            async (tx, now) =>
            {
                claim = StoredJobRules.Claim(await tx.ReadByKeyAsync(request.Key).ConfigureAwait(false), request, now);
                return claim.IsOwned ? claim.Job : null;
            },
            cancellationToken).ConfigureAwait(false);
        return claim!;
    }

    /// <inheritdoc/>
    public Task<StoredJob> RecordAcceptedAsync(string key, GenerationJob job, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(key);
        ArgumentNullException.ThrowIfNull(job);
        return WriteJobAsync(async (tx, now) => StoredJobRules.Accept(await tx.ReadByKeyAsync(key).ConfigureAwait(false), key, job, now), cancellationToken);
    }

    /// <inheritdoc/>
    public Task<StoredJob> RecordJobUpdateAsync(GenerationJob job, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(job);
        return WriteJobAsync(async (tx, now) => StoredJobRules.Update(await tx.ReadForAsync(job.Handle).ConfigureAwait(false), job, now), cancellationToken);
    }

    /// <inheritdoc/>
    public Task<StoredJob> RecordNotAcceptedAsync(string key, MediaGenError error, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(key);
        ArgumentNullException.ThrowIfNull(error);
        return WriteJobAsync(async (tx, now) => StoredJobRules.NotAccepted(await tx.ReadByKeyAsync(key).ConfigureAwait(false), key, error, now), cancellationToken);
    }

    /// <inheritdoc/>
    public Task RecordSubmittedAsync(JobHandle handle, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(handle);
        return WriteJobAsync(async (tx, now) => StoredJobRules.Submitted(await tx.ReadForAsync(handle).ConfigureAwait(false), handle, now), cancellationToken);
    }

    /// <inheritdoc/>
    public Task RecordFinishedAsync(JobHandle handle, GenerationStatus? status, string? note, CancellationToken cancellationToken = default)
    {
        // Validate before touching the database, so a bad call writes nothing.
        StoredJobRules.Finish(null, handle, status, note, DateTimeOffset.UnixEpoch);
        return WriteJobAsync(async (tx, now) => StoredJobRules.Finish(await tx.ReadForAsync(handle).ConfigureAwait(false), handle, status, note, now), cancellationToken);
    }

    /// <inheritdoc/>
    public async Task<bool> RenewLeaseAsync(string key, JobLease lease, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(key);
        ArgumentNullException.ThrowIfNull(lease);
        return await WriteAsync(async (tx, now) => StoredJobRules.Renew(await tx.ReadByKeyAsync(key).ConfigureAwait(false), lease, now), cancellationToken).ConfigureAwait(false) is not null;
    }

    /// <inheritdoc/>
    public async Task<bool> ReleaseLeaseAsync(string key, string owner, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(key);
        ArgumentException.ThrowIfNullOrWhiteSpace(owner);
        return await WriteAsync(async (tx, now) => StoredJobRules.Release(await tx.ReadByKeyAsync(key).ConfigureAwait(false), owner, now), cancellationToken).ConfigureAwait(false) is not null;
    }

    /// <inheritdoc/>
    public Task<IReadOnlyList<StoredJob>> AcquireUnfinishedAsync(JobLease lease, int maxCount, CancellationToken cancellationToken = default) =>
        AcquireAsync(lease, maxCount, includeOwn: true, cancellationToken);

    /// <summary>
    /// Takes over accepted, unended jobs whose lease is free or has lapsed and is not <paramref name="lease"/>'s owner's, like
    /// <see cref="AcquireUnfinishedAsync"/> (<c>FOR UPDATE SKIP LOCKED</c>) but leaving alone the jobs this owner still holds, which
    /// this instance is already waiting on: the takeover worker's query.
    /// </summary>
    /// <param name="lease">The owner and the expiry to give every job taken.</param>
    /// <param name="maxCount">The most jobs to take (at least 1).</param>
    /// <param name="cancellationToken">Cancels before the leases are written.</param>
    /// <returns>The jobs now leased to the caller.</returns>
    public Task<IReadOnlyList<StoredJob>> AcquireAbandonedAsync(JobLease lease, int maxCount, CancellationToken cancellationToken = default) =>
        AcquireAsync(lease, maxCount, includeOwn: false, cancellationToken);

    private async Task<IReadOnlyList<StoredJob>> AcquireAsync(JobLease lease, int maxCount, bool includeOwn, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(lease);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxCount, 1);
        cancellationToken.ThrowIfCancellationRequested();
        await using var connection = await DataSource.OpenConnectionAsync(CancellationToken.None).ConfigureAwait(false);
        await using var npgsqlTx = await connection.BeginTransactionAsync(IsolationLevel.ReadCommitted, CancellationToken.None).ConfigureAwait(false);
        var tx = new Tx(npgsqlTx);
        var now = _time.GetUtcNow();

        // SKIP LOCKED: a job another instance is writing or taking right now is left to it, not waited for.
        var candidates = await tx.QueryAsync(
            $"SELECT {Columns} FROM mediagen_jobs WHERE state = 'Accepted' AND (lease_owner IS NULL OR "
                + (includeOwn ? "lease_owner = $1 OR lease_expires <= $2" : "(lease_owner <> $1 AND lease_expires <= $2)")
                + ") ORDER BY accepted_at, key LIMIT $3 FOR UPDATE SKIP LOCKED",
            Text(lease.Owner),
            Bigint(now.UtcTicks),
            Bigint(maxCount)).ConfigureAwait(false);
        var taken = new List<StoredJob>();
        foreach (var job in candidates.Where(j => StoredJobRules.CanAcquire(j, lease.Owner, now)))
        {
            var leased = StoredJobRules.Renew(job, lease, now)!;
            tx.Existing.Add(leased.Key);
            await tx.UpsertAsync(leased).ConfigureAwait(false);
            taken.Add(leased);
        }

        await npgsqlTx.CommitAsync(CancellationToken.None).ConfigureAwait(false);
        return taken;
    }

    /// <summary>
    /// Renews every lease <paramref name="lease"/>'s owner holds on an unfinished job (the heartbeat of a live instance, so its
    /// jobs are not taken over while it waits between polls).
    /// </summary>
    /// <param name="lease">The owner and the new expiry.</param>
    /// <param name="cancellationToken">Cancels before the leases are written.</param>
    /// <returns>How many leases were renewed.</returns>
    public async Task<int> RenewLeasesAsync(JobLease lease, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(lease);
        cancellationToken.ThrowIfCancellationRequested();

        // One statement for every job, so the heartbeat stays short however many jobs are in flight: the column and the
        // document's leaseExpiresAt (the same ISO 8601 form JobStoreJson writes) move together, and only forward.
        await using var command = DataSource.CreateCommand(
            """
            UPDATE mediagen_jobs SET lease_expires = $2, doc = jsonb_set(doc, '{leaseExpiresAt}', to_jsonb($3::text))
            WHERE lease_owner = $1 AND state IN ('Pending', 'Accepted') AND lease_expires < $2
            """);
        command.Parameters.Add(Text(lease.Owner));
        command.Parameters.Add(Bigint(lease.ExpiresAt.UtcTicks));
        command.Parameters.Add(Text(lease.ExpiresAt.ToUniversalTime().ToString("O", System.Globalization.CultureInfo.InvariantCulture)));
        return await command.ExecuteNonQueryAsync(CancellationToken.None).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public async Task<IReadOnlyList<JobLedgerEntry>> ListUnfinishedAsync(CancellationToken cancellationToken = default)
    {
        var jobs = await ReadAsync($"SELECT {Columns} FROM mediagen_jobs WHERE state = 'Accepted' ORDER BY accepted_at, key", cancellationToken).ConfigureAwait(false);
        return [.. jobs.Select(j => j.ToLedgerEntry()!)];
    }

    /// <inheritdoc/>
    public async Task<StoredJob?> FindByKeyAsync(string key, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(key);
        return (await ReadAsync($"SELECT {Columns} FROM mediagen_jobs WHERE key = $1", cancellationToken, Text(key)).ConfigureAwait(false)).SingleOrDefault();
    }

    /// <inheritdoc/>
    public async Task<StoredJob?> FindByHandleAsync(JobHandle handle, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(handle);
        return (await ReadAsync(
            "SELECT j.doc::text FROM mediagen_handles h JOIN mediagen_jobs j ON j.key = h.key WHERE h.provider = $1 AND h.vendor_job_id = $2",
            cancellationToken,
            Text(handle.Provider),
            Text(handle.VendorJobId)).ConfigureAwait(false)).SingleOrDefault();
    }

    /// <inheritdoc/>
    public async Task<IReadOnlyList<StoredJob>> ListJobsAsync(JobQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentOutOfRangeException.ThrowIfLessThan(query.Limit, 1);
        var sql = $"SELECT {Columns} FROM mediagen_jobs WHERE ($1 = FALSE OR state IN ('Pending', 'Accepted')) AND ($2::bigint IS NULL OR created_at >= $2) ORDER BY created_at DESC, key COLLATE \"C\""
            + (query.Provider is null ? " LIMIT $3" : string.Empty);
        var jobs = await ReadAsync(
            sql,
            cancellationToken,
            new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Boolean, Value = query.UnfinishedOnly },
            Bigint(query.Since?.UtcTicks),
            Bigint(query.Limit)).ConfigureAwait(false);
        return [.. JobStoreQueries.Apply(jobs, query)];
    }

    /// <inheritdoc/>
    public async Task<IReadOnlyList<SpendLine>> GetSpendAsync(SpendQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);

        // An attempt is recorded between its job's creation and its last write: that brackets the period.
        var jobs = await ReadAsync(
            $"SELECT {Columns} FROM mediagen_jobs WHERE accepted_at IS NOT NULL AND ($1::bigint IS NULL OR updated_at >= $1) AND ($2::bigint IS NULL OR created_at < $2)",
            cancellationToken,
            Bigint(query.Since?.UtcTicks),
            Bigint(query.Until?.UtcTicks)).ConfigureAwait(false);
        return JobSpend.Aggregate(jobs, query);
    }

    /// <inheritdoc/>
    public async Task<IReadOnlyList<CompletionTimeSample>> LoadCompletionTimesAsync(string key, int maxCount, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxCount, 1);
        cancellationToken.ThrowIfCancellationRequested();
        await using var command = DataSource.CreateCommand(
            "SELECT at_least, at_most FROM (SELECT id, at_least, at_most FROM mediagen_polling_samples WHERE key = $1 ORDER BY id DESC LIMIT $2) s ORDER BY id");
        command.Parameters.Add(Text(key));
        command.Parameters.Add(Bigint(maxCount));
        var samples = new List<CompletionTimeSample>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            samples.Add(new CompletionTimeSample(TimeSpan.FromTicks(reader.GetInt64(0)), TimeSpan.FromTicks(reader.GetInt64(1))));
        }

        return samples;
    }

    /// <inheritdoc/>
    public async Task AppendCompletionTimeAsync(string key, CompletionTimeSample sample, int keep, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        ArgumentOutOfRangeException.ThrowIfLessThan(keep, 1);
        cancellationToken.ThrowIfCancellationRequested();

        // One statement, one round trip: the DELETE sees the key's rows as they were before the INSERT, so it keeps the
        // newest keep - 1 of them, and the new row makes keep. Instances appending at once may briefly leave a few more.
        await using var command = DataSource.CreateCommand(
            """
            WITH added AS (INSERT INTO mediagen_polling_samples (key, at_least, at_most, observed_at) VALUES ($1, $2, $3, $4))
            DELETE FROM mediagen_polling_samples WHERE key = $1
                AND id <= (SELECT id FROM mediagen_polling_samples WHERE key = $1 ORDER BY id DESC OFFSET $5 LIMIT 1)
            """);
        command.Parameters.Add(Text(key));
        command.Parameters.Add(Bigint(sample.AtLeast.Ticks));
        command.Parameters.Add(Bigint(sample.AtMost.Ticks));
        command.Parameters.Add(Bigint(_time.GetUtcNow().UtcTicks));
        command.Parameters.Add(Bigint(keep - 1));
        await command.ExecuteNonQueryAsync(CancellationToken.None).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        if (_ownsDataSource)
        {
            await DataSource.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        if (_ownsDataSource)
        {
            DataSource.Dispose();
        }
    }

    internal static NpgsqlParameter Text(string? value) => new() { NpgsqlDbType = NpgsqlDbType.Text, Value = (object?)value ?? DBNull.Value };

    internal static NpgsqlParameter Bigint(long? value) => new() { NpgsqlDbType = NpgsqlDbType.Bigint, Value = value is { } v ? v : DBNull.Value };

    private async Task<StoredJob> WriteJobAsync(Func<Tx, DateTimeOffset, Task<StoredJob>> write, CancellationToken cancellationToken) =>
        (await WriteAsync(async (tx, now) => await write(tx, now).ConfigureAwait(false), cancellationToken).ConfigureAwait(false))!;

    /// <summary>
    /// One write: a READ COMMITTED transaction that locks the job's row, applies the rule and writes it back. A new key's insert
    /// that loses to another instance's (the unique key), or a deadlock PostgreSQL broke, repeats the whole transaction.
    /// </summary>
    private async Task<StoredJob?> WriteAsync(Func<Tx, DateTimeOffset, Task<StoredJob?>> write, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();

        // Once started, a write completes: cancellation never leaves a claim or a record half-made.
        for (var attempt = 1; ; attempt++)
        {
            await using var connection = await DataSource.OpenConnectionAsync(CancellationToken.None).ConfigureAwait(false);
            await using var npgsqlTx = await connection.BeginTransactionAsync(IsolationLevel.ReadCommitted, CancellationToken.None).ConfigureAwait(false);
            var tx = new Tx(npgsqlTx);
            try
            {
                var job = await write(tx, _time.GetUtcNow()).ConfigureAwait(false);
                if (job is not null && !await tx.UpsertAsync(job).ConfigureAwait(false))
                {
                    await npgsqlTx.RollbackAsync(CancellationToken.None).ConfigureAwait(false);
                    continue;
                }

                await npgsqlTx.CommitAsync(CancellationToken.None).ConfigureAwait(false);
                return job;
            }
            catch (PostgresException e) when (e.SqlState is PostgresErrorCodes.DeadlockDetected or PostgresErrorCodes.SerializationFailure && attempt < 10)
            {
                await npgsqlTx.RollbackAsync(CancellationToken.None).ConfigureAwait(false);
            }
        }
    }

    private async Task<List<StoredJob>> ReadAsync(string sql, CancellationToken cancellationToken, params NpgsqlParameter[] parameters)
    {
        cancellationToken.ThrowIfCancellationRequested();
        await using var command = DataSource.CreateCommand(sql);
        command.Parameters.AddRange(parameters);
        return await Tx.ReadJobsAsync(command, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>One write transaction, and which keys it found (and locked) as existing rows.</summary>
    private sealed class Tx(NpgsqlTransaction transaction)
    {
        public HashSet<string> Existing { get; } = new(StringComparer.Ordinal);

        public async Task<StoredJob?> ReadByKeyAsync(string key) =>
            Found((await QueryAsync($"SELECT {Columns} FROM mediagen_jobs WHERE key = $1 FOR UPDATE", Text(key)).ConfigureAwait(false)).SingleOrDefault());

        /// <summary>The job that holds a handle, else the one under its key (the rule of <see cref="StoredJobRules"/>).</summary>
        public async Task<StoredJob?> ReadForAsync(JobHandle handle) =>
            Found((await QueryAsync(
                "SELECT j.doc::text FROM mediagen_handles h JOIN mediagen_jobs j ON j.key = h.key WHERE h.provider = $1 AND h.vendor_job_id = $2 FOR UPDATE OF j",
                Text(handle.Provider),
                Text(handle.VendorJobId)).ConfigureAwait(false)).SingleOrDefault())
            ?? await ReadByKeyAsync(StoredJob.KeyOf(handle)).ConfigureAwait(false);

        public async Task<List<StoredJob>> QueryAsync(string sql, params NpgsqlParameter[] parameters)
        {
            await using var command = new NpgsqlCommand(sql, transaction.Connection, transaction);
            command.Parameters.AddRange(parameters);
            return await ReadJobsAsync(command, CancellationToken.None).ConfigureAwait(false);
        }

        /// <summary>Writes the job; false when it is a new key another transaction inserted first (the caller repeats).</summary>
        public async Task<bool> UpsertAsync(StoredJob job)
        {
            var update = Existing.Contains(job.Key);
            await using (var command = new NpgsqlCommand(
                update
                    ? """
                      UPDATE mediagen_jobs SET state = $2, provider = $3, updated_at = $5, accepted_at = $6, lease_owner = $7, lease_expires = $8, doc = $9::jsonb
                      WHERE key = $1
                      """
                    : """
                      INSERT INTO mediagen_jobs (key, state, provider, created_at, updated_at, accepted_at, lease_owner, lease_expires, doc)
                      VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9::jsonb) ON CONFLICT (key) DO NOTHING
                      """,
                transaction.Connection,
                transaction))
            {
                command.Parameters.AddRange(new[]
                {
                    Text(job.Key), Text(job.State.ToString()), Text(job.Handle?.Provider ?? job.Provider), Bigint(job.CreatedAt.UtcTicks),
                    Bigint(job.UpdatedAt.UtcTicks), Bigint(job.AcceptedAt?.UtcTicks), Text(job.LeaseOwner), Bigint(job.LeaseExpiresAt?.UtcTicks),
                    Text(JobStoreJson.Serialize(job)),
                });
                if (await command.ExecuteNonQueryAsync(CancellationToken.None).ConfigureAwait(false) == 0)
                {
                    return false;
                }
            }

            foreach (var handle in job.Attempts.Select(a => a.Handle).OfType<JobHandle>())
            {
                await using var h = new NpgsqlCommand(
                    "INSERT INTO mediagen_handles (provider, vendor_job_id, key) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING",
                    transaction.Connection,
                    transaction);
                h.Parameters.AddRange(new[] { Text(handle.Provider), Text(handle.VendorJobId), Text(job.Key) });
                await h.ExecuteNonQueryAsync(CancellationToken.None).ConfigureAwait(false);
            }

            return true;
        }

        public static async Task<List<StoredJob>> ReadJobsAsync(NpgsqlCommand command, CancellationToken cancellationToken)
        {
            var jobs = new List<StoredJob>();
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                jobs.Add(JobStoreJson.Deserialize(reader.GetString(0)));
            }

            return jobs;
        }

        private StoredJob? Found(StoredJob? job)
        {
            if (job is not null)
            {
                Existing.Add(job.Key);
            }

            return job;
        }
    }
}
