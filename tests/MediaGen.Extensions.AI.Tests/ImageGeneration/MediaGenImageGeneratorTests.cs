using System.Drawing;
using System.Text.Json;
using System.Text.Json.Nodes;
using MediaGen.Extensions.AI.Tests.TestDoubles;
using MediaGen.Testing;
using Microsoft.Extensions.AI;

namespace MediaGen.Extensions.AI.Tests.ImageGeneration;

public sealed class MediaGenImageGeneratorTests : IDisposable
{
    private readonly FakeClock _clock = new();
    private readonly FakeMediaGenerator _fake;

    public void Dispose() => _fake.Dispose();

    public MediaGenImageGeneratorTests()
    {
        _fake = new FakeMediaGenerator("fake", timeProvider: _clock);
        _fake.AddModel(
            new ModelCapabilities
            {
                Id = "img-1",
                Kind = MediaKind.Image,
                Resolutions = [Resolution.OneK, Resolution.TwoK],
                Tiers = [GenerationTier.Fast, GenerationTier.Pro],
                Qualities = ["low", "high"],
                MaxCount = 4,
                MaxReferenceImages = 2,
                SupportsSeed = true,
                TypicalGenerationTime = TimeSpan.FromSeconds(10),
            },
            price: 5m);
    }

    [Fact]
    public async Task GenerateAsync_PromptAndOptions_ArriveAtProviderAsMediaGenRequest()
    {
        var generator = CreateGenerator();
        var options = new ImageGenerationOptions
        {
            ModelId = "img-1",
            Count = 2,
            ImageSize = new Size(2048, 1152),
            AdditionalProperties = new()
            {
                [MediaGenAdditionalProperties.Seed] = 42,
                [MediaGenAdditionalProperties.Tier] = "pro",
                [MediaGenAdditionalProperties.Quality] = JsonSerializer.SerializeToElement("high"),
                ["fake.negativePrompt"] = "blurry",
                ["meigen.watermark"] = false,
            },
        };
        var request = new ImageGenerationRequest("a lighthouse at dusk", [new UriContent(new Uri("https://cdn.example/ref.png"), "image/png")]);

        var response = await _clock.DriveAsync(generator.GenerateAsync(request, options));

        var sent = Assert.Single(_fake.AcceptedJobs).Request;
        Assert.Equal("a lighthouse at dusk", sent.Prompt);
        Assert.Equal(new ModelId("img-1"), sent.Model);
        Assert.Equal(2, sent.Count);
        Assert.Equal(AspectRatio.Landscape16x9, sent.AspectRatio);
        Assert.Equal(Resolution.TwoK, sent.Resolution);
        Assert.Equal(42L, sent.Seed);
        Assert.Equal(GenerationTier.Pro, sent.Tier);
        Assert.Equal("high", sent.Quality);
        Assert.Equal([new Uri("https://cdn.example/ref.png")], sent.ReferenceImages);
        Assert.Equal("blurry", sent.GetProviderOptions("fake")?["negativePrompt"]?.GetValue<string>());
        Assert.False(sent.GetProviderOptions("meigen")?["watermark"]?.GetValue<bool>());
        Assert.Equal(response.GetGenerationJob()!.Outputs.Count, response.Contents.Count);
    }

    [Fact]
    public async Task GenerateAsync_JobSucceeds_ReturnsUriContentsWithMediaTypesAndJob()
    {
        _fake.EnqueueScript(FakeJobScript.SucceedAfterPolls(3, outputs: 2));
        var generator = CreateGenerator();

        var response = await _clock.DriveAsync(generator.GenerateImagesAsync("a cat", new ImageGenerationOptions { ModelId = "img-1", Count = 2 }));

        var job = response.GetGenerationJob();
        Assert.NotNull(job);
        Assert.Equal(GenerationStatus.Succeeded, job.Status);
        Assert.Same(job, response.RawRepresentation);
        Assert.Collection(
            response.Contents,
            c => AssertImage(c, job.Outputs[0].Url),
            c => AssertImage(c, job.Outputs[1].Url));
        var properties = response.Contents[0].AdditionalProperties!;
        Assert.Equal(job.Handle.ToString(), properties[MediaGenAdditionalProperties.Job]);
        Assert.Equal("fake", properties[MediaGenAdditionalProperties.Provider]);
        Assert.Equal("img-1", properties[MediaGenAdditionalProperties.Model]);
        Assert.Equal(10m, properties[MediaGenAdditionalProperties.Charge]);
        Assert.Equal("credits:fake", properties[MediaGenAdditionalProperties.ChargeUnit]);
        Assert.Equal(10m, properties[MediaGenAdditionalProperties.Quote]);
        Assert.Equal(3, _fake.PollCount);

        static void AssertImage(AIContent content, Uri expected)
        {
            var uri = Assert.IsType<UriContent>(content);
            Assert.Equal(expected, uri.Uri);
            Assert.Equal("image/png", uri.MediaType);
            Assert.IsType<GenerationOutput>(uri.RawRepresentation);
        }
    }

    [Fact]
    public async Task GenerateAsync_NoModelInOptions_UsesDefaultModel()
    {
        var generator = CreateGenerator(new MediaGenImageGeneratorOptions { DefaultModel = "img-1" });

        await _clock.DriveAsync(generator.GenerateImagesAsync("a cat"));

        Assert.Equal(new ModelId("img-1"), Assert.Single(_fake.AcceptedJobs).Request.Model);
    }

    [Fact]
    public async Task GenerateAsync_NoModelAnywhere_ThrowsWithoutSubmitting()
    {
        var generator = CreateGenerator();

        var ex = await Assert.ThrowsAsync<InvalidOperationException>(() => generator.GenerateImagesAsync("a cat"));

        Assert.Contains("ModelId", ex.Message, StringComparison.Ordinal);
        Assert.Equal(0, _fake.SubmitCount);
    }

    [Fact]
    public async Task GenerateAsync_DataContentOriginalImage_ThrowsNotSupportedNamingTheItem()
    {
        var generator = CreateGenerator();
        var request = new ImageGenerationRequest("edit", [
            new UriContent(new Uri("https://cdn.example/a.png"), "image/png"),
            new DataContent(new byte[] { 1, 2, 3 }, "image/png"),
        ]);

        var ex = await Assert.ThrowsAsync<NotSupportedException>(() => generator.GenerateAsync(request, new ImageGenerationOptions { ModelId = "img-1" }));

        Assert.Contains("OriginalImages[1]", ex.Message, StringComparison.Ordinal);
        Assert.Contains("DataContent", ex.Message, StringComparison.Ordinal);
        Assert.Equal(0, _fake.SubmitCount);
    }

    [Fact]
    public async Task GenerateAsync_JobFails_ThrowsGenerationFailedWithJob()
    {
        _fake.EnqueueScript(FakeJobScript.FailAfterPolls(2, FailureReason.ContentPolicy, "refused by moderation"));
        var generator = CreateGenerator();

        var ex = await Assert.ThrowsAsync<GenerationFailedException>(() => _clock.DriveAsync(generator.GenerateImagesAsync("a cat", new ImageGenerationOptions { ModelId = "img-1" })));

        Assert.Equal(FailureReason.ContentPolicy, ex.Job.Failure?.Reason);
        Assert.Contains("refused by moderation", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GenerateAsync_SubmitRejected_ThrowsTypedException()
    {
        _fake.FailNextSubmit(new InsufficientFundsError("balance too low", "fake", Required: Money.Credits(5, "fake")));
        var generator = CreateGenerator();

        var ex = await Assert.ThrowsAsync<MediaGenException>(() => generator.GenerateImagesAsync("a cat", new ImageGenerationOptions { ModelId = "img-1" }));

        Assert.Equal(Money.Credits(5, "fake"), Assert.IsType<InsufficientFundsError>(ex.Error).Required);
    }

    [Fact]
    public async Task GenerateAsync_InvalidForModel_ThrowsInvalidRequestNamingField()
    {
        var generator = CreateGenerator();

        var ex = await Assert.ThrowsAsync<MediaGenException>(() =>
            generator.GenerateImagesAsync("a cat", new ImageGenerationOptions { ModelId = "img-1", ImageSize = new Size(4096, 4096) }));

        Assert.Contains(Assert.IsType<InvalidRequestError>(ex.Error).Errors, e => e.Field == "Resolution");
    }

    [Fact]
    public async Task GenerateAsync_JobNeverEnds_ThrowsTimedOutAtDeadlineOnFakeClock()
    {
        _fake.EnqueueScript(FakeJobScript.Never());
        var generator = CreateGenerator(new MediaGenImageGeneratorOptions { Wait = new WaitOptions { TimeProvider = _clock, Deadline = TimeSpan.FromMinutes(2) } });
        var started = _clock.GetUtcNow();

        var ex = await Assert.ThrowsAsync<MediaGenException>(() => _clock.DriveAsync(generator.GenerateImagesAsync("a cat", new ImageGenerationOptions { ModelId = "img-1" })));
        Assert.IsType<TimedOutError>(ex.Error);

        Assert.Equal(TimeSpan.FromMinutes(2), _clock.GetUtcNow() - started);
        Assert.Contains("fake", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GenerateAsync_DataRequested_DownloadsEachOutputIntoDataContent()
    {
        byte[] png = [0x89, 0x50, 0x4E, 0x47, 1, 2, 3];
        var handler = new StubHttpHandler(_ => StubHttpHandler.Response(200, png, "image/png"));
        using var http = new HttpClient(handler);
        _fake.EnqueueScript(FakeJobScript.SucceedAfterPolls(1, outputs: 2));
        var generator = CreateGenerator(new MediaGenImageGeneratorOptions { HttpClient = http });

        var response = await _clock.DriveAsync(generator.GenerateImagesAsync("a cat", new ImageGenerationOptions { ModelId = "img-1", Count = 2, ResponseFormat = ImageGenerationResponseFormat.Data }));

        Assert.All(response.Contents, c =>
        {
            var data = Assert.IsType<DataContent>(c);
            Assert.Equal("image/png", data.MediaType);
            Assert.Equal(png, data.Data.ToArray());
        });
        Assert.Equal(response.GetGenerationJob()!.Outputs.Select(o => o.Url), handler.Requests.Select(r => r.Uri));
    }

    [Fact]
    public async Task GenerateAsync_DataLargerThanCap_ThrowsMediaDownloadException()
    {
        using var http = new HttpClient(new StubHttpHandler(_ => StubHttpHandler.Response(200, new byte[100], "image/png")));
        var generator = CreateGenerator(new MediaGenImageGeneratorOptions { HttpClient = http, MaxDownloadBytes = 10 });

        var ex = await Assert.ThrowsAsync<MediaDownloadException>(() => _clock.DriveAsync(generator.GenerateImagesAsync("a cat", new ImageGenerationOptions { ModelId = "img-1", ResponseFormat = ImageGenerationResponseFormat.Data })));

        Assert.Equal(DownloadFailure.TooLarge, ex.Failure);
    }

    [Fact]
    public async Task GenerateAsync_DataUrlResolvingToMetadataEndpoint_RefusedNamingVendorAndJobWhichStaysAvailable()
    {
        using var http = MediaDownloads.CreateHttpClient();
        _fake.EnqueueScript(FakeJobScript.SucceedAfterPolls(1));
        var downloads = new MediaDownloadOptions { ResolveHost = (_, _) => ValueTask.FromResult(new[] { System.Net.IPAddress.Parse("169.254.169.254") }) };
        var generator = CreateGenerator(new MediaGenImageGeneratorOptions { HttpClient = http, Downloads = downloads });

        var ex = await Assert.ThrowsAsync<MediaDownloadException>(() => _clock.DriveAsync(generator.GenerateImagesAsync("a cat", new ImageGenerationOptions { ModelId = "img-1", ResponseFormat = ImageGenerationResponseFormat.Data })));

        Assert.Equal(DownloadFailure.Refused, ex.Failure);
        Assert.Equal("fake", ex.Provider);
        Assert.Contains("fake", ex.Message, StringComparison.Ordinal);
        Assert.Contains(ex.Job!.ToString(), ex.Message, StringComparison.Ordinal);
        var job = (await _fake.GetJobAsync(ex.Job)).GetValueOrThrow();
        Assert.Equal(GenerationStatus.Succeeded, job.Status);
        Assert.Equal(ex.Url, Assert.Single(job.Outputs).Url);
    }

    [Fact]
    public async Task GenerateAsync_DataRequestedWithoutHttpClient_ThrowsBeforeSubmitting()
    {
        var generator = CreateGenerator();

        var ex = await Assert.ThrowsAsync<InvalidOperationException>(() => generator.GenerateImagesAsync("a cat", new ImageGenerationOptions { ModelId = "img-1", ResponseFormat = ImageGenerationResponseFormat.Data }));

        Assert.Contains("HttpClient", ex.Message, StringComparison.Ordinal);
        Assert.Equal(0, _fake.SubmitCount);
    }

    [Fact]
    public async Task GenerateAsync_UnmappableOptions_ReportedOnEachContent()
    {
        var generator = CreateGenerator();
        var options = new ImageGenerationOptions
        {
            ModelId = "img-1",
            MediaType = "image/webp",
            StreamingCount = 2,
            ImageSize = new Size(1920, 1080),
            AdditionalProperties = new() { ["user"] = "u-1" },
        };

        var response = await _clock.DriveAsync(generator.GenerateImagesAsync("a cat", options));

        var sent = Assert.Single(_fake.AcceptedJobs).Request;
        Assert.Equal(AspectRatio.Landscape16x9, sent.AspectRatio);
        Assert.Null(sent.Resolution);
        var report = Assert.IsType<string>(response.Contents[0].AdditionalProperties![MediaGenAdditionalProperties.OptionsReport]);
        Assert.Contains("MediaType: image/webp dropped", report, StringComparison.Ordinal);
        Assert.Contains("StreamingCount: 2 dropped", report, StringComparison.Ordinal);
        Assert.Contains("ImageSize: 1920x1080 → aspect ratio 16:9", report, StringComparison.Ordinal);
        Assert.Contains("AdditionalProperties[user]", report, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GenerateAsync_StrictAndAnOptionDropped_ThrowsWithoutSubmitting()
    {
        var generator = CreateGenerator();
        var options = new ImageGenerationOptions
        {
            ModelId = "img-1",
            MediaType = "image/webp",
            AdditionalProperties = new() { [MediaGenAdditionalProperties.Strict] = true },
        };

        var ex = await Assert.ThrowsAsync<MediaGenException>(() => generator.GenerateImagesAsync("a cat", options));

        Assert.Contains(Assert.IsType<InvalidRequestError>(ex.Error).Errors, e => e.Field == "MediaType");
        Assert.Equal(0, _fake.SubmitCount);
    }

    [Theory]
    [InlineData("mediagen.sede", 1, "is not a MediaGen setting")]
    [InlineData("mediagen.seed", "abc", "must be a whole number")]
    [InlineData("mediagen.aspect_ratio", "wide", "is not an aspect ratio")]
    public async Task GenerateAsync_BadMediaGenKey_ThrowsInvalidRequestNamingKey(string key, object value, string message)
    {
        var generator = CreateGenerator();
        var options = new ImageGenerationOptions { ModelId = "img-1", AdditionalProperties = new() { [key] = value } };

        var ex = await Assert.ThrowsAsync<MediaGenException>(() => generator.GenerateImagesAsync("a cat", options));

        var error = Assert.Single(Assert.IsType<InvalidRequestError>(ex.Error).Errors);
        Assert.Equal($"AdditionalProperties[{key}]", error.Field);
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GenerateAsync_ProviderOptionOfUnserializableType_ThrowsInvalidRequest()
    {
        var generator = CreateGenerator();
        var options = new ImageGenerationOptions { ModelId = "img-1", AdditionalProperties = new() { ["fake.thing"] = new object() } };

        var ex = await Assert.ThrowsAsync<MediaGenException>(() => generator.GenerateImagesAsync("a cat", options));

        Assert.Equal("AdditionalProperties[fake.thing]", Assert.Single(Assert.IsType<InvalidRequestError>(ex.Error).Errors).Field);
    }

    [Fact]
    public async Task GenerateAsync_RawRepresentationFactoryGivesRequest_NativeValuesWin()
    {
        var generator = CreateGenerator();
        var options = new ImageGenerationOptions
        {
            ModelId = "img-1",
            ImageSize = new Size(1024, 1024),
            RawRepresentationFactory = _ => new GenerationRequest
            {
                AspectRatio = AspectRatio.Portrait9x16,
                Seed = 7,
                ProviderOptions = { ["fake"] = new JsonObject { ["steps"] = 30 } },
            },
            AdditionalProperties = new() { ["fake.steps"] = 10, [MediaGenAdditionalProperties.Seed] = 8 },
        };

        await _clock.DriveAsync(generator.GenerateImagesAsync("a cat", options));

        var sent = Assert.Single(_fake.AcceptedJobs).Request;
        Assert.Equal("a cat", sent.Prompt);
        Assert.Equal(AspectRatio.Portrait9x16, sent.AspectRatio);
        Assert.Equal(7L, sent.Seed);
        Assert.Equal(30, sent.GetProviderOptions("fake")?["steps"]?.GetValue<int>());
    }

    [Fact]
    public async Task GenerateAsync_SizeWithoutSmallRatio_SendsNearestRatioAndReportsIt()
    {
        var generator = CreateGenerator();

        var response = await _clock.DriveAsync(generator.GenerateImagesAsync("a cat", new ImageGenerationOptions { ModelId = "img-1", ImageSize = new Size(1024, 683) }));

        Assert.Equal(AspectRatio.Parse("3:2"), Assert.Single(_fake.AcceptedJobs).Request.AspectRatio);
        Assert.Contains("nearest ratio", (string)response.Contents[0].AdditionalProperties![MediaGenAdditionalProperties.OptionsReport]!, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GenerateAsync_CanceledWhileWaiting_ThrowsJobWaitCanceledWithHandle()
    {
        _fake.EnqueueScript(FakeJobScript.Never());
        var generator = CreateGenerator();
        using var cts = new CancellationTokenSource();
        var call = generator.GenerateImagesAsync("a cat", new ImageGenerationOptions { ModelId = "img-1" }, cts.Token);
        await _clock.WaitForPendingTimersAsync(1).WaitAsync(TimeSpan.FromSeconds(30));

        await cts.CancelAsync();

        var ex = await Assert.ThrowsAsync<JobWaitCanceledException>(() => call);
        Assert.Equal(Assert.Single(_fake.AcceptedJobs).Handle, ex.Handle);
    }

    [Fact]
    public void GetService_Metadata_NamesProviderEndpointAndDefaultModel()
    {
        var generator = CreateGenerator(new MediaGenImageGeneratorOptions { DefaultModel = "img-1" });

        var metadata = generator.GetService<ImageGeneratorMetadata>();

        Assert.NotNull(metadata);
        Assert.Equal("fake", metadata.ProviderName);
        Assert.Equal("img-1", metadata.DefaultModelId);
        Assert.Same(_fake, generator.GetService<IMediaGenerator>());
        Assert.Same(_fake, generator.GetService<FakeMediaGenerator>());
        Assert.Same(generator, generator.GetService<IImageGenerator>());
        Assert.Null(generator.GetService<HttpClient>());
    }

    [Fact]
    public void AsIImageGenerator_NullGenerator_Throws()
    {
        Assert.Throws<ArgumentNullException>(() => ((IMediaGenerator)null!).AsIImageGenerator());
    }

    private IImageGenerator CreateGenerator(MediaGenImageGeneratorOptions? options = null)
    {
        options ??= new MediaGenImageGeneratorOptions();
        options.Wait ??= new WaitOptions { TimeProvider = _clock };
        return _fake.AsIImageGenerator(options);
    }
}
