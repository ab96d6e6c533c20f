using MediaGen.Http;
using MediaGen.MeiGen;
using MediaGen.Routing;
using MediaGen.Testing;
using MediaGen.Testing.Emulators;
using MediaGen.Testing.Emulators.MeiGen;
using MediaGen.Testing.Emulators.Replicate;

namespace MediaGen.Replicate.Tests;

/// <summary>
/// The router over MeiGen and Replicate (both emulators on one rig): Replicate's canonical mappings are picked up with
/// no vendor code outside its folder, it is ranked in quotes, and a refused MeiGen submit fails over to it.
/// </summary>
public sealed class ReplicateRoutingTests
{
    private sealed class TwoVendors(VendorRig rig, MeiGenEmulator meigen, ReplicateEmulator replicate) : IAsyncDisposable
    {
        public VendorRig Rig => rig;

        public IMediaGenerator MeiGen { get; } = rig.Own(MeiGenProvider.Create(new MeiGenOptions { ApiKey = MeiGenEmulator.DefaultApiKey, BaseAddress = rig.BaseAddressOf(meigen) }, rig.CreateHttpClient(), rig.Time));

        public IMediaGenerator Replicate { get; } = rig.Own(ReplicateProvider.Create(new ReplicateOptions { ApiKey = ReplicateEmulator.DefaultApiKey, BaseAddress = rig.BaseAddressOf(replicate) }, rig.CreateHttpClient(), rig.Time));

        public int ReplicateSubmits => rig.SubmitsTo(replicate).Count;

        public MediaRouter Router(Action<RouterOptions>? configure = null)
        {
            var options = new RouterOptions { TimeProvider = rig.Time };
            configure?.Invoke(options);
            return new MediaRouter([MeiGen, Replicate], options);
        }

        public ValueTask DisposeAsync() => rig.DisposeAsync();
    }

    private static async Task<TwoVendors> StartAsync()
    {
        var meigen = new MeiGenEmulator();
        var replicate = new ReplicateEmulator();
        var rig = await VendorRig.StartAsync([meigen, replicate], new VendorRigOptions
        {
            CreateHttpClient = time => MediaGenHttp.CreateClient(new MediaGenHttpOptions { MaxRetries = 0 }, time, ((FakeClock)time).CreateHttpHandler()),
        });
        rig.Host.Jobs.Default = JobScript.CompleteAfterPolls(1);
        return new TwoVendors(rig, meigen, replicate);
    }

    [Fact]
    public async Task QuoteAllAsync_CanonicalSlug_QuotesReplicatesOwnModelAndRanksItsUnknownPriceLast()
    {
        await using var v = await StartAsync();
        var router = v.Router(o =>
        {
            o.Strategy = RoutingStrategy.Cheapest;
            o.ExchangeRates.SetUsdPerCredit("meigen", 0.001m);
        });

        var all = await router.QuoteAllAsync(new GenerationRequest("nano-banana-pro", "a lighthouse at dusk"));

        Assert.Equal(2, all.Quotes.Count);
        Assert.Equal("meigen", all.Quotes[0].Provider);
        var replicate = all.Quotes[1];
        Assert.Equal("replicate", replicate.Provider);
        Assert.Equal(new ModelId("google/nano-banana-pro"), replicate.Quote.Model);
        Assert.Null(replicate.Usd);
    }

    [Fact]
    public async Task SubmitAsync_MeiGenRefusesWithInsufficientCredits_FailsOverToReplicate()
    {
        await using var v = await StartAsync();
        v.Rig.Host.Faults.On(HttpMethod.Post, "/api/generate/v2").Always().RespondWith(402, "{\"error\":\"Insufficient credits\"}");
        var router = v.Router(o => o.Preference = ["meigen", "replicate"]);

        var job = (await v.Rig.Time.DriveAsync(router.SubmitAsync(new GenerationRequest("nano-banana-pro", "a lighthouse at dusk")))).GetValueOrThrow();

        Assert.Equal("replicate", job.Handle.Provider);
        Assert.IsType<InsufficientFundsError>(Assert.Single(job.Attempts, a => a.Provider == "meigen").Error);
        Assert.Equal(1, v.ReplicateSubmits);
    }
}
