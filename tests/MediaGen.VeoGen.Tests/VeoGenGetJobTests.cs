using System.Text.Json;
using MediaGen.Testing;
using MediaGen.VeoGen.Tests.TestSupport;

namespace MediaGen.VeoGen.Tests;

/// <summary>Polling once: statuses, the single output object, the error field of any JSON type, unreadable answers.</summary>
public sealed class VeoGenGetJobTests
{
    private static readonly JobHandle Handle = new("veogen", VeoGenDocs.JobId) { Model = "veo-3.1-fast", IdempotencyKey = "key-1", Kind = MediaKind.Video };

    [Theory]
    [InlineData("pending", GenerationStatus.Queued)]
    [InlineData("processing", GenerationStatus.Running)]
    public async Task GetJobAsync_UnfinishedStatus_MapsAndHintsTheVideoPollInterval(string status, GenerationStatus expected)
    {
        var job = await PollAsync(VeoGenDocs.Data(VeoGenDocs.Generation(status)));

        Assert.Equal(expected, job.Status);
        Assert.Empty(job.Outputs);
        Assert.Equal(TimeSpan.FromSeconds(5), job.PollAfter);
        Assert.Equal("key-1", job.Handle.IdempotencyKey);
    }

    [Fact]
    public async Task GetJobAsync_Completed_ReturnsTheSingleOutputObject()
    {
        var job = await PollAsync(VeoGenDocs.Data(VeoGenDocs.Generation("completed", VeoGenDocs.VideoOutput, completedAt: "\"2025-01-15T10:31:30+00:00\"")));

        Assert.Equal(GenerationStatus.Succeeded, job.Status);
        var output = Assert.Single(job.Outputs);
        Assert.Equal("https://veogen.studio/storage/videos/01928abc.mp4", output.Url.AbsoluteUri);
        Assert.Equal("https://veogen.studio/storage/videos/01928abc.mp4?download=1", output.DownloadUrl!.AbsoluteUri);
        Assert.Equal("video/mp4", output.ContentType);
        Assert.Equal(MediaKind.Video, output.Kind);
        Assert.Equal(new DateTimeOffset(2025, 1, 15, 10, 31, 30, TimeSpan.Zero), job.CompletedAt);
        Assert.Equal(AspectRatio.Landscape16x9, job.AppliedAspectRatio);
        Assert.Null(job.PollAfter);
        Assert.IsType<JsonElement>(job.RawRepresentation);
    }

    [Theory]
    [InlineData("\"Generation failed: upstream timeout\"", "Generation failed: upstream timeout", FailureReason.ProviderError)]
    [InlineData("{\"code\":\"content_policy\",\"message\":\"Blocked by safety system\"}", "{\"code\":\"content_policy\",\"message\":\"Blocked by safety system\"}", FailureReason.ContentPolicy)]
    [InlineData("null", "VeoGen reported the generation failed without an error text.", FailureReason.ProviderError)]
    [InlineData("42", "42", FailureReason.ProviderError)]
    public async Task GetJobAsync_Failed_ReadsTheErrorWhateverItsJsonTypeAndIsNotCharged(string error, string expected, FailureReason reason)
    {
        var job = await PollAsync(VeoGenDocs.Data(VeoGenDocs.Generation("failed", error: error)));

        Assert.Equal(GenerationStatus.Failed, job.Status);
        Assert.Equal(expected, job.Failure!.Message);
        Assert.Equal(reason, job.Failure.Reason);
        Assert.True(job.Failure.Refunded);
        Assert.Equal(Money.Usd(0m), job.Charge);
    }

    [Fact]
    public async Task GetJobAsync_OutputArray_IsReadAsSeveralOutputs()
    {
        var job = await PollAsync(VeoGenDocs.Data(VeoGenDocs.Generation(
            "completed",
            """[{"url":"https://veogen.studio/storage/generations/a.png","content_type":"image/png"},{"url":"https://veogen.studio/storage/generations/b.png","content_type":"image/png"}]""",
            type: "image",
            model: "nano-banana-2")));

        Assert.Equal(2, job.Outputs.Count);
        Assert.All(job.Outputs, o => Assert.Equal(MediaKind.Image, o.Kind));
    }

    [Theory]
    [InlineData("{\"data\":" + "{\"id\":\"01928abc-def0-7123-b456-789012345678\",\"status\":\"exploded\"}}", "unknown status 'exploded'")]
    [InlineData("{\"data\":" + "{\"id\":\"01928abc-def0-7123-b456-789012345678\",\"status\":\"completed\",\"output\":null}}", "no output.url")]
    [InlineData("{\"data\":" + "{\"id\":\"01928abc-def0-7123-b456-789012345678\",\"status\":\"completed\",\"output\":{\"url\":\"not a url\"}}}", "not an absolute URL")]
    [InlineData("{\"data\":" + "{\"id\":12,\"status\":\"pending\"}}", "malformed or has unexpected types")]
    [InlineData("{\"data\":" + "{\"status\":\"pending\"}}", "no 'id'")]
    [InlineData("{\"data\":" + "{\"id\":\"other\",\"status\":\"pending\"}}", "instead of")]
    [InlineData("{\"data\": {\"id\": \"01928abc", "malformed")]
    [InlineData("{}", "('data') is missing")]
    public async Task GetJobAsync_UnreadableAnswer_IsProviderUnavailableNamingTheProblem(string body, string problem)
    {
        var handler = new StubHttpHandler().Enqueue(200, body);

        var result = await Stubbed.Create(handler).GetJobAsync(Handle);

        var error = Assert.IsType<ProviderUnavailableError>(result.Error);
        Assert.Contains(problem, error.Message, StringComparison.Ordinal);
        Assert.Equal("veogen", error.Provider);
    }

    [Fact]
    public async Task GetJobAsync_HtmlInsteadOfJson_IsProviderUnavailable()
    {
        var handler = new StubHttpHandler().Enqueue(200, "<html><body>Maintenance</body></html>", "text/html");

        var error = Assert.IsType<ProviderUnavailableError>((await Stubbed.Create(handler).GetJobAsync(Handle)).Error);

        Assert.Contains("not JSON", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetJobAsync_Always_GetsTheGenerationById()
    {
        var handler = new StubHttpHandler().Enqueue(200, VeoGenDocs.Data(VeoGenDocs.Generation()));

        await Stubbed.Create(handler).GetJobAsync(Handle);

        var request = Assert.Single(handler.Requests);
        Assert.Equal(HttpMethod.Get, request.Method);
        Assert.Equal($"https://veogen.studio/api/v1/generations/{VeoGenDocs.JobId}", request.Uri.AbsoluteUri);
    }

    [Fact]
    public async Task GetJobAsync_HandleOfAnotherProvider_IsInvalidWithoutANetworkCall()
    {
        var handler = new StubHttpHandler();

        var result = await Stubbed.Create(handler).GetJobAsync(new JobHandle("meigen", "abc"));

        Assert.IsType<InvalidRequestError>(result.Error);
        Assert.Empty(handler.Requests);
    }

    [Fact]
    public async Task GetJobAsync_RetryAfterOnAnAnswer_BecomesThePollHint()
    {
        var handler = new StubHttpHandler().Enqueue(200, VeoGenDocs.Data(VeoGenDocs.Generation("processing")), configure: r => r.Headers.RetryAfter = new(TimeSpan.FromSeconds(12)));

        var job = (await Stubbed.Create(handler).GetJobAsync(Handle)).GetValueOrThrow();

        Assert.Equal(TimeSpan.FromSeconds(12), job.PollAfter);
    }

    private static async Task<GenerationJob> PollAsync(string body)
    {
        var handler = new StubHttpHandler().Enqueue(200, body);
        return (await Stubbed.Create(handler).GetJobAsync(Handle)).GetValueOrThrow();
    }
}
