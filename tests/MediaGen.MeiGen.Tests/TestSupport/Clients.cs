using MediaGen.Testing;
using MediaGen.Testing.Emulators.MeiGen;

namespace MediaGen.MeiGen.Tests.TestSupport;

/// <summary>Builds the provider against a stub handler or an emulator rig.</summary>
public static class Clients
{
    public const string ApiKey = MeiGenEmulator.DefaultApiKey;

    public static Uri StubBase { get; } = new("https://meigen.test/api");

    /// <summary>The provider over a stub; <c>GET …/models</c> answers 404 unless scripted, so the snapshot catalog is used.</summary>
    public static IMediaGenerator WithStub(StubHttpHandler stub, TimeProvider? time = null, Action<MeiGenOptions>? configure = null)
    {
        stub.Fallback ??= request => request.RequestUri!.AbsolutePath.EndsWith("/models", StringComparison.Ordinal)
            ? StubHttpHandler.Json(404, "{\"error\":\"not scripted\"}")
            : throw new InvalidOperationException($"No scripted answer for {request.Method} {request.RequestUri!.AbsolutePath}.");
        var options = new MeiGenOptions { ApiKey = ApiKey, BaseAddress = StubBase, UseLiveCatalog = false };
        configure?.Invoke(options);
        return MeiGenProvider.Create(options, new HttpClient(stub), time ?? new FakeClock());
    }

    public static GenerationRequest Request(string model, string prompt = "a red fox in the snow") => new(model, prompt);

    /// <summary>The POSTs a stub received.</summary>
    extension(StubHttpHandler stub)
    {
        public IEnumerable<StubHttpRequest> Posts => stub.Requests.Where(r => r.Method == HttpMethod.Post);
    }
}

/// <summary>A MeiGen emulator on a rig (loopback host, one fake clock); build providers with <c>rig.Client(...)</c>.</summary>
public static class EmulatedMeiGen
{
    public static Task<VendorRig<MeiGenEmulator>> StartAsync(MeiGenEmulatorOptions? options = null) => VendorRig.StartAsync(new MeiGenEmulator(options));

    /// <summary>The provider pointed at a rig's emulator, on the rig's clock (disposed with the rig).</summary>
    extension(VendorRig<MeiGenEmulator> rig)
    {
        public IMediaGenerator Client(Action<MeiGenOptions>? configure = null)
        {
            var options = new MeiGenOptions { ApiKey = Clients.ApiKey, BaseAddress = rig.ProviderBaseAddress };
            configure?.Invoke(options);
            return rig.Own(MeiGenProvider.Create(options, rig.CreateHttpClient(), rig.Time));
        }
    }
}
