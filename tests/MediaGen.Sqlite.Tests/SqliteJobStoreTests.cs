using MediaGen.JobStoreContract;
using MediaGen.PollingTesting;
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
    public async Task OpenAsync_NewFile_UsesWalAndSchemaVersion2()
    {
        var store = await SqliteJobStore.OpenAsync(DbPath, Clock);

        await using var connection = new SqliteConnection($"Data Source={store.FilePath}");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA journal_mode;";
        Assert.Equal("wal", (string?)await command.ExecuteScalarAsync());
        command.CommandText = "PRAGMA user_version;";
        Assert.Equal(2L, (long?)await command.ExecuteScalarAsync());
        Assert.Equal(2, SqliteJobStore.SchemaVersion);
    }

    [Fact]
    public async Task OpenAsync_Version1File_MigratesToVersion2KeepingJobs()
    {
        // A file as version 1 left it: jobs and handles, no polling_samples.
        var old = await SqliteJobStore.OpenAsync(DbPath, Clock);
        await old.RecordAcceptedAsync("k1", Job("j1", "k1"));
        await using (var connection = new SqliteConnection($"Data Source={DbPath};Pooling=False"))
        {
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = "DROP TABLE polling_samples; PRAGMA user_version = 1;";
            await command.ExecuteNonQueryAsync();
        }

        var migrated = await SqliteJobStore.OpenAsync(DbPath, Clock);
        await migrated.AppendCompletionTimeAsync("timed|clip-1", new CompletionTimeSample(TimeSpan.FromSeconds(9), TimeSpan.FromSeconds(12)), keep: 48);

        Assert.Equal(StoredJobState.Accepted, (await migrated.FindByKeyAsync("k1"))?.State);
        Assert.Single(await migrated.LoadCompletionTimesAsync("timed|clip-1", 48));
        await using var check = new SqliteConnection($"Data Source={DbPath};Pooling=False");
        await check.OpenAsync();
        await using var version = check.CreateCommand();
        version.CommandText = "PRAGMA user_version;";
        Assert.Equal(2L, (long?)await version.ExecuteScalarAsync());
    }

    [Fact]
    public async Task WaitForCompletionAsync_RestartWithSqliteStore_StartsWarmWithFewerPollsThanCold()
    {
        // The vendor's 1080p 10 s clips take ~45 s; its documentation says 15 s. A first process learns that over 30 jobs.
        var random = new Random(3);
        var durations = Enumerable.Range(0, 40).Select(_ => TimeSpan.FromSeconds(45 * Math.Exp(0.1 * ((random.NextDouble() * 2) - 1)))).ToArray();
        await RunJobsAsync(await SqliteJobStore.OpenAsync(DbPath, Clock), durations[..30]);

        // Restarted: a new store instance and a new provider over the same file, against a cold one over a fresh file,
        // both on the same next five jobs (measured: 7 status requests warm, 58 cold).
        var warm = await RunJobsAsync(await SqliteJobStore.OpenAsync(DbPath, Clock), durations[30..35]);
        var cold = await RunJobsAsync(await SqliteJobStore.OpenAsync(Path.Combine(_dir, "fresh.db"), Clock), durations[30..35]);

        Assert.Equal(35, warm.Learner.ObservedJobs("timed", TimedVideoGenerator.Model.Value)); // 30 loaded, 5 its own
        Assert.Equal(5, cold.Learner.ObservedJobs("timed", TimedVideoGenerator.Model.Value));
        Assert.True(warm.Polls * 2 < cold.Polls, $"status requests on the first 5 jobs: warm {warm.Polls}, cold {cold.Polls}");
        Assert.True(warm.Polls <= 5 * 3, $"warm {warm.Polls} status requests for 5 jobs");
    }

    /// <summary>A new provider (its own, empty learner) recording into <paramref name="store"/>, generating one 1080p 10 s clip per duration, in sequence.</summary>
    private async Task<(int Polls, PollingLearner Learner)> RunJobsAsync(SqliteJobStore store, TimeSpan[] durations)
    {
        var next = new Queue<TimeSpan>(durations);
        var provider = new TimedVideoGenerator(Clock, _ => next.Dequeue(), TimeSpan.FromSeconds(15));
        using var pipeline = provider.AsBuilder().UseJobStore(store, o => o.TimeProvider = Clock).Build();
        var options = new WaitOptions { TimeProvider = Clock };
        for (var i = 0; i < durations.Length; i++)
        {
            var job = (await Clock.DriveAsync(pipeline.GenerateAsync(TimedVideoGenerator.Request(Resolution.P1080, 10), options))).GetValueOrThrow();
            Assert.Equal(GenerationStatus.Succeeded, job.Status);
        }

        return (provider.PollCount, provider.GetService<PollingLearner>()!);
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
