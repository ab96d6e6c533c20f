using MediaGen.MeiGen.Internal;

namespace MediaGen.MeiGen.Tests.Internal;

/// <summary><c>GET /api/models</c> read tolerantly and merged over the docs' snapshot.</summary>
public sealed class MeiGenModelsParserTests
{
    private static readonly DateOnly Today = new(2026, 12, 1);

    private static MeiGenLiveCatalog Parse(string json) => MeiGenModelsParser.Parse(json, MeiGenCatalog.Snapshot, Today)!;

    [Fact]
    public void Parse_DocsExampleModel_ReadsRatiosReferencesAndFlatPrice()
    {
        var live = Parse("""
            {"success": true, "models": [
              {"id": "seedream-5.0-lite", "name": "Seedream 5.0 Lite", "credits_per_generation": 5, "supports_4k": false,
               "supported_ratios": ["1:1","3:4","4:3","16:9","9:16","3:2","2:3"], "max_reference_images": 5, "media_type": "image",
               "extra_config": {"resolutions": ["2K","3K"], "somethingNew": {"x": 1}}}
            ]}
            """);

        var model = live.Models.Single(m => m.Id == MeiGenModels.Seedream50Lite).Capabilities;
        Assert.Equal(7, model.AspectRatios.Count);
        Assert.Equal([Resolution.TwoK, Resolution.ThreeK], model.Resolutions);
        var price = live.Prices.Flat(MeiGenModels.Seedream50Lite)!.Value;
        Assert.Equal(5, price.Credits);
        Assert.Equal(PriceSource.Live, price.Provenance.Source);
        Assert.Equal(Today, price.Provenance.AsOf);
    }

    [Fact]
    public void Parse_VideoCapabilities_ArePreferredOverExtraConfigDurations()
    {
        var live = Parse("""
            {"models": [{"id": "seedance-2-0", "media_type": "video", "credits_per_generation": 60,
              "extra_config": {"durations": [5, 10], "tiers": ["mini", "fast", "pro"],
                               "resolutions": ["480p", "720p"], "tierResolutions": {"pro": ["1080p", "4k"]},
                               "pricingPerSec": {"fast": {"720p": 26}}, "pricingPerSecWithVideo": {"fast": {"480p": 8}},
                               "minBillableTable": {"5": 9, "6": "10"}},
              "capabilities": {"video": {"outputDuration": {"kind": "range", "min": 4, "max": 15, "default": 5}}}}]}
            """);

        var seedance = live.Models.Single(m => m.Id == MeiGenModels.Seedance20);
        Assert.True(seedance.Capabilities.Durations!.Accepts(12));
        Assert.Equal(["480p", "720p", "1080p", "4k"], seedance.Capabilities.Resolutions.Select(r => r.Value));
        Assert.Equal(["1080p", "4k"], seedance.Capabilities.ResolutionsFor(GenerationTier.Pro).Select(r => r.Value));
        Assert.Equal(MeiGenBilling.PerSecond, seedance.Billing);
        Assert.Equal(26, live.Prices.PerSecond(MeiGenModels.Seedance20, GenerationTier.Fast, Resolution.P720)!.Value.Credits);
        Assert.Equal(8, live.Prices.WithVideo(MeiGenModels.Seedance20, GenerationTier.Fast, Resolution.P480)!.Value.Credits);
        Assert.Equal(10, live.Prices.MinBillable(MeiGenModels.Seedance20, 6)!.Value.Seconds);
        Assert.Null(live.Prices.Flat(MeiGenModels.Seedance20)); // credits_per_generation is display-only for per-second models
    }

    [Fact]
    public void Parse_WrongTypesAndUnknownKeys_AreSkippedNotThrown()
    {
        var live = Parse("""
            {"models": [
              {"id": "nanobanana-2", "supported_ratios": "1:1", "max_reference_images": "lots", "credits_per_generation": "five",
               "extra_config": {"resolutions": 4, "tiers": {"a": 1}, "pricingPerSec": [1, 2], "minBillableTable": "x"}},
              {"name": "no id"},
              42,
              {"id": "brand-new-model", "media_type": "video", "extra_config": {"pricingPerCall": {"4": 30}}}
            ]}
            """);

        var nano = live.Models.Single(m => m.Id == MeiGenModels.Nanobanana2).Capabilities;
        Assert.Equal(10, nano.AspectRatios.Count); // snapshot kept
        Assert.Equal(5, nano.MaxReferenceImages);
        Assert.Null(live.Prices.Flat(MeiGenModels.Nanobanana2));
        var added = live.Models.Single(m => m.Id == "brand-new-model");
        Assert.Equal(MediaKind.Video, added.Capabilities.Kind);
        Assert.Equal(MeiGenBilling.PerCall, added.Billing);
        Assert.Equal(30, live.Prices.PerCall("brand-new-model", GenerationTier.Pro, 4)!.Value.Credits);
    }

    [Theory]
    [InlineData("<html>502</html>")]
    [InlineData("{\"success\": true}")]
    [InlineData("{\"models\": {}}")]
    [InlineData("")]
    public void Parse_NotTheDocumentedShape_ReturnsNull(string body) =>
        Assert.Null(MeiGenModelsParser.Parse(body, MeiGenCatalog.Snapshot, Today));
}
