using MediaGen.Testing;
using MediaGen.Testing.Emulators;

namespace MediaGen.VeoGen.Tests.TestSupport;

/// <summary>A VeoGen emulator on 127.0.0.1 and a provider pointed at it, sharing one fake clock.</summary>
internal sealed class VeoGenTestEnvironment : IAsyncDisposable
{
    private VeoGenTestEnvironment(EmulatorHost host, VeoGenEmulator emulator, FakeClock time, IMediaGenerator generator, HttpClient http)
    {
        Host = host;
        Emulator = emulator;
        Time = time;
        Generator = generator;
        Http = http;
    }

    public EmulatorHost Host { get; }

    public VeoGenEmulator Emulator { get; }

    public FakeClock Time { get; }

    public IMediaGenerator Generator { get; }

    public HttpClient Http { get; }

    public VeoGenClient Client => Generator.GetService<VeoGenClient>()!;

    public static async Task<VeoGenTestEnvironment> StartAsync(Action<VeoGenOptions>? configure = null)
    {
        var time = new FakeClock(new DateTimeOffset(2026, 11, 21, 9, 0, 0, TimeSpan.Zero));
        var emulator = new VeoGenEmulator();
        var host = await EmulatorHost.StartAsync(emulator, new EmulatorHostOptions { TimeProvider = time });
        var options = new VeoGenOptions { ApiKey = VeoGenEmulator.DefaultApiKey, BaseAddress = VeoGenEmulator.ProviderBaseAddress(host) };
        configure?.Invoke(options);
        var http = new HttpClient();
        return new VeoGenTestEnvironment(host, emulator, time, VeoGenProvider.Create(options, http, time), http);
    }

    public IEnumerable<RecordedRequest> Posts => Host.Requests.Where(r => r.Method == "POST" && r.Path == "/api/v1/generations");

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await Host.DisposeAsync();
    }
}
