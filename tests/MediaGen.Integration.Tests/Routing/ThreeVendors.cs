using MediaGen.Apiframe;
using MediaGen.Http;
using MediaGen.MeiGen;
using MediaGen.Routing;
using MediaGen.Testing;
using MediaGen.Testing.Emulators;
using MediaGen.Testing.Emulators.Apiframe;
using MediaGen.Testing.Emulators.MeiGen;
using MediaGen.VeoGen;

namespace MediaGen.Integration.Tests.Routing;

/// <summary>The three emulators on one rig, the three real providers pointed at them, and a router.</summary>
internal sealed class ThreeVendors : IAsyncDisposable
{
    private readonly VendorRig _rig;
    private readonly Dictionary<string, IEmulatedApi> _emulators;

    private ThreeVendors(VendorRig rig, Dictionary<string, IEmulatedApi> emulators)
    {
        _rig = rig;
        _emulators = emulators;
        MeiGen = rig.Own(MeiGenProvider.Create(new MeiGenOptions { ApiKey = "meigen_sk_integration000000000000000000000", BaseAddress = rig.BaseAddressOf(emulators["meigen"]) }, rig.CreateHttpClient(), rig.Time));
        VeoGen = rig.Own(VeoGenProvider.Create(new VeoGenOptions { ApiKey = VeoGenEmulator.DefaultApiKey, BaseAddress = rig.BaseAddressOf(emulators["veogen"]) }, rig.CreateHttpClient(), rig.Time));
        Apiframe = rig.Own(ApiframeProvider.Create(new ApiframeOptions { ApiKey = ApiframeEmulator.DefaultApiKey, BaseAddress = rig.BaseAddressOf(emulators["apiframe"]) }, rig.CreateHttpClient(), rig.Time));
    }

    public EmulatorHost Host => _rig.Host;

    public FakeClock Clock => _rig.Time;

    public IMediaGenerator MeiGen { get; }

    public IMediaGenerator VeoGen { get; }

    public IMediaGenerator Apiframe { get; }

    public static async Task<ThreeVendors> StartAsync()
    {
        var emulators = new Dictionary<string, IEmulatedApi>
        {
            ["meigen"] = new MeiGenEmulator(),
            ["veogen"] = new VeoGenEmulator(),
            ["apiframe"] = new ApiframeEmulator(),
        };
        var rig = await VendorRig.StartAsync(emulators.Values, new VendorRigOptions
        {
            CreateHttpClient = time => MediaGenHttp.CreateClient(new MediaGenHttpOptions { MaxRetries = 0 }, time, ((FakeClock)time).CreateHttpHandler()),
        });
        rig.Host.Jobs.Default = JobScript.CompleteAfterPolls(1);
        return new ThreeVendors(rig, emulators);
    }

    public MediaRouter Router(Action<RouterOptions>? configure = null, params IMediaGenerator[] order)
    {
        var options = new RouterOptions { TimeProvider = Clock };
        configure?.Invoke(options);
        return new MediaRouter(order.Length > 0 ? order : [MeiGen, VeoGen, Apiframe], options);
    }

    /// <summary>Submits (POSTs) each emulator received, by vendor.</summary>
    public int Submits(string vendor) => _rig.SubmitsTo(_emulators[vendor]).Count;

    public ValueTask DisposeAsync() => _rig.DisposeAsync();
}
