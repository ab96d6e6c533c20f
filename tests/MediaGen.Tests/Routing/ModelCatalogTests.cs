using MediaGen.Routing;

namespace MediaGen.Tests.Routing;

public class ModelCatalogTests
{
    [Theory]
    [InlineData("nano-banana-2", "meigen", "nanobanana-2")]
    [InlineData("nano-banana-pro", "meigen", "gemini-3-pro-image-preview")]
    [InlineData("seedream-5.0-lite", "apiframe", "seedream-5-lite")]
    [InlineData("seedance-2.0", "meigen", "seedance-2-0")]
    public void Resolve_DefaultCatalog_MapsToVendorSlug(string canonical, string provider, string expected)
    {
        var mapping = ModelCatalog.CreateDefault().Resolve(canonical, provider, null);
        Assert.Equal(expected, mapping!.VendorModel.Value);
        Assert.False(string.IsNullOrWhiteSpace(mapping.Reason));
    }

    [Fact]
    public void Resolve_SeedanceFastTierAtVeoGen_UsesFastSlugCarryingTheTier()
    {
        var mapping = ModelCatalog.CreateDefault().Resolve("seedance-2.0", "veogen", GenerationTier.Fast)!;
        Assert.Equal("seedance-2.0-fast", mapping.VendorModel.Value);
        Assert.True(mapping.TierInSlug);
    }

    [Fact]
    public void Resolve_SeedanceMiniTierAtVeoGen_HasNoMapping()
    {
        Assert.Null(ModelCatalog.CreateDefault().Resolve("seedance-2.0", "veogen", GenerationTier.Mini));
    }

    [Fact]
    public void Map_UserOverride_ReplacesShippedMapping()
    {
        var catalog = ModelCatalog.CreateDefault().Map("nano-banana-2", "meigen", "nanobanana-2-beta", "testing a beta");
        Assert.Equal("nanobanana-2-beta", catalog.Resolve("nano-banana-2", "meigen", null)!.VendorModel.Value);
    }

    [Fact]
    public void Remove_Provider_DropsItsMappings()
    {
        var catalog = ModelCatalog.CreateDefault().Remove("nano-banana-2", "veogen");
        Assert.Null(catalog.Resolve("nano-banana-2", "veogen", null));
    }
}
