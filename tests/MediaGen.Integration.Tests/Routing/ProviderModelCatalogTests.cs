using MediaGen.Apiframe;
using MediaGen.MeiGen;
using MediaGen.Routing;
using MediaGen.Testing;
using MediaGen.VeoGen;
using Microsoft.Extensions.DependencyInjection;

namespace MediaGen.Integration.Tests.Routing;

/// <summary>The router's catalog is what the three real providers contribute, plus the user's edits.</summary>
public class ProviderModelCatalogTests
{
    /// <summary>
    /// The table <c>ModelCatalog.CreateDefault()</c> shipped in the core before the providers owned their mappings
    /// (main at bffd6ea), written out as data: every canonical slug, provider, vendor slug, reason, tier and
    /// default-for-no-tier flag.
    /// </summary>
    private static readonly (string Canonical, ModelMapping Mapping)[] ShippedTable =
    [
        ("nano-banana-2", new("meigen", "nanobanana-2", "MeiGen's 'Nanobanana 2' is Google's Nano Banana 2 (Gemini image), both vendors resell Google's Gemini image model of this name")),
        ("nano-banana-2", new("veogen", "nano-banana-2", "same slug and name on VeoGen's model list")),
        ("nano-banana-2", new("apiframe", "nano-banana-2", "Apiframe lists 'Nano Banana 2' under this identifier")),
        ("nano-banana-pro", new("meigen", "gemini-3-pro-image-preview", "MeiGen names this model 'Nanobanana Pro' (docs: models list, zh example); the slug is Google's Gemini 3 Pro Image preview id")),
        ("nano-banana-pro", new("veogen", "nano-banana-pro", "same slug and name on VeoGen's model list")),
        ("nano-banana-pro", new("apiframe", "nano-banana-pro", "Apiframe lists 'Nano Banana Pro' under this identifier")),
        ("seedream-5.0-lite", new("meigen", "seedream-5.0-lite", "ByteDance Seedream 5.0 Lite; same slug")),
        ("seedream-5.0-lite", new("veogen", "seedream-5.0-lite", "ByteDance Seedream 5.0 Lite; same slug")),
        ("seedream-5.0-lite", new("apiframe", "seedream-5-lite", "Apiframe's 'Seedream 5 Lite' (identifier seedream-5-lite) is the same ByteDance model")),
        ("seedream-4.5", new("meigen", "seedream-4.5", "ByteDance Seedream 4.5; same slug")),
        ("seedream-4.5", new("veogen", "seedream-4.5", "ByteDance Seedream 4.5; same slug")),
        ("seedream-4.5", new("apiframe", "seedream-4.5", "ByteDance Seedream 4.5; same slug")),
        ("seedance-2.0", new("meigen", "seedance-2-0", "ByteDance Seedance 2.0; MeiGen selects fast/pro with the tier field (rev2; fast is its default)")),
        ("seedance-2.0", new("veogen", "seedance-2.0-fast", "VeoGen sells the fast tier of Seedance 2.0 as its own slug", GenerationTier.Fast)),
        ("seedance-2.0", new("veogen", "seedance-2.0", "VeoGen's standard Seedance 2.0 is the full-quality (pro) tier", GenerationTier.Pro) { IsDefaultForNoTier = true }),
        ("veo-3.1", new("meigen", "veo-3.1", "Google Veo 3.1; MeiGen selects fast/pro with the tier field (fast is its default)")),
        ("veo-3.1", new("veogen", "veo-3.1-fast", "VeoGen sells only the fast tier of Veo 3.1, as its own slug", GenerationTier.Fast) { IsDefaultForNoTier = true }),
    ];

    private static GenerationRequest NanoBanana() => new("nano-banana-2", "a lighthouse at dusk, watercolor");

    /// <summary>Every mapping of a catalog, in a stable order, for comparing whole catalogs.</summary>
    private static List<string> Flatten(ModelCatalog catalog) =>
        [.. catalog.CanonicalModels.SelectMany(c => catalog.GetMappings(c).Select(m => Describe(c.Value, m))).Order(StringComparer.Ordinal)];

    private static string Describe(string canonical, ModelMapping m) =>
        $"{canonical} | {m.Provider} | {m.VendorModel} | {m.Tier?.ToString() ?? "any tier"} | default-for-no-tier={m.IsDefaultForNoTier} | {m.Reason}";

    [Fact]
    public async Task Catalog_ThreeProvidersCreatedWithoutDI_EqualsTheTableTheCoreUsedToShip()
    {
        await using var v = await ThreeVendors.StartAsync();

        var catalog = v.Router().Catalog;

        Assert.Equal([.. ShippedTable.Select(e => Describe(e.Canonical, e.Mapping)).Order(StringComparer.Ordinal)], Flatten(catalog));
        Assert.Equal(ShippedTable.Select(e => e.Canonical).Distinct().Order(StringComparer.Ordinal), catalog.CanonicalModels.Select(c => c.Value).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Catalog_ThreeProvidersRegisteredWithUseRouter_SameMappingsAsWithoutDI()
    {
        await using var v = await ThreeVendors.StartAsync();
        var services = new ServiceCollection();
        services.AddMediaGen()
            .AddMeiGen(o => { o.ApiKey = "meigen_sk_integration000000000000000000000"; o.BaseAddress = new Uri(v.Host.BaseAddress, "api/"); })
            .AddVeoGen(o => { o.ApiKey = Testing.Emulators.VeoGenEmulator.DefaultApiKey; o.BaseAddress = new Uri(v.Host.BaseAddress, "api/v1/"); })
            .AddApiframe(o => { o.ApiKey = Testing.Emulators.Apiframe.ApiframeEmulatorOptions.DefaultApiKey; o.BaseAddress = v.Host.BaseAddress; })
            .UseRouter();
        await using var sp = services.BuildServiceProvider();

        var router = sp.GetRequiredService<MediaRouter>();

        Assert.Equal(3, router.Providers.Count);
        Assert.Equal(Flatten(v.Router().Catalog), Flatten(router.Catalog));
        Assert.Equal(ShippedTable.Length, Flatten(router.Catalog).Count);
    }

    [Theory]
    [InlineData("nano-banana-2", "meigen", "nanobanana-2")]
    [InlineData("nano-banana-pro", "meigen", "gemini-3-pro-image-preview")]
    [InlineData("seedream-5.0-lite", "apiframe", "seedream-5-lite")]
    [InlineData("seedance-2.0", "meigen", "seedance-2-0")]
    public async Task Resolve_ProvidersCatalog_MapsToVendorSlug(string canonical, string provider, string expected)
    {
        await using var v = await ThreeVendors.StartAsync();
        var mapping = v.Router().Catalog.Resolve(canonical, provider, null);
        Assert.Equal(expected, mapping!.VendorModel.Value);
        Assert.False(string.IsNullOrWhiteSpace(mapping.Reason));
    }

    [Fact]
    public async Task Resolve_SeedanceFastTierAtVeoGen_UsesFastSlugCarryingTheTier()
    {
        await using var v = await ThreeVendors.StartAsync();
        var mapping = v.Router().Catalog.Resolve("seedance-2.0", "veogen", GenerationTier.Fast)!;
        Assert.Equal("seedance-2.0-fast", mapping.VendorModel.Value);
        Assert.True(mapping.TierInSlug);
    }

    [Fact]
    public async Task Resolve_SeedanceMiniTierAtVeoGen_HasNoMapping()
    {
        await using var v = await ThreeVendors.StartAsync();
        Assert.Null(v.Router().Catalog.Resolve("seedance-2.0", "veogen", GenerationTier.Mini));
    }

    [Fact]
    public async Task Map_UserOverride_ReplacesTheProvidersMapping()
    {
        await using var v = await ThreeVendors.StartAsync();
        var router = v.Router(o => o.Catalog.Map("nano-banana-2", "meigen", "nanobanana-2-beta", "testing a beta"));
        Assert.Equal("nanobanana-2-beta", router.Catalog.Resolve("nano-banana-2", "meigen", null)!.VendorModel.Value);
    }

    [Fact]
    public async Task Remove_Provider_DropsTheMappingsItContributed()
    {
        await using var v = await ThreeVendors.StartAsync();
        var router = v.Router(o => o.Catalog.Remove("nano-banana-2", "veogen"));
        Assert.Null(router.Catalog.Resolve("nano-banana-2", "veogen", null));
        Assert.NotNull(router.Catalog.Resolve("nano-banana-2", "apiframe", null));
    }

    [Fact]
    public async Task SubmitAsync_UserOverridesVeoGensSlug_VeoGenIsSentTheUsersSlug()
    {
        await using var v = await ThreeVendors.StartAsync();
        var router = v.Router(o => o.Catalog.Map("nano-banana-2", "veogen", "nano-banana-pro", "route this canonical to the pro model"));
        var request = NanoBanana();
        request.Routing = new RoutingPreferences { AllowedProviders = ["veogen"] };

        var job = (await router.SubmitAsync(request)).GetValueOrThrow();

        Assert.Equal("veogen", job.Handle.Provider);
        Assert.Equal("nano-banana-pro", job.Handle.Model?.Value);
    }

    [Fact]
    public async Task SubmitAsync_FourthProviderContributesAMapping_CanonicalSlugIsRoutedThereUnderItsOwnSlug()
    {
        await using var v = await ThreeVendors.StartAsync();
        var acme = new FakeMediaGenerator("acme", MoneyUnit.Usd, v.Clock)
            .AddModel(new ModelCapabilities { Id = "acme-banana", Kind = MediaKind.Image, AspectRatios = [AspectRatio.Square], TypicalGenerationTime = TimeSpan.FromSeconds(5) }, 0.01m)
            .MapCanonical("nano-banana-2", "acme-banana");
        var router = v.Router(o => o.Preference = ["acme"], v.MeiGen, v.VeoGen, v.Apiframe, acme);

        var all = await router.QuoteAllAsync(NanoBanana());
        var job = (await router.SubmitAsync(NanoBanana())).GetValueOrThrow();

        Assert.Equal("acme", all.Quotes[0].Provider);
        Assert.Equal(["acme", "apiframe", "meigen", "veogen"], all.Quotes.Select(q => q.Provider).Order(StringComparer.Ordinal));
        Assert.Equal("acme-banana", all.Quotes[0].Quote.Model.Value);
        Assert.Equal("acme:" + job.Handle.VendorJobId, job.Handle.ToString());
        Assert.Equal("acme-banana", acme.AcceptedJobs.Single().Request.Model.Value);
        Assert.Equal("acme-banana", router.Catalog.Resolve("nano-banana-2", "acme", null)!.VendorModel.Value);
    }
}
