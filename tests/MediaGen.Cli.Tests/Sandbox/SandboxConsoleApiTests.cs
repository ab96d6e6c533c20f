using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

// The folder is named after the command; the namespace stays MediaGen.Cli.Tests so that "Sandbox" keeps naming the CLI's type.
namespace MediaGen.Cli.Tests;

/// <summary>The sandbox console's JSON API and <c>--fault</c> flags, driven as a script would: real processes, no browser.</summary>
public class SandboxConsoleApiTests
{
    [Fact]
    public async Task FaultsApi_MeiGenSwitchedOn_GenerateFailsOverAndTheStateShowsOneVeoGenCharge()
    {
        await using var sandbox = await SandboxServer.StartAsync();
        using (var on = await sandbox.PostFaultAsync("meigen", ConsoleScenario.FailoverFault))
        {
            Assert.Equal(HttpStatusCode.OK, on.StatusCode);
        }

        var (exit, stdout, stderr) = await sandbox.GenerateAsync(ConsoleScenario.Prompt, "meigen", "veogen");

        Assert.True(exit == 0, $"mediagen generate exited {exit}.\nstdout:\n{stdout}\nstderr:\n{stderr}");
        Assert.Contains("veogen:", stdout, StringComparison.Ordinal);
        ConsoleScenario.AssertFailedOverToVeoGen(await sandbox.GetJsonAsync("_console/api/state"));
    }

    [Fact]
    public async Task FaultFlag_MeiGenSwitchedOnAtStart_GenerateFailsOverAndTheStateShowsOneVeoGenCharge()
    {
        await using var sandbox = await SandboxServer.StartAsync("--fault", "meigen=" + ConsoleScenario.FailoverFault);

        var (exit, stdout, stderr) = await sandbox.GenerateAsync(ConsoleScenario.Prompt, "meigen", "veogen");

        Assert.True(exit == 0, $"mediagen generate exited {exit}.\nstdout:\n{stdout}\nstderr:\n{stderr}");
        ConsoleScenario.AssertFailedOverToVeoGen(await sandbox.GetJsonAsync("_console/api/state"));
        Assert.Contains($"fault on: meigen {ConsoleScenario.FailoverFault} until switched off", sandbox.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task FaultFlag_OutageForTwoRequests_AnswersTwo503sThenServesAndSwitchesItselfOff()
    {
        await using var sandbox = await SandboxServer.StartAsync("--fault", "meigen=outage:2");
        using var http = new HttpClient { BaseAddress = new Uri(sandbox.Environment["MEIGEN_BASE_URL"].TrimEnd('/') + "/") };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", sandbox.Environment["MEIGEN_API_KEY"]);

        var statuses = new List<int>();
        for (int i = 0; i < 3; i++)
        {
            using var response = await http.GetAsync("models");
            statuses.Add((int)response.StatusCode);
        }

        Assert.Equal([503, 503, 200], statuses);
        JsonElement faults = await sandbox.GetJsonAsync("_console/api/faults");
        Assert.Empty(faults.GetProperty("active").EnumerateArray());
        var listed = (await sandbox.GetJsonAsync("_console/api/requests")).EnumerateArray().Select(ConsoleScenario.Status).Reverse().ToList();
        Assert.Equal([503, 503, 200], listed);
        Assert.Contains("fault on: meigen outage for the next 2 requests", sandbox.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task FaultsApi_UnknownVendorKindOrCount_Answers400NamingTheChoices()
    {
        await using var sandbox = await SandboxServer.StartAsync();

        using var vendor = await sandbox.PostFaultAsync("nosuchvendor", "outage");
        using var kind = await sandbox.PostFaultAsync("meigen", "meltdown");
        using var count = await sandbox.PostFaultAsync("meigen", "outage", 0);
        using var notJson = await sandbox.Http.PostAsync("_console/api/faults", new StringContent("outage please", Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, vendor.StatusCode);
        Assert.Contains("VeoGen", await vendor.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, kind.StatusCode);
        Assert.Contains("rate-limit", await kind.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, count.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, notJson.StatusCode);
        Assert.Empty((await sandbox.GetJsonAsync("_console/api/faults")).GetProperty("active").EnumerateArray());
    }

    [Fact]
    public async Task FaultsApi_Delete_SwitchesTheFaultOff()
    {
        await using var sandbox = await SandboxServer.StartAsync("--fault", "veogen=outage", "--fault", "meigen=slow");

        using var off = await sandbox.Http.DeleteAsync("_console/api/faults/veogen/outage");

        Assert.Equal(HttpStatusCode.OK, off.StatusCode);
        var active = (await sandbox.GetJsonAsync("_console/api/faults")).GetProperty("active").EnumerateArray()
            .Select(a => a.GetProperty("vendor").GetString() + "=" + a.GetProperty("kind").GetString()).ToList();
        Assert.Equal(["meigen=slow"], active);
    }

    [Fact]
    public async Task FaultFlag_Malformed_ExitsWithInvalidSettingsAndSaysTheForm()
    {
        var start = new System.Diagnostics.ProcessStartInfo("dotnet", ["exec", Path.Combine(AppContext.BaseDirectory, "MediaGen.Cli.dll"), "sandbox", "--port", "0", "--fault", "meigen"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        using var process = System.Diagnostics.Process.Start(start)!;
        Task<string> stdout = process.StandardOutput.ReadToEndAsync();
        string stderr = await process.StandardError.ReadToEndAsync();
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(limit.Token);
        await stdout;

        Assert.Equal(2, process.ExitCode);
        Assert.Contains("VENDOR=KIND", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Console_RequestCarryingKeys_ShowsNoKeyInTheListTheDetailOrThePage()
    {
        await using var sandbox = await SandboxServer.StartAsync();
        const string HeaderKey = "meigen_sk_live9f8e7d6c5b4a39281706f5e4d3c2b1a0";
        const string QueryKey = "qk-5e1f0c9a7b3d2e8f";
        const string BodyKey = "body-secret-77d1e2f3a4b5";
        using var http = new HttpClient { BaseAddress = new Uri(sandbox.Environment["MEIGEN_BASE_URL"].TrimEnd('/') + "/") };
        using var request = new HttpRequestMessage(HttpMethod.Post, "generate/v2?api_key=" + QueryKey)
        {
            Content = new StringContent(
                "{\"prompt\": \"a fox\", \"model\": \"nano-banana-2\", \"api_key\": \"" + BodyKey + "\", \"nested\": {\"token\": \"" + BodyKey + "\", \"note\": \"key " + HeaderKey + " pasted\"}}",
                Encoding.UTF8,
                "application/json"),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", HeaderKey);
        request.Headers.Add("x-api-key", HeaderKey);
        using (await http.SendAsync(request))
        {
        }

        string state = await sandbox.Http.GetStringAsync("_console/api/state");
        JsonElement listed = (await sandbox.GetJsonAsync("_console/api/requests")).EnumerateArray().First(r => r.GetProperty("method").GetString() == "POST");
        string detail = await sandbox.Http.GetStringAsync($"_console/api/requests/{listed.GetProperty("id").GetInt32()}");
        string page = await sandbox.Http.GetStringAsync("/") + await sandbox.Http.GetStringAsync("_console/console.js");

        foreach (string shown in new[] { state, detail, page })
        {
            Assert.DoesNotContain(HeaderKey, shown, StringComparison.Ordinal);
            Assert.DoesNotContain(QueryKey, shown, StringComparison.Ordinal);
            Assert.DoesNotContain(BodyKey, shown, StringComparison.Ordinal);
            Assert.DoesNotContain("live9f8e7d6c", shown, StringComparison.Ordinal);
        }

        using var doc = JsonDocument.Parse(detail);
        JsonElement headers = doc.RootElement.GetProperty("headers");
        Assert.Equal("Bearer ••••", headers.GetProperty("Authorization").GetString());
        Assert.Equal("••••", headers.GetProperty("x-api-key").GetString());
        Assert.Contains("\"prompt\": \"a fox\"", doc.RootElement.GetProperty("body").GetString(), StringComparison.Ordinal);
        Assert.EndsWith("?api_key=••••", doc.RootElement.GetProperty("path").GetString(), StringComparison.Ordinal);
    }
}
