using MediaGen.JobStoreContract;
using Microsoft.Data.Sqlite;

namespace MediaGen.Sqlite.Tests;

/// <summary>The <see cref="IJobStore"/> contract over <see cref="SqliteJobStore"/>, plus what only a file-backed store has.</summary>
public sealed class SqliteJobStoreTests : JobStoreContractTests
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "mediagen-sqlite-" + Guid.NewGuid().ToString("N"));

    /// <inheritdoc/>
    public override Task DisposeAsync()
    {
        SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(_dir, recursive: true);
        }
        catch (IOException)
        {
        }

        return base.DisposeAsync();
    }

    [Fact]
    public async Task OpenAsync_NewFile_UsesWalAndSchemaVersion1()
    {
        var store = await SqliteJobStore.OpenAsync(DbPath, Clock);

        await using var connection = new SqliteConnection($"Data Source={store.FilePath}");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA journal_mode;";
        Assert.Equal("wal", (string?)await command.ExecuteScalarAsync());
        command.CommandText = "PRAGMA user_version;";
        Assert.Equal(1L, (long?)await command.ExecuteScalarAsync());
    }

    [Fact]
    public async Task OpenAsync_Reopened_KeepsJobsAndMigratesNothing()
    {
        var first = await SqliteJobStore.OpenAsync(DbPath, Clock);
        await first.RecordAcceptedAsync("k1", Job("j1", "k1"));

        var second = await SqliteJobStore.OpenAsync(DbPath, Clock);

        Assert.Equal(StoredJobState.Accepted, (await second.FindByKeyAsync("k1"))?.State);
    }

    [Fact]
    public async Task OpenAsync_NewerSchema_RefusedNamingTheFile()
    {
        await SqliteJobStore.OpenAsync(DbPath, Clock);
        await using (var connection = new SqliteConnection($"Data Source={DbPath};Pooling=False"))
        {
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = "PRAGMA user_version = 99;";
            await command.ExecuteNonQueryAsync();
        }

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => SqliteJobStore.OpenAsync(DbPath, Clock));

        Assert.Contains("schema version 99", error.Message, StringComparison.Ordinal);
        Assert.Contains(Path.GetFullPath(DbPath), error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ClaimAsync_ManyConnectionsRacingForManyKeys_OneOwnerEach()
    {
        var stores = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => SqliteJobStore.OpenAsync(DbPath, Clock)));

        var claims = await Task.WhenAll(Enumerable.Range(0, 200).Select(i =>
            Task.Run(() => stores[i % 4].ClaimAsync(Request($"k{i / 4}", $"owner{i % 4}")))));

        Assert.Equal(50, claims.Count(c => c.IsOwned));
        Assert.Equal(50, (await stores[0].ListJobsAsync(new JobQuery { Limit = 1000 })).Count);
    }

    /// <inheritdoc/>
    protected override async Task<IJobStore> CreateStoreAsync(TimeProvider clock) => await SqliteJobStore.OpenAsync(DbPath, clock);

    /// <inheritdoc/>
    protected override async Task<IJobStore> OpenSecondAsync(IJobStore first, TimeProvider clock) => await SqliteJobStore.OpenAsync(((SqliteJobStore)first).FilePath, clock);

    private string DbPath => Path.Combine(_dir, "jobs.db");
}
