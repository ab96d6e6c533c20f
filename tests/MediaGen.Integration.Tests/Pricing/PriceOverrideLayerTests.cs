using MediaGen.Apiframe;
using MediaGen.MeiGen;
using MediaGen.Testing;
using MediaGen.Testing.Emulators;
using MediaGen.Testing.Emulators.Apiframe;
using MediaGen.Testing.Emulators.MeiGen;
using MediaGen.VeoGen;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace MediaGen.Integration.Tests.Pricing;

/// <summary>
/// One price-override type, bound from <c>MediaGen:{Vendor}:PriceOverrides</c> at every vendor, is the first layer of the
/// vendor's price book: for the request it covers it beats what the models endpoint says (live) and the docs' snapshot,
/// and the quote names the layer it used. Each provider is registered from configuration and quotes against its
/// emulator on loopback (MeiGen and VeoGen read live prices from it; Apiframe publishes none, so its book has no live layer).
/// </summary>
public sealed class PriceOverrideLayerTests
{
    private const string MeiGenKey = "meigen_sk_priceoverride00000000000000000000";

    public static TheoryData<string> Vendors => ["meigen", "veogen", "apiframe"];

    // Per vendor: the override (configuration keys under MediaGen:{Vendor}:PriceOverrides:{model}), a request it covers with
    // the override's price, what the same request costs without the override (and from which layer), and a request of the
    // same model it does not cover, priced by the layers below it in the same book.
    private static readonly Dictionary<string, Row> Rows = new()
    {
        ["meigen"] = new(
            "MediaGen:MeiGen",
            new() { ["seedance-2-0:Per"] = "Second", ["seedance-2-0:Rates:0:Tier"] = "fast", ["seedance-2-0:Rates:0:Resolution"] = "720p", ["seedance-2-0:Rates:0:Price"] = "30" },
            new("seedance-2-0", "an eagle") { Tier = GenerationTier.Fast, Resolution = "720p", DurationSeconds = 5 },
            Money.Credits(150, "meigen"),
            (PriceSource.Live, Money.Credits(130, "meigen")), // live and snapshot both say 26 credits/s for fast 720p
            new("seedance-2-0", "an eagle") { Tier = GenerationTier.Fast, Resolution = "480p", DurationSeconds = 5 },
            PriceSource.Live),
        ["veogen"] = new(
            "MediaGen:VeoGen",
            new() { ["sora-2:Rates:0:DurationSeconds"] = "10", ["sora-2:Rates:0:Price"] = "0.45" },
            new("sora-2", "a lighthouse") { DurationSeconds = 10 },
            Money.Usd(0.45m),
            (PriceSource.Live, Money.Usd(0.50m)), // the snapshot has no sora-2 price; the models endpoint does
            new("sora-2", "a lighthouse") { DurationSeconds = 15 },
            PriceSource.Live),
        ["apiframe"] = new(
            "MediaGen:Apiframe",
            new() { ["kling-2.6:Rates:0:DurationSeconds"] = "5", ["kling-2.6:Rates:0:Audio"] = "true", ["kling-2.6:Rates:0:Price"] = "20" },
            new("kling-2.6", "a lighthouse") { DurationSeconds = 5 }, // generate_audio defaults to true (A12)
            Money.Credits(20, "apiframe"),
            (PriceSource.Snapshot, Money.Credits(25, "apiframe")),
            new("kling-2.6", "a lighthouse") { DurationSeconds = 10 },
            PriceSource.Snapshot),
    };

    [Theory]
    [MemberData(nameof(Vendors))]
    public async Task QuoteAsync_OverrideBoundFromConfiguration_BeatsLiveAndSnapshotAndNamesItsLayer(string vendor)
    {
        var row = Rows[vendor];
        await using var host = await EmulatorHost.StartAsync([new MeiGenEmulator(), new VeoGenEmulator(), new ApiframeEmulator()]);
        using var withOverride = Build(host, vendor, row.Overrides);
        using var without = Build(host, vendor, []);
        var generator = withOverride.GetRequiredKeyedService<IMediaGenerator>(vendor);

        // The request the override does not cover first: at VeoGen that is what reads the live price into the book.
        var below = await QuoteAsync(generator, row.Uncovered);
        var overridden = await QuoteAsync(generator, row.Covered);
        var plain = await QuoteAsync(without.GetRequiredKeyedService<IMediaGenerator>(vendor), row.Covered);

        Assert.Equal(row.Expected, overridden.Amount);
        Assert.Equal(PriceSource.Override, overridden.Source);
        Assert.Contains($"{row.Section}:PriceOverrides:{row.Covered.Model}", overridden.Reference, StringComparison.Ordinal);
        Assert.Equal(row.Without, (plain.Source, plain.Amount!.Value));
        Assert.True(below.IsKnown, below.Basis);
        Assert.Equal(row.UncoveredSource, below.Source);
    }

    private static async Task<PriceQuote> QuoteAsync(IMediaGenerator generator, GenerationRequest request) =>
        (await generator.QuoteAsync(request)).GetValueOrThrow().Price;

    private static ServiceProvider Build(EmulatorHost host, string vendor, Dictionary<string, string> overrides)
    {
        var row = Rows[vendor];
        var settings = new Dictionary<string, string?>
        {
            ["MediaGen:MeiGen:ApiKey"] = MeiGenKey,
            ["MediaGen:MeiGen:BaseAddress"] = new Uri(host.BaseAddress, "api/").AbsoluteUri,
            ["MediaGen:VeoGen:ApiKey"] = VeoGenEmulator.DefaultApiKey,
            ["MediaGen:VeoGen:BaseAddress"] = new Uri(host.BaseAddress, "api/v1/").AbsoluteUri,
            ["MediaGen:Apiframe:ApiKey"] = ApiframeEmulatorOptions.DefaultApiKey,
            ["MediaGen:Apiframe:BaseAddress"] = host.BaseAddress.AbsoluteUri,
        };
        foreach (var (key, value) in overrides)
        {
            settings[$"{row.Section}:PriceOverrides:{key}"] = value;
        }

        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection();
        var builder = services.AddMediaGen();
        _ = vendor switch
        {
            "meigen" => builder.AddMeiGen(configuration.GetSection("MediaGen:MeiGen")),
            "veogen" => builder.AddVeoGen(configuration.GetSection("MediaGen:VeoGen")),
            _ => builder.AddApiframe(configuration.GetSection("MediaGen:Apiframe")),
        };
        return services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true });
    }

    private sealed record Row(
        string Section,
        Dictionary<string, string> Overrides,
        GenerationRequest Covered,
        Money Expected,
        (PriceSource Source, Money Amount) Without,
        GenerationRequest Uncovered,
        PriceSource UncoveredSource);
}
