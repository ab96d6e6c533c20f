using System.Reflection;
using System.Threading.RateLimiting;
using MediaGen.Apiframe;
using MediaGen.MeiGen;
using MediaGen.VeoGen;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace MediaGen.Integration.Tests.Providers;

/// <summary>
/// The three providers' options behave alike: every setting survives the copy taken at creation, the same overloads
/// register them, the same address rule holds, messages name the section the options came from, and renamed keys fail
/// at start naming the new key.
/// </summary>
public sealed class ProviderOptionsTests
{
    private const string MeiGenKey = "meigen_sk_options000000000000000000000000";
    private const string VeoGenKey = "veogen-options-token";
    private const string ApiframeKey = "afk_options0123456789";

    public static TheoryData<string> Vendors => new() { "meigen", "veogen", "apiframe" };

    [Theory]
    [MemberData(nameof(Vendors))]
    public void Create_EverySettableOption_SurvivesTheCopyTheProviderKeeps(string vendor)
    {
        var (type, options, create) = vendor switch
        {
            "meigen" => (typeof(MeiGenOptions), (object)new MeiGenOptions(), (Func<object, IMediaGenerator>)(o => MeiGenProvider.Create((MeiGenOptions)o))),
            "veogen" => (typeof(VeoGenOptions), new VeoGenOptions(), o => VeoGenProvider.Create((VeoGenOptions)o)),
            _ => (typeof(ApiframeOptions), new ApiframeOptions(), o => ApiframeProvider.Create((ApiframeOptions)o)),
        };
        var settable = type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.SetMethod is { IsPublic: true }).ToList();
        var expected = new Dictionary<string, object?>();
        foreach (var property in settable)
        {
            var value = property.Name switch
            {
                "ApiKey" => vendor switch { "meigen" => MeiGenKey, "veogen" => VeoGenKey, _ => ApiframeKey },
                "BaseAddress" => new Uri("http://127.0.0.1:5999/clone/"),
                _ => Changed(property.PropertyType, property.GetValue(options)),
            };
            Assert.NotEqual(property.GetValue(options), value); // else a forgotten property would pass unnoticed
            property.SetValue(options, value);
            expected[property.Name] = value;
        }

        using var generator = create(options);
        var kept = generator.GetService(type)!;

        Assert.NotSame(options, kept);
        Assert.NotEmpty(settable);
        foreach (var property in settable)
        {
            Assert.True(Equals(expected[property.Name], property.GetValue(kept)), $"{type.Name}.{property.Name} was not copied: expected {expected[property.Name]}, got {property.GetValue(kept)}.");
        }
    }

    [Theory]
    [MemberData(nameof(Vendors))]
    public void Create_PlainHttpToAHostOnTheNetwork_IsRefusedNamingBaseAddress(string vendor)
    {
        var remote = new Uri("http://api.example.com/");

        var ex = Assert.Throws<ArgumentException>(() => Create(vendor, remote));

        Assert.Contains($"{Section(vendor)}:BaseAddress must be an absolute https URL", ex.Message, StringComparison.Ordinal);
        Assert.Contains("http://api.example.com/", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Vendors))]
    public void Create_PlainHttpToLoopback_IsAccepted(string vendor)
    {
        using var generator = Create(vendor, new Uri("http://127.0.0.1:5999/"));

        Assert.Equal(vendor, generator.GetMetadata().Name);
    }

    [Theory]
    [MemberData(nameof(Vendors))]
    public void AddProvider_BoundFromASectionOfAnotherName_NamesThatSectionInItsMessages(string vendor)
    {
        var configuration = Configuration(new() { [$"Vendors:Primary:RequestsPerMinute"] = "lots", ["Vendors:Primary:MaxConcurrentJobs"] = "many" });
        var services = new ServiceCollection();
        Register(services.AddMediaGen(), vendor, configuration.GetSection("Vendors:Primary"), null);
        using var provider = services.BuildServiceProvider();

        var ex = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IStartupValidator>().Validate());

        Assert.Contains(ex.Failures, f => f.StartsWith("Vendors:Primary:ApiKey is required", StringComparison.Ordinal));
        var unreadable = vendor == "apiframe" ? "Vendors:Primary:MaxConcurrentJobs must be a whole number; got 'many'." : "Vendors:Primary:RequestsPerMinute must be a whole number; got 'lots'.";
        Assert.Contains(unreadable, ex.Failures);
        Assert.DoesNotContain(ex.Failures, f => f.Contains(Section(vendor), StringComparison.Ordinal));
    }

    [Theory]
    [MemberData(nameof(Vendors))]
    public void AddProvider_ConfigurationThenCode_BindsTheSectionThenAppliesTheCode(string vendor)
    {
        var configuration = Configuration(new()
        {
            [$"{Section(vendor)}:ApiKey"] = Key(vendor),
            [$"{Section(vendor)}:BaseAddress"] = "http://127.0.0.1:5999/from-configuration/",
        });
        var services = new ServiceCollection();
        Register(services.AddMediaGen(), vendor, configuration, address => address.Host == "127.0.0.1" ? new Uri("http://127.0.0.1:5999/from-code/") : address);
        using var provider = services.BuildServiceProvider();

        var generator = provider.GetRequiredKeyedService<IMediaGenerator>(vendor);

        Assert.Equal(new Uri("http://127.0.0.1:5999/from-code/"), generator.GetMetadata().Endpoint);
    }

    [Theory]
    [InlineData("meigen", "GenerateRequestsPerMinute", "6", "RequestsPerMinute")]
    [InlineData("meigen", "RefreshFromModelsEndpoint", "false", "UseLiveCatalog")]
    [InlineData("meigen", "ModelsCacheDuration", "00:07:00", "LiveCatalogLifetime")]
    [InlineData("veogen", "UseLivePrices", "false", "UseLiveCatalog")]
    [InlineData("veogen", "LivePriceLifetime", "02:00:00", "LiveCatalogLifetime")]
    public void AddProvider_RenamedKey_FailsAtStartNamingTheNewKey(string vendor, string old, string value, string renamed)
    {
        var section = Section(vendor);
        var configuration = Configuration(new() { [$"{section}:ApiKey"] = Key(vendor), [$"{section}:{old}"] = value });
        var services = new ServiceCollection();
        Register(services.AddMediaGen(), vendor, configuration.GetSection(section), null);
        using var provider = services.BuildServiceProvider();

        var ex = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IStartupValidator>().Validate());

        var failure = Assert.Single(ex.Failures);
        Assert.StartsWith($"{section}:{old} was renamed: use {section}:{renamed}", failure, StringComparison.Ordinal);
    }

    private static object Changed(Type type, object? current) => type switch
    {
        _ when type == typeof(int) => (int)current! > 1 ? (int)current! - 1 : (int)current! + 1,
        _ when type == typeof(int?) => current is int n ? n + 1 : 7,
        _ when type == typeof(bool) => !(bool)current!,
        _ when type == typeof(TimeSpan) => (TimeSpan)current! + TimeSpan.FromSeconds(1),
        _ when type == typeof(RateLimiter) => new SlidingWindowRateLimiter(new SlidingWindowRateLimiterOptions { PermitLimit = 5, Window = TimeSpan.FromMinutes(1), SegmentsPerWindow = 2 }),
        _ when type == typeof(SemaphoreSlim) => new SemaphoreSlim(3),
        _ => throw new InvalidOperationException($"Teach this test a non-default value of {type} so the new setting is checked too."),
    };

    private static IMediaGenerator Create(string vendor, Uri address) => vendor switch
    {
        "meigen" => MeiGenProvider.Create(new MeiGenOptions { ApiKey = MeiGenKey, BaseAddress = address }),
        "veogen" => VeoGenProvider.Create(new VeoGenOptions { ApiKey = VeoGenKey, BaseAddress = address }),
        _ => ApiframeProvider.Create(new ApiframeOptions { ApiKey = ApiframeKey, BaseAddress = address }),
    };

    private static void Register(MediaGenBuilder builder, string vendor, IConfiguration configuration, Func<Uri, Uri>? address)
    {
        switch (vendor)
        {
            case "meigen" when address is null:
                builder.AddMeiGen(configuration);
                break;
            case "meigen":
                builder.AddMeiGen(configuration, o => o.BaseAddress = address(o.BaseAddress));
                break;
            case "veogen" when address is null:
                builder.AddVeoGen(configuration);
                break;
            case "veogen":
                builder.AddVeoGen(configuration, o => o.BaseAddress = address(o.BaseAddress));
                break;
            case "apiframe" when address is null:
                builder.AddApiframe(configuration);
                break;
            default:
                builder.AddApiframe(configuration, o => o.BaseAddress = address!(o.BaseAddress));
                break;
        }
    }

    private static string Section(string vendor) => vendor switch
    {
        "meigen" => MeiGenOptions.SectionName,
        "veogen" => VeoGenOptions.SectionName,
        _ => ApiframeOptions.SectionName,
    };

    private static string Key(string vendor) => vendor switch
    {
        "meigen" => MeiGenKey,
        "veogen" => VeoGenKey,
        _ => ApiframeKey,
    };

    private static IConfigurationRoot Configuration(Dictionary<string, string?> values) =>
        new ConfigurationBuilder().AddInMemoryCollection(values).Build();
}
