using System.Text.Json.Nodes;
using MediaGen.Apiframe;
using MediaGen.MeiGen;
using MediaGen.Routing;
using MediaGen.Testing;
using MediaGen.Testing.Emulators;
using MediaGen.Testing.Emulators.Apiframe;
using MediaGen.Testing.Emulators.MeiGen;
using MediaGen.VeoGen;

namespace MediaGen.Extensions.AI.Tests.ImageGeneration;

/// <summary>
/// The three vendors' emulators on one loopback host, a real provider for each, and a router over them, all on one
/// fake clock. Every job completes after one poll unless a test scripts otherwise.
/// </summary>
internal sealed class EmulatedVendors : IAsyncDisposable
{
    private const string MeiGenKey = "meigen_sk_extensionsai0000000000000000";

    private EmulatedVendors(EmulatorHost host, FakeClock time, HttpClient http)
    {
        Host = host;
        Time = time;
        Http = http;
        MeiGen = MeiGenProvider.Create(
            new MeiGenOptions { ApiKey = MeiGenKey, BaseAddress = new Uri(host.BaseAddress, "api/"), RequestsPerMinute = 0, UseLiveCatalog = false },
            http,
            time);
        VeoGen = VeoGenProvider.Create(new VeoGenOptions { ApiKey = VeoGenEmulator.DefaultApiKey, BaseAddress = VeoGenEmulator.ProviderBaseAddress(host) }, http, time);
        Apiframe = ApiframeProvider.Create(new ApiframeOptions { ApiKey = ApiframeEmulatorOptions.DefaultApiKey, BaseAddress = host.BaseAddress }, http, time);
        Router = new MediaRouter([MeiGen, VeoGen, Apiframe], new RouterOptions { TimeProvider = time });
    }

    public EmulatorHost Host { get; }

    public FakeClock Time { get; }

    /// <summary>Gets a client for the emulators' media URLs (and the providers' calls).</summary>
    public HttpClient Http { get; }

    public IMediaGenerator MeiGen { get; }

    public IMediaGenerator VeoGen { get; }

    public IMediaGenerator Apiframe { get; }

    public MediaRouter Router { get; }

    /// <summary>Gets the submits the vendors received (MeiGen, VeoGen and Apiframe submit paths).</summary>
    public IReadOnlyList<RecordedRequest> Submits => [.. Host.Requests.Where(r => r.Method == "POST" && (r.Path is "/api/generate/v2" or "/api/v1/generations" || r.Path.StartsWith("/v2/", StringComparison.Ordinal)))];

    public static async Task<EmulatedVendors> StartAsync()
    {
        var time = new FakeClock();
        var host = await EmulatorHost.StartAsync([new MeiGenEmulator(), new VeoGenEmulator(), new ApiframeEmulator()], new EmulatorHostOptions { TimeProvider = time });
        host.Jobs.Default = JobScript.CompleteAfterPolls(1);
        return new EmulatedVendors(host, time, new HttpClient());
    }

    /// <summary>The adapter over a generator, waiting on the fake clock, downloading with <see cref="Http"/>.</summary>
    public MediaGenImageGeneratorOptions AdapterOptions(ModelId? defaultModel = null, IMediaUploader? uploader = null) => new()
    {
        DefaultModel = defaultModel,
        Wait = new WaitOptions { TimeProvider = Time },
        HttpClient = Http,
        Uploader = uploader,
    };

    /// <summary>The JSON body of the only submit the vendors received.</summary>
    public JsonObject SingleSubmitBody() => JsonNode.Parse(Assert.Single(Submits).Body)!.AsObject();

    public async ValueTask DisposeAsync()
    {
        await Host.DisposeAsync();
        Http.Dispose();
    }
}
