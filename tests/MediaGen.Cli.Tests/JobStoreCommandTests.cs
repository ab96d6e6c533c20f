using MediaGen.Sqlite;
using MediaGen.Testing;
using MediaGen.Testing.Emulators;
using MediaGen.Testing.Emulators.Apiframe;
using MediaGen.Testing.Emulators.MeiGen;

namespace MediaGen.Cli.Tests;

public class JobStoreCommandTests
{
    [Fact]
    public async Task Generate_SameIdempotencyKeyTwice_PaysOnceAndReturnsTheSameJob()
    {
        await using var host = await StartAsync();
        var cli = Cli(host);

        var first = await cli.RunAsync("generate", "a lighthouse", "--model", "nano-banana-2", "--idempotency-key", "run-1", "--json");
        var again = await cli.RunAsync("generate", "a lighthouse", "--model", "nano-banana-2", "--idempotency-key", "run-1", "--json");

        Assert.True(first.ExitCode == 0, first.Stdout + first.Stderr);
        Assert.Equal(0, again.ExitCode);
        Assert.Equal(first.Json.GetProperty("job").GetString(), again.Json.GetProperty("job").GetString());
        Assert.Equal(1, host.Ledger.ChargedJobCount);
    }

    [Fact]
    public async Task Generate_ThenJobsAndSpend_ShowTheJobWithQuoteAndCharge()
    {
        await using var host = await StartAsync();
        var cli = Cli(host);
        cli.Environment["MEIGEN_USD_PER_CREDIT"] = "0.01";
        await cli.RunAsync("generate", "a lighthouse", "--model", "nano-banana-2", "--idempotency-key", "k1", "--json");
        await cli.RunAsync("generate", "a harbour", "--model", "nano-banana-2", "--idempotency-key", "k2", "--json");

        var jobs = await cli.RunAsync("jobs", "--json");
        var spend = await cli.RunAsync("spend", "--by", "vendor", "--json");
        var table = await cli.RunAsync("spend", "--by", "model");

        Assert.Equal(0, jobs.ExitCode);
        var listed = jobs.Json.GetProperty("jobs").EnumerateArray().ToList();
        Assert.Equal([StoreSetup.RequestKey("k2"), StoreSetup.RequestKey("k1")], listed.Select(j => j.GetProperty("key").GetString()));
        Assert.All(listed, j =>
        {
            Assert.Equal("succeeded", j.GetProperty("state").GetString());
            Assert.True(j.GetProperty("quote").GetProperty("amount").GetDecimal() > 0);
            Assert.Equal(j.GetProperty("quote").GetProperty("amount").GetDecimal(), j.GetProperty("charge").GetProperty("amount").GetDecimal());
        });
        var line = Assert.Single(spend.Json.GetProperty("lines").EnumerateArray());
        Assert.Equal("meigen", line.GetProperty("group").GetString());
        Assert.Equal(2, line.GetProperty("jobs").GetInt32());
        Assert.Equal(line.GetProperty("quoted").GetDecimal(), line.GetProperty("charged").GetDecimal());
        Assert.True(line.GetProperty("chargedUsd").GetDecimal() > 0);
        Assert.Contains("meigen/", table.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Resume_JobLeftUnfinishedByADeadProcess_FinishedWithOneCharge()
    {
        await using var host = await StartAsync();
        var cli = Cli(host);
        var submitted = await cli.RunAsync("generate", "a lighthouse", "--model", "nano-banana-2", "--idempotency-key", "k1", "--no-wait", "--json");
        var handle = submitted.Json.GetProperty("job").GetString()!;

        // As a killed mediagen leaves it: accepted, its lease held by a process that no longer runs (the submitting run's own
        // lease, in this process, is let lapse first).
        cli.Clock.Advance(TimeSpan.FromMinutes(3));
        var store = await SqliteJobStore.OpenAsync(Path.Combine(cli.WorkingDirectory, "data", "mediagen", StoreSetup.FileName), cli.Clock);
        Assert.True(await store.RenewLeaseAsync(StoreSetup.RequestKey("k1")!, new JobLease($"{Environment.MachineName}/{int.MaxValue}/dead", cli.Clock.GetUtcNow() + TimeSpan.FromHours(1))));

        var resumed = await cli.RunAsync("resume", "--json");
        var jobs = await cli.RunAsync("jobs", "--json");

        Assert.Equal(0, resumed.ExitCode);
        var only = Assert.Single(resumed.Json.GetProperty("resumed").EnumerateArray());
        Assert.Equal(handle, only.GetProperty("job").GetString());
        Assert.Equal("finished", only.GetProperty("outcome").GetString());
        Assert.Equal("succeeded", jobs.Json.GetProperty("jobs")[0].GetProperty("state").GetString());
        Assert.Equal(1, host.Ledger.ChargedJobCount);
    }

    [Fact]
    public async Task Jobs_StoreOption_OpensThatFileAndListsNothingYet()
    {
        var cli = new CliRunner();
        var path = Path.Combine(cli.WorkingDirectory, "elsewhere.db");

        var result = await cli.RunAsync("jobs", "--store", path, "--json");

        Assert.Equal(0, result.ExitCode);
        Assert.Empty(result.Json.GetProperty("jobs").EnumerateArray());
        Assert.True(File.Exists(path));
    }

    [Fact]
    public async Task Spend_BadGrouping_Exit2NamingTheChoices()
    {
        var result = await new CliRunner().RunAsync("spend", "--by", "planet", "--json");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("vendor, model or day", result.Json.GetProperty("error").GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    private static Task<EmulatorHost> StartAsync() => EmulatorHost.StartAsync([new MeiGenEmulator(), new VeoGenEmulator(), new ApiframeEmulator()]);

    private static CliRunner Cli(EmulatorHost host)
    {
        host.Jobs.Default = JobScript.CompleteAfterPolls(2);
        var cli = new CliRunner();
        cli.Environment["MEIGEN_API_KEY"] = Sandbox.MeiGenKey;
        cli.Environment["MEIGEN_BASE_URL"] = new Uri(host.BaseAddress, "api").ToString();
        return cli;
    }
}
