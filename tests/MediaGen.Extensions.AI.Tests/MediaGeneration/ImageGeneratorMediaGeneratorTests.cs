using System.Drawing;
using System.Net;
using System.Text.Json.Nodes;
using MediaGen.Extensions.AI.Tests.TestDoubles;
using MediaGen.Testing;
using Microsoft.Extensions.AI;

namespace MediaGen.Extensions.AI.Tests.MediaGeneration;

public sealed class ImageGeneratorMediaGeneratorTests : IDisposable
{
    private static readonly ModelCapabilities Model = new()
    {
        Id = "gpt-image-1",
        Kind = MediaKind.Image,
        Resolutions = [Resolution.OneK, Resolution.TwoK],
        DefaultResolution = Resolution.OneK,
        SupportsAutoAspectRatio = true,
        SupportsAdaptiveAspectRatio = true,
        Tiers = [GenerationTier.Fast, GenerationTier.Pro],
        MaxCount = 4,
        MaxReferenceImages = 4,
        SupportsSeed = true,
    };

    private readonly FakeClock _clock = new();
    private readonly TestImageGenerator _inner = new();

    [Fact]
    public async Task SubmitAsync_Request_ArrivesAsMeaiRequestAndOptions()
    {
        var provider = CreateProvider();
        var request = new GenerationRequest("gpt-image-1", "a lighthouse at dusk")
        {
            AspectRatio = AspectRatio.Landscape16x9,
            Resolution = Resolution.TwoK,
            Count = 2,
            ReferenceImages = [new Uri("https://cdn.example/ref.png")],
            ProviderOptions = { ["openai"] = new JsonObject { ["user"] = "u-1" }, ["meigen"] = new JsonObject { ["x"] = 1 } },
        };

        var job = (await provider.SubmitAsync(request)).GetValueOrThrow();

        var (sent, options) = Assert.Single(_inner.Calls);
        Assert.Equal("a lighthouse at dusk", sent.Prompt);
        var original = Assert.IsType<UriContent>(Assert.Single(sent.OriginalImages!));
        Assert.Equal(new Uri("https://cdn.example/ref.png"), original.Uri);
        Assert.Equal("image/png", original.MediaType);
        Assert.NotNull(options);
        Assert.Equal("gpt-image-1", options.ModelId);
        Assert.Equal(2, options.Count);
        Assert.Equal(new Size(2048, 1152), options.ImageSize);
        Assert.Equal(ImageGenerationResponseFormat.Uri, options.ResponseFormat);
        Assert.Equal("u-1", Assert.IsAssignableFrom<JsonNode>(options.AdditionalProperties!["user"]).GetValue<string>());
        Assert.False(options.AdditionalProperties.ContainsKey("x"));
        Assert.Equal(GenerationStatus.Succeeded, job.Status);
    }

    [Fact]
    public async Task SubmitAsync_GeneratorReturnsImages_JobAlreadySucceededWithOutputs()
    {
        _inner.GenerateCallback = (_, _, _) => Task.FromResult(new ImageGenerationResponse([
            new UriContent(new Uri("https://images.invalid/a.png"), "image/png"),
            new TextContent("revised prompt"),
            new UriContent(new Uri("https://images.invalid/b.webp"), "image/webp"),
        ]));
        var provider = CreateProvider();

        var job = (await provider.SubmitAsync(new GenerationRequest("gpt-image-1", "a cat"))).GetValueOrThrow();

        Assert.True(job.IsTerminal);
        Assert.Equal(GenerationStatus.Succeeded, job.Status);
        Assert.Equal("openai", job.Handle.Provider);
        Assert.Equal(new ModelId("gpt-image-1"), job.Handle.Model);
        Assert.Equal(_clock.GetUtcNow(), job.Handle.SubmittedAt);
        Assert.Equal(_clock.GetUtcNow(), job.CompletedAt);
        Assert.Collection(
            job.Outputs,
            o => Assert.Equal(new GenerationOutput(new Uri("https://images.invalid/a.png"), MediaKind.Image, "image/png"), o),
            o => Assert.Equal(new GenerationOutput(new Uri("https://images.invalid/b.webp"), MediaKind.Image, "image/webp"), o));
        Assert.Null(job.Charge);
        Assert.IsType<ImageGenerationResponse>(job.RawRepresentation);
    }

    [Fact]
    public async Task GetJobAsync_SubmittedHandle_ReturnsTheJob()
    {
        var provider = CreateProvider();
        var job = (await provider.SubmitAsync(new GenerationRequest("gpt-image-1", "a cat"))).GetValueOrThrow();

        var again = (await provider.GetJobAsync(JobHandle.Parse(job.Handle.ToString()))).GetValueOrThrow();

        Assert.Same(job, again);
    }

    [Fact]
    public async Task GetJobAsync_UnknownHandle_ReturnsNotFound()
    {
        var provider = CreateProvider();

        var result = await provider.GetJobAsync(new JobHandle("openai", "nope"));

        Assert.IsType<NotFoundError>(result.Error);
        Assert.Equal("openai", result.Error!.Provider);
    }

    [Fact]
    public async Task GetJobAsync_EvictedBeyondRetention_ReturnsNotFound()
    {
        var provider = CreateProvider(new ImageGeneratorProviderOptions { MaxRetainedJobs = 1 });
        var first = (await provider.SubmitAsync(new GenerationRequest("gpt-image-1", "one"))).GetValueOrThrow();
        var second = (await provider.SubmitAsync(new GenerationRequest("gpt-image-1", "two"))).GetValueOrThrow();

        Assert.IsType<NotFoundError>((await provider.GetJobAsync(first.Handle)).Error);
        Assert.Same(second, (await provider.GetJobAsync(second.Handle)).Value);
    }

    [Fact]
    public async Task SubmitAsync_SettingsMeaiLacks_DroppedOnTheReport()
    {
        var provider = CreateProvider();
        var request = new GenerationRequest("gpt-image-1", "a cat") { Seed = 42, Tier = GenerationTier.Pro, AspectRatio = AspectRatio.Adaptive, ReferenceImages = [new Uri("https://cdn.example/r.png")] };

        var job = (await provider.SubmitAsync(request)).GetValueOrThrow();

        var dropped = job.Translation!.Entries.Where(e => e.Action == TranslationAction.Dropped).Select(e => e.Field).ToList();
        Assert.Equal(["AspectRatio", "Seed", "Tier"], dropped.Order());
        Assert.Null(Assert.Single(_inner.Calls).Options!.AdditionalProperties);
    }

    [Fact]
    public async Task SubmitAsync_CarryUnmappedSettings_SendsMediaGenAdditionalPropertiesAndReportsThem()
    {
        var provider = CreateProvider(new ImageGeneratorProviderOptions { CarryUnmappedSettings = true });
        var request = new GenerationRequest("gpt-image-1", "a cat") { Seed = 42, Tier = GenerationTier.Pro, IdempotencyKey = "key-1" };

        var job = (await provider.SubmitAsync(request)).GetValueOrThrow();

        var properties = Assert.Single(_inner.Calls).Options!.AdditionalProperties!;
        Assert.Equal(42L, properties[MediaGenAdditionalProperties.Seed]);
        Assert.Equal("pro", properties[MediaGenAdditionalProperties.Tier]);
        Assert.Equal("key-1", properties[MediaGenAdditionalProperties.IdempotencyKey]);
        var seed = Assert.Single(job.Translation!.Entries, e => e.Field == "Seed");
        Assert.Equal(TranslationAction.Adjusted, seed.Action);
        Assert.Equal("AdditionalProperties[mediagen.seed]", seed.To);
    }

    [Fact]
    public async Task SubmitAsync_StrictWithDroppedSetting_RefusedWithoutCallingGenerator()
    {
        var provider = CreateProvider();

        var result = await provider.SubmitAsync(new GenerationRequest("gpt-image-1", "a cat") { Seed = 1, Strict = true });

        var error = Assert.IsType<InvalidRequestError>(result.Error);
        Assert.Equal("Seed", Assert.Single(error.Errors).Field);
        Assert.Empty(_inner.Calls);
    }

    [Fact]
    public async Task SubmitAsync_UnknownModel_InvalidRequestWithoutCallingGenerator()
    {
        var provider = CreateProvider();

        var result = await provider.SubmitAsync(new GenerationRequest("dall-e-2", "a cat"));

        Assert.Equal("Model", Assert.Single(Assert.IsType<InvalidRequestError>(result.Error).Errors).Field);
        Assert.Empty(_inner.Calls);
    }

    [Fact]
    public async Task QuoteAsync_NoPriceFunction_PriceUnknown()
    {
        var provider = CreateProvider();

        var quote = (await provider.QuoteAsync(new GenerationRequest("gpt-image-1", "a cat"))).GetValueOrThrow();

        Assert.False(quote.Price.IsKnown);
        Assert.Equal(PriceSource.Unknown, quote.Price.Source);
        Assert.Empty(_inner.Calls);
    }

    [Fact]
    public async Task QuoteAsync_PriceFunction_UsedForQuoteAndJob()
    {
        var provider = CreateProvider(new ImageGeneratorProviderOptions
        {
            Price = (request, model) => PriceCalculator.PerImage(Money.Usd(0.04m), request.Count ?? 1, new PriceProvenance(PriceSource.Override, null, "test")),
        });
        var request = new GenerationRequest("gpt-image-1", "a cat") { Count = 3 };

        var quote = (await provider.QuoteAsync(request)).GetValueOrThrow();
        var job = (await provider.SubmitAsync(request)).GetValueOrThrow();

        Assert.Equal(Money.Usd(0.12m), quote.Price.Amount);
        Assert.Equal(Money.Usd(0.12m), job.Quote?.Amount);
    }

    [Theory]
    [InlineData(HttpStatusCode.TooManyRequests, ErrorKind.RateLimited, true)]
    [InlineData(HttpStatusCode.PaymentRequired, ErrorKind.InsufficientFunds, true)]
    [InlineData(HttpStatusCode.Unauthorized, ErrorKind.Unauthorized, true)]
    [InlineData(HttpStatusCode.BadRequest, ErrorKind.InvalidRequest, true)]
    [InlineData(HttpStatusCode.ServiceUnavailable, ErrorKind.ProviderUnavailable, true)]
    [InlineData(HttpStatusCode.GatewayTimeout, ErrorKind.OutcomeUnknown, false)]
    public async Task SubmitAsync_GeneratorThrowsHttpStatus_TypedError(HttpStatusCode status, ErrorKind kind, bool rejectedBeforeBilling)
    {
        _inner.GenerateCallback = (_, _, _) => throw new HttpRequestException("vendor said no", null, status);
        var provider = CreateProvider();

        var error = (await provider.SubmitAsync(new GenerationRequest("gpt-image-1", "a cat"))).Error;

        Assert.NotNull(error);
        Assert.Equal(kind, error.Kind);
        Assert.Equal(rejectedBeforeBilling, error.RejectedBeforeBilling);
        Assert.Equal((int)status, error.StatusCode);
        Assert.Equal("openai", error.Provider);
    }

    [Fact]
    public async Task SubmitAsync_ConnectionDroppedMidCall_OutcomeUnknownWithKey()
    {
        _inner.GenerateCallback = (_, _, _) => throw new HttpRequestException(HttpRequestError.ResponseEnded, "response ended");
        var provider = CreateProvider();

        var error = (await provider.SubmitAsync(new GenerationRequest("gpt-image-1", "a cat") { IdempotencyKey = "key-9" })).Error;

        var unknown = Assert.IsType<OutcomeUnknownError>(error);
        Assert.Equal("key-9", unknown.IdempotencyKey);
    }

    [Fact]
    public async Task SubmitAsync_CannotConnect_UnavailableBeforeBilling()
    {
        _inner.GenerateCallback = (_, _, _) => throw new HttpRequestException(HttpRequestError.ConnectionError, "refused");
        var provider = CreateProvider();

        var error = (await provider.SubmitAsync(new GenerationRequest("gpt-image-1", "a cat"))).Error;

        Assert.IsType<ProviderUnavailableError>(error);
        Assert.True(error.RejectedBeforeBilling);
    }

    [Fact]
    public async Task SubmitAsync_CallerCancels_Throws()
    {
        var provider = CreateProvider();
        using var cts = new CancellationTokenSource();
        _inner.GenerateCallback = async (_, _, _) =>
        {
            await cts.CancelAsync();
            cts.Token.ThrowIfCancellationRequested();
            return new ImageGenerationResponse();
        };

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => provider.SubmitAsync(new GenerationRequest("gpt-image-1", "a cat"), cts.Token));
    }

    [Fact]
    public async Task SubmitAsync_UnexpectedException_Propagates()
    {
        _inner.GenerateCallback = (_, _, _) => throw new InvalidOperationException("bug");
        var provider = CreateProvider();

        await Assert.ThrowsAsync<InvalidOperationException>(() => provider.SubmitAsync(new GenerationRequest("gpt-image-1", "a cat")));
    }

    [Fact]
    public async Task SubmitAsync_NoUsableImage_JobFailedNamingWhatCameBack()
    {
        _inner.GenerateCallback = (_, _, _) => Task.FromResult(new ImageGenerationResponse([new HostedFileContent("file-1")]));
        var provider = CreateProvider();

        var job = (await provider.SubmitAsync(new GenerationRequest("gpt-image-1", "a cat"))).GetValueOrThrow();

        Assert.Equal(GenerationStatus.Failed, job.Status);
        Assert.Equal(FailureReason.ProviderError, job.Failure?.Reason);
        Assert.Contains("HostedFileContent", job.Failure!.Message, StringComparison.Ordinal);
        Assert.Throws<GenerationFailedException>(() => job.EnsureSucceeded());
    }

    [Fact]
    public async Task SubmitAsync_DataContentWithoutStore_OutputIsDataUri()
    {
        var bytes = new byte[300_000];
        Random.Shared.NextBytes(bytes);
        _inner.GenerateCallback = (_, _, _) => Task.FromResult(new ImageGenerationResponse([new DataContent(bytes, "image/png")]));
        var provider = CreateProvider();

        var job = (await provider.SubmitAsync(new GenerationRequest("gpt-image-1", "a cat"))).GetValueOrThrow();

        var output = Assert.Single(job.Outputs);
        Assert.Equal("data", output.Url.Scheme);
        Assert.Equal("image/png", output.ContentType);
        Assert.Equal(bytes, new DataContent(output.Url).Data.ToArray());
    }

    [Fact]
    public async Task SubmitAsync_DataContentWithStore_OutputIsStoredUrl()
    {
        _inner.GenerateCallback = (_, _, _) => Task.FromResult(new ImageGenerationResponse([new DataContent(new byte[] { 1, 2 }, "image/jpeg")]));
        var stored = new List<DataContent>();
        var provider = CreateProvider(new ImageGeneratorProviderOptions
        {
            StoreData = (data, _) =>
            {
                stored.Add(data);
                return ValueTask.FromResult(new Uri("https://blob.example/1.jpg"));
            },
        });

        var job = (await provider.SubmitAsync(new GenerationRequest("gpt-image-1", "a cat"))).GetValueOrThrow();

        Assert.Equal(new GenerationOutput(new Uri("https://blob.example/1.jpg"), MediaKind.Image, "image/jpeg"), Assert.Single(job.Outputs));
        Assert.Single(stored);
    }

    [Fact]
    public async Task SubmitAsync_SameIdempotencyKeyAgain_ReturnsSameJobWithoutGeneratingAgain()
    {
        var provider = CreateProvider();
        var request = new GenerationRequest("gpt-image-1", "a cat") { IdempotencyKey = "once" };

        var first = (await provider.SubmitAsync(request)).GetValueOrThrow();
        var second = (await provider.SubmitAsync(request)).GetValueOrThrow();

        Assert.Same(first, second);
        Assert.Single(_inner.Calls);
    }

    [Fact]
    public async Task GenerateAsync_CoreWaitOnAlreadyEndedJob_ReturnsWithoutPolling()
    {
        var provider = CreateProvider();

        var job = (await provider.GenerateAsync(new GenerationRequest("gpt-image-1", "a cat"), new WaitOptions { TimeProvider = _clock })).GetValueOrThrow();

        Assert.Equal(GenerationStatus.Succeeded, job.Status);
        Assert.Equal(0, _clock.PendingTimerCount);
    }

    [Fact]
    public void Metadata_And_GetService_DescribeTheGenerator()
    {
        var provider = CreateProvider(new ImageGeneratorProviderOptions { BillingUnit = MoneyUnit.Credits("openai") });

        Assert.Equal("openai", provider.GetMetadata().Name);
        Assert.Equal("testvendor", provider.GetMetadata().DisplayName);
        Assert.Equal(new Uri("https://api.testvendor.invalid/"), provider.GetMetadata().Endpoint);
        Assert.Equal(MoneyUnit.Credits("openai"), provider.GetMetadata().BillingUnit);
        Assert.False(provider.GetMetadata().DedupesByIdempotencyKey);
        Assert.Same(_inner, provider.GetService<IImageGenerator>());
        Assert.Same(provider, provider.GetService(typeof(IMediaGenerator), "openai"));
        Assert.Same(_inner.Metadata, provider.GetService<ImageGeneratorMetadata>());
    }

    [Fact]
    public void AsIMediaGenerator_VideoModel_Throws()
    {
        var video = new ModelCapabilities { Id = "veo", Kind = MediaKind.Video };

        var ex = Assert.Throws<ArgumentException>(() => _inner.AsIMediaGenerator("openai", [video]));

        Assert.Contains("veo", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("open:ai")]
    public void AsIMediaGenerator_BadProviderName_Throws(string name)
    {
        Assert.ThrowsAny<ArgumentException>(() => _inner.AsIMediaGenerator(name, [Model]));
    }

    public void Dispose() => _inner.Dispose();

    private IMediaGenerator CreateProvider(ImageGeneratorProviderOptions? options = null)
    {
        options ??= new ImageGeneratorProviderOptions();
        options.TimeProvider ??= _clock;
        return _inner.AsIMediaGenerator("OpenAI", [Model], options);
    }
}
