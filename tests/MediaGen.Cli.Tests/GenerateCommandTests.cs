using System.Text.Json;

using System.Buffers.Binary;
using MediaGen.Testing;

namespace MediaGen.Cli.Tests;

public class GenerateCommandTests
{
    [Fact]
    public async Task Generate_SandboxNanoBanana_WritesARealPngAndPrintsOneJsonDocument()
    {
        var cli = new CliRunner();

        var result = await cli.RunAsync("generate", "a lighthouse at dusk, watercolor", "--model", "nano-banana-2", "--json");

        Assert.Equal(0, result.ExitCode);
        var json = result.Json;
        Assert.Equal("succeeded", json.GetProperty("status").GetString());
        Assert.Matches("^[a-z]+:.+", json.GetProperty("job").GetString());
        var provider = json.GetProperty("provider").GetString();
        Assert.StartsWith(provider + ":", json.GetProperty("job").GetString(), StringComparison.Ordinal);
        var output = json.GetProperty("outputs")[0];
        Assert.Equal("image", output.GetProperty("kind").GetString());
        var file = output.GetProperty("file").GetString()!;
        Assert.StartsWith(Path.Combine(cli.WorkingDirectory, "mediagen-out"), file, StringComparison.Ordinal);
        AssertPng(await File.ReadAllBytesAsync(file));
        Assert.Equal(JsonValueKind.Object, json.GetProperty("charged").ValueKind);
        Assert.Contains(json.GetProperty("attempts").EnumerateArray(), a => a.GetProperty("outcome").GetString() == "accepted");
        Assert.Contains("sandbox", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Generate_HumanOutput_SavesFileAndPrintsCharge()
    {
        var cli = new CliRunner();
        var outDir = Path.Combine(cli.WorkingDirectory, "custom");

        var result = await cli.RunAsync("generate", "a lighthouse", "--model", "nano-banana-2", "--provider", "veogen", "--out", outDir);

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("saved " + outDir, result.Stdout, StringComparison.Ordinal);
        Assert.Contains("charged: $", result.Stdout, StringComparison.Ordinal);
        Assert.Single(Directory.GetFiles(outDir));
    }

    [Fact]
    public async Task Generate_ProviderPreference_RoutesToThatVendor()
    {
        var cli = new CliRunner();

        var result = await cli.RunAsync("generate", "a lighthouse", "--model", "nano-banana-2", "--provider", "apiframe", "--json");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal("apiframe", result.Json.GetProperty("provider").GetString());
        Assert.Equal("nano-banana-2", result.Json.GetProperty("model").GetString());
    }

    [Fact]
    public async Task Generate_NoWait_PrintsHandleOfAcceptedJob()
    {
        var cli = new CliRunner();

        var result = await cli.RunAsync("generate", "a lighthouse", "--model", "nano-banana-2", "--provider", "meigen", "--no-wait", "--json");

        Assert.Equal(0, result.ExitCode);
        Assert.StartsWith("meigen:", result.Json.GetProperty("job").GetString(), StringComparison.Ordinal);
        Assert.NotEqual("succeeded", result.Json.GetProperty("status").GetString());
    }

    [Fact]
    public async Task Generate_InvalidAspectRatio_Exit2WithFieldNamedInJson()
    {
        var cli = new CliRunner();

        var result = await cli.RunAsync("generate", "x", "--model", "nano-banana-2", "--aspect-ratio", "16x9", "--json");

        Assert.Equal(2, result.ExitCode);
        var error = result.Json.GetProperty("error");
        Assert.Equal("invalidRequest", error.GetProperty("kind").GetString());
        Assert.Equal("--aspect-ratio", error.GetProperty("fields")[0].GetProperty("field").GetString());
        Assert.Single(result.Stderr.Trim().Split('\n'), l => l.StartsWith("mediagen: ", StringComparison.Ordinal) && l.Contains("16x9", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Generate_EmptyPrompt_Exit2NamingPrompt()
    {
        var cli = new CliRunner();

        var result = await cli.RunAsync("generate", " ", "--model", "nano-banana-2", "--json");

        Assert.Equal(2, result.ExitCode);
        Assert.Equal("Prompt", result.Json.GetProperty("error").GetProperty("fields")[0].GetProperty("field").GetString());
    }

    [Fact]
    public async Task Generate_UnknownModel_Exit3NoVendor()
    {
        var cli = new CliRunner();

        var result = await cli.RunAsync("generate", "x", "--model", "no-such-model", "--json");

        Assert.Equal(3, result.ExitCode);
        Assert.Equal("noRoute", result.Json.GetProperty("error").GetProperty("kind").GetString());
    }

    [Fact]
    public async Task Generate_EveryVendorOutOfFunds_Exit4()
    {
        var cli = new CliRunner
        {
            OnSandboxStarted = sandbox =>
            {
                sandbox.Host.Faults.On(HttpMethod.Post, "/api/generate/v2").Always().RespondWith(402, "{\"error\":\"Insufficient credits\"}");
                sandbox.Host.Faults.On(HttpMethod.Post, "/api/v1/generations").Always().RespondWith(402, "{\"error\":\"Insufficient balance.\",\"message\":\"This generation costs $0.30. Your balance is $0.05.\",\"required\":0.30,\"balance\":0.05}");
                sandbox.Host.Faults.On(HttpMethod.Post, "/v2/images/generate").Always().RespondWith(402, "{\"error\":\"Insufficient credits\"}");
                var replicate = sandbox.Host.Emulators.OfType<MediaGen.Testing.Emulators.Replicate.ReplicateEmulator>().Single();
                sandbox.Host.Faults.OnPaidSubmit(replicate).Always().RespondWith(402, "{\"title\":\"Payment Required\",\"detail\":\"You have insufficient credit.\",\"status\":402}");
            },
        };

        var result = await cli.RunAsync("generate", "x", "--model", "nano-banana-2", "--json");

        Assert.Equal(4, result.ExitCode);
        Assert.Equal("insufficientFunds", result.Json.GetProperty("error").GetProperty("kind").GetString());
    }

    [Fact]
    public async Task Generate_JobFails_Exit5WithReason()
    {
        var cli = new CliRunner { OnSandboxStarted = sandbox => sandbox.Host.Jobs.Default = JobScript.Fail(JobFailureKind.ProviderError, "upstream model crashed") };

        var result = await cli.RunAsync("generate", "x", "--model", "nano-banana-2", "--provider", "veogen", "--json");

        Assert.Equal(5, result.ExitCode);
        Assert.Equal("failed", result.Json.GetProperty("status").GetString());
        Assert.Contains("upstream model crashed", result.Json.GetProperty("failure").GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Generate_Deadline_Exit6WithHandleToResume()
    {
        var cli = new CliRunner
        {
            OnSandboxStarted = sandbox => sandbox.Host.Jobs.Default = JobScript.NeverComplete(),
            ConfigureWait = o => { o.Deadline = TimeSpan.FromSeconds(30); return o; },
        };

        var result = await cli.RunAsync("generate", "x", "--model", "nano-banana-2", "--provider", "veogen", "--json");

        Assert.Equal(6, result.ExitCode);
        var error = result.Json.GetProperty("error");
        Assert.Equal("timedOut", error.GetProperty("kind").GetString());
        Assert.StartsWith("veogen:", error.GetProperty("job").GetString(), StringComparison.Ordinal);
        Assert.Contains("mediagen status veogen:", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Generate_CanceledWhileWaiting_Exit130AndPrintsHandle()
    {
        using var cts = new CancellationTokenSource();
        var cli = new CliRunner
        {
            OnSandboxStarted = sandbox =>
            {
                sandbox.Host.Jobs.Default = JobScript.NeverComplete();

                // Ctrl+C arrives while the CLI is polling the accepted job.
                sandbox.Host.Faults.OnRequest(
                    r =>
                    {
                        if (r.Method == "GET" && r.Path.StartsWith("/api/v1/generations/", StringComparison.Ordinal))
                        {
                            cts.Cancel();
                        }

                        return false;
                    },
                    "press Ctrl+C on the first poll").Always().RespondWith(500);
            },
        };

        var result = await cli.RunAsync(cts.Token, "generate", "x", "--model", "nano-banana-2", "--provider", "veogen", "--json");

        Assert.Equal(130, result.ExitCode);
        Assert.StartsWith("veogen:", result.Json.GetProperty("error").GetProperty("job").GetString(), StringComparison.Ordinal);
        Assert.Contains("mediagen status veogen:", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Generate_OutcomeUnknown_MessageSaysTheKeyOnce()
    {
        var cli = new CliRunner
        {
            OnSandboxStarted = sandbox => sandbox.Host.Faults.On(HttpMethod.Post, "/api/v1/generations").Always().RespondWith(500, "{\"error\":\"internal\"}"),
        };

        var result = await cli.RunAsync("generate", "x", "--model", "nano-banana-2", "--provider", "veogen", "--idempotency-key", "run-7", "--json");

        var key = StoreSetup.RequestKey("run-7")!;
        var message = result.Json.GetProperty("error").GetProperty("message").GetString()!;
        Assert.Equal("outcomeUnknown", result.Json.GetProperty("error").GetProperty("kind").GetString());
        Assert.True(Count(message, key) == 1, message);
        Assert.Equal(key, result.Json.GetProperty("error").GetProperty("idempotencyKey").GetString());
        Assert.Contains("VeoGen", message, StringComparison.Ordinal);
        var line = Assert.Single(CliTableTests.Lines(result.Stderr), l => l.Contains(key, StringComparison.Ordinal));
        Assert.Equal(1, Count(line, key));
    }

    private static int Count(string text, string part) => (text.Length - text.Replace(part, string.Empty, StringComparison.Ordinal).Length) / part.Length;

    [Fact]
    public async Task Generate_StatusAnswersUnreadable_Exit8WithTheHandleAndHowToResume()
    {
        // Issue 19, "waits that end": three unreadable status answers in a row (an HTML page with 200) end the wait.
        var cli = new CliRunner
        {
            OnSandboxStarted = sandbox =>
            {
                sandbox.Host.Jobs.Default = JobScript.NeverComplete();
                sandbox.Host.Faults.OnPrefix(HttpMethod.Get, "/api/v1/generations/").Always().RespondWithWrongContentType(200);
            },
        };

        var result = await cli.RunAsync("generate", "x", "--model", "nano-banana-2", "--provider", "veogen", "--json");

        Assert.Equal(8, result.ExitCode);
        var error = result.Json.GetProperty("error");
        Assert.Equal("timedOut", error.GetProperty("kind").GetString());
        var handle = error.GetProperty("job").GetString()!;
        Assert.StartsWith("veogen:", handle, StringComparison.Ordinal);
        Assert.Contains("may have billed", error.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Contains($"mediagen status {handle} --wait", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GenerateJson_Accepted_WritesTheHandleAsAJsonEventOnStderrBeforeTheResult()
    {
        var cli = new CliRunner();

        var result = await cli.RunAsync("generate", "a lighthouse", "--model", "nano-banana-2", "--provider", "veogen", "--json");

        Assert.Equal(0, result.ExitCode);
        var events = result.Stderr.Split('\n').Where(l => l.StartsWith('{')).Select(l => JsonDocument.Parse(l).RootElement.Clone()).ToList();
        var accepted = Assert.Single(events, e => e.GetProperty("event").GetString() == "accepted");
        Assert.Equal(result.Json.GetProperty("job").GetString(), accepted.GetProperty("job").GetString());
    }

    [Fact]
    public async Task Generate_NoWaitHuman_WritesTheHandleOnStderrToo()
    {
        var cli = new CliRunner { OnSandboxStarted = sandbox => sandbox.Host.Jobs.Default = JobScript.NeverComplete() };

        var result = await cli.RunAsync("generate", "x", "--model", "nano-banana-2", "--provider", "meigen", "--no-wait");

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("mediagen: submitted meigen:", result.Stderr, StringComparison.Ordinal);
    }

    internal static void AssertPng(byte[] bytes)
    {
        Assert.True(bytes.Length > 33);
        Assert.Equal(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A }, bytes[..8]);
        Assert.Equal("IHDR", System.Text.Encoding.ASCII.GetString(bytes, 12, 4));
        Assert.True(BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(16)) > 0);
        Assert.True(BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(20)) > 0);
    }
}
