using BenchmarkDotNet.Attributes;
using MediaGen.Benchmarks.Infrastructure;
using MediaGen.Routing;

namespace MediaGen.Benchmarks.Benchmarks;

/// <summary>
/// Figure 4, quote and route decisions without network: <c>MediaRouter.QuoteAllAsync</c> for the canonical
/// <c>nano-banana-2</c> across every configured vendor (each re-validated, re-translated and re-priced from its
/// cached price table, USD-converted, ranked cheapest first), and one provider's <c>QuoteAsync</c>. The providers'
/// HTTP client points at the in-memory transport and is never called: prices come from the built-in snapshots
/// (live refresh off), as they would from a warm cache.
/// </summary>
[Config(typeof(BenchConfig))]
public class QuoteBenchmarks
{
    private MediaGenClients _clients = null!;
    private GenerationRequest _canonical = null!;
    private GenerationRequest _meigen = null!;

    [GlobalSetup]
    public void Setup()
    {
        _clients = new MediaGenClients(new EmulatorEndpoints(new Uri("http://127.0.0.1:9/api/"), new Uri("http://127.0.0.1:9/api/v1/"), new Uri("http://127.0.0.1:9/")));
        _clients.Router.Options.Strategy = RoutingStrategy.Cheapest;
        _canonical = new GenerationRequest(MediaGenClients.Canonical, "a lighthouse at dawn, volumetric light") { AspectRatio = AspectRatio.Parse("16:9") };
        _meigen = MediaGenClients.DirectRequest(Vendor.MeiGen);
    }

    [GlobalCleanup]
    public void Cleanup() => _clients.Dispose();

    [Benchmark(Description = "MediaRouter.QuoteAllAsync (all vendors, cheapest)")]
    public async Task<int> QuoteAll()
    {
        var quotes = await _clients.Router.QuoteAllAsync(_canonical);
        return quotes.Quotes.Count == _clients.Router.Providers.Count ? quotes.Quotes.Count : throw new InvalidOperationException("a vendor could not quote");
    }

    [Benchmark(Description = "one provider QuoteAsync (MeiGen)")]
    public async Task<decimal?> QuoteOne() => (await _clients.MeiGen.QuoteAsync(_meigen)).GetValueOrThrow().Price.Amount?.Amount;
}
