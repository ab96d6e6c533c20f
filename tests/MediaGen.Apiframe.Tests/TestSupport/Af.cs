using MediaGen.Http;
using MediaGen.Testing;
using MediaGen.Testing.Emulators.Apiframe;

namespace MediaGen.Apiframe.Tests.TestSupport;

/// <summary>Builds providers for tests: against a stub handler or a running emulator, on a fake clock.</summary>
internal static class Af
{
    public const string Key = ApiframeEmulator.DefaultApiKey;

    public static ApiframeOptions Options(Uri? baseAddress = null, Action<ApiframeOptions>? configure = null)
    {
        var options = new ApiframeOptions { ApiKey = Key, BaseAddress = baseAddress ?? new Uri("https://api.apiframe.test/"), MaxConcurrentJobs = 10 };
        configure?.Invoke(options);
        return options;
    }

    // With `http`, through MediaGen's shared HTTP pipeline, as ApiframeProvider.Create without a client and every DI
    // client send: submit retries are the pipeline's (MediaGenHttpOptions), not the provider's. Without it, a plain client.
    public static IMediaGenerator Create(StubHttpHandler stub, FakeClock? time = null, Action<ApiframeOptions>? configure = null, MediaGenHttpOptions? http = null)
    {
        time ??= new FakeClock();
        return ApiframeProvider.Create(Options(configure: configure), Client(http, time, stub), time);
    }

    public static IMediaGenerator Create(EmulatorHost host, Action<ApiframeOptions>? configure = null, MediaGenHttpOptions? http = null) =>
        ApiframeProvider.Create(Options(ApiframeEmulator.ProviderBaseAddress(host), configure), Client(http, host.TimeProvider, null), host.TimeProvider);

    private static HttpClient Client(MediaGenHttpOptions? http, TimeProvider time, HttpMessageHandler? inner) =>
        http is null ? (inner is null ? new HttpClient() : new HttpClient(inner)) : MediaGenHttp.CreateClient(http, time, inner);

    /// <summary>An emulator on a rig; deconstruct it as <c>var (host, emulator, time) = await Af.StartAsync();</c>.</summary>
    public static Task<VendorRig<ApiframeEmulator>> StartAsync(ApiframeEmulatorOptions? options = null) => VendorRig.StartAsync(new ApiframeEmulator(options));

    public static GenerationRequest Request(string model = "midjourney", string prompt = "a lighthouse at dusk") => new(model, prompt);
}
