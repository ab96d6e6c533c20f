using System.Text.Json;
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
    public async Task JobsAndSpend_TablesAt80Columns_FitWithTheWholeHandleOnOneLine()
    {
        await using var host = await StartAsync();
        var cli = Cli(host);
        var generated = await cli.RunAsync("generate", "a lighthouse", "--model", "nano-banana-2", "--idempotency-key", "k1", "--json");
        var handle = generated.Json.GetProperty("job").GetString()!;

        var jobs = CliTableTests.Lines((await cli.RunAsync("jobs")).Stdout);
        var spend = CliTableTests.Lines((await cli.RunAsync("spend", "--by", "day")).Stdout);

        CliTableTests.AssertFits(jobs, 80);
        CliTableTests.AssertFits(spend, 80);
        Assert.Matches($"^[0-9]+s ago +succeeded +{handle} +5 credits$", jobs[2]);
        Assert.Contains(spend, l => l.Contains(" meigen ", StringComparison.Ordinal) && l.EndsWith("unknown¹", StringComparison.Ordinal));
        CliTableTests.AssertNotesNumbered(spend);
        Assert.Contains(spend, l => l.StartsWith("¹ no USD rate for meigen credits", StringComparison.Ordinal));
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
    public async Task Status_WaitAfterAnInterruptedGenerate_ShowsModelAndChargeAndDownloadsToOut()
    {
        await using var host = await StartAsync();
        var cli = Cli(host);
        var submitted = await cli.RunAsync("generate", "a lighthouse", "--model", "nano-banana-2", "--idempotency-key", "k1", "--no-wait", "--json");
        var handle = submitted.Json.GetProperty("job").GetString()!;
        var outDir = Path.Combine(cli.WorkingDirectory, "resumed");

        var result = await cli.RunAsync("status", handle, "--wait", "--out", outDir);
        var jobs = await cli.RunAsync("jobs", "--json");

        Assert.True(result.ExitCode == 0, result.Stdout + result.Stderr);
        var lines = CliTableTests.Lines(result.Stdout);
        Assert.Equal($"job {handle} succeeded (nanobanana-2)", lines[0]);
        var file = Assert.Single(Directory.GetFiles(outDir));
        Assert.Contains($"  saved {file}", lines);
        Assert.Contains("  charged: 5 credits (meigen)", lines);
        GenerateCommandTests.AssertPng(await File.ReadAllBytesAsync(file));
        Assert.Equal("succeeded", jobs.Json.GetProperty("jobs")[0].GetProperty("state").GetString());
        Assert.Equal(1, host.Ledger.ChargedJobCount);
    }

    [Fact]
    public async Task Status_JobInTheStore_JsonHasTheModelAndTheRecordedQuote()
    {
        await using var host = await StartAsync();
        var cli = Cli(host);
        var submitted = await cli.RunAsync("generate", "a lighthouse", "--model", "nano-banana-2", "--idempotency-key", "k1", "--no-wait", "--json");
        var handle = submitted.Json.GetProperty("job").GetString()!;
        var store = await SqliteJobStore.OpenAsync(Path.Combine(cli.WorkingDirectory, "data", "mediagen", StoreSetup.FileName), cli.Clock);
        var recorded = await store.FindByHandleAsync(JobHandle.Parse(handle));

        var result = await cli.RunAsync("status", handle, "--json");

        Assert.NotNull(recorded?.Quote?.Amount);
        Assert.Equal("nanobanana-2", result.Json.GetProperty("model").GetString());
        Assert.Equal(JsonValueKind.Object, result.Json.GetProperty("quoted").ValueKind);
        Assert.Equal(recorded.Quote.Amount.Value.Amount, result.Json.GetProperty("quoted").GetProperty("amount").GetDecimal());
    }

    [Fact]
    public async Task Status_HandleNotInTheStore_IsOnlyRead()
    {
        await using var host = await StartAsync();
        var cli = Cli(host);
        var elsewhere = new CliRunner { WorkingDirectory = Directory.CreateTempSubdirectory("mediagen-elsewhere-").FullName };
        elsewhere.Environment["MEIGEN_API_KEY"] = Sandbox.MeiGenKey;
        elsewhere.Environment["MEIGEN_BASE_URL"] = cli.Environment["MEIGEN_BASE_URL"];
        var submitted = await elsewhere.RunAsync("generate", "a lighthouse", "--model", "nano-banana-2", "--no-wait", "--json");

        var result = await cli.RunAsync("status", submitted.Json.GetProperty("job").GetString()!, "--wait");
        var jobs = await cli.RunAsync("jobs", "--json");

        Assert.Equal(0, result.ExitCode);
        Assert.StartsWith("job meigen:", result.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("()", result.Stdout, StringComparison.Ordinal);
        Assert.Empty(jobs.Json.GetProperty("jobs").EnumerateArray());
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
