using System.Data;
using Microsoft.Data.Sqlite;

namespace MediaGen.Sqlite;

/// <summary>
/// The embedded <see cref="IJobStore"/>: one SQLite file (Microsoft.Data.Sqlite), safe for several processes on one
/// machine. It keeps the whole <see cref="IJobStore"/> contract: every write is one <c>BEGIN IMMEDIATE</c> transaction that
/// reads the job, applies <see cref="StoredJobRules"/> and writes it back, so claims and leases are atomic across processes.
/// </summary>
/// <remarks>
/// <para><b>Durability.</b> The database runs in WAL mode with <c>synchronous=FULL</c>: a write is on disk when its call returns.</para>
/// <para><b>Concurrency.</b> Writers take SQLite's write lock for the few milliseconds of one transaction; a writer that finds
/// it taken waits up to <see cref="BusyTimeout"/> (SQLite's busy timeout) and then throws <see cref="SqliteException"/>.
/// Readers never block writers (WAL). The file must be on a local disk: SQLite's locks do not hold over network file systems.</para>
/// <para><b>Schema.</b> Created or migrated when the store is opened (<see cref="OpenAsync"/>), under the write lock, and
/// versioned by <c>PRAGMA user_version</c> (<see cref="SchemaVersion"/>); a file written by a newer version is refused. Each job
/// is a row with its key, state, times and lease as columns and the whole job as a <see cref="JobStoreJson"/> document; every
/// handle a job accepted is a row of <c>handles</c> (unique), so a handle belongs to one key. Version 2 adds
/// <c>polling_samples</c>, the polling learner's recent completion times per timing key (<see cref="IPollingStatsStore"/>); a
/// version-1 file is migrated in place, its jobs kept.</para>
/// </remarks>
public sealed class SqliteJobStore : IJobStore, IPollingStatsStore
{
    /// <summary>The schema version this build writes.</summary>
    public const int SchemaVersion = 2;

    /// <summary>How long a writer waits for another process's transaction before failing, by default.</summary>
    public static readonly TimeSpan DefaultBusyTimeout = TimeSpan.FromSeconds(30);

    private const string Columns = "doc";
    private readonly string _connectionString;
    private readonly TimeProvider _time;

    private SqliteJobStore(string path, TimeSpan busyTimeout, TimeProvider time)
    {
        FilePath = path;
        BusyTimeout = busyTimeout;
        _time = time;
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = true,
            DefaultTimeout = (int)Math.Ceiling(busyTimeout.TotalSeconds),
        }.ToString();
    }

    /// <summary>Gets the full path of the database file.</summary>
    public string FilePath { get; }

    /// <summary>Gets how long a writer waits for another's transaction.</summary>
    public TimeSpan BusyTimeout { get; }

    /// <summary>Opens (creating when missing) a store file, and creates or migrates its schema.</summary>
    /// <param name="path">The database file, e.g. <c>~/.local/share/mediagen/jobs.db</c>; its directory is created when missing.</param>
    /// <param name="timeProvider">The store's clock: record times and lease expiry (default: the system clock).</param>
    /// <param name="busyTimeout">How long a writer waits for another process's transaction (default <see cref="DefaultBusyTimeout"/>).</param>
    /// <param name="cancellationToken">Cancels opening.</param>
    /// <returns>The store.</returns>
    /// <exception cref="InvalidOperationException">The file was written by a newer schema version.</exception>
    public static async Task<SqliteJobStore> OpenAsync(string path, TimeProvider? timeProvider = null, TimeSpan? busyTimeout = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var full = Path.GetFullPath(path);
        if (Path.GetDirectoryName(full) is { Length: > 0 } dir)
        {
            Directory.CreateDirectory(dir);
        }

        var store = new SqliteJobStore(full, busyTimeout ?? DefaultBusyTimeout, timeProvider ?? TimeProvider.System);
        await store.MigrateAsync(cancellationToken).ConfigureAwait(false);
        return store;
    }

    /// <inheritdoc/>
    public async Task<JobClaim> ClaimAsync(JobClaimRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        JobClaim? claim = null;
        await WriteAsync(
            async (tx, now) =>
            {
                claim = StoredJobRules.Claim(await ReadByKeyAsync(tx, request.Key).ConfigureAwait(false), request, now);
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
        return WriteJobAsync(async (tx, now) => StoredJobRules.Accept(await ReadByKeyAsync(tx, key).ConfigureAwait(false), key, job, now), cancellationToken);
    }

    /// <inheritdoc/>
    public Task<StoredJob> RecordJobUpdateAsync(GenerationJob job, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(job);
        return WriteJobAsync(async (tx, now) => StoredJobRules.Update(await ReadForAsync(tx, job.Handle).ConfigureAwait(false), job, now), cancellationToken);
    }

    /// <inheritdoc/>
    public Task<StoredJob> RecordNotAcceptedAsync(string key, MediaGenError error, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(key);
        ArgumentNullException.ThrowIfNull(error);
        return WriteJobAsync(async (tx, now) => StoredJobRules.NotAccepted(await ReadByKeyAsync(tx, key).ConfigureAwait(false), key, error, now), cancellationToken);
    }

    /// <inheritdoc/>
    public Task RecordSubmittedAsync(JobHandle handle, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(handle);
        return WriteJobAsync(async (tx, now) => StoredJobRules.Submitted(await ReadForAsync(tx, handle).ConfigureAwait(false), handle, now), cancellationToken);
    }

    /// <inheritdoc/>
    public Task RecordFinishedAsync(JobHandle handle, GenerationStatus? status, string? note, CancellationToken cancellationToken = default)
    {
        // Validate before touching the database, so a bad call writes nothing.
        StoredJobRules.Finish(null, handle, status, note, DateTimeOffset.UnixEpoch);
        return WriteJobAsync(async (tx, now) => StoredJobRules.Finish(await ReadForAsync(tx, handle).ConfigureAwait(false), handle, status, note, now), cancellationToken);
    }

    /// <inheritdoc/>
    public async Task<bool> RenewLeaseAsync(string key, JobLease lease, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(key);
        ArgumentNullException.ThrowIfNull(lease);
        return await WriteAsync(async (tx, now) => StoredJobRules.Renew(await ReadByKeyAsync(tx, key).ConfigureAwait(false), lease, now), cancellationToken).ConfigureAwait(false) is not null;
    }

    /// <inheritdoc/>
    public async Task<bool> ReleaseLeaseAsync(string key, string owner, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(key);
        ArgumentException.ThrowIfNullOrWhiteSpace(owner);
        return await WriteAsync(async (tx, now) => StoredJobRules.Release(await ReadByKeyAsync(tx, key).ConfigureAwait(false), owner, now), cancellationToken).ConfigureAwait(false) is not null;
    }

    /// <inheritdoc/>
    public async Task<IReadOnlyList<StoredJob>> AcquireUnfinishedAsync(JobLease lease, int maxCount, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(lease);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxCount, 1);
        cancellationToken.ThrowIfCancellationRequested();
        await using var connection = await OpenConnectionAsync(CancellationToken.None).ConfigureAwait(false);
        await using var tx = (SqliteTransaction)await connection.BeginTransactionAsync(IsolationLevel.Serializable, CancellationToken.None).ConfigureAwait(false);
        var now = _time.GetUtcNow();
        var candidates = await QueryAsync(
            tx,
            $"SELECT {Columns} FROM jobs WHERE state = 'Accepted' AND (lease_owner IS NULL OR lease_owner = $owner OR lease_expires <= $now) ORDER BY accepted_at, key LIMIT $max",
            ("$owner", lease.Owner),
            ("$now", now.UtcTicks),
            ("$max", maxCount)).ConfigureAwait(false);
        var taken = new List<StoredJob>();
        foreach (var job in candidates.Where(j => StoredJobRules.CanAcquire(j, lease.Owner, now)))
        {
            var leased = StoredJobRules.Renew(job, lease, now)!;
            await UpsertAsync(tx, leased).ConfigureAwait(false);
            taken.Add(leased);
        }

        await tx.CommitAsync(CancellationToken.None).ConfigureAwait(false);
        return taken;
    }

    /// <inheritdoc/>
    public async Task<IReadOnlyList<JobLedgerEntry>> ListUnfinishedAsync(CancellationToken cancellationToken = default)
    {
        var jobs = await ReadAsync($"SELECT {Columns} FROM jobs WHERE state = 'Accepted' ORDER BY accepted_at, key", cancellationToken).ConfigureAwait(false);
        return [.. jobs.Select(j => j.ToLedgerEntry()!)];
    }

    /// <inheritdoc/>
    public async Task<StoredJob?> FindByKeyAsync(string key, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(key);
        return (await ReadAsync($"SELECT {Columns} FROM jobs WHERE key = $key", cancellationToken, ("$key", key)).ConfigureAwait(false)).SingleOrDefault();
    }

    /// <inheritdoc/>
    public async Task<StoredJob?> FindByHandleAsync(JobHandle handle, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(handle);
        return (await ReadAsync(
            $"SELECT j.{Columns} FROM handles h JOIN jobs j ON j.key = h.key WHERE h.provider = $p AND h.vendor_job_id = $v",
            cancellationToken,
            ("$p", handle.Provider),
            ("$v", handle.VendorJobId)).ConfigureAwait(false)).SingleOrDefault();
    }

    /// <inheritdoc/>
    public async Task<IReadOnlyList<StoredJob>> ListJobsAsync(JobQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentOutOfRangeException.ThrowIfLessThan(query.Limit, 1);
        var sql = $"SELECT {Columns} FROM jobs WHERE ($unfinished = 0 OR state IN ('Pending', 'Accepted')) AND ($since IS NULL OR created_at >= $since) ORDER BY created_at DESC, key"
            + (query.Provider is null ? " LIMIT $limit" : string.Empty);
        var jobs = await ReadAsync(
            sql,
            cancellationToken,
            ("$unfinished", query.UnfinishedOnly ? 1 : 0),
            ("$since", query.Since?.UtcTicks),
            ("$limit", query.Limit)).ConfigureAwait(false);
        return [.. JobStoreQueries.Apply(jobs, query)];
    }

    /// <inheritdoc/>
    public async Task<IReadOnlyList<SpendLine>> GetSpendAsync(SpendQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);

        // An attempt is recorded between its job's creation and its last write: that brackets the period.
        var jobs = await ReadAsync(
            $"SELECT {Columns} FROM jobs WHERE accepted_at IS NOT NULL AND ($since IS NULL OR updated_at >= $since) AND ($until IS NULL OR created_at < $until)",
            cancellationToken,
            ("$since", query.Since?.UtcTicks),
            ("$until", query.Until?.UtcTicks)).ConfigureAwait(false);
        return JobSpend.Aggregate(jobs, query);
    }

    /// <inheritdoc/>
    public async Task<IReadOnlyList<CompletionTimeSample>> LoadCompletionTimesAsync(string key, int maxCount, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxCount, 1);
        cancellationToken.ThrowIfCancellationRequested();
        await using var connection = await OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT at_least, at_most FROM (SELECT id, at_least, at_most FROM polling_samples WHERE key = $key ORDER BY id DESC LIMIT $max) ORDER BY id;";
        Bind(command, ("$key", key), ("$max", maxCount));
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
        await using var connection = await OpenConnectionAsync(CancellationToken.None).ConfigureAwait(false);
        await using var tx = (SqliteTransaction)await connection.BeginTransactionAsync(IsolationLevel.Serializable, CancellationToken.None).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.Transaction = tx;

        // Append, then drop the key's samples older than its newest `keep`.
        command.CommandText = """
            INSERT INTO polling_samples (key, at_least, at_most, observed_at) VALUES ($key, $low, $high, $now);
            DELETE FROM polling_samples WHERE key = $key
                AND id <= (SELECT id FROM polling_samples WHERE key = $key ORDER BY id DESC LIMIT 1 OFFSET $keep);
            """;
        Bind(command, ("$key", key), ("$low", sample.AtLeast.Ticks), ("$high", sample.AtMost.Ticks), ("$now", _time.GetUtcNow().UtcTicks), ("$keep", keep));
        await command.ExecuteNonQueryAsync(CancellationToken.None).ConfigureAwait(false);
        await tx.CommitAsync(CancellationToken.None).ConfigureAwait(false);
    }

    private async Task MigrateAsync(CancellationToken cancellationToken)
    {
        await using var connection = new SqliteConnection(_connectionString);
        await connection.OpenAsync(cancellationToken).ConfigureAwait(false);

        // WAL is a property of the file; set once, it stays (other processes' connections see it).
        await ExecuteAsync(connection, null, "PRAGMA journal_mode = WAL;").ConfigureAwait(false);
        await using var tx = (SqliteTransaction)await connection.BeginTransactionAsync(IsolationLevel.Serializable, cancellationToken).ConfigureAwait(false);
        await using var read = connection.CreateCommand();
        read.Transaction = tx;
        read.CommandText = "PRAGMA user_version;";
        var version = Convert.ToInt32(await read.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), System.Globalization.CultureInfo.InvariantCulture);
        if (version > SchemaVersion)
        {
            throw new InvalidOperationException($"The job store {FilePath} has schema version {version}, newer than this MediaGen.Sqlite understands ({SchemaVersion}); upgrade MediaGen or use another store file.");
        }

        if (version < 1)
        {
            await ExecuteAsync(connection, tx, """
                CREATE TABLE IF NOT EXISTS jobs (
                    key TEXT NOT NULL PRIMARY KEY,
                    state TEXT NOT NULL,
                    provider TEXT,
                    created_at INTEGER NOT NULL,
                    updated_at INTEGER NOT NULL,
                    accepted_at INTEGER,
                    lease_owner TEXT,
                    lease_expires INTEGER,
                    doc TEXT NOT NULL
                ) WITHOUT ROWID;
                CREATE INDEX IF NOT EXISTS jobs_by_state ON jobs (state, accepted_at);
                CREATE INDEX IF NOT EXISTS jobs_by_created ON jobs (created_at);
                CREATE TABLE IF NOT EXISTS handles (
                    provider TEXT NOT NULL,
                    vendor_job_id TEXT NOT NULL,
                    key TEXT NOT NULL REFERENCES jobs (key),
                    PRIMARY KEY (provider, vendor_job_id)
                ) WITHOUT ROWID;
                PRAGMA user_version = 1;
                """).ConfigureAwait(false);
        }

        if (version < 2)
        {
            await ExecuteAsync(connection, tx, """
                CREATE TABLE IF NOT EXISTS polling_samples (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    key TEXT NOT NULL,
                    at_least INTEGER NOT NULL,
                    at_most INTEGER NOT NULL,
                    observed_at INTEGER NOT NULL
                );
                CREATE INDEX IF NOT EXISTS polling_samples_by_key ON polling_samples (key, id);
                PRAGMA user_version = 2;
                """).ConfigureAwait(false);
        }

        await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    private async Task<SqliteConnection> OpenConnectionAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(_connectionString);
        try
        {
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            await ExecuteAsync(connection, null, $"PRAGMA synchronous = FULL; PRAGMA busy_timeout = {(int)BusyTimeout.TotalMilliseconds};").ConfigureAwait(false);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    private async Task<StoredJob> WriteJobAsync(Func<SqliteTransaction, DateTimeOffset, Task<StoredJob>> write, CancellationToken cancellationToken) =>
        (await WriteAsync(async (tx, now) => await write(tx, now).ConfigureAwait(false), cancellationToken).ConfigureAwait(false))!;

    /// <summary>One write: BEGIN IMMEDIATE (the write lock, waited for up to the busy timeout), read, apply, write back, commit.</summary>
    private async Task<StoredJob?> WriteAsync(Func<SqliteTransaction, DateTimeOffset, Task<StoredJob?>> write, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();

        // Once started, a write completes: cancellation never leaves a claim or a record half-made.
        await using var connection = await OpenConnectionAsync(CancellationToken.None).ConfigureAwait(false);
        await using var tx = (SqliteTransaction)await connection.BeginTransactionAsync(IsolationLevel.Serializable, CancellationToken.None).ConfigureAwait(false);
        var job = await write(tx, _time.GetUtcNow()).ConfigureAwait(false);
        if (job is not null)
        {
            await UpsertAsync(tx, job).ConfigureAwait(false);
        }

        await tx.CommitAsync(CancellationToken.None).ConfigureAwait(false);
        return job;
    }

    private static async Task UpsertAsync(SqliteTransaction tx, StoredJob job)
    {
        await using var command = tx.Connection!.CreateCommand();
        command.Transaction = tx;
        command.CommandText = """
            INSERT INTO jobs (key, state, provider, created_at, updated_at, accepted_at, lease_owner, lease_expires, doc)
            VALUES ($key, $state, $provider, $created, $updated, $accepted, $owner, $expires, $doc)
            ON CONFLICT (key) DO UPDATE SET state = excluded.state, provider = excluded.provider, updated_at = excluded.updated_at,
                accepted_at = excluded.accepted_at, lease_owner = excluded.lease_owner, lease_expires = excluded.lease_expires, doc = excluded.doc;
            """;
        Bind(command, ("$key", job.Key), ("$state", job.State.ToString()), ("$provider", job.Handle?.Provider ?? job.Provider), ("$created", job.CreatedAt.UtcTicks),
            ("$updated", job.UpdatedAt.UtcTicks), ("$accepted", job.AcceptedAt?.UtcTicks), ("$owner", job.LeaseOwner), ("$expires", job.LeaseExpiresAt?.UtcTicks),
            ("$doc", JobStoreJson.Serialize(job)));
        await command.ExecuteNonQueryAsync(CancellationToken.None).ConfigureAwait(false);
        foreach (var handle in job.Attempts.Select(a => a.Handle).OfType<JobHandle>())
        {
            await using var h = tx.Connection.CreateCommand();
            h.Transaction = tx;
            h.CommandText = "INSERT INTO handles (provider, vendor_job_id, key) VALUES ($p, $v, $key) ON CONFLICT DO NOTHING;";
            Bind(h, ("$p", handle.Provider), ("$v", handle.VendorJobId), ("$key", job.Key));
            await h.ExecuteNonQueryAsync(CancellationToken.None).ConfigureAwait(false);
        }
    }

    private static async Task<StoredJob?> ReadByKeyAsync(SqliteTransaction tx, string key) =>
        (await QueryAsync(tx, $"SELECT {Columns} FROM jobs WHERE key = $key", ("$key", key)).ConfigureAwait(false)).SingleOrDefault();

    /// <summary>The job that holds a handle, else the one under its key (the rule of <see cref="StoredJobRules"/>).</summary>
    private static async Task<StoredJob?> ReadForAsync(SqliteTransaction tx, JobHandle handle) =>
        (await QueryAsync(
            tx,
            $"SELECT j.{Columns} FROM handles h JOIN jobs j ON j.key = h.key WHERE h.provider = $p AND h.vendor_job_id = $v",
            ("$p", handle.Provider),
            ("$v", handle.VendorJobId)).ConfigureAwait(false)).SingleOrDefault()
        ?? await ReadByKeyAsync(tx, StoredJob.KeyOf(handle)).ConfigureAwait(false);

    private async Task<List<StoredJob>> ReadAsync(string sql, CancellationToken cancellationToken, params (string Name, object? Value)[] parameters)
    {
        cancellationToken.ThrowIfCancellationRequested();
        await using var connection = await OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        Bind(command, parameters);
        return await ReadJobsAsync(command, cancellationToken).ConfigureAwait(false);
    }

    private static async Task<List<StoredJob>> QueryAsync(SqliteTransaction tx, string sql, params (string Name, object? Value)[] parameters)
    {
        await using var command = tx.Connection!.CreateCommand();
        command.Transaction = tx;
        command.CommandText = sql;
        Bind(command, parameters);
        return await ReadJobsAsync(command, CancellationToken.None).ConfigureAwait(false);
    }

    private static async Task<List<StoredJob>> ReadJobsAsync(SqliteCommand command, CancellationToken cancellationToken)
    {
        var jobs = new List<StoredJob>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            jobs.Add(JobStoreJson.Deserialize(reader.GetString(0)));
        }

        return jobs;
    }

    private static async Task ExecuteAsync(SqliteConnection connection, SqliteTransaction? tx, string sql)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = tx;
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync(CancellationToken.None).ConfigureAwait(false);
    }

    private static void Bind(SqliteCommand command, params (string Name, object? Value)[] parameters)
    {
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        }
    }
}
