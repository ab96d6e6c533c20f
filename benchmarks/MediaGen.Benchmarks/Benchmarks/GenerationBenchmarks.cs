using BenchmarkDotNet.Attributes;
using MediaGen.Benchmarks.Floor;
using MediaGen.Benchmarks.Infrastructure;

namespace MediaGen.Benchmarks.Benchmarks;

/// <summary>
/// Figure 1, overhead per generation: one image job (<c>nano-banana-2</c>, 16:9), submitted and polled to completion
/// against the loopback emulator, which completes every job on its first status poll. So each operation is exactly
/// two HTTP calls (POST submit, GET status) on a warm pooled connection. Floor = <see cref="FloorClients"/> (raw
/// HttpClient + source-generated JSON, the same two calls back to back). Direct = the provider's
/// <c>GenerateAsync</c>; Router = <c>MediaRouter.GenerateAsync</c> with the canonical slug, allowed providers pinned to
/// the vendor (so it quotes, ranks and submits to that vendor only). The wait loop runs on
/// <see cref="InstantTimeProvider"/>: its poll delay (250 ms minimum) fires at once, so overhead, not sleeping,
/// is measured. The emulators run in a child process: allocated bytes are the client's alone.
/// </summary>
[Config(typeof(BenchConfig))]
public class GenerationBenchmarks
{
    private static readonly WaitOptions Wait = new() { TimeProvider = InstantTimeProvider.Instance };
    private IAsyncDisposable? _emulators;
    private FloorClients _floor = null!;
    private MediaGenClients _mediaGen = null!;
    private GenerationRequest _direct = null!;
    private GenerationRequest _routed = null!;

    [Params(Vendor.MeiGen, Vendor.VeoGen, Vendor.Apiframe)]
    public Vendor Vendor { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var (endpoints, owner) = BenchHost.StartAsync().GetAwaiter().GetResult();
        _emulators = owner;
        _floor = new FloorClients(endpoints);
        _mediaGen = new MediaGenClients(endpoints, InstantTimeProvider.Instance);
        _direct = MediaGenClients.DirectRequest(Vendor);
        _routed = MediaGenClients.RoutedRequest(Vendor);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _floor.Dispose();
        _mediaGen.Dispose();
        _emulators?.DisposeAsync().AsTask().GetAwaiter().GetResult();
    }

    [Benchmark(Baseline = true, Description = "floor (raw HttpClient + STJ source gen)")]
    public async Task<string> Floor()
    {
        var result = await _floor.GenerateAsync(Vendor);
        return result.Status == "completed" ? result.Id : throw new InvalidOperationException($"floor job ended {result.Status}");
    }

    [Benchmark(Description = "MediaGen direct provider")]
    public async Task<GenerationJob> Direct() => Succeeded(await _mediaGen.For(Vendor).GenerateAsync(_direct, Wait));

    [Benchmark(Description = "MediaGen via MediaRouter")]
    public async Task<GenerationJob> Router() => Succeeded(await _mediaGen.Router.GenerateAsync(_routed, Wait));

    private static GenerationJob Succeeded(Result<GenerationJob> result)
    {
        var job = result.GetValueOrThrow();
        return job.Status == GenerationStatus.Succeeded ? job : throw new InvalidOperationException($"job ended {job.Status}");
    }
}
