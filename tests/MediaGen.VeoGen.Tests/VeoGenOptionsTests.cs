using MediaGen.Testing;
using MediaGen.VeoGen.Tests.TestSupport;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace MediaGen.VeoGen.Tests;

/// <summary>DI registration: keyed provider, named HTTP client, configuration binding and validation at start.</summary>
public sealed class VeoGenOptionsTests
{
    [Fact]
    public void AddVeoGen_Configured_ResolvesTheKeyedProvider()
    {
        var services = new ServiceCollection();
        services.AddMediaGen().AddVeoGen(o => o.ApiKey = "k");
        using var provider = services.BuildServiceProvider();

        var veogen = provider.GetRequiredKeyedService<IMediaGenerator>("veogen");

        Assert.Equal("veogen", veogen.GetMetadata().Name);
        Assert.Contains(provider.GetServices<IMediaGeneratorRegistration>(), r => r.Name == "veogen");
    }

    [Fact]
    public async Task AddVeoGen_UsesTheNamedHttpClient()
    {
        var handler = new StubHttpHandler().Enqueue(200, VeoGenDocs.Balance);
        var services = new ServiceCollection();
        services.AddMediaGen().AddVeoGen(o => o.ApiKey = "k");
        services.AddHttpClient("MediaGen.veogen").ConfigurePrimaryHttpMessageHandler(() => handler);
        using var provider = services.BuildServiceProvider();

        await provider.GetRequiredKeyedService<IMediaGenerator>("veogen").GetService<VeoGenClient>()!.GetBalanceAsync();

        Assert.Single(handler.Requests);
    }

    [Fact]
    public void AddVeoGen_FromConfiguration_BindsEverySetting()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["MediaGen:VeoGen:ApiKey"] = "from-config",
            ["MediaGen:VeoGen:BaseAddress"] = "https://api.veogen.studio/api/v1/",
            ["MediaGen:VeoGen:RequestsPerMinute"] = "60",
            ["MediaGen:VeoGen:UseLiveCatalog"] = "false",
            ["MediaGen:VeoGen:ReconciliationClockSkew"] = "00:00:30",
            ["MediaGen:VeoGen:PriceOverrides:sora-2:PriceUsd"] = "0.45",
            ["MediaGen:VeoGen:PriceOverrides:sora-2:PerSecond"] = "false",
            ["MediaGen:VeoGen:PriceOverrides:sora-2:ResolutionMultipliers:1080p"] = "1.5",
        }).Build();
        var services = new ServiceCollection();
        services.AddMediaGen().AddVeoGen(configuration);
        using var provider = services.BuildServiceProvider();

        var options = provider.GetRequiredService<IOptions<VeoGenOptions>>().Value;

        Assert.Equal(("from-config", "https://api.veogen.studio/api/v1/", 60, false, TimeSpan.FromSeconds(30)), (options.ApiKey, options.BaseAddress.AbsoluteUri, options.RequestsPerMinute, options.UseLiveCatalog, options.ReconciliationClockSkew));
        Assert.Equal(0.45m, options.PriceOverrides["sora-2"].Price);
        Assert.Equal(1.5m, options.PriceOverrides["sora-2"].ResolutionMultipliers["1080p"]);
    }

    [Fact]
    public async Task AddVeoGen_PriceOverrideFromConfiguration_PricesTheQuote()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["MediaGen:VeoGen:ApiKey"] = "k",
            ["MediaGen:VeoGen:PriceOverrides:sora-2:PriceUsd"] = "0.45",
        }).Build();
        var services = new ServiceCollection();
        services.AddMediaGen().AddVeoGen(configuration.GetSection("MediaGen:VeoGen"));
        using var provider = services.BuildServiceProvider();

        var quote = (await provider.GetRequiredKeyedService<IMediaGenerator>("veogen").QuoteAsync(new GenerationRequest("sora-2", "A cat"))).GetValueOrThrow();

        Assert.Equal(Money.Usd(0.45m), quote.Price.Amount);
        Assert.Equal(PriceSource.Override, quote.Price.Source);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("MediaGen")]
    [InlineData("MediaGen:VeoGen")]
    public void AddVeoGen_RootOrEitherSection_FindsTheKey(string? section)
    {
        var root = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["MediaGen:VeoGen:ApiKey"] = "found" }).Build();
        var services = new ServiceCollection();
        services.AddMediaGen().AddVeoGen(section is null ? root : root.GetSection(section));
        using var provider = services.BuildServiceProvider();

        Assert.Equal("found", provider.GetRequiredService<IOptions<VeoGenOptions>>().Value.ApiKey);
    }

    [Fact]
    public void AddVeoGen_MissingKeyAndBadValues_FailAtStartNamingTheConfigurationKeys()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["MediaGen:VeoGen:RequestsPerMinute"] = "lots",
            ["MediaGen:VeoGen:PriceOverrides:sora-2:PriceUsd"] = "cheap",
        }).Build();
        var services = new ServiceCollection();
        services.AddMediaGen().AddVeoGen(configuration);
        using var provider = services.BuildServiceProvider();

        var ex = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IStartupValidator>().Validate());

        Assert.Contains(ex.Failures, f => f.StartsWith("MediaGen:VeoGen:ApiKey is required", StringComparison.Ordinal));
        Assert.Contains(ex.Failures, f => f.StartsWith("MediaGen:VeoGen:RequestsPerMinute must be a whole number; got 'lots'", StringComparison.Ordinal));
        Assert.Contains(ex.Failures, f => f.StartsWith("MediaGen:VeoGen:PriceOverrides:sora-2:PriceUsd", StringComparison.Ordinal));
    }

    [Fact]
    public void AddVeoGen_PriceOverrideWithoutItsPrice_FailsAtStartInsteadOfPricingTheModelAtZero()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["MediaGen:VeoGen:ApiKey"] = "k",
            ["MediaGen:VeoGen:PriceOverrides:sora-2:PerSecond"] = "true",
        }).Build();
        var services = new ServiceCollection();
        services.AddMediaGen().AddVeoGen(configuration);
        using var provider = services.BuildServiceProvider();

        var ex = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IStartupValidator>().Validate());

        Assert.StartsWith("MediaGen:VeoGen:PriceOverrides:sora-2:PriceUsd is required", Assert.Single(ex.Failures), StringComparison.Ordinal);
    }

    [Fact]
    public void AddVeoGen_ReconciliationPageSizeOutOfRange_NamesTheRangeAndTheValue()
    {
        var services = new ServiceCollection();
        services.AddMediaGen().AddVeoGen(o =>
        {
            o.ApiKey = "k";
            o.ReconciliationPageSize = 101;
        });
        using var provider = services.BuildServiceProvider();

        var ex = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IStartupValidator>().Validate());

        Assert.Equal("MediaGen:VeoGen:ReconciliationPageSize must be 1–100 (VeoGen's maximum is 100); got 101.", Assert.Single(ex.Failures));
    }
}
