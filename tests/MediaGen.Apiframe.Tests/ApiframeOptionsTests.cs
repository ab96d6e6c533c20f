using MediaGen.Apiframe.Tests.TestSupport;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace MediaGen.Apiframe.Tests;

public sealed class ApiframeOptionsTests
{
    [Fact]
    public void Defaults_AreTheDocumentedBaseAddressAndSafeRetries()
    {
        var options = new ApiframeOptions();

        Assert.Equal(new Uri("https://api.apiframe.ai/"), options.BaseAddress);
        Assert.Equal(3, new MediaGen.Http.MediaGenHttpOptions().MaxSubmitAttempts); // submit retries are the shared pipeline's now
        Assert.True(options.LimitConcurrency);
        Assert.Null(options.MaxConcurrentJobs);
    }

    [Fact]
    public void ToString_NeverShowsTheKey()
    {
        var text = new ApiframeOptions { ApiKey = "afk_secret_value" }.ToString();

        Assert.DoesNotContain("afk_secret_value", text, StringComparison.Ordinal);
        Assert.Contains("***", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Create_InvalidOptions_ThrowsNamingEveryConfigurationKey()
    {
        var ex = Assert.Throws<ArgumentException>(() => ApiframeProvider.Create(new ApiframeOptions
        {
            ApiKey = "legacy_key",
            BaseAddress = new Uri("http://api.example.com/"),
            MaxConcurrentJobs = 0,
        }));

        Assert.Contains("MediaGen:Apiframe:ApiKey must start with 'afk_'", ex.Message, StringComparison.Ordinal);
        Assert.Contains("MediaGen:Apiframe:BaseAddress", ex.Message, StringComparison.Ordinal);
        Assert.Contains("MediaGen:Apiframe:MaxConcurrentJobs", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("legacy_key", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Create_Metadata_DedupesAndPushesWebhooksInApiframeCredits()
    {
        var metadata = ApiframeProvider.Create(Af.Options()).GetMetadata();

        Assert.Equal("apiframe", metadata.Name);
        Assert.True(metadata.DedupesByIdempotencyKey);
        Assert.True(metadata.PushesWebhooks);
        Assert.Equal(MoneyUnit.Credits("apiframe"), metadata.BillingUnit);
        Assert.Equal(TimeSpan.FromSeconds(3), metadata.RecommendedPollInterval);
    }

    [Fact]
    public async Task GetModelsAsync_ListsEveryDocumentedImageModelAndTheVideoModels()
    {
        var models = await ApiframeProvider.Create(Af.Options()).GetModelsAsync();

        Assert.Equal(40, models.Count(m => m.Kind == MediaKind.Image));
        Assert.Contains(models, m => m.Id == "kling-3.0" && m.Kind == MediaKind.Video && m.MaxPromptLength == 4000 && m.Durations!.Accepts(15));
        var midjourney = models.Single(m => m.Id == "midjourney");
        Assert.Equal(4, midjourney.OutputsPerJob);
        Assert.Equal(2000, midjourney.MaxPromptLength);
    }

    [Fact]
    public void AddApiframe_FromConfiguration_ResolvesKeyedProviderClientAndReceiver()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["MediaGen:Apiframe:ApiKey"] = Af.Key,
            ["MediaGen:Apiframe:BaseAddress"] = "http://127.0.0.1:5999/",
            ["MediaGen:Apiframe:MaxConcurrentJobs"] = "3",
            ["MediaGen:Apiframe:PriceOverrides:flux-2-pro"] = "6",
        }).Build();
        var services = new ServiceCollection();
        services.AddMediaGen().AddApiframe(configuration.GetSection("MediaGen:Apiframe"));
        using var provider = services.BuildServiceProvider();

        var generator = provider.GetRequiredKeyedService<IMediaGenerator>("apiframe");

        Assert.Equal(new Uri("http://127.0.0.1:5999/"), generator.GetMetadata().Endpoint);
        Assert.Equal(3, generator.GetService<ApiframeOptions>()!.MaxConcurrentJobs);
        Assert.NotNull(generator.GetService<ApiframeClient>());
        Assert.NotNull(provider.GetRequiredService<ApiframeWebhookReceiver>());
    }

    [Fact]
    public void AddApiframe_MissingKeyAndUnreadableNumber_FailsNamingTheKeys()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["MediaGen:Apiframe:MaxConcurrentJobs"] = "many",
        }).Build();
        var services = new ServiceCollection();
        services.AddMediaGen().AddApiframe(configuration.GetSection("MediaGen:Apiframe"));
        using var provider = services.BuildServiceProvider();

        var ex = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<ApiframeOptions>>().Value);

        Assert.Contains(ex.Failures, f => f.StartsWith("MediaGen:Apiframe:ApiKey is required", StringComparison.Ordinal));
        Assert.Contains(ex.Failures, f => f.StartsWith("MediaGen:Apiframe:MaxConcurrentJobs must be a whole number", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("MaxSubmitAttempts", "1")]
    [InlineData("SubmitRetryBaseDelay", "00:00:03")]
    [InlineData("SubmitRetryMaxDelay", "00:01:00")]
    public void AddApiframe_RemovedRetrySetting_FailsAtStartNamingWhereTheCapLivesNow(string key, string value)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["MediaGen:Apiframe:ApiKey"] = Af.Key,
            [$"MediaGen:Apiframe:{key}"] = value,
        }).Build();
        var services = new ServiceCollection();
        services.AddMediaGen().AddApiframe(configuration.GetSection("MediaGen:Apiframe"));
        using var provider = services.BuildServiceProvider();

        var ex = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<ApiframeOptions>>().Value);

        var failure = Assert.Single(ex.Failures);
        Assert.StartsWith($"MediaGen:Apiframe:{key} is no longer read", failure, StringComparison.Ordinal);
        Assert.Contains("MediaGen:Apiframe:Http:MaxSubmitAttempts", failure, StringComparison.Ordinal);
    }

    [Fact]
    public async Task QuoteAsync_PriceOverride_UsedForUndocumentedModel()
    {
        var generator = ApiframeProvider.Create(Af.Options(configure: o => o.PriceOverrides["flux-2-pro"] = 6));

        var quote = (await generator.QuoteAsync(Af.Request("flux-2-pro"))).GetValueOrThrow();

        Assert.Equal(Money.Credits(6, "apiframe"), quote.Price.Amount);
        Assert.Equal(PriceSource.Override, quote.Price.Source);
    }

    [Fact]
    public void AddApiframe_UnreadablePriceOverride_FailsAtStartNamingItsKeyAndKeepsTheOthers()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["MediaGen:Apiframe:ApiKey"] = Af.Key,
            ["MediaGen:Apiframe:PriceOverrides:flux-2-pro"] = "six",
            ["MediaGen:Apiframe:PriceOverrides:midjourney"] = "-4",
        }).Build();
        var services = new ServiceCollection();
        services.AddMediaGen().AddApiframe(configuration.GetSection("MediaGen:Apiframe"));
        using var provider = services.BuildServiceProvider();

        var ex = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<ApiframeOptions>>().Value);

        Assert.Equal(
            [
                "MediaGen:Apiframe:PriceOverrides:flux-2-pro must be a flat price per generation (a number of credits) or a section with Price, Per, ResolutionMultipliers, Rates, MinimumBillableSeconds; got 'six'.",
                "MediaGen:Apiframe:PriceOverrides:midjourney:Price must not be negative; got -4.",
            ],
            ex.Failures);
    }
}
