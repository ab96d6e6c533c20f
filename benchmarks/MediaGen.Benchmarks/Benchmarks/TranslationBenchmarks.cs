using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using MediaGen.Benchmarks.Floor;
using MediaGen.Benchmarks.Infrastructure;
using MediaGen.Apiframe;
using MediaGen.Apiframe.Internal;
using MediaGen.MeiGen;
using MediaGen.MeiGen.Internal;
using MediaGen.VeoGen;
using MediaGen.VeoGen.Internal;

using AfCatalog = MediaGen.Apiframe.Internal.ApiframeCatalog;

namespace MediaGen.Benchmarks.Benchmarks;

/// <summary>
/// Figure 1b, translation and parsing alone, no network. <b>translate</b>: the vendor translator turning a validated
/// request into the wire JSON string (with its translation report), versus the floor serializing its fixed DTO
/// with source-generated JSON. <b>parse</b>: one status poll answered by an in-memory transport with the
/// emulator's "completed" body (request built, body read, JSON parsed, mapped onto <see cref="GenerationJob"/>),
/// versus the floor doing the same request and <c>ReadFromJsonAsync</c> into its DTO.
/// </summary>
[Config(typeof(BenchConfig))]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
public class TranslationBenchmarks
{
    public const string MeiGenCompleted = """{"jobId":"5b6d2f8f-cf4a-4f4c-906a-9f182a6f08ac","status":"completed","imageUrl":"http://127.0.0.1:40000/_media/5b6d2f8f-cf4a-4f4c-906a-9f182a6f08ac-0.png","imageUrls":["http://127.0.0.1:40000/_media/5b6d2f8f-cf4a-4f4c-906a-9f182a6f08ac-0.png"],"videoUrl":null,"mediaType":"image","r2Key":"generations/5b6d2f8f-cf4a-4f4c-906a-9f182a6f08ac.png","error":null,"aspectRatio":"16:9"}""";
    public const string VeoGenCompleted = """{"data":{"id":"01a1fcb1-895d-738e-aeb1-86956934579e","status":"completed","model":"nano-banana-2","type":"image","prompt":"a lighthouse at dawn, volumetric light","parameters":{"aspect_ratio":"16:9"},"output":{"url":"http://127.0.0.1:40001/_media/01a1fcb1-895d-738e-aeb1-86956934579e.png","download_url":"http://127.0.0.1:40001/_media/01a1fcb1-895d-738e-aeb1-86956934579e.png?download=1","content_type":"image/png"},"error":null,"created_at":"2026-01-01T00:00:00+00:00","completed_at":"2026-01-01T00:00:09+00:00"}}""";

    public const string ApiframeCompleted = """{"id":"21d64a1b-6f31-4992-b1dd-766f3287c618","status":"COMPLETED","model":"nano-banana-2","progress":100,"result":{"images":["http://127.0.0.1:40002/_media/21d64a1b-6f31-4992-b1dd-766f3287c618-0.png"]},"error":null,"creditCost":8,"webhookStatus":null,"createdAt":"2026-01-01T00:00:00.000Z","completedAt":"2026-01-01T00:00:09.000Z"}""";

    private static readonly Uri Base = new("http://127.0.0.1:40000/api/");
    private GenerationRequest _request = null!;
    private MeiGenModel _meigenModel = null!;
    private VeoGenModel _veogenModel = null!;
    private ApiframeModel _apiframeModel = null!;
    private IMediaGenerator _provider = null!;
    private HttpClient _floorHttp = null!;
    private JobHandle _handle = null!;
    private Uri _floorStatus = null!;

    [Params(Vendor.MeiGen, Vendor.VeoGen, Vendor.Apiframe)]
    public Vendor Vendor { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _request = MediaGenClients.DirectRequest(Vendor);
        _request.IdempotencyKey = "2e78141e-5b08-4635-a83c-09d4f322b275";
        _meigenModel = MeiGenCatalog.Find(MeiGenCatalog.Snapshot, "nanobanana-2")!;
        _veogenModel = VeoGenCatalog.Snapshot.First(m => m.Slug == "nano-banana-2");
        _apiframeModel = AfCatalog.Find("nano-banana-2")!;
        var body = Encoding.UTF8.GetBytes(Vendor switch { Vendor.MeiGen => MeiGenCompleted, Vendor.VeoGen => VeoGenCompleted, _ => ApiframeCompleted });
        var http = new HttpClient(new CannedHandler(body));
        _floorHttp = new HttpClient(new CannedHandler(body));
        _provider = Vendor switch
        {
            Vendor.MeiGen => MeiGenProvider.Create(new MeiGenOptions { ApiKey = MediaGenClients.MeiGenKey, BaseAddress = Base, RequestsPerMinute = 0, UseLiveCatalog = false }, http),
            Vendor.VeoGen => VeoGenProvider.Create(new VeoGenOptions { ApiKey = "veogen-test-token", BaseAddress = Base, RequestsPerMinute = 10_000_000, UseLiveCatalog = false }, http),
            _ => ApiframeProvider.Create(new ApiframeOptions { ApiKey = "afk_emulator_0123456789abcdef", BaseAddress = Base, LimitConcurrency = false }, http),
        };
        var id = Vendor switch { Vendor.MeiGen => "5b6d2f8f-cf4a-4f4c-906a-9f182a6f08ac", Vendor.VeoGen => "01a1fcb1-895d-738e-aeb1-86956934579e", _ => "21d64a1b-6f31-4992-b1dd-766f3287c618" };
        _handle = new JobHandle(Vendor.ToString().ToLowerInvariant(), id) { Model = MediaGenClients.VendorModel(Vendor), Kind = MediaKind.Image };
        _floorStatus = new Uri(Base, "status/" + id);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        (_provider as IDisposable)?.Dispose();
        _floorHttp.Dispose();
    }

    [BenchmarkCategory("translate"), Benchmark(Baseline = true, Description = "floor: serialize DTO")]
    public string TranslateFloor() => Vendor switch
    {
        Vendor.MeiGen => JsonSerializer.Serialize(new FloorMeiGenSubmit(_request.Prompt, "nanobanana-2", "16:9", _request.IdempotencyKey!), FloorJson.Default.FloorMeiGenSubmit),
        Vendor.VeoGen => JsonSerializer.Serialize(new FloorVeoGenSubmit("nano-banana-2", _request.Prompt, "16:9"), FloorJson.Default.FloorVeoGenSubmit),
        _ => JsonSerializer.Serialize(new FloorApiframeSubmit(_request.Prompt, "nano-banana-2", new FloorNanoBananaParams("16:9")), FloorJson.Default.FloorApiframeSubmit),
    };

    [BenchmarkCategory("translate"), Benchmark(Description = "MediaGen: translate + report + wire JSON")]
    public string Translate() => Vendor switch
    {
        Vendor.MeiGen => MeiGenWireWithKey(),
        Vendor.VeoGen => VeoGenTranslator.Translate(_request, _veogenModel).Body.ToJsonString(),
        _ => ApiframeTranslator.Translate(_request, _apiframeModel).Body.ToJsonString(),
    };

    // The quoted body carries no key; the submit attaches it to a copy, as MeiGenGenerator's send does.
    private string MeiGenWireWithKey()
    {
        var body = (System.Text.Json.Nodes.JsonObject)MeiGenTranslator.Translate(_request, _meigenModel).Body.DeepClone();
        body["idempotencyKey"] = _request.IdempotencyKey!;
        return body.ToJsonString();
    }

    [BenchmarkCategory("parse"), Benchmark(Baseline = true, Description = "floor: ReadFromJsonAsync DTO")]
    public async Task<string?> ParseFloor()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, _floorStatus);
        using var response = await _floorHttp.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        return Vendor switch
        {
            Vendor.MeiGen => (await response.Content.ReadFromJsonAsync(FloorJson.Default.FloorMeiGenStatus))!.Status,
            Vendor.VeoGen => (await response.Content.ReadFromJsonAsync(FloorJson.Default.FloorVeoGenEnvelope))!.Data!.Status,
            _ => (await response.Content.ReadFromJsonAsync(FloorJson.Default.FloorApiframeJob))!.Status,
        };
    }

    [BenchmarkCategory("parse"), Benchmark(Description = "MediaGen: GetJobAsync (parse + map)")]
    public async Task<GenerationJob> Parse()
    {
        var job = (await _provider.GetJobAsync(_handle)).GetValueOrThrow();
        return job.Status == GenerationStatus.Succeeded ? job : throw new InvalidOperationException(job.Status.ToString());
    }
}
