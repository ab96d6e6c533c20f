using MediaGen.Testing;
using MediaGen.Testing.Emulators;
using MediaGen.VeoGen.Tests.TestSupport;

namespace MediaGen.VeoGen.Tests;

/// <summary>Creating the provider, its metadata and services, keys kept secret, and waiting on the emulator.</summary>
public sealed class VeoGenProviderTests
{
    [Fact]
    public void Create_WithoutApiKey_ThrowsNamingTheKey()
    {
        var ex = Assert.Throws<ArgumentException>(() => VeoGenProvider.Create(new VeoGenOptions()));

        Assert.Contains("MediaGen:VeoGen:ApiKey is required", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Create_InvalidSettings_NamesEveryBadKey()
    {
        var options = new VeoGenOptions { ApiKey = "k", RequestsPerMinute = 0, ReconciliationPageSize = 101, BaseAddress = new Uri("/relative", UriKind.Relative) };

        var ex = Assert.Throws<ArgumentException>(() => VeoGenProvider.Create(options));

        Assert.Contains("MediaGen:VeoGen:RequestsPerMinute", ex.Message, StringComparison.Ordinal);
        Assert.Contains("MediaGen:VeoGen:ReconciliationPageSize", ex.Message, StringComparison.Ordinal);
        Assert.Contains("MediaGen:VeoGen:BaseAddress", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Options_ToString_NeverShowsTheKey()
    {
        var options = new VeoGenOptions { ApiKey = "sk-secret-token" };

        Assert.DoesNotContain("sk-secret-token", options.ToString(), StringComparison.Ordinal);
        Assert.Contains("***", options.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Options_Defaults_AreTheDocumentedOnes()
    {
        var options = new VeoGenOptions();

        Assert.Equal("https://veogen.studio/api/v1/", options.BaseAddress.AbsoluteUri);
        Assert.Equal(120, options.RequestsPerMinute);
    }

    [Fact]
    public void Metadata_DescribesAUsdVendorWithoutIdempotencyOrWebhooks()
    {
        var metadata = Stubbed.Create(new StubHttpHandler()).GetMetadata();

        Assert.Equal("veogen", metadata.Name);
        Assert.Equal(MoneyUnit.Usd, metadata.BillingUnit);
        Assert.False(metadata.DedupesByIdempotencyKey);
        Assert.False(metadata.PushesWebhooks);
        Assert.Equal("https://veogen.studio/api/v1/", metadata.Endpoint!.AbsoluteUri);
    }

    [Fact]
    public void GetService_ReturnsTheClientItselfAndACopyOfTheOptions()
    {
        var veogen = Stubbed.Create(new StubHttpHandler());

        Assert.NotNull(veogen.GetService<VeoGenClient>());
        Assert.Same(veogen, veogen.GetService<IMediaGenerator>());
        Assert.Same(veogen, veogen.GetService<IMediaGenerator>("veogen"));
        Assert.Null(veogen.GetService<IMediaGenerator>("meigen"));
        Assert.Equal("sk-secret-token", veogen.GetService<VeoGenOptions>()!.ApiKey);
    }

    [Fact]
    public async Task Create_OptionsChangedAfterwards_HaveNoEffect()
    {
        var handler = new StubHttpHandler().Enqueue(200, VeoGenDocs.Balance);
        var options = new VeoGenOptions { ApiKey = "first" };
        var veogen = VeoGenProvider.Create(options, new HttpClient(handler));
        options.ApiKey = "second";

        await veogen.GetService<VeoGenClient>()!.GetBalanceAsync();

        Assert.Equal("Bearer first", Assert.Single(handler.Requests).Authorization);
    }

    [Fact]
    public async Task GetModelsAsync_ListsEveryDocumentedSlug()
    {
        var models = await Stubbed.Create(new StubHttpHandler()).GetModelsAsync();

        Assert.Equal(
            ["grok-video-1", "veo-3.1-fast", "sora-2", "sora-2-pro", "seedance-2.0", "seedance-2.0-fast", "omni-flash-ext", "gpt-4o-image", "seedream-4.5", "seedream-5.0-lite", "nano-banana-pro", "nano-banana-2"],
            models.Select(m => m.Id.Value));
        Assert.All(models, m => Assert.Equal(2000, m.MaxPromptLength));
        Assert.All(models, m => Assert.Equal(14, m.MaxReferenceImages));
    }

    [Fact]
    public async Task Errors_NeverContainTheKey()
    {
        var handler = new StubHttpHandler()
            .Enqueue(401, "{\"message\":\"Unauthenticated.\"}")
            .Throw(new HttpRequestException("boom"))
            .Enqueue(200, "{\"data\":[]}");
        var veogen = Stubbed.Create(handler);

        var unauthorized = await veogen.GetJobAsync(new JobHandle("veogen", "x"));
        var unknown = await veogen.SubmitAsync(new GenerationRequest("gpt-4o-image", "A cat"));

        Assert.DoesNotContain("sk-secret-token", unauthorized.Error!.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("sk-secret-token", unknown.Error!.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task GenerateAsync_OnTheEmulator_WaitsToASucceededVideoWithTheCharge()
    {
        await using var env = await VeoGenTestEnvironment.StartAsync();
        env.Host.Jobs.Default = JobScript.CompleteAfter(TimeSpan.FromSeconds(45));

        var result = await env.Time.DriveAsync(env.Generator.GenerateAsync(
            new GenerationRequest("veo-3.1-fast", "A red fox") { Resolution = "4k" },
            new WaitOptions { TimeProvider = env.Time }));

        var job = result.GetValueOrThrow();
        Assert.Equal(GenerationStatus.Succeeded, job.Status);
        Assert.Equal(Money.Usd(0.90m), job.Quote!.Amount);
        var output = Assert.Single(job.Outputs);
        Assert.Equal("video/mp4", output.ContentType);
        Assert.Equal(0.90m, env.Host.Ledger.TotalCharged(VeoGenEmulator.Unit));
        Assert.Single(env.Submits);
        var bytes = await env.Http.GetByteArrayAsync(output.Url);
        Assert.NotEmpty(bytes);
    }

    [Fact]
    public async Task GenerateAsync_FailedJob_IsNotChargedAndCarriesTheVendorError()
    {
        await using var env = await VeoGenTestEnvironment.StartAsync();
        env.Host.Ledger.SetBalance(VeoGenEmulator.Unit, 1m);
        env.Host.Jobs.EnqueueNext(JobScript.Fail(JobFailureKind.ContentPolicy, "Prompt rejected by content policy."));

        var job = (await env.Time.DriveAsync(env.Generator.GenerateAsync(new GenerationRequest("gpt-4o-image", "Something"), new WaitOptions { TimeProvider = env.Time }))).GetValueOrThrow();

        Assert.Equal(GenerationStatus.Failed, job.Status);
        Assert.Equal("Prompt rejected by content policy.", job.Failure!.Message);
        Assert.Equal(FailureReason.ContentPolicy, job.Failure.Reason);
        Assert.Equal(Money.Usd(0m), job.Charge);
        Assert.Equal(1m, env.Host.Ledger.GetBalance(VeoGenEmulator.Unit));
        Assert.Equal(0, env.Host.Ledger.ChargedJobCount);
    }

    [Fact]
    public async Task SubmitAsync_BalanceTooLowOnTheEmulator_IsInsufficientFundsWithExactAmounts()
    {
        await using var env = await VeoGenTestEnvironment.StartAsync();
        env.Host.Ledger.SetBalance(VeoGenEmulator.Unit, 0.05m);

        var error = Assert.IsType<InsufficientFundsError>((await env.Generator.SubmitAsync(new GenerationRequest("veo-3.1-fast", "A red fox"))).Error);

        Assert.Equal(Money.Usd(0.30m), error.Required);
        Assert.Equal(Money.Usd(0.05m), error.Balance);
        Assert.Equal(0, env.Host.Ledger.ChargedJobCount);
    }

    [Fact]
    public async Task SubmitAsync_EmulatorPriceForEachDocumentedRule_MatchesTheQuote()
    {
        await using var env = await VeoGenTestEnvironment.StartAsync();
        var seedanceRef = new GenerationRequest("seedance-2.0", "A") { Resolution = "480p", DurationSeconds = 5 };
        seedanceRef.ReferenceVideos.Add(new ReferenceVideo(new Uri("https://example.com/r.mp4")));
        GenerationRequest[] requests =
        [
            new("seedance-2.0", "B") { Resolution = "720p", DurationSeconds = 5 },
            seedanceRef,
            new("seedance-2.0-fast", "C") { Resolution = "720p", DurationSeconds = 7 },
            new("veo-3.1-fast", "D") { Resolution = "4k" },
            new("grok-video-1", "E") { DurationSeconds = 12 },
            new("gpt-4o-image", "F"),
        ];

        foreach (var request in requests)
        {
            var job = (await env.Generator.SubmitAsync(request)).GetValueOrThrow();
            Assert.Equal(job.Quote!.Amount, job.Charge);
        }
    }
}
