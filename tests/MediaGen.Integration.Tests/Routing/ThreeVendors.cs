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

/// <summary>The three emulators on one loopback host, the three real providers pointed at them, and a router.</summary>
internal sealed class ThreeVendors : IAsyncDisposable
{
    private readonly List<HttpClient> _clients = [];

    private ThreeVendors(EmulatorHost host, FakeClock clock)
    {
        Host = host;
        Clock = clock;
    }

    public EmulatorHost Host { get; }

    public FakeClock Clock { get; }

    public IMediaGenerator MeiGen { get; private set; } = null!;

    public IMediaGenerator VeoGen { get; private set; } = null!;

    public IMediaGenerator Apiframe { get; private set; } = null!;

    public static async Task<ThreeVendors> StartAsync()
    {
        var clock = new FakeClock();
        var host = await EmulatorHost.StartAsync([new MeiGenEmulator(), new VeoGenEmulator(), new ApiframeEmulator()]);
        host.Jobs.Default = JobScript.CompleteAfterPolls(1);
        var vendors = new ThreeVendors(host, clock);
        vendors.MeiGen = MeiGenProvider.Create(new MeiGenOptions { ApiKey = "meigen_sk_integration000000000000000000000", BaseAddress = new Uri(host.BaseAddress, "api/") }, vendors.Client(), clock);
        vendors.VeoGen = VeoGenProvider.Create(new VeoGenOptions { ApiKey = VeoGenEmulator.DefaultApiKey, BaseAddress = new Uri(host.BaseAddress, "api/v1/") }, vendors.Client(), clock);
        vendors.Apiframe = ApiframeProvider.Create(new ApiframeOptions { ApiKey = ApiframeEmulatorOptions.DefaultApiKey, BaseAddress = host.BaseAddress, MaxSubmitAttempts = 1 }, vendors.Client(), clock);
        return vendors;
    }

    public MediaRouter Router(Action<RouterOptions>? configure = null, params IMediaGenerator[] order)
    {
        var options = new RouterOptions { TimeProvider = Clock };
        configure?.Invoke(options);
        return new MediaRouter(order.Length > 0 ? order : [MeiGen, VeoGen, Apiframe], options);
    }

    /// <summary>Submits (POSTs) each emulator received, by vendor.</summary>
    public int Submits(string vendor) => Host.Requests.Count(r => r.Method == "POST" && r.Path == vendor switch
    {
        "meigen" => "/api/generate/v2",
        "veogen" => "/api/v1/generations",
        _ => "/v2/images/generate",
    });

    public async ValueTask DisposeAsync()
    {
        foreach (var c in _clients)
        {
            c.Dispose();
        }

        await Host.DisposeAsync();
    }

    private HttpClient Client()
    {
        var client = MediaGenHttp.CreateClient(new MediaGenHttpOptions { MaxRetries = 0 }, Clock);
        _clients.Add(client);
        return client;
    }
}
