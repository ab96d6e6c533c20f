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

    public static IMediaGenerator Create(StubHandler stub, FakeClock? time = null, Action<ApiframeOptions>? configure = null) =>
        ApiframeProvider.Create(Options(configure: configure), new HttpClient(stub), time ?? new FakeClock());

    public static IMediaGenerator Create(EmulatorHost host, Action<ApiframeOptions>? configure = null) =>
        ApiframeProvider.Create(Options(host.BaseAddress, configure), new HttpClient(), host.TimeProvider);

    public static async Task<(EmulatorHost Host, ApiframeEmulator Emulator, FakeClock Time)> StartAsync(ApiframeEmulatorOptions? options = null)
    {
        var time = new FakeClock();
        var emulator = new ApiframeEmulator(options);
        var host = await EmulatorHost.StartAsync(emulator, new EmulatorHostOptions { TimeProvider = time });
        return (host, emulator, time);
    }

    public static GenerationRequest Request(string model = "midjourney", string prompt = "a lighthouse at dusk") => new(model, prompt);
}
