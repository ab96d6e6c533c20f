using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using MediaGen.Testing.Emulators.Replicate;

namespace MediaGen.Testing.Tests.Emulators.Replicate;

/// <summary>One Replicate emulator on a loopback host with a fake clock, and a raw client carrying the default token.</summary>
public abstract class ReplicateEmulatorHarness : IAsyncLifetime, IDisposable
{
    /// <summary>The start of the fake clock.</summary>
    protected static readonly DateTimeOffset Start = new(2026, 11, 21, 9, 0, 0, TimeSpan.Zero);

    protected FakeClock Time { get; } = new(Start);

    protected ReplicateEmulator Emulator { get; } = new();

    protected EmulatorHost Host { get; private set; } = null!;

    protected HttpClient Http { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Host = await EmulatorHost.StartAsync(Emulator, new EmulatorHostOptions { TimeProvider = Time });
        Http = new HttpClient { BaseAddress = ReplicateEmulator.ProviderBaseAddress(Host) };
        Http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", ReplicateEmulator.DefaultApiKey);
    }

    public async Task DisposeAsync()
    {
        Emulator.Dispose();
        await Host.DisposeAsync();
    }

    public void Dispose()
    {
        Http?.Dispose();
        GC.SuppressFinalize(this);
    }

    protected async Task<Answer> PostAsync(string path, string json, params (string Name, string Value)[] headers)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(path, UriKind.RelativeOrAbsolute)) { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        foreach (var (name, value) in headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        return await SendAsync(request);
    }

    protected async Task<Answer> GetAsync(string path)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(path, UriKind.RelativeOrAbsolute));
        return await SendAsync(request);
    }

    /// <summary>Creates a nano-banana prediction and returns its id.</summary>
    protected async Task<string> CreateAsync(string json = """{"input":{"prompt":"a lighthouse at dusk"}}""", params (string Name, string Value)[] headers)
    {
        var answer = await PostAsync("models/google/nano-banana/predictions", json, headers);
        Assert.True(answer.Status == HttpStatusCode.Created, answer.Text);
        return answer.Body["id"]!.GetValue<string>();
    }

    protected async Task<JsonNode> PredictionAsync(string id)
    {
        var answer = await GetAsync("predictions/" + id);
        Assert.Equal(HttpStatusCode.OK, answer.Status);
        return answer.Body;
    }

    private async Task<Answer> SendAsync(HttpRequestMessage request)
    {
        using var response = await Http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return new Answer(response.StatusCode, text.Length > 0 ? JsonNode.Parse(text)! : new JsonObject(), text, response.Content.Headers.ContentType?.MediaType, response.Headers);
    }

    protected sealed record Answer(HttpStatusCode Status, JsonNode Body, string Text, string? ContentType, HttpResponseHeaders Headers)
    {
        public string PredictionStatus => Body["status"]!.GetValue<string>();
    }
}
