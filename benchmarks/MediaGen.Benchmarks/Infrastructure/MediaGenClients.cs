using MediaGen.Http;
using MediaGen.Apiframe;
using MediaGen.MeiGen;
using MediaGen.Routing;
using MediaGen.VeoGen;
using MediaGen.Testing.Emulators.Apiframe;
using MediaGen.Testing.Emulators;

namespace MediaGen.Benchmarks.Infrastructure;

/// <summary>
/// MediaGen's providers and router as an application would build them, pointed at the emulators: the shared
/// resilience pipeline (<see cref="MediaGenHttp.CreateClient"/>), built-in price snapshots (no models call, so the
/// HTTP calls are exactly submit + status polls), and the client-side limiters lifted for load: MeiGen
/// <c>RequestsPerMinute = 0</c> (off), VeoGen <c>RequestsPerMinute = 10,000,000</c> (the limiter still runs), Apiframe <c>LimitConcurrency = false</c>
/// (no <c>GET /v2/me</c> look-up of the account's concurrency cap, no client-side queue).
/// </summary>
public sealed class MediaGenClients : IDisposable
{
    public const string MeiGenKey = "meigen_sk_bench";
    public const string Canonical = "nano-banana-2";

    private readonly HttpClient _http;
    private readonly bool _ownsHttp;

    public MediaGenClients(EmulatorEndpoints endpoints, TimeProvider? time = null, HttpClient? http = null)
    {
        // One pooled client for every provider, as IHttpClientFactory would hand out; no HttpClient timeout (the pipeline owns timeouts).
        _ownsHttp = http is null;
        _http = http ?? MediaGenHttp.CreateClient();
        MeiGen = MeiGenProvider.Create(new MeiGenOptions
        {
            ApiKey = MeiGenKey,
            BaseAddress = endpoints.MeiGen,
            RequestsPerMinute = 0,
            UseLiveCatalog = false,
        }, _http, time);
        VeoGen = VeoGenProvider.Create(new VeoGenOptions
        {
            ApiKey = VeoGenEmulator.DefaultApiKey,
            BaseAddress = endpoints.VeoGen,
            RequestsPerMinute = 10_000_000,
            UseLiveCatalog = false,
        }, _http, time);
        Apiframe = ApiframeProvider.Create(new ApiframeOptions
        {
            ApiKey = ApiframeEmulatorOptions.DefaultApiKey,
            BaseAddress = endpoints.Apiframe,
            LimitConcurrency = false,
        }, _http, time);
        var options = new RouterOptions { TimeProvider = time };
        options.ExchangeRates.Set(MoneyUnit.Credits("meigen"), 0.01m);
        options.ExchangeRates.Set(MoneyUnit.Credits("apiframe"), 0.01m);
        Router = new MediaRouter([MeiGen, VeoGen, Apiframe], options);
    }

    public IMediaGenerator MeiGen { get; }

    public IMediaGenerator VeoGen { get; }

    public IMediaGenerator Apiframe { get; }

    public MediaRouter Router { get; }

    public IMediaGenerator For(Vendor vendor) => vendor switch
    {
        Vendor.MeiGen => MeiGen,
        Vendor.VeoGen => VeoGen,
        Vendor.Apiframe => Apiframe,
        _ => throw new ArgumentOutOfRangeException(nameof(vendor)),
    };

    public static string VendorModel(Vendor vendor) => vendor switch
    {
        Vendor.MeiGen => "nanobanana-2",
        _ => "nano-banana-2",
    };

    /// <summary>A request pinned to one vendor through the router (canonical slug, allowed providers = that vendor).</summary>
    public static GenerationRequest RoutedRequest(Vendor vendor) => new(Canonical, "a lighthouse at dawn, volumetric light")
    {
        AspectRatio = AspectRatio.Parse("16:9"),
        Routing = new RoutingPreferences { AllowedProviders = [vendor.ToString().ToLowerInvariant()] },
    };

    public static GenerationRequest DirectRequest(Vendor vendor) => new(VendorModel(vendor), "a lighthouse at dawn, volumetric light")
    {
        AspectRatio = AspectRatio.Parse("16:9"),
    };

    public void Dispose()
    {
        (MeiGen as IDisposable)?.Dispose();
        (VeoGen as IDisposable)?.Dispose();
        (Apiframe as IDisposable)?.Dispose();
        if (_ownsHttp)
        {
            _http.Dispose();
        }
    }
}
