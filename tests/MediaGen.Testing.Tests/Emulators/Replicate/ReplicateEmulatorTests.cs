using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using MediaGen.Testing.Emulators.Replicate;

namespace MediaGen.Testing.Tests.Emulators.Replicate;

/// <summary>
/// The Replicate emulator driven over loopback with a raw <see cref="HttpClient"/> and the requests and bodies quoted
/// from the reference page (shared/vendor-docs/replicate-http-api.md), on a fake clock.
/// </summary>
public sealed class ReplicateEmulatorTests : IAsyncLifetime, IDisposable
{
    private readonly FakeClock _time = new(new DateTimeOffset(2026, 11, 21, 9, 0, 0, TimeSpan.Zero));
    private readonly ReplicateEmulator _emulator = new();
    private EmulatorHost _host = null!;
    private HttpClient _http = null!;

    public async Task InitializeAsync()
    {
        _host = await EmulatorHost.StartAsync(_emulator, new EmulatorHostOptions { TimeProvider = _time });
        _http = new HttpClient { BaseAddress = ReplicateEmulator.ProviderBaseAddress(_host) };
        _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", ReplicateEmulator.DefaultApiKey);
    }

    public async Task DisposeAsync()
    {
        _emulator.Dispose();
        await _host.DisposeAsync();
    }

    public void Dispose() => _http?.Dispose();

    [Fact]
    public async Task CreateOfficialModel_NanoBanana_Returns201StartingPredictionWithUrls()
    {
        var (status, body) = await PostAsync("models/google/nano-banana/predictions", """{"input":{"prompt":"a lighthouse at dusk"}}""");

        Assert.Equal(HttpStatusCode.Created, status);
        Assert.Equal("starting", body["status"]!.GetValue<string>());
        Assert.Equal("google/nano-banana", body["model"]!.GetValue<string>());
        Assert.Equal("hidden", body["version"]!.GetValue<string>());
        Assert.Equal("a lighthouse at dusk", body["input"]!["prompt"]!.GetValue<string>());
        Assert.Null(body["output"]);
        Assert.False(body["data_removed"]!.GetValue<bool>());
        Assert.Equal("2026-11-21T09:00:00.000000Z", body["created_at"]!.GetValue<string>());
        var id = body["id"]!.GetValue<string>();
        Assert.Matches("^[a-z0-9]{26}$", id);
        Assert.Equal(new Uri(_http.BaseAddress!, "predictions/" + id).AbsoluteUri, body["urls"]!["get"]!.GetValue<string>());
        Assert.Equal("https://replicate.com/p/" + id, body["urls"]!["web"]!.GetValue<string>());
        Assert.Empty(_host.Ledger.Entries); // billed when it ends, not at create
    }

    private async Task<(HttpStatusCode Status, JsonNode Body)> PostAsync(string path, string json, Action<HttpRequestMessage>? configure = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(path, UriKind.Relative)) { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        configure?.Invoke(request);
        using var response = await _http.SendAsync(request);
        return (response.StatusCode, JsonNode.Parse(await response.Content.ReadAsStringAsync())!);
    }
}
