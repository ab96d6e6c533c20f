using MediaGen.Testing;
using MediaGen.Testing.Emulators.MeiGen;

namespace MediaGen.MeiGen.Tests.TestSupport;

/// <summary>Builds the provider against a stub handler or an emulator host.</summary>
public static class Clients
{
    public const string ApiKey = "meigen_sk_0123456789abcdef0123456789abcdef";

    public static Uri StubBase { get; } = new("https://meigen.test/api");

    public static IMediaGenerator WithStub(StubHandler stub, TimeProvider? time = null, Action<MeiGenOptions>? configure = null)
    {
        var options = new MeiGenOptions { ApiKey = ApiKey, BaseAddress = StubBase, UseLiveCatalog = false };
        configure?.Invoke(options);
        return MeiGenProvider.Create(options, new HttpClient(stub), time ?? new FakeTimeProvider());
    }

    public static GenerationRequest Request(string model, string prompt = "a red fox in the snow") => new(model, prompt);
}

/// <summary>A MeiGen emulator on loopback with the provider pointed at it, on one fake clock.</summary>
public sealed class EmulatedMeiGen : IAsyncDisposable
{
    private EmulatedMeiGen(EmulatorHost host, MeiGenEmulator emulator, FakeTimeProvider time, HttpClient http)
    {
        Host = host;
        Emulator = emulator;
        Time = time;
        Http = http;
    }

    public EmulatorHost Host { get; }

    public MeiGenEmulator Emulator { get; }

    public FakeTimeProvider Time { get; }

    /// <summary>Gets a raw client of the host (for curl-style requests).</summary>
    public HttpClient Http { get; }

    public Uri ApiBase => new(Host.BaseAddress, "api/");

    public static async Task<EmulatedMeiGen> StartAsync(MeiGenEmulatorOptions? options = null)
    {
        var time = new FakeTimeProvider();
        var emulator = new MeiGenEmulator(options);
        var host = await EmulatorHost.StartAsync(emulator, new EmulatorHostOptions { TimeProvider = time });
        return new EmulatedMeiGen(host, emulator, time, host.CreateClient());
    }

    public IMediaGenerator Client(Action<MeiGenOptions>? configure = null)
    {
        var options = new MeiGenOptions { ApiKey = Clients.ApiKey, BaseAddress = ApiBase };
        configure?.Invoke(options);
        return MeiGenProvider.Create(options, new HttpClient(), Time);
    }

    public IReadOnlyList<RecordedRequest> Posts => [.. Host.Requests.Where(r => r.Method == "POST")];

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await Host.DisposeAsync();
    }
}
