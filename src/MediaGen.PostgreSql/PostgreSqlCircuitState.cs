using MediaGen.Routing;
using Npgsql;

namespace MediaGen.PostgreSql;

/// <summary>
/// The fleet's <see cref="ISharedCircuitState"/> (set it as <see cref="RouterOptions.SharedCircuits"/>): one row per vendor in
/// <c>mediagen_circuits</c> saying until when it is down; a report extends the time (<c>GREATEST</c> in one upsert), never
/// shortens it. Reads are cached for <see cref="CacheDuration"/> so a busy router does not read it on every submit.
/// </summary>
public sealed class PostgreSqlCircuitState : ISharedCircuitState
{
    private readonly NpgsqlDataSource _dataSource;
    private readonly TimeProvider _time;
    private readonly string _instance;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, (DateTimeOffset ReadAt, DateTimeOffset? OpenUntil)> _cache = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Creates the state.</summary>
    /// <param name="dataSource">The fleet's database (schema created by the store; not disposed by this object).</param>
    /// <param name="timeProvider">The clock (times are stored as UTC ticks; default: the system clock).</param>
    /// <param name="instance">This instance's id, recorded with its reports.</param>
    public PostgreSqlCircuitState(NpgsqlDataSource dataSource, TimeProvider? timeProvider = null, string? instance = null)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        _dataSource = dataSource;
        _time = timeProvider ?? TimeProvider.System;
        _instance = instance ?? JobLease.NewOwnerId();
    }

    /// <summary>Gets or sets how long a read is reused.</summary>
    /// <value>The default is 1 second.</value>
    public TimeSpan CacheDuration { get; set; } = TimeSpan.FromSeconds(1);

    /// <inheritdoc/>
    public async Task<DateTimeOffset?> GetOpenUntilAsync(string provider, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(provider);
        var now = _time.GetUtcNow();
        if (_cache.TryGetValue(provider, out var cached) && now - cached.ReadAt < CacheDuration)
        {
            return cached.OpenUntil > now ? cached.OpenUntil : null;
        }

        await using var command = _dataSource.CreateCommand("SELECT open_until FROM mediagen_circuits WHERE provider = $1");
        command.Parameters.Add(PostgreSqlJobStore.Text(provider.ToLowerInvariant()));
        var until = await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is long ticks ? new DateTimeOffset(ticks, TimeSpan.Zero) : (DateTimeOffset?)null;
        _cache[provider] = (now, until);
        return until > now ? until : null;
    }

    /// <inheritdoc/>
    public async Task ReportOpenAsync(string provider, DateTimeOffset openUntil, string reason, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(provider);
        await using var command = _dataSource.CreateCommand(
            """
            INSERT INTO mediagen_circuits (provider, open_until, reason, opened_by) VALUES ($1, $2, $3, $4)
            ON CONFLICT (provider) DO UPDATE SET open_until = GREATEST(mediagen_circuits.open_until, excluded.open_until),
                reason = excluded.reason, opened_by = excluded.opened_by
            """);
        command.Parameters.Add(PostgreSqlJobStore.Text(provider.ToLowerInvariant()));
        command.Parameters.Add(PostgreSqlJobStore.Bigint(openUntil.UtcTicks));
        command.Parameters.Add(PostgreSqlJobStore.Text(reason));
        command.Parameters.Add(PostgreSqlJobStore.Text(_instance));
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        _cache.TryRemove(provider, out _);
    }
}
