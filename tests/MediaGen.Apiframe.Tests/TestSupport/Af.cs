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

    public static IMediaGenerator Create(StubHttpHandler stub, FakeClock? time = null, Action<ApiframeOptions>? configure = null) =>
        ApiframeProvider.Create(Options(configure: configure), new HttpClient(stub), time ?? new FakeClock());

    public static IMediaGenerator Create(EmulatorHost host, Action<ApiframeOptions>? configure = null) =>
        ApiframeProvider.Create(Options(ApiframeEmulator.ProviderBaseAddress(host), configure), new HttpClient(), host.TimeProvider);

    /// <summary>An emulator on a rig; deconstruct it as <c>var (host, emulator, time) = await Af.StartAsync();</c>.</summary>
    public static Task<VendorRig<ApiframeEmulator>> StartAsync(ApiframeEmulatorOptions? options = null) => VendorRig.StartAsync(new ApiframeEmulator(options));

    public static GenerationRequest Request(string model = "midjourney", string prompt = "a lighthouse at dusk") => new(model, prompt);
}
