using System.Text;
using MediaGen.Apiframe;
using MediaGen.Http;
using MediaGen.MeiGen;
using MediaGen.Routing;
using MediaGen.VeoGen;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace MediaGen.Samples.Tests.Configuration;

/// <summary>
/// The README/console-sample registration (<c>AddMediaGen(section).AddMeiGen(…).AddVeoGen(…).AddApiframe(…)</c>) bound
/// from an appsettings-style JSON file plus environment overrides: every documented option arrives, and a bad one stops
/// the host at start with a message that names its key.
/// </summary>
public sealed class ConfigurationBindingTests
{
    private const string MeiGenKey = "meigen_sk_fromjson000000000000000000000";
    private const string VeoGenKey = "veogen-token-from-json";
    private const string ApiframeKey = "afk_fromjson0123456789";

    // Every documented, configuration-bindable option of the core and the three providers, with non-default values.
    private const string FullJson = """
    {
      "MediaGen": {
        "UsdPerCredit": { "meigen": 0.012, "apiframe": 0.005 },
        "ImageDeadline": "00:03:00",
        "VideoDeadline": "00:20:00",
        "EnableSensitiveData": true,
        "MeiGen": {
          "ApiKey": "meigen_sk_fromjson000000000000000000000",
          "BaseAddress": "https://meigen.example.test/api/",
          "RequestsPerMinute": 6,
          "UseLiveCatalog": false,
          "LiveCatalogLifetime": "00:07:00",
          "Http": {
            "MaxRetries": 5, "BaseDelay": "00:00:02", "MaxRetryAfter": "00:00:20",
            "ReadAttemptTimeout": "00:00:40", "SubmitAttemptTimeout": "00:03:00",
            "ReadTotalTimeout": "00:04:00", "SubmitTotalTimeout": "00:09:00"
          }
        },
        "VeoGen": {
          "ApiKey": "veogen-token-from-json",
          "BaseAddress": "https://api.veogen.example.test/api/v1/",
          "RequestsPerMinute": 60,
          "UseLiveCatalog": false,
          "LiveCatalogLifetime": "02:00:00",
          "ReconciliationClockSkew": "00:05:00",
          "ReconciliationPageSize": 50,
          "ReconciliationMaxPages": 7,
          "PriceOverrides": {
            "sora-2": { "PriceUsd": 0.2, "PerSecond": true, "ResolutionMultipliers": { "1080p": 1.5 } },
            "nano-banana-2": { "PriceUsd": 0.05 }
          },
          "Http": { "MaxRetries": 1, "ReadAttemptTimeout": "00:00:15" }
        },
        "Apiframe": {
          "ApiKey": "afk_fromjson0123456789",
          "BaseAddress": "https://apiframe.example.test/",
          "LimitConcurrency": false,
          "MaxConcurrentJobs": 4,
          "ConcurrencyQueueLimit": 12,
          "ConcurrencyPermitLifetime": "00:45:00",
          "WebhookDedupeCapacity": 500,
          "PriceOverrides": { "flux-2-pro": 9 },
          "Http": { "SubmitAttemptTimeout": "00:01:00", "SubmitTotalTimeout": "00:02:00", "MaxSubmitAttempts": 2 }
        }
      }
    }
    """;

    /// <summary>The README's registration, on any configuration.</summary>
    private static IServiceCollection Register(IConfiguration configuration, IServiceCollection? services = null)
    {
        services ??= new ServiceCollection();
        services.AddMediaGen(configuration.GetSection("MediaGen"))
            .AddMeiGen(configuration.GetSection("MediaGen:MeiGen"))
            .AddVeoGen(configuration.GetSection("MediaGen:VeoGen"))
            .AddApiframe(configuration.GetSection("MediaGen:Apiframe"))
            .UseRouter(o => o.Strategy = RoutingStrategy.Cheapest);
        return services;
    }

    private static IConfigurationBuilder Json(string json) =>
        new ConfigurationBuilder().AddJsonStream(new MemoryStream(Encoding.UTF8.GetBytes(json)));

    private static MediaGenHttpOptions Http(IServiceProvider sp, string provider) =>
        sp.GetRequiredService<IOptionsMonitor<MediaGenHttpOptions>>().Get(MediaGenBuilder.HttpClientName(provider));

    [Fact]
    public void AddMediaGen_FromJsonFile_BindsEveryCoreOption()
    {
        var path = Path.Combine(Path.GetTempPath(), $"mediagen-appsettings-{Guid.NewGuid():N}.json");
        File.WriteAllText(path, FullJson);
        try
        {
            var configuration = new ConfigurationBuilder().AddJsonFile(path, optional: false).Build();
            using var sp = Register(configuration).BuildServiceProvider();

            var core = sp.GetRequiredService<IOptions<MediaGenOptions>>().Value;
            Assert.Equal(TimeSpan.FromMinutes(3), core.ImageDeadline);
            Assert.Equal(TimeSpan.FromMinutes(20), core.VideoDeadline);
            Assert.True(core.EnableSensitiveData);
            var rates = sp.GetRequiredService<ExchangeRates>();
            Assert.Equal(Money.Usd(0.06m), rates.ToUsd(Money.Credits(5, "meigen")));
            Assert.Equal(Money.Usd(0.08m), rates.ToUsd(Money.Credits(16, "apiframe")));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void AddMediaGen_FromJson_BindsEachProvidersHttpSettings()
    {
        using var sp = Register(Json(FullJson).Build()).BuildServiceProvider();

        var meigen = Http(sp, MeiGenProvider.Name);
        Assert.Equal(5, meigen.MaxRetries);
        Assert.Equal(TimeSpan.FromSeconds(2), meigen.BaseDelay);
        Assert.Equal(TimeSpan.FromSeconds(20), meigen.MaxRetryAfter);
        Assert.Equal(TimeSpan.FromSeconds(40), meigen.ReadAttemptTimeout);
        Assert.Equal(TimeSpan.FromMinutes(3), meigen.SubmitAttemptTimeout);
        Assert.Equal(TimeSpan.FromMinutes(4), meigen.ReadTotalTimeout);
        Assert.Equal(TimeSpan.FromMinutes(9), meigen.SubmitTotalTimeout);

        var veogen = Http(sp, VeoGenProvider.Name);
        Assert.Equal(1, veogen.MaxRetries);
        Assert.Equal(TimeSpan.FromSeconds(15), veogen.ReadAttemptTimeout);
        Assert.Equal(new MediaGenHttpOptions().SubmitTotalTimeout, veogen.SubmitTotalTimeout); // unset keys keep their defaults

        var apiframe = Http(sp, ApiframeProvider.Name);
        Assert.Equal(TimeSpan.FromMinutes(1), apiframe.SubmitAttemptTimeout);
        Assert.Equal(TimeSpan.FromMinutes(2), apiframe.SubmitTotalTimeout);
        Assert.Equal(3, apiframe.MaxRetries);
    }

    [Fact]
    public void AddMeiGen_FromJson_BindsEveryOption()
    {
        using var sp = Register(Json(FullJson).Build()).BuildServiceProvider();

        var options = sp.GetRequiredService<IOptions<MeiGenOptions>>().Value;
        Assert.Equal(MeiGenKey, options.ApiKey);
        Assert.Equal(new Uri("https://meigen.example.test/api/"), options.BaseAddress);
        Assert.Equal(6, options.RequestsPerMinute);
        Assert.False(options.UseLiveCatalog);
        Assert.Equal(TimeSpan.FromMinutes(7), options.LiveCatalogLifetime);
    }

    [Fact]
    public async Task AddVeoGen_FromJson_BindsEveryOption_AndTheProviderPricesFromTheOverride()
    {
        using var sp = Register(Json(FullJson).Build()).BuildServiceProvider();

        var options = sp.GetRequiredService<IOptions<VeoGenOptions>>().Value;
        Assert.Equal(VeoGenKey, options.ApiKey);
        Assert.Equal(new Uri("https://api.veogen.example.test/api/v1/"), options.BaseAddress);
        Assert.Equal(60, options.RequestsPerMinute);
        Assert.False(options.UseLiveCatalog);
        Assert.Equal(TimeSpan.FromHours(2), options.LiveCatalogLifetime);
        Assert.Equal(TimeSpan.FromMinutes(5), options.ReconciliationClockSkew);
        Assert.Equal(50, options.ReconciliationPageSize);
        Assert.Equal(7, options.ReconciliationMaxPages);
        var sora = options.PriceOverrides["sora-2"];
        Assert.Equal(0.2m, sora.Price);
        Assert.Equal(PricePer.Second, sora.Per);
        Assert.Equal(1.5m, sora.ResolutionMultipliers["1080p"]);

        // Observable on the built provider, offline: the quote comes from the configured override.
        var veogen = sp.GetRequiredKeyedService<IMediaGenerator>(VeoGenProvider.Name);
        var quote = (await veogen.QuoteAsync(new GenerationRequest("nano-banana-2", "a lighthouse"))).GetValueOrThrow();
        Assert.Equal(Money.Usd(0.05m), quote.Price.Amount);
        Assert.Equal(PriceSource.Override, quote.Price.Source);
    }

    [Fact]
    public async Task AddApiframe_FromJson_BindsEveryOption_AndTheProviderPricesFromTheOverride()
    {
        using var sp = Register(Json(FullJson).Build()).BuildServiceProvider();

        var options = sp.GetRequiredService<IOptions<ApiframeOptions>>().Value;
        Assert.Equal(ApiframeKey, options.ApiKey);
        Assert.Equal(new Uri("https://apiframe.example.test/"), options.BaseAddress);
        Assert.Equal(2, Http(sp, ApiframeProvider.Name).MaxSubmitAttempts); // the POST cap is the shared pipeline's
        Assert.False(options.LimitConcurrency);
        Assert.Equal(4, options.MaxConcurrentJobs);
        Assert.Equal(12, options.ConcurrencyQueueLimit);
        Assert.Equal(TimeSpan.FromMinutes(45), options.ConcurrencyPermitLifetime);
        Assert.Equal(500, options.WebhookDedupeCapacity);
        Assert.Equal(9m, options.PriceOverrides["flux-2-pro"].Price);

        var apiframe = sp.GetRequiredKeyedService<IMediaGenerator>(ApiframeProvider.Name);
        var quote = (await apiframe.QuoteAsync(new GenerationRequest("flux-2-pro", "a lighthouse"))).GetValueOrThrow();
        Assert.Equal(Money.Credits(9, "apiframe"), quote.Price.Amount);
        Assert.Equal(PriceSource.Override, quote.Price.Source);
    }

    [Fact]
    public void AddMediaGen_EnvironmentVariables_OverrideTheJsonFile()
    {
        // Real environment variables in the documented form (MediaGen__MeiGen__ApiKey), under a prefix unique to this
        // test so parallel tests never see them.
        var prefix = $"MGTEST{Guid.NewGuid():N}_";
        string[] names = [prefix + "MediaGen__MeiGen__ApiKey", prefix + "MediaGen__UsdPerCredit__meigen", prefix + "MediaGen__Apiframe__Http__MaxRetries"];
        Environment.SetEnvironmentVariable(names[0], "meigen_sk_fromenvironment0000000000000");
        Environment.SetEnvironmentVariable(names[1], "0.02");
        Environment.SetEnvironmentVariable(names[2], "7");
        try
        {
            var configuration = Json(FullJson).AddEnvironmentVariables(prefix).Build();
            using var sp = Register(configuration).BuildServiceProvider();

            Assert.Equal("meigen_sk_fromenvironment0000000000000", sp.GetRequiredService<IOptions<MeiGenOptions>>().Value.ApiKey);
            Assert.Equal(Money.Usd(0.10m), sp.GetRequiredService<ExchangeRates>().ToUsd(Money.Credits(5, "meigen")));
            Assert.Equal(7, Http(sp, ApiframeProvider.Name).MaxRetries);
            Assert.Equal(VeoGenKey, sp.GetRequiredService<IOptions<VeoGenOptions>>().Value.ApiKey); // not overridden: JSON wins
        }
        finally
        {
            foreach (var name in names)
            {
                Environment.SetEnvironmentVariable(name, null);
            }
        }
    }

    [Fact]
    public void AddMediaGen_InMemoryOverrides_WinOverTheJsonFile()
    {
        var configuration = Json(FullJson).AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["MediaGen:VeoGen:ApiKey"] = "veogen-token-override",
            ["MediaGen:Apiframe:MaxConcurrentJobs"] = "8",
            ["MediaGen:VideoDeadline"] = "00:30:00",
        }).Build();
        using var sp = Register(configuration).BuildServiceProvider();

        Assert.Equal("veogen-token-override", sp.GetRequiredService<IOptions<VeoGenOptions>>().Value.ApiKey);
        Assert.Equal(8, sp.GetRequiredService<IOptions<ApiframeOptions>>().Value.MaxConcurrentJobs);
        Assert.Equal(TimeSpan.FromMinutes(30), sp.GetRequiredService<IOptions<MediaGenOptions>>().Value.VideoDeadline);
    }

    [Fact]
    public async Task ConsoleSampleAppSettings_WithKeysFromTheEnvironment_StartsAndRoutesAcrossAllThree()
    {
        // The console sample's appsettings.json as shipped (its keys are empty: they come from the environment).
        var configuration = new ConfigurationBuilder()
            .AddJsonFile(Path.Combine(AppContext.BaseDirectory, "Samples", "console.appsettings.json"), optional: false)
            .AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["MediaGen:MeiGen:ApiKey"] = MeiGenKey,
                ["MediaGen:VeoGen:ApiKey"] = VeoGenKey,
                ["MediaGen:Apiframe:ApiKey"] = ApiframeKey,
            }).Build();
        using var host = BuildHost(configuration);

        await host.StartAsync();
        try
        {
            var router = host.Services.GetRequiredService<MediaRouter>();
            Assert.Equal(["meigen", "veogen", "apiframe"], router.Providers.Select(p => p.GetMetadata().Name));
            Assert.Equal(Money.Usd(0.06m), host.Services.GetRequiredService<ExchangeRates>().ToUsd(Money.Credits(5, "meigen")));
        }
        finally
        {
            await host.StopAsync();
        }
    }

    private static IHost BuildHost(IConfiguration configuration)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings { EnvironmentName = "Test" });
        builder.Configuration.AddConfiguration(configuration);
        Register(builder.Configuration, builder.Services);
        return builder.Build();
    }

    // Each row: one bad value over the otherwise valid FullJson, and the exact key the start-up failure must name.
    public static TheoryData<string, string> InvalidValues => new()
    {
        // Core
        { "MediaGen:UsdPerCredit:meigen=-0.01", "MediaGen:UsdPerCredit:meigen" },
        { "MediaGen:UsdPerCredit:apiframe=abc", "MediaGen:UsdPerCredit:apiframe" },
        { "MediaGen:ImageDeadline=00:00:00", "MediaGen:ImageDeadline" },
        { "MediaGen:VideoDeadline=-00:01:00", "MediaGen:VideoDeadline" },
        // HTTP resilience, per provider
        { "MediaGen:MeiGen:Http:MaxRetries=50", "MediaGen:MeiGen:Http:MaxRetries" },
        { "MediaGen:VeoGen:Http:ReadAttemptTimeout=00:00:00", "MediaGen:VeoGen:Http:ReadAttemptTimeout" },
        { "MediaGen:Apiframe:Http:SubmitTotalTimeout=00:00:30", "MediaGen:Apiframe:Http:SubmitTotalTimeout" },
        { "MediaGen:MeiGen:Http:BaseDelay=soon", "MediaGen:MeiGen:Http:BaseDelay" },
        { "MediaGen:Apiframe:Http:MaxSubmitAttempts=0", "MediaGen:Apiframe:Http:MaxSubmitAttempts" },
        // MeiGen
        { "MediaGen:MeiGen:ApiKey=", "MediaGen:MeiGen:ApiKey" },
        { "MediaGen:MeiGen:BaseAddress=not a url", "MediaGen:MeiGen:BaseAddress" },
        { "MediaGen:MeiGen:RequestsPerMinute=twelve", "MediaGen:MeiGen:RequestsPerMinute" },
        { "MediaGen:MeiGen:LiveCatalogLifetime=-00:01:00", "MediaGen:MeiGen:LiveCatalogLifetime" },
        // VeoGen
        { "MediaGen:VeoGen:ApiKey=", "MediaGen:VeoGen:ApiKey" },
        { "MediaGen:VeoGen:ReconciliationPageSize=500", "MediaGen:VeoGen:ReconciliationPageSize" },
        { "MediaGen:VeoGen:LiveCatalogLifetime=later", "MediaGen:VeoGen:LiveCatalogLifetime" },
        { "MediaGen:VeoGen:PriceOverrides:sora-2:PriceUsd=cheap", "MediaGen:VeoGen:PriceOverrides:sora-2:PriceUsd" },
        // Apiframe
        { "MediaGen:Apiframe:MaxSubmitAttempts=0", "MediaGen:Apiframe:MaxSubmitAttempts" },
        { "MediaGen:Apiframe:SubmitRetryBaseDelay=fast", "MediaGen:Apiframe:SubmitRetryBaseDelay" },
        { "MediaGen:Apiframe:ConcurrencyPermitLifetime=00:00:00", "MediaGen:Apiframe:ConcurrencyPermitLifetime" },
        { "MediaGen:Apiframe:PriceOverrides:flux-2-pro=-3", "MediaGen:Apiframe:PriceOverrides:flux-2-pro" },
        { "MediaGen:Apiframe:LimitConcurrency=maybe", "MediaGen:Apiframe:LimitConcurrency" },
    };

    [Theory]
    [MemberData(nameof(InvalidValues))]
    public async Task StartAsync_InvalidValue_FailsAtStartNamingTheKey(string setting, string key)
    {
        var eq = setting.IndexOf('=', StringComparison.Ordinal);
        var configuration = Json(FullJson).AddInMemoryCollection(new Dictionary<string, string?> { [setting[..eq]] = setting[(eq + 1)..] }).Build();
        using var host = BuildHost(configuration);

        var ex = await Assert.ThrowsAnyAsync<Exception>(() => host.StartAsync());

        Assert.True(ex is OptionsValidationException or InvalidOperationException, $"unexpected {ex.GetType()}: {ex.Message}");
        Assert.True(ex.Message.Contains(key, StringComparison.Ordinal), ex.Message);
    }

    [Fact]
    public async Task StartAsync_WrongApiframeKey_NamesTheKeyButNeverEchoesIt()
    {
        const string secret = "sk_live_not_an_apiframe_key_123";
        var configuration = Json(FullJson).AddInMemoryCollection(new Dictionary<string, string?> { ["MediaGen:Apiframe:ApiKey"] = secret }).Build();
        using var host = BuildHost(configuration);

        var ex = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains("MediaGen:Apiframe:ApiKey", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(secret, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StartAsync_ValidJson_Starts()
    {
        // The control for the theory above: the same JSON without the bad value starts.
        using var host = BuildHost(Json(FullJson).Build());

        await host.StartAsync();
        await host.StopAsync();

        Assert.Equal(3, host.Services.GetRequiredService<MediaRouter>().Providers.Count);
    }
}
