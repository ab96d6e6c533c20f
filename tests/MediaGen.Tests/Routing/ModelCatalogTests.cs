using MediaGen.Routing;
using MediaGen.Testing;

namespace MediaGen.Tests.Routing;

/// <summary>
/// The core's catalog is vendor-free: a router's mappings are what its providers contribute plus the user's edits.
/// (The three real providers' table is checked in MediaGen.Integration.Tests, ProviderModelCatalogTests.)
/// </summary>
public class ModelCatalogTests
{
    private static FakeMediaGenerator Vendor(string name, ModelId slug) =>
        new FakeMediaGenerator(name, MoneyUnit.Usd).AddModel(RouterTestModels.Image(slug), 0.05m).MapCanonical("nano-banana-2", slug);

    [Fact]
    public void Catalog_NoProviders_HasNoMappings()
    {
        var router = new MediaRouter([]);

        Assert.Empty(router.Catalog.CanonicalModels);
        Assert.False(router.Catalog.IsCanonical("nano-banana-2"));
        Assert.Empty(new RouterOptions().Catalog.CanonicalModels);
    }

    [Fact]
    public void Catalog_ProviderContributesNothing_HasNoMappingsForIt()
    {
        var plain = new FakeMediaGenerator("plain").AddModel(RouterTestModels.Image("nano-banana-2"), 1);

        var router = new MediaRouter([plain]);

        Assert.Empty(router.Catalog.CanonicalModels);
    }

    [Fact]
    public void Catalog_ProvidersContribute_EachMappingIsStampedWithItsProvidersName()
    {
        var router = new MediaRouter([Vendor("one", "one-banana"), Vendor("two", "two-banana")]);

        var mappings = router.Catalog.GetMappings("nano-banana-2");

        Assert.Equal(["one:one-banana", "two:two-banana"], mappings.Select(m => $"{m.Provider}:{m.VendorModel}"));
    }

    [Fact]
    public async Task QuoteAllAsync_UserOverrideOfAProviderMapping_OverrideWins()
    {
        var one = Vendor("one", "one-banana").AddModel(RouterTestModels.Image("one-banana-beta"), 0.02m);
        var options = new RouterOptions();
        options.Catalog.Map("nano-banana-2", "one", "one-banana-beta", "testing the beta");
        var router = new MediaRouter([one], options);

        var all = await router.QuoteAllAsync(new GenerationRequest("nano-banana-2", "a lighthouse"));

        Assert.Equal("one-banana-beta", Assert.Single(all.Quotes).Quote.Model.Value);
        Assert.Equal("testing the beta", router.Catalog.Resolve("nano-banana-2", "one", null)!.Reason);
    }

    [Fact]
    public void Catalog_UserEditsAfterTheRouterIsBuilt_RouterFollowsThem()
    {
        var router = new MediaRouter([Vendor("one", "one-banana"), Vendor("two", "two-banana")]);
        Assert.NotNull(router.Catalog.Resolve("nano-banana-2", "two", null));

        router.Options.Catalog.Remove("nano-banana-2", "two").Map("veo-3.1", "one", "one-veo", "added later");

        Assert.Null(router.Catalog.Resolve("nano-banana-2", "two", null));
        Assert.Equal("one-veo", router.Catalog.Resolve("veo-3.1", "one", null)!.VendorModel.Value);
        Assert.Equal("one-banana", router.Catalog.Resolve("nano-banana-2", "one", null)!.VendorModel.Value);
    }

    [Fact]
    public void Catalog_UserRemovesThenReAdds_LastEditWinsAsOnOneCatalog()
    {
        var options = new RouterOptions();
        options.Catalog.Remove("nano-banana-2", "one").Map("nano-banana-2", "one", "one-banana-2", "re-added");

        var router = new MediaRouter([Vendor("one", "one-banana")], options);

        Assert.Equal("one-banana-2", Assert.Single(router.Catalog.GetMappings("nano-banana-2")).VendorModel.Value);
    }

    [Fact]
    public void Map_OnTheRoutersMergedCatalog_RefusedWithWhereToEditInstead()
    {
        var router = new MediaRouter([Vendor("one", "one-banana")]);

        var ex = Assert.Throws<InvalidOperationException>(() => router.Catalog.Map("nano-banana-2", "one", "x", "y"));

        Assert.Contains("RouterOptions.Catalog", ex.Message, StringComparison.Ordinal);
    }
}
