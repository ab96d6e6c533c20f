using System.Threading.RateLimiting;
using MediaGen.MeiGen.Tests.TestSupport;
using MediaGen.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace MediaGen.MeiGen.Tests;

/// <summary>The public surface: options, factory, DI, metadata and the injectable rate limiter.</summary>
public sealed class MeiGenOptionsTests
{
    [Fact]
    public void ToString_Options_NeverShowsTheKey()
    {
        var options = new MeiGenOptions { ApiKey = Clients.ApiKey };

        Assert.DoesNotContain(Clients.ApiKey, options.ToString(), StringComparison.Ordinal);
        Assert.Contains("hidden", options.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Create_MissingOrForeignKey_ThrowsNamingTheSettingWithoutTheValue()
    {
        var missing = Assert.Throws<ArgumentException>(() => MeiGenProvider.Create(new MeiGenOptions()));
        var foreign = Assert.Throws<ArgumentException>(() => MeiGenProvider.Create(new MeiGenOptions { ApiKey = "sk-live-secret-value" }));
        var http = Assert.Throws<ArgumentException>(() => MeiGenProvider.Create(new MeiGenOptions { ApiKey = Clients.ApiKey, BaseAddress = new Uri("http://meigen.example/api") }));

        Assert.Contains("ApiKey", missing.Message, StringComparison.Ordinal);
        Assert.Contains("meigen_sk_", foreign.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("sk-live-secret-value", foreign.Message, StringComparison.Ordinal);
        Assert.Contains("BaseAddress", http.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Create_WithoutHttpClient_UsesTheSharedResiliencePipeline()
    {
        // Audit minor: without a client the provider used a bare HttpClient, so a short 429 was not retried and GETs
        // had no retries or attempt timeouts. Now it has the pipeline DI gives it, on the provider's clock.
        await using var meigen = await EmulatedMeiGen.StartAsync();
        meigen.Host.Faults.On(HttpMethod.Post, "/api/generate/v2").Once()
            .RespondWith(429, """{"error":"Too many requests"}""", new Dictionary<string, string> { ["Retry-After"] = "2" });
        var client = MeiGenProvider.Create(
            new MeiGenOptions { ApiKey = Clients.ApiKey, BaseAddress = meigen.ProviderBaseAddress, RequestsPerMinute = 0 },
            httpClient: null,
            timeProvider: meigen.Time);

        var job = (await meigen.Time.DriveAsync(client.SubmitAsync(Clients.Request("nanobanana-2")), TimeSpan.FromMinutes(1))).GetValueOrThrow();

        Assert.Equal(2, meigen.Submits.Count);
        Assert.Equal(1, meigen.Host.Ledger.ChargedJobCount);
        Assert.False(string.IsNullOrEmpty(job.Handle.VendorJobId));
        (client as IDisposable)?.Dispose();
    }

    [Fact]
    public void Metadata_DescribesMeiGen()
    {
        var client = Clients.WithStub(new StubHttpHandler());

        Assert.Equal("meigen", client.GetMetadata().Name);
        Assert.Equal(MoneyUnit.Credits("meigen"), client.GetMetadata().BillingUnit);
        Assert.True(client.GetMetadata().DedupesByIdempotencyKey);
        Assert.False(client.GetMetadata().PushesWebhooks);
        Assert.Equal(TimeSpan.FromSeconds(3), client.GetMetadata().RecommendedPollInterval);
        Assert.Equal(new Uri("https://www.meigen.ai/api/"), new MeiGenOptions().BaseAddress);
    }

    [Fact]
    public async Task SubmitAsync_InjectedLimiterRefuses_IsRateLimitedWithItsRetryAfterAndNoCall()
    {
        var stub = new StubHttpHandler();
        using var limiter = new RefusingLimiter(TimeSpan.FromSeconds(42));
        var client = Clients.WithStub(stub, configure: o => o.RateLimiter = limiter);

        var result = await client.SubmitAsync(Clients.Request("nanobanana-2"));

        var error = Assert.IsType<RateLimitedError>(result.Error);
        Assert.Equal(TimeSpan.FromSeconds(42), error.RetryAfter);
        Assert.True(error.RejectedBeforeBilling);
        Assert.Empty(stub.Requests);
    }

    [Fact]
    public async Task SubmitAsync_LimiterSharedByTwoProviders_CountsBoth()
    {
        using var shared = new FixedWindowRateLimiter(new FixedWindowRateLimiterOptions { PermitLimit = 1, Window = TimeSpan.FromHours(1), QueueLimit = 0, AutoReplenishment = false });
        var first = Clients.WithStub(new StubHttpHandler().Always(HttpMethod.Post, "/api/generate/v2", 200, MeiGenDocs.SubmitResponse), configure: o => o.RateLimiter = shared);
        var secondStub = new StubHttpHandler();
        var second = Clients.WithStub(secondStub, configure: o => o.RateLimiter = shared);

        Assert.True((await first.SubmitAsync(Clients.Request("nanobanana-2"))).IsSuccess);
        var refused = await second.SubmitAsync(Clients.Request("nanobanana-2"));

        Assert.IsType<RateLimitedError>(refused.Error);
        Assert.Empty(secondStub.Requests);
    }

    [Fact]
    public async Task AddMeiGen_FromConfiguration_ResolvesTheKeyedProvider()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["MediaGen:MeiGen:ApiKey"] = Clients.ApiKey,
            ["MediaGen:MeiGen:RequestsPerMinute"] = "6",
        }).Build();
        var services = new ServiceCollection();
        services.AddMediaGen().AddMeiGen(configuration.GetSection("MediaGen:MeiGen"));
        await using var provider = services.BuildServiceProvider();

        var generator = provider.GetRequiredKeyedService<IMediaGenerator>("meigen");

        Assert.Equal("meigen", generator.GetMetadata().Name);
        Assert.Equal(6, generator.GetService<MeiGenOptions>()!.RequestsPerMinute);
        Assert.Contains(provider.GetServices<IMediaGeneratorRegistration>(), r => r.Name == "meigen");
    }

    [Fact]
    public async Task AddMeiGen_InvalidConfiguration_FailsNamingTheConfigurationKeys()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["MediaGen:MeiGen:RequestsPerMinute"] = "many",
        }).Build();
        var services = new ServiceCollection();
        services.AddMediaGen().AddMeiGen(configuration.GetSection("MediaGen:MeiGen"));
        await using var provider = services.BuildServiceProvider();

        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<MeiGenOptions>>().Value);

        Assert.Contains(error.Failures, f => f.StartsWith("MediaGen:MeiGen:ApiKey", StringComparison.Ordinal));
        Assert.Contains(error.Failures, f => f.StartsWith("MediaGen:MeiGen:RequestsPerMinute", StringComparison.Ordinal));
    }

    [Fact]
    public async Task AddMeiGen_WithDelegate_UsesTheNamedHttpClient()
    {
        var services = new ServiceCollection();
        var stub = new StubHttpHandler();
        services.AddMediaGen().AddMeiGen(o =>
        {
            o.ApiKey = Clients.ApiKey;
            o.BaseAddress = Clients.StubBase;
            o.UseLiveCatalog = false;
        });
        services.AddHttpClient(MediaGenBuilder.HttpClientName("meigen")).ConfigurePrimaryHttpMessageHandler(() => stub);
        await using var provider = services.BuildServiceProvider();
        stub.On(HttpMethod.Post, "/api/generate/v2", 200, MeiGenDocs.SubmitResponse);

        var job = await provider.GetRequiredKeyedService<IMediaGenerator>("meigen").SubmitAsync(Clients.Request("nanobanana-2"));

        Assert.True(job.IsSuccess);
        Assert.Single(stub.Posts);
    }

    private sealed class RefusingLimiter(TimeSpan retryAfter) : RateLimiter
    {
        public override TimeSpan? IdleDuration => null;

        public override RateLimiterStatistics? GetStatistics() => null;

        protected override RateLimitLease AttemptAcquireCore(int permitCount) => new Refused(retryAfter);

        protected override ValueTask<RateLimitLease> AcquireAsyncCore(int permitCount, CancellationToken cancellationToken) => new(new Refused(retryAfter));

        private sealed class Refused(TimeSpan retryAfter) : RateLimitLease
        {
            public override bool IsAcquired => false;

            public override IEnumerable<string> MetadataNames => [MetadataName.RetryAfter.Name];

            public override bool TryGetMetadata(string metadataName, out object? metadata)
            {
                metadata = retryAfter;
                return metadataName == MetadataName.RetryAfter.Name;
            }
        }
    }
}
