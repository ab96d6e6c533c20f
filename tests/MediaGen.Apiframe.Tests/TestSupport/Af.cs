using MediaGen.Http;
using MediaGen.Testing;
using MediaGen.Testing.Emulators.Apiframe;

namespace MediaGen.Apiframe.Tests.TestSupport;

/// <summary>Builds providers for tests: against a stub handler or a running emulator, on a fake clock.</summary>
internal static class Af
{
    public const string Key = ApiframeEmulatorOptions.DefaultApiKey;

    public static ApiframeOptions Options(Uri? baseAddress = null, Action<ApiframeOptions>? configure = null)
    {
        var options = new ApiframeOptions { ApiKey = Key, BaseAddress = baseAddress ?? new Uri("https://api.apiframe.test/"), MaxConcurrentJobs = 10 };
        configure?.Invoke(options);
        return options;
    }

    // With `http`, through MediaGen's shared HTTP pipeline, as ApiframeProvider.Create without a client and every DI
    // client send: submit retries are the pipeline's (MediaGenHttpOptions), not the provider's. Without it, a plain client.
    public static IMediaGenerator Create(StubHandler stub, FakeTimeProvider? time = null, Action<ApiframeOptions>? configure = null, MediaGenHttpOptions? http = null)
    {
        time ??= new FakeTimeProvider();
        return ApiframeProvider.Create(Options(configure: configure), Client(http, time, stub), time);
    }

    public static IMediaGenerator Create(EmulatorHost host, Action<ApiframeOptions>? configure = null, MediaGenHttpOptions? http = null) =>
        ApiframeProvider.Create(Options(host.BaseAddress, configure), Client(http, host.TimeProvider, null), host.TimeProvider);

    private static HttpClient Client(MediaGenHttpOptions? http, TimeProvider time, HttpMessageHandler? inner) =>
        http is null ? (inner is null ? new HttpClient() : new HttpClient(inner)) : MediaGenHttp.CreateClient(http, time, inner);

    public static async Task<(EmulatorHost Host, ApiframeEmulator Emulator, FakeTimeProvider Time)> StartAsync(ApiframeEmulatorOptions? options = null)
    {
        var time = new FakeTimeProvider();
        var emulator = new ApiframeEmulator(options);
        var host = await EmulatorHost.StartAsync(emulator, new EmulatorHostOptions { TimeProvider = time });
        return (host, emulator, time);
    }

    public static GenerationRequest Request(string model = "midjourney", string prompt = "a lighthouse at dusk") => new(model, prompt);
}
