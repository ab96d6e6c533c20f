using System.Diagnostics;
using System.Drawing;
using MediaGen.Routing;
using MediaGen.Testing;
using MediaGen.VeoGen;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;

namespace MediaGen.Extensions.AI.Tests.ImageGeneration;

/// <summary>
/// <c>AsIImageGenerator()</c> under Microsoft.Extensions.AI's own <see cref="ImageGeneratorBuilder"/> middleware
/// (<c>UseLogging</c>, <c>UseOpenTelemetry</c>, <c>ConfigureOptions</c>), over real providers and the router talking to
/// the vendors' emulators. Each middleware is shown to work by what it produces: log lines, a span, the vendor's body.
/// </summary>
public sealed class ImageGeneratorBuilderTests : IAsyncLifetime
{
    private const string LoggingCategory = "Microsoft.Extensions.AI.LoggingImageGenerator";
    private const string VeoGenModel = "nano-banana-2";
    private const string ApiframeOnlyModel = "gpt-image-1.5"; // served by Apiframe alone, so the router's choice is known
    private EmulatedVendors _vendors = null!;

    public async Task InitializeAsync() => _vendors = await EmulatedVendors.StartAsync();

    public async Task DisposeAsync() => await _vendors.DisposeAsync();

    [Fact]
    public async Task UseLogging_OverTheAdapter_WritesInvokedAndCompletedLines()
    {
        var logs = new CollectingLoggerProvider();
        using var loggers = logs.CreateFactory(LogLevel.Debug);
        using var images = _vendors.VeoGen.AsIImageGenerator(_vendors.AdapterOptions(VeoGenModel)).AsBuilder().UseLogging(loggers).Build();

        await _vendors.Time.DriveAsync(images.GenerateImagesAsync("a lighthouse at dusk"));

        var lines = logs.Lines.Where(l => l.Category == LoggingCategory).ToList();
        Assert.Equal(["GenerateAsync invoked.", "GenerateAsync completed."], lines.Select(l => l.Message));
        Assert.All(lines, l => Assert.Equal(LogLevel.Debug, l.Level));
    }

    [Fact]
    public async Task UseLogging_AtTraceOverTheRouter_LogsTheResponseNamingTheVendorAndJob()
    {
        var logs = new CollectingLoggerProvider();
        using var loggers = logs.CreateFactory(LogLevel.Trace);
        using var images = _vendors.Router.AsIImageGenerator(_vendors.AdapterOptions(ApiframeOnlyModel)).AsBuilder().UseLogging(loggers).Build();

        var response = await _vendors.Time.DriveAsync(images.GenerateImagesAsync("a lighthouse at dusk"));

        // The sensitive lines serialize the request metadata and the whole response with MEAI's JSON options: the
        // adapter's per-content properties (strings and decimals only) come through, the typed job stays out.
        var job = response.GetGenerationJob()!;
        var lines = logs.Lines.Where(l => l.Category == LoggingCategory).ToList();
        Assert.Equal(2, lines.Count);
        Assert.All(lines, l => Assert.Equal(LogLevel.Trace, l.Level));
        Assert.StartsWith("GenerateAsync invoked: Prompt: a lighthouse at dusk.", lines[0].Message, StringComparison.Ordinal);
        Assert.Contains("\"providerName\": \"router\"", lines[0].Message, StringComparison.Ordinal);
        Assert.StartsWith("GenerateAsync completed: ", lines[1].Message, StringComparison.Ordinal);
        Assert.Contains($"\"mediagen.job\": \"{job.Handle}\"", lines[1].Message, StringComparison.Ordinal);
        Assert.Contains("\"mediagen.provider\": \"apiframe\"", lines[1].Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UseLogging_JobFailsAtTheVendor_LogsTheFailureWithTheException()
    {
        _vendors.Host.Jobs.Default = JobScript.Fail(JobFailureKind.ProviderError, "the renderer crashed");
        var logs = new CollectingLoggerProvider();
        using var loggers = logs.CreateFactory(LogLevel.Debug);
        using var images = _vendors.VeoGen.AsIImageGenerator(_vendors.AdapterOptions(VeoGenModel)).AsBuilder().UseLogging(loggers).Build();

        var thrown = await Assert.ThrowsAsync<GenerationFailedException>(() => _vendors.Time.DriveAsync(images.GenerateImagesAsync("a lighthouse at dusk")));

        var failed = Assert.Single(logs.Lines, l => l.Category == LoggingCategory && l.Level == LogLevel.Error);
        Assert.Equal("GenerateAsync failed.", failed.Message);
        Assert.Same(thrown, failed.Exception);
    }

    [Fact]
    public async Task UseOpenTelemetry_OverOneVendor_ProducesAGenAiSpanNamingTheVendorAndItsAddress()
    {
        using var spans = new SpanCollector($"{nameof(ImageGeneratorBuilderTests)}.{nameof(UseOpenTelemetry_OverOneVendor_ProducesAGenAiSpanNamingTheVendorAndItsAddress)}");
        using var images = _vendors.VeoGen.AsIImageGenerator(_vendors.AdapterOptions(VeoGenModel)).AsBuilder().UseOpenTelemetry(sourceName: spans.SourceName).Build();

        var response = await _vendors.Time.DriveAsync(images.GenerateImagesAsync("a lighthouse at dusk", new ImageGenerationOptions { ImageSize = new Size(2048, 1152), Count = 1 }));

        var span = Assert.Single(spans.Spans);
        Assert.Equal($"generate_content {VeoGenModel}", span.DisplayName);
        Assert.Equal(ActivityKind.Client, span.Kind);
        Assert.Equal("generate_content", span.GetTagItem("gen_ai.operation.name"));
        Assert.Equal("image", span.GetTagItem("gen_ai.output.type"));
        Assert.Equal(VeoGenProvider.Name, span.GetTagItem("gen_ai.provider.name"));
        Assert.Equal(VeoGenModel, span.GetTagItem("gen_ai.request.model"));
        Assert.Equal(_vendors.Host.BaseAddress.Host, span.GetTagItem("server.address"));
        Assert.Equal(_vendors.Host.BaseAddress.Port, span.GetTagItem("server.port"));
        Assert.Equal(2048, span.GetTagItem("gen_ai.request.image.width"));
        Assert.Equal(1, span.GetTagItem("gen_ai.request.choice.count"));
        var job = response.GetGenerationJob()!;
        Assert.Equal(job.Handle.ToString(), span.GetTagItem("gen_ai.response.id"));
        Assert.Equal(VeoGenModel, span.GetTagItem("gen_ai.response.model"));
        Assert.NotEqual(ActivityStatusCode.Error, span.Status);
    }

    [Fact]
    public async Task UseOpenTelemetry_OverTheRouter_SpanNamesTheVendorThatServedNotTheRouter()
    {
        using var spans = new SpanCollector($"{nameof(ImageGeneratorBuilderTests)}.{nameof(UseOpenTelemetry_OverTheRouter_SpanNamesTheVendorThatServedNotTheRouter)}");
        using var images = _vendors.Router.AsIImageGenerator(_vendors.AdapterOptions(ApiframeOnlyModel)).AsBuilder().UseOpenTelemetry(sourceName: spans.SourceName).Build();

        var response = await _vendors.Time.DriveAsync(images.GenerateImagesAsync("a lighthouse at dusk"));

        var job = response.GetGenerationJob()!;
        Assert.Equal("apiframe", job.Handle.Provider);
        var span = Assert.Single(spans.Spans);
        Assert.Equal("apiframe", span.GetTagItem("gen_ai.provider.name"));
        Assert.Equal(ApiframeOnlyModel, span.GetTagItem("gen_ai.response.model"));
        Assert.Equal(job.Handle.ToString(), span.GetTagItem("gen_ai.response.id"));
    }

    [Fact]
    public async Task UseOpenTelemetry_RouterJobFailsAtTheVendor_SpanNamesTheVendorAndRecordsTheError()
    {
        _vendors.Host.Jobs.Default = JobScript.Fail(JobFailureKind.ProviderError, "the renderer crashed");
        using var spans = new SpanCollector($"{nameof(ImageGeneratorBuilderTests)}.{nameof(UseOpenTelemetry_RouterJobFailsAtTheVendor_SpanNamesTheVendorAndRecordsTheError)}");
        using var images = _vendors.Router.AsIImageGenerator(_vendors.AdapterOptions(ApiframeOnlyModel)).AsBuilder().UseOpenTelemetry(sourceName: spans.SourceName).Build();

        var thrown = await Assert.ThrowsAsync<GenerationFailedException>(() => _vendors.Time.DriveAsync(images.GenerateImagesAsync("a lighthouse at dusk")));

        var span = Assert.Single(spans.Spans);
        Assert.Equal("apiframe", span.GetTagItem("gen_ai.provider.name"));
        Assert.Equal(thrown.Job.Handle.ToString(), span.GetTagItem("gen_ai.response.id"));
        Assert.Equal(typeof(GenerationFailedException).FullName, span.GetTagItem("error.type"));
        Assert.Equal(ActivityStatusCode.Error, span.Status);
    }

    [Fact]
    public async Task UseOpenTelemetry_RouterWaitReachesTheDeadline_SpanNamesTheVendorStillRunningTheJob()
    {
        _vendors.Host.Jobs.Default = JobScript.NeverComplete();
        using var spans = new SpanCollector($"{nameof(ImageGeneratorBuilderTests)}.{nameof(UseOpenTelemetry_RouterWaitReachesTheDeadline_SpanNamesTheVendorStillRunningTheJob)}");
        var options = _vendors.AdapterOptions(ApiframeOnlyModel);
        options.Wait = new WaitOptions { TimeProvider = _vendors.Time, Deadline = TimeSpan.FromMinutes(2) };
        using var images = _vendors.Router.AsIImageGenerator(options).AsBuilder().UseOpenTelemetry(sourceName: spans.SourceName).Build();

        var ex = await Assert.ThrowsAsync<MediaGenException>(() => _vendors.Time.DriveAsync(images.GenerateImagesAsync("a lighthouse at dusk")));

        var timedOut = Assert.IsType<TimedOutError>(ex.Error);
        var span = Assert.Single(spans.Spans);
        Assert.Equal("apiframe", span.GetTagItem("gen_ai.provider.name"));
        Assert.Equal(timedOut.Handle.ToString(), span.GetTagItem("gen_ai.response.id"));
    }

    [Fact]
    public async Task UseOpenTelemetry_RouterCallerCancelsWhileWaiting_SpanNamesTheVendorStillRunningTheJob()
    {
        _vendors.Host.Jobs.Default = JobScript.NeverComplete();
        using var spans = new SpanCollector($"{nameof(ImageGeneratorBuilderTests)}.{nameof(UseOpenTelemetry_RouterCallerCancelsWhileWaiting_SpanNamesTheVendorStillRunningTheJob)}");
        using var images = _vendors.Router.AsIImageGenerator(_vendors.AdapterOptions(ApiframeOnlyModel)).AsBuilder().UseOpenTelemetry(sourceName: spans.SourceName).Build();
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(1), _vendors.Time);

        var ex = await Assert.ThrowsAsync<JobWaitCanceledException>(() => _vendors.Time.DriveAsync(images.GenerateImagesAsync("a lighthouse at dusk", cancellationToken: cts.Token)));

        var span = Assert.Single(spans.Spans);
        Assert.Equal("apiframe", ex.Handle.Provider);
        Assert.Equal("apiframe", span.GetTagItem("gen_ai.provider.name"));
        Assert.Equal(ex.Handle.ToString(), span.GetTagItem("gen_ai.response.id"));
    }

    [Fact]
    public async Task GenerateAsync_CallerSpanWithoutMeaiTelemetry_IsLeftUntouched()
    {
        using var spans = new SpanCollector($"{nameof(ImageGeneratorBuilderTests)}.{nameof(GenerateAsync_CallerSpanWithoutMeaiTelemetry_IsLeftUntouched)}");
        using var source = new ActivitySource(spans.SourceName);
        var images = _vendors.Router.AsIImageGenerator(_vendors.AdapterOptions(ApiframeOnlyModel));

        using (var parent = source.StartActivity("handle request"))
        {
            Assert.NotNull(parent);
            await _vendors.Time.DriveAsync(images.GenerateImagesAsync("a lighthouse at dusk"));
        }

        // Only a GenAI span carrying this adapter's provider name is re-tagged; the caller's own span is not.
        var span = Assert.Single(spans.Spans);
        Assert.Empty(span.TagObjects);
    }

    [Fact]
    public async Task ConfigureOptions_OverTheAdapter_ChangesWhatReachesTheVendor()
    {
        // No default model on the adapter: without ConfigureOptions, the call would be refused for want of one.
        using var images = _vendors.VeoGen.AsIImageGenerator(_vendors.AdapterOptions())
            .AsBuilder()
            .ConfigureOptions(o =>
            {
                o.ModelId ??= VeoGenModel;
                o.ImageSize = new Size(1024, 768);
            })
            .Build();

        await _vendors.Time.DriveAsync(images.GenerateImagesAsync("a lighthouse at dusk", new ImageGenerationOptions { ImageSize = new Size(2048, 1152) }));

        var body = _vendors.SingleSubmitBody();
        Assert.Equal(VeoGenModel, (string?)body["model"]);
        Assert.Equal("4:3", (string?)body["aspect_ratio"]);
        Assert.Equal("1K", (string?)body["resolution"]);
    }

    [Fact]
    public async Task AllThreeMiddlewares_OverTheRouter_EachWorksOnOneCall()
    {
        var logs = new CollectingLoggerProvider();
        using var loggers = logs.CreateFactory(LogLevel.Debug);
        using var spans = new SpanCollector($"{nameof(ImageGeneratorBuilderTests)}.{nameof(AllThreeMiddlewares_OverTheRouter_EachWorksOnOneCall)}");
        using var images = _vendors.Router.AsIImageGenerator(_vendors.AdapterOptions())
            .AsBuilder()
            .UseLogging(loggers)
            .UseOpenTelemetry(loggers, spans.SourceName)
            .ConfigureOptions(o =>
            {
                o.ModelId ??= ApiframeOnlyModel;
                o.AdditionalProperties ??= [];
                o.AdditionalProperties["apiframe.background"] = "transparent";
            })
            .Build();

        var response = await _vendors.Time.DriveAsync(images.GenerateImagesAsync("a lighthouse at dusk", new ImageGenerationOptions { Count = 2 }));

        Assert.Equal(["GenerateAsync invoked.", "GenerateAsync completed."], logs.Lines.Where(l => l.Category == LoggingCategory).Select(l => l.Message));
        var span = Assert.Single(spans.Spans);
        Assert.Equal("apiframe", span.GetTagItem("gen_ai.provider.name"));
        Assert.Equal(2, span.GetTagItem("gen_ai.request.choice.count"));

        // ConfigureOptions ran inside telemetry (the builder's first middleware is the outermost), so the span saw the
        // caller's options (no model) while the vendor got the configured model and provider option.
        Assert.Null(span.GetTagItem("gen_ai.request.model"));
        var body = _vendors.SingleSubmitBody();
        Assert.Equal(ApiframeOnlyModel, (string?)body["model"]);
        Assert.Equal("transparent", (string?)body["gptImageParams"]?["background"]);
        Assert.Equal(2, (int?)body["gptImageParams"]?["number_of_images"]);
        Assert.Equal(2, response.Contents.Count);
    }

    [Fact]
    public void GetService_ThroughThePipeline_ReachesTheAdapterMetadataAndTheMediaGenerator()
    {
        using var spans = new SpanCollector($"{nameof(ImageGeneratorBuilderTests)}.{nameof(GetService_ThroughThePipeline_ReachesTheAdapterMetadataAndTheMediaGenerator)}");
        var logs = new CollectingLoggerProvider();
        using var loggers = logs.CreateFactory(LogLevel.Debug);
        using var images = _vendors.Router.AsIImageGenerator(_vendors.AdapterOptions(ApiframeOnlyModel))
            .AsBuilder()
            .UseLogging(loggers)
            .UseOpenTelemetry(sourceName: spans.SourceName)
            .ConfigureOptions(_ => { })
            .Build();

        Assert.Same(_vendors.Router, images.GetService<IMediaGenerator>());
        Assert.Same(_vendors.Router, images.GetService<MediaRouter>());
        var metadata = images.GetService<ImageGeneratorMetadata>()!;
        Assert.Equal(MediaRouter.ProviderName, metadata.ProviderName);
        Assert.Equal(ApiframeOnlyModel, metadata.DefaultModelId);
        Assert.Equal(spans.SourceName, images.GetService<ActivitySource>()?.Name);
    }
}
