using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using MediaGen.Testing;
using MediaGen.Testing.Emulators;
using MediaGen.Testing.Emulators.Apiframe;
using MediaGen.Testing.Emulators.MeiGen;

namespace MediaGen.Cli.Tests;

public class StatusAndSandboxCommandTests
{
    [Fact]
    public async Task Status_WithKeysAndBaseUrls_FindsAJobSubmittedByAnotherRunAndWaits()
    {
        await using var host = await EmulatorHost.StartAsync([new MeiGenEmulator(), new VeoGenEmulator(), new ApiframeEmulator()]);
        host.Jobs.Default = JobScript.CompleteAfterPolls(2);
        var cli = new CliRunner();
        cli.Environment["MEIGEN_API_KEY"] = Sandbox.MeiGenKey;
        cli.Environment["MEIGEN_BASE_URL"] = new Uri(host.BaseAddress, "api").ToString();

        var submitted = await cli.RunAsync("generate", "a lighthouse", "--model", "nano-banana-2", "--no-wait", "--json");
        var handle = submitted.Json.GetProperty("job").GetString()!;

        var once = await cli.RunAsync("status", handle, "--json");
        var waited = await cli.RunAsync("status", handle, "--wait", "--json");

        Assert.Equal(0, once.ExitCode);
        Assert.Equal(handle, once.Json.GetProperty("job").GetString());
        Assert.Equal(0, waited.ExitCode);
        Assert.Equal("succeeded", waited.Json.GetProperty("status").GetString());
        Assert.DoesNotContain("sandbox", submitted.Stderr, StringComparison.Ordinal);
        Assert.Equal(1, host.Ledger.ChargedJobCount);
    }

    [Fact]
    public async Task Status_MalformedHandle_Exit2()
    {
        var result = await new CliRunner().RunAsync("status", "not-a-handle", "--json");
        Assert.Equal(2, result.ExitCode);
        Assert.Equal("usage", result.Json.GetProperty("error").GetProperty("kind").GetString());
    }

    [Fact]
    public async Task Status_UnknownJob_NotFoundNonZero()
    {
        var result = await new CliRunner().RunAsync("status", "veogen:01928abc-def0-7123-b456-789012345678", "--json");
        Assert.NotEqual(0, result.ExitCode);
        Assert.Equal("notFound", result.Json.GetProperty("error").GetProperty("kind").GetString());
    }

    [Fact]
    public async Task Sandbox_PrintsBaseUrlsThatAnswerTheVendorsOwnCurlExamples()
    {
        using var cts = new CancellationTokenSource();
        var printed = new TaskCompletionSource<Sandbox>(TaskCreationOptions.RunContinuationsAsynchronously);
        var cli = new CliRunner { OnSandboxStarted = printed.SetResult };
        var running = cli.RunAsync(cts.Token, "sandbox");
        var sandbox = await printed.Task.WaitAsync(TimeSpan.FromSeconds(30));

        using var http = new HttpClient();

        // MeiGen's curl example (meigen-overview): POST {base}/generate/v2 with the documented body.
        using var meigen = new HttpRequestMessage(HttpMethod.Post, sandbox.MeiGenBaseUrl + "generate/v2")
        {
            Content = new StringContent("{\"prompt\": \"a minimalist logo\", \"modelId\": \"gemini-3-pro-image-preview\"}", Encoding.UTF8, "application/json"),
        };
        meigen.Headers.Add("Authorization", "Bearer " + Sandbox.MeiGenKey);
        using var meigenResponse = await http.SendAsync(meigen);
        var meigenJson = await meigenResponse.Content.ReadFromJsonAsync<JsonElement>();

        // VeoGen's curl example (create generation).
        using var veogen = new HttpRequestMessage(HttpMethod.Post, sandbox.VeoGenBaseUrl + "generations")
        {
            Content = new StringContent("{\"model\": \"gpt-4o-image\", \"prompt\": \"A serene mountain landscape at sunset, photorealistic\", \"aspect_ratio\": \"16:9\"}", Encoding.UTF8, "application/json"),
        };
        veogen.Headers.Add("Authorization", "Bearer " + Sandbox.VeoGenKey);
        using var veogenResponse = await http.SendAsync(veogen);
        var veogenJson = await veogenResponse.Content.ReadFromJsonAsync<JsonElement>();

        // Replicate: an official-model create (replicate-http-api.md §1.3), token of the documented r8_ form.
        using var replicate = new HttpRequestMessage(HttpMethod.Post, sandbox.ReplicateBaseUrl + "models/google/nano-banana/predictions")
        {
            Content = new StringContent("{\"input\": {\"prompt\": \"a lighthouse at dusk\"}}", Encoding.UTF8, "application/json"),
        };
        replicate.Headers.Add("Authorization", "Bearer " + Sandbox.ReplicateKey);
        using var replicateResponse = await http.SendAsync(replicate);
        var replicateJson = await replicateResponse.Content.ReadFromJsonAsync<JsonElement>();

        await cts.CancelAsync();
        var result = await running;

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("MEIGEN_BASE_URL=" + sandbox.MeiGenBaseUrl.ToString().TrimEnd('/'), result.Stdout, StringComparison.Ordinal);
        Assert.EndsWith("/api", sandbox.MeiGenBaseUrl.ToString().TrimEnd('/'), StringComparison.Ordinal);
        Assert.EndsWith("/api/v1", sandbox.VeoGenBaseUrl.ToString().TrimEnd('/'), StringComparison.Ordinal);
        Assert.Contains("APIFRAME_BASE_URL=" + sandbox.ApiframeBaseUrl.ToString().TrimEnd('/'), result.Stdout, StringComparison.Ordinal);
        Assert.Contains("REPLICATE_BASE_URL=" + sandbox.ReplicateBaseUrl.ToString().TrimEnd('/'), result.Stdout, StringComparison.Ordinal);
        Assert.EndsWith("/v1", sandbox.ReplicateBaseUrl.ToString().TrimEnd('/'), StringComparison.Ordinal);
        Assert.Equal(4, result.Stdout.Trim().Split('\n').Length);
        Assert.True(meigenJson.GetProperty("success").GetBoolean());
        Assert.Equal("processing", meigenJson.GetProperty("status").GetString());
        Assert.Equal(201, (int)veogenResponse.StatusCode);
        Assert.Equal("pending", veogenJson.GetProperty("data").GetProperty("status").GetString());
        Assert.Equal(0.02m, veogenJson.GetProperty("price_usd").GetDecimal());
        Assert.Equal(201, (int)replicateResponse.StatusCode);
        Assert.Equal("starting", replicateJson.GetProperty("status").GetString());
    }
}
