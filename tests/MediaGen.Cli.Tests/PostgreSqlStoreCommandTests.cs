using MediaGen.PostgreSqlTesting;
using MediaGen.Testing;
using MediaGen.Testing.Emulators;
using MediaGen.Testing.Emulators.Apiframe;
using MediaGen.Testing.Emulators.MeiGen;
using Npgsql;

namespace MediaGen.Cli.Tests;

/// <summary><c>--store</c> / <c>MEDIAGEN_STORE</c> naming a PostgreSQL database, on a throwaway real server.</summary>
[Collection(PostgreSqlServerGroup.Name)]
public sealed class PostgreSqlStoreCommandTests(PostgreSqlServerFixture fixture)
{
    [Fact]
    public async Task Generate_PostgreSqlUrlStore_RecordsTheJobThereAndARerunPaysOnce()
    {
        await using var host = await EmulatorHost.StartAsync([new MeiGenEmulator(), new VeoGenEmulator(), new ApiframeEmulator()]);
        host.Jobs.Default = JobScript.CompleteAfterPolls(2);
        var cli = new CliRunner();
        cli.Environment["MEIGEN_API_KEY"] = Sandbox.MeiGenKey;
        cli.Environment["MEIGEN_BASE_URL"] = new Uri(host.BaseAddress, "api").ToString();
        var database = new NpgsqlConnectionStringBuilder(await fixture.Server.CreateDatabaseAsync("cli")).Database;
        var url = $"postgresql://postgres@127.0.0.1:{fixture.Server.Port}/{database}";

        var first = await cli.RunAsync("generate", "a lighthouse", "--model", "nano-banana-2", "--idempotency-key", "pg-1", "--store", url, "--json");
        var again = await cli.RunAsync("generate", "a lighthouse", "--model", "nano-banana-2", "--idempotency-key", "pg-1", "--store", url, "--json");
        var jobs = await cli.RunAsync("jobs", "--store", url, "--json");

        Assert.True(first.ExitCode == 0, first.Stdout + first.Stderr);
        Assert.Equal(first.Json.GetProperty("job").GetString(), again.Json.GetProperty("job").GetString());
        Assert.Equal(1, host.Ledger.ChargedJobCount);
        var only = Assert.Single(jobs.Json.GetProperty("jobs").EnumerateArray());
        Assert.Equal(StoreSetup.RequestKey("pg-1"), only.GetProperty("key").GetString());
        Assert.Equal("succeeded", only.GetProperty("state").GetString());
        Assert.False(File.Exists(Path.Combine(cli.WorkingDirectory, "data", "mediagen", StoreSetup.FileName)));
    }

    [Fact]
    public async Task Jobs_NpgsqlConnectionStringInEnvironment_OpensThatDatabase()
    {
        var cli = new CliRunner();
        cli.Environment["MEDIAGEN_STORE"] = await fixture.Server.CreateDatabaseAsync("cli");

        var result = await cli.RunAsync("jobs", "--json");

        Assert.True(result.ExitCode == 0, result.Stdout + result.Stderr);
        Assert.Empty(result.Json.GetProperty("jobs").EnumerateArray());
        Assert.False(File.Exists(Path.Combine(cli.WorkingDirectory, "data", "mediagen", StoreSetup.FileName)));
    }
}
