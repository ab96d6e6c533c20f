using MediaGen.Http;
using MediaGen.Routing;
using MediaGen.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace MediaGen.Tests.DependencyInjection;

public class MediaGenServiceCollectionExtensionsTests
{
    private static IConfiguration Config(params (string Key, string Value)[] values) =>
        new ConfigurationBuilder().AddInMemoryCollection(values.Select(v => new KeyValuePair<string, string?>(v.Key, v.Value))).Build();

    [Fact]
    public void AddMediaGen_FromConfiguration_BindsRatesAndDeadlines()
    {
        var config = Config(("MediaGen:UsdPerCredit:meigen", "0.012"), ("MediaGen:VideoDeadline", "00:15:00"));
        using var sp = new ServiceCollection().AddMediaGen(config.GetSection("MediaGen")).Services.BuildServiceProvider();

        var options = sp.GetRequiredService<IOptions<MediaGenOptions>>().Value;
        Assert.Equal(TimeSpan.FromMinutes(15), options.VideoDeadline);
        Assert.Equal(MediaGen.Money.Usd(0.12m), sp.GetRequiredService<ExchangeRates>().ToUsd(MediaGen.Money.Credits(10m, "meigen")));
    }

    [Fact]
    public void AddMediaGen_NegativeRate_FailsAtStartNamingTheKey()
    {
        var config = Config(("MediaGen:UsdPerCredit:meigen", "-1"));
        using var sp = new ServiceCollection().AddMediaGen(config.GetSection("MediaGen")).Services.BuildServiceProvider();

        var ex = Assert.Throws<OptionsValidationException>(() => sp.GetRequiredService<IOptions<MediaGenOptions>>().Value);
        Assert.Contains("MediaGen:UsdPerCredit:meigen", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AddProviderHttpClient_InvalidTimeouts_FailNamingTheProviderKey()
    {
        var services = new ServiceCollection();
        services.AddMediaGen().AddProviderHttpClient("meigen");
        services.Configure<MediaGenHttpOptions>(MediaGenBuilder.HttpClientName("meigen"), o => o.ReadAttemptTimeout = TimeSpan.Zero);
        using var sp = services.BuildServiceProvider();

        var ex = Assert.Throws<OptionsValidationException>(() => sp.GetRequiredService<IOptionsMonitor<MediaGenHttpOptions>>().Get(MediaGenBuilder.HttpClientName("meigen")));
        Assert.Contains("MediaGen:meigen:Http:ReadAttemptTimeout", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UseRouter_RoutesAcrossKeyedProviders_AndKeepsDirectAccess()
    {
        var services = new ServiceCollection();
        var meigen = new FakeMediaGenerator("meigen").AddModel(new ModelCapabilities { Id = "nanobanana-2", Kind = MediaKind.Image }, 5).MapCanonical("nano-banana-2", "nanobanana-2");
        var veogen = new FakeMediaGenerator("veogen", MoneyUnit.Usd).AddModel(new ModelCapabilities { Id = "nano-banana-2", Kind = MediaKind.Image }, 0.08m).MapCanonical("nano-banana-2", "nano-banana-2");
        services.AddMediaGen(o => o.UsdPerCredit["meigen"] = 0.001m)
            .AddProvider("meigen", _ => meigen)
            .AddProvider("veogen", _ => veogen)
            .UseRouter(o => o.Strategy = RoutingStrategy.Cheapest);
        using var sp = services.BuildServiceProvider();

        var router = sp.GetRequiredService<IMediaGenerator>();
        var job = (await router.SubmitAsync(new GenerationRequest("nano-banana-2", "a lighthouse"))).GetValueOrThrow();

        Assert.IsType<MediaRouter>(router);
        Assert.Equal(["meigen", "veogen"], ((MediaRouter)router).Providers.Select(p => p.GetMetadata().Name));
        Assert.Equal("meigen", job.Handle.Provider); // 5 credits × $0.001 = $0.005 < $0.08
        Assert.Same(veogen, sp.GetRequiredKeyedService<IMediaGenerator>("veogen").GetService<FakeMediaGenerator>());
    }
}
