using System.Threading.RateLimiting;
using Npgsql;

namespace MediaGen.PostgreSql;

/// <summary>
/// A <see cref="RateLimiter"/> shared by every instance of a fleet: at most <see cref="PermitLimit"/> permits in any
/// <see cref="Window"/> for one vendor account, kept as a sliding log of grant times in <c>mediagen_rate_permits</c>. Each
/// acquisition locks the limiter's row in <c>mediagen_rate_limiters</c> (<c>SELECT … FOR UPDATE</c>), drops grants older than the
/// window, counts the rest and adds its own, in one transaction, on the database server's clock (so instances on different
/// machines agree). Set it as a provider's submit limiter (e.g. <c>MeiGenOptions.RateLimiter</c>) or in
/// <c>RouterOptions.RateLimiters</c>; without one, each provider keeps its own documented per-process default (MeiGen: 12/min).
/// </summary>
/// <remarks>
/// <see cref="RateLimiter.AttemptAcquire"/> never waits (a refused lease carries <see cref="MetadataName.RetryAfter"/>);
/// <see cref="RateLimiter.AcquireAsync"/> waits for a permit up to <see cref="MaxWait"/>. The window is lengthened by
/// <see cref="SafetyMargin"/>, so a request granted at the very end of one window cannot reach the vendor inside the previous
/// one after a slow trip over the network.
/// </remarks>
public sealed class PostgreSqlRateLimiter : RateLimiter
{
    private readonly NpgsqlDataSource _dataSource;
    private readonly TimeProvider _time;
    private long _successful;
    private long _failed;

    /// <summary>Creates the limiter.</summary>
    /// <param name="dataSource">The fleet's database (schema created by the store; not disposed by the limiter).</param>
    /// <param name="name">The limiter's name: one per vendor account, e.g. <c>meigen:account-1</c>.</param>
    /// <param name="permitLimit">The most permits in any window.</param>
    /// <param name="window">The window (e.g. one minute).</param>
    /// <param name="timeProvider">The clock <see cref="RateLimiter.AcquireAsync"/> waits on (default: the system clock).</param>
    public PostgreSqlRateLimiter(NpgsqlDataSource dataSource, string name, int permitLimit, TimeSpan window, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(permitLimit);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(window, TimeSpan.Zero);
        _dataSource = dataSource;
        _time = timeProvider ?? TimeProvider.System;
        Name = name;
        PermitLimit = permitLimit;
        Window = window;
    }

    /// <summary>Gets the limiter's name (its row).</summary>
    public string Name { get; }

    /// <summary>Gets the most permits in any window.</summary>
    public int PermitLimit { get; }

    /// <summary>Gets the window.</summary>
    public TimeSpan Window { get; }

    /// <summary>Gets or sets how long <see cref="RateLimiter.AcquireAsync"/> waits for a permit before refusing.</summary>
    /// <value>The default is 5 minutes.</value>
    public TimeSpan MaxWait { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Gets or sets what is added to the window on this side.</summary>
    /// <value>The default is 1 second.</value>
    public TimeSpan SafetyMargin { get; set; } = TimeSpan.FromSeconds(1);

    /// <inheritdoc/>
    public override TimeSpan? IdleDuration => null;

    /// <inheritdoc/>
    public override RateLimiterStatistics? GetStatistics() => new()
    {
        CurrentAvailablePermits = 0,
        CurrentQueuedCount = 0,
        TotalSuccessfulLeases = Interlocked.Read(ref _successful),
        TotalFailedLeases = Interlocked.Read(ref _failed),
    };

    /// <inheritdoc/>
    protected override RateLimitLease AttemptAcquireCore(int permitCount) =>
        Lease(TryTakeAsync(permitCount, async: false).GetAwaiter().GetResult());

    /// <inheritdoc/>
    protected override async ValueTask<RateLimitLease> AcquireAsyncCore(int permitCount, CancellationToken cancellationToken)
    {
        var deadline = _time.GetUtcNow() + MaxWait;
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var retryAfter = await TryTakeAsync(permitCount, async: true).ConfigureAwait(false);
            if (retryAfter is not { } wait || _time.GetUtcNow() + wait > deadline)
            {
                return Lease(retryAfter);
            }

            await Task.Delay(wait, _time, cancellationToken).ConfigureAwait(false);
        }
    }

    private RateLimitLease Lease(TimeSpan? retryAfter)
    {
        if (retryAfter is null)
        {
            Interlocked.Increment(ref _successful);
            return Granted.Instance;
        }

        Interlocked.Increment(ref _failed);
        return new Refused(retryAfter.Value);
    }

    /// <summary>Takes permits; null when granted, else how long until they could be.</summary>
    private async Task<TimeSpan?> TryTakeAsync(int permitCount, bool async)
    {
        if (permitCount == 0)
        {
            return null;
        }

        if (permitCount > PermitLimit)
        {
            return Window;
        }

        var windowMicros = (long)(Window + SafetyMargin).TotalMicroseconds;
        await using var connection = async ? await _dataSource.OpenConnectionAsync().ConfigureAwait(false) : _dataSource.OpenConnection();
        await using var tx = async ? await connection.BeginTransactionAsync().ConfigureAwait(false) : connection.BeginTransaction();
        const string Now = "(extract(epoch from clock_timestamp()) * 1000000)::bigint";
        object? result = null;
        string[] steps =
        [
            "INSERT INTO mediagen_rate_limiters (limiter) VALUES ($1) ON CONFLICT DO NOTHING",
            "SELECT 1 FROM mediagen_rate_limiters WHERE limiter = $1 FOR UPDATE",
            $"DELETE FROM mediagen_rate_permits WHERE limiter = $1 AND at <= {Now} - $2",
            $"""
            WITH w AS (SELECT count(*) AS n, min(at) AS oldest FROM mediagen_rate_permits WHERE limiter = $1),
                 ins AS (INSERT INTO mediagen_rate_permits (limiter, at)
                         SELECT $1, {Now} FROM w, generate_series(1, $3) WHERE w.n + $3 <= $4
                         RETURNING 1)
            SELECT CASE WHEN w.n + $3 <= $4 THEN NULL ELSE GREATEST(w.oldest + $2 - {Now}, 0) END
            FROM w, (SELECT count(*) FROM ins) AS done
            """,
        ];
        foreach (var sql in steps)
        {
            await using var command = new NpgsqlCommand(sql, connection, tx);
            command.Parameters.Add(PostgreSqlJobStore.Text(Name));
            if (sql.Contains("$2", StringComparison.Ordinal))
            {
                command.Parameters.Add(PostgreSqlJobStore.Bigint(windowMicros));
            }

            if (sql.Contains("$4", StringComparison.Ordinal))
            {
                command.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Integer, Value = permitCount });
                command.Parameters.Add(PostgreSqlJobStore.Bigint(PermitLimit));
            }

            result = async ? await command.ExecuteScalarAsync().ConfigureAwait(false) : command.ExecuteScalar();
        }

        if (async)
        {
            await tx.CommitAsync().ConfigureAwait(false);
        }
        else
        {
            tx.Commit();
        }

        return result is long micros ? TimeSpan.FromMicroseconds(Math.Max(micros, 1000)) : null;
    }

    private sealed class Granted : RateLimitLease
    {
        public static readonly Granted Instance = new();

        public override bool IsAcquired => true;

        public override IEnumerable<string> MetadataNames => [];

        public override bool TryGetMetadata(string metadataName, out object? metadata)
        {
            metadata = null;
            return false;
        }
    }

    private sealed class Refused(TimeSpan retryAfter) : RateLimitLease
    {
        public override bool IsAcquired => false;

        public override IEnumerable<string> MetadataNames => [MetadataName.RetryAfter.Name];

        public override bool TryGetMetadata(string metadataName, out object? metadata)
        {
            metadata = string.Equals(metadataName, MetadataName.RetryAfter.Name, StringComparison.Ordinal) ? retryAfter : null;
            return metadata is not null;
        }
    }
}
