using MediaGen.JobStoreContract;
using MediaGen.PostgreSqlTesting;
using Npgsql;

namespace MediaGen.PostgreSql.Tests;

/// <summary>The <see cref="IJobStore"/> contract over <see cref="PostgreSqlJobStore"/> on a real server, plus what only PostgreSQL has.</summary>
[Collection(PostgreSqlServerGroup.Name)]
public sealed class PostgreSqlJobStoreTests(PostgreSqlServerFixture fixture) : JobStoreContractTests
{
    private readonly Dictionary<IJobStore, string> _databases = [];

    [Fact]
    public async Task OpenAsync_NewDatabase_CreatesSchemaVersion3()
    {
        var cs = await fixture.Server.CreateDatabaseAsync();
        await using var store = await PostgreSqlJobStore.OpenAsync(cs, Clock);

        Assert.Equal(PostgreSqlJobStore.SchemaVersion, await ScalarAsync<int>(cs, "SELECT version FROM mediagen_schema"));
        Assert.Equal(3, PostgreSqlJobStore.SchemaVersion);
    }

    [Fact]
    public async Task OpenAsync_Version2Database_MigratesToVersion3KeepingJobs()
    {
        // A database as version 2 left it: no mediagen_polling_samples.
        var cs = await fixture.Server.CreateDatabaseAsync();
        await using (var old = await PostgreSqlJobStore.OpenAsync(cs, Clock))
        {
            await old.RecordAcceptedAsync("k1", Job("j1", "k1"));
        }

        await ScalarAsync<int>(cs, "DROP TABLE mediagen_polling_samples; UPDATE mediagen_schema SET version = 2 RETURNING version");

        await using var migrated = await PostgreSqlJobStore.OpenAsync(cs, Clock);
        await migrated.AppendCompletionTimeAsync("timed|clip-1", new CompletionTimeSample(TimeSpan.FromSeconds(9), TimeSpan.FromSeconds(12)), keep: 48);

        Assert.Equal(3, await ScalarAsync<int>(cs, "SELECT version FROM mediagen_schema"));
        Assert.Equal(StoredJobState.Accepted, (await migrated.FindByKeyAsync("k1"))?.State);
        Assert.Equal([new CompletionTimeSample(TimeSpan.FromSeconds(9), TimeSpan.FromSeconds(12))], await migrated.LoadCompletionTimesAsync("timed|clip-1", 48));
    }

    [Fact]
    public async Task AppendCompletionTimeAsync_ManyInstancesAtOnce_KeyKeepsItsNewestWindow()
    {
        var cs = await fixture.Server.CreateDatabaseAsync();
        var stores = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => PostgreSqlJobStore.OpenAsync(cs, Clock)));

        await Task.WhenAll(Enumerable.Range(1, 200).Select(i => Task.Run(() =>
            stores[i % 4].AppendCompletionTimeAsync("timed|clip-1", new CompletionTimeSample(TimeSpan.FromSeconds(i), TimeSpan.FromSeconds(i)), keep: 48))));
        await stores[0].AppendCompletionTimeAsync("timed|clip-1", new CompletionTimeSample(TimeSpan.FromSeconds(201), TimeSpan.FromSeconds(201)), keep: 48);

        var loaded = await stores[1].LoadCompletionTimesAsync("timed|clip-1", 48);
        Assert.Equal(48, loaded.Count);
        Assert.Equal(TimeSpan.FromSeconds(201), loaded[^1].AtMost);
        Assert.Equal(48L, await ScalarAsync<long>(cs, "SELECT count(*) FROM mediagen_polling_samples"));
        foreach (var s in stores)
        {
            await s.DisposeAsync();
        }
    }

    [Fact]
    public async Task OpenAsync_ManyInstancesAtOnce_MigrateOnceAndKeepJobs()
    {
        var cs = await fixture.Server.CreateDatabaseAsync();

        var stores = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => Task.Run(() => PostgreSqlJobStore.OpenAsync(cs, Clock))));
        await stores[0].RecordAcceptedAsync("k1", Job("j1", "k1"));
        await using var reopened = await PostgreSqlJobStore.OpenAsync(cs, Clock);

        Assert.Equal(StoredJobState.Accepted, (await reopened.FindByKeyAsync("k1"))?.State);
        foreach (var s in stores)
        {
            await s.DisposeAsync();
        }
    }

    [Fact]
    public async Task OpenAsync_NewerSchema_RefusedNamingTheDatabase()
    {
        var cs = await fixture.Server.CreateDatabaseAsync();
        await (await PostgreSqlJobStore.OpenAsync(cs, Clock)).DisposeAsync();
        await ScalarAsync<int>(cs, "UPDATE mediagen_schema SET version = 99 RETURNING version");

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => PostgreSqlJobStore.OpenAsync(cs, Clock));

        Assert.Contains("schema version 99", error.Message, StringComparison.Ordinal);
        Assert.Contains(new NpgsqlConnectionStringBuilder(cs).Database!, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ClaimAsync_ManyInstancesRacingForManyKeys_OneOwnerEach()
    {
        var cs = await fixture.Server.CreateDatabaseAsync();
        var stores = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => PostgreSqlJobStore.OpenAsync(cs, Clock)));

        var claims = await Task.WhenAll(Enumerable.Range(0, 200).Select(i =>
            Task.Run(() => stores[i % 4].ClaimAsync(Request($"k{i / 4}", $"owner{i % 4}")))));

        Assert.Equal(50, claims.Count(c => c.IsOwned));
        Assert.Equal(150, claims.Count(c => c.Status == JobClaimStatus.InFlight));
        Assert.Equal(50, (await stores[0].ListJobsAsync(new JobQuery { Limit = 1000 })).Count);
        foreach (var s in stores)
        {
            await s.DisposeAsync();
        }
    }

    [Fact]
    public async Task AcquireUnfinishedAsync_ManyInstancesAtOnce_NoJobTakenTwice()
    {
        var cs = await fixture.Server.CreateDatabaseAsync();
        var stores = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => PostgreSqlJobStore.OpenAsync(cs, Clock)));
        for (var i = 0; i < 40; i++)
        {
            await stores[0].RecordAcceptedAsync($"k{i}", Job($"j{i}", $"k{i}"));
        }

        var taken = await Task.WhenAll(Enumerable.Range(0, 4).Select(i =>
            Task.Run(() => stores[i].AcquireUnfinishedAsync(Lease($"owner{i}"), 15))));

        var keys = taken.SelectMany(t => t).Select(j => j.Key).ToList();
        Assert.Equal(keys.Count, keys.Distinct().Count());
        Assert.Equal(40, keys.Count);
        foreach (var s in stores)
        {
            await s.DisposeAsync();
        }
    }

    [Theory]
    [InlineData("postgresql://alice@db.example:6543/media", "Host=db.example;Port=6543;Username=alice;Database=media")]
    [InlineData("postgres://bob:p%40ss@localhost/jobs?Pooling=false", "Host=localhost;Username=bob;Password=p@ss;Database=jobs;Pooling=False")]
    [InlineData("Host=h;Database=d", "Host=h;Database=d")]
    public void ToConnectionString_UrlOrConnectionString_NpgsqlConnectionString(string given, string expected)
    {
        Assert.Equal(
            new NpgsqlConnectionStringBuilder(expected).OrderBy(p => p.Key).Select(p => $"{p.Key}={p.Value}"),
            new NpgsqlConnectionStringBuilder(PostgreSqlJobStore.ToConnectionString(given)).OrderBy(p => p.Key).Select(p => $"{p.Key}={p.Value}"));
    }

    /// <inheritdoc/>
    protected override async Task<IJobStore> CreateStoreAsync(TimeProvider clock)
    {
        var cs = await fixture.Server.CreateDatabaseAsync();
        var store = await PostgreSqlJobStore.OpenAsync(cs, clock);
        _databases[store] = cs;
        return store;
    }

    /// <inheritdoc/>
    protected override async Task<IJobStore> OpenSecondAsync(IJobStore first, TimeProvider clock)
    {
        var store = await PostgreSqlJobStore.OpenAsync(_databases[first], clock);
        _databases[store] = _databases[first];
        return store;
    }

    private static async Task<T> ScalarAsync<T>(string cs, string sql)
    {
        await using var connection = new NpgsqlConnection(cs);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return (T)(await command.ExecuteScalarAsync())!;
    }
}
