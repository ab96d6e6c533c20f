using System.Net;
using MediaGen.Apiframe.Tests.TestSupport;
using MediaGen.Testing;

namespace MediaGen.Apiframe.Tests;

public sealed class ApiframeGetJobTests
{
    private const string Id = "a1b2c3d4-e5f6-7890-abcd-ef1234567890";
    private static readonly JobHandle Handle = new("apiframe", Id);

    private static string Job(string status, string result = "null", string progress = "0", string creditCost = "16", string error = "null", string model = "midjourney") =>
        $$"""{"id":"{{Id}}","status":"{{status}}","model":"{{model}}","progress":{{progress}},"result":{{result}},"error":{{error}},"creditCost":{{creditCost}},"webhookStatus":null,"createdAt":"2026-11-21T10:00:00.000Z","completedAt":null}""";

    private static async Task<Result<GenerationJob>> Poll(string json, JobHandle? handle = null, HttpStatusCode status = HttpStatusCode.OK, string contentType = "application/json")
    {
        var stub = new StubHttpHandler().Enqueue(status, json, contentType);
        var result = await Af.Create(stub).GetJobAsync(handle ?? Handle);
        Assert.Equal($"https://api.apiframe.test/v2/jobs/{(handle ?? Handle).VendorJobId}", stub.Requests.Single().Uri.AbsoluteUri);
        Assert.Equal(Af.Key, stub.Requests.Single().Headers["X-API-Key"]);
        return result;
    }

    [Theory]
    [InlineData("QUEUED", GenerationStatus.Queued, 0)]
    [InlineData("PROCESSING", GenerationStatus.Running, 45)]
    public async Task GetJobAsync_PendingStatuses_MapWithProgress(string status, GenerationStatus expected, int progress)
    {
        var job = (await Poll(Job(status, progress: progress.ToString(System.Globalization.CultureInfo.InvariantCulture)))).GetValueOrThrow();

        Assert.Equal(expected, job.Status);
        Assert.Equal(progress, job.Progress);
        Assert.Empty(job.Outputs);
        Assert.False(job.IsTerminal);
    }

    [Fact]
    public async Task GetJobAsync_CompletedWithUrlString_OneOutputAndChargeFromCreditCost()
    {
        var job = (await Poll(Job("COMPLETED", "\"https://cdn.apiframe.ai/results/a1b2c3d4.png\"", "100"))).GetValueOrThrow();

        Assert.Equal(GenerationStatus.Succeeded, job.Status);
        var output = Assert.Single(job.Outputs);
        Assert.Equal(new Uri("https://cdn.apiframe.ai/results/a1b2c3d4.png"), output.Url);
        Assert.Equal(MediaKind.Image, output.Kind);
        Assert.Equal("image/png", output.ContentType);
        Assert.Equal(Money.Credits(16, "apiframe"), job.Charge);
        Assert.Equal(100, job.Progress);
    }

    [Fact]
    public async Task GetJobAsync_MidjourneyImagesAndGrid_FourImagesPlusGridOutput()
    {
        const string result = """{"images":["https://cdn.apiframe.ai/r/1.png","https://cdn.apiframe.ai/r/2.png","https://cdn.apiframe.ai/r/3.png","https://cdn.apiframe.ai/r/4.png"],"gridUrl":"https://cdn.apiframe.ai/r/grid.png"}""";

        var job = (await Poll(Job("COMPLETED", result, "100"))).GetValueOrThrow();

        Assert.Equal(5, job.Outputs.Count);
        Assert.Equal(4, job.Outputs.Count(o => o.Role is null && o.Kind == MediaKind.Image));
        Assert.Equal(new Uri("https://cdn.apiframe.ai/r/grid.png"), job.Outputs.Single(o => o.Role == "grid").Url);
    }

    [Fact]
    public async Task GetJobAsync_VideoUrlObject_OneVideoOutput()
    {
        var handle = new JobHandle("apiframe", Id) { Model = "kling-2.6", Kind = MediaKind.Video };
        var job = (await Poll(Job("COMPLETED", """{"videoUrl":"https://cdn.apiframe.ai/r/clip.mp4"}""", "100", "25", model: "kling-2.6"), handle)).GetValueOrThrow();

        var output = Assert.Single(job.Outputs);
        Assert.Equal(MediaKind.Video, output.Kind);
        Assert.Equal("video/mp4", output.ContentType);
        Assert.Same(handle, job.Handle);
    }

    [Fact]
    public async Task GetJobAsync_VideosArray_SeveralVideoOutputs()
    {
        var job = (await Poll(Job("COMPLETED", """{"videos":["https://cdn.apiframe.ai/r/v1.mp4","https://cdn.apiframe.ai/r/v2.mp4"]}""", "100", model: "midjourney-video"))).GetValueOrThrow();

        Assert.Equal(2, job.Outputs.Count);
        Assert.All(job.Outputs, o => Assert.Equal(MediaKind.Video, o.Kind));
    }

    [Fact]
    public async Task GetJobAsync_TracksArray_AudioOutputs()
    {
        var job = (await Poll(Job("COMPLETED", """{"tracks":["https://cdn.apiframe.ai/r/t1.mp3"]}""", "100", model: "suno"))).GetValueOrThrow();

        Assert.Equal(MediaKind.Audio, Assert.Single(job.Outputs).Kind);
    }

    [Fact]
    public async Task GetJobAsync_FailedWithRefund_FailureContentPolicyAndZeroCharge()
    {
        var job = (await Poll(Job("FAILED", creditCost: "0", error: "\"Provider returned an error: content policy violation\""))).GetValueOrThrow();

        Assert.Equal(GenerationStatus.Failed, job.Status);
        Assert.Equal(Money.Credits(0, "apiframe"), job.Charge);
        Assert.Equal(FailureReason.ContentPolicy, job.Failure!.Reason);
        Assert.Equal("Provider returned an error: content policy violation", job.Failure.Message);
        Assert.True(job.Failure.Refunded);
    }

    [Fact]
    public async Task GetJobAsync_FailedOtherReason_ProviderError()
    {
        var job = (await Poll(Job("FAILED", creditCost: "0", error: "\"Provider returned an error: upstream timeout\""))).GetValueOrThrow();

        Assert.Equal(FailureReason.ProviderError, job.Failure!.Reason);
    }

    [Fact]
    public async Task GetJobAsync_VideoJobRunning_HintsTheDocumentedVideoPollInterval()
    {
        var handle = new JobHandle("apiframe", Id) { Model = "kling-2.6" };
        var job = (await Poll(Job("PROCESSING", progress: "10", model: "kling-2.6"), handle)).GetValueOrThrow();

        Assert.Equal(TimeSpan.FromSeconds(5), job.PollAfter);
    }

    [Theory]
    [InlineData("""{"id":"a1b2c3d4-e5f6-7890-abcd-ef1234567890","status":"PAUSED","progress":0}""", "unknown job status 'PAUSED'")]
    [InlineData("""{"id":"a1b2c3d4-e5f6-7890-abcd-ef1234567890","status":"COMPLETED","progress":100}""", "COMPLETED but has no result")]
    [InlineData("""{"id":"a1b2c3d4-e5f6-7890-abcd-ef1234567890","status":"PROCESSING","progress":"half"}""", "progress is not a number")]
    [InlineData("""{"id":"a1b2c3d4-e5f6-7890-abcd-ef1234567890","status":"COMPLETED","result":{"foo":1}}""", "result has none of")]
    [InlineData("""{"id":"a1b2c3d4-e5f6-7890-abcd-ef1234567890","status":"COMPLETED","result":"not a url"}""", "not an absolute http(s) URL")]
    [InlineData("""{"id":"other","status":"QUEUED"}""", "got job 'other'")]
    [InlineData("""{"id":"a1b2c3d4-e5f6-7890-abcd-ef1234567890","status":"QUEUED","creditCost":"lots"}""", "creditCost is not")]
    [InlineData("""{"id":"a1b2c3d4-e5f6-78""", "malformed")]
    [InlineData("""{"id":42,"status":"QUEUED"}""", "malformed")]
    public async Task GetJobAsync_UnreadableJob_ProviderUnavailableNamingTheProblem(string json, string problem)
    {
        var error = Assert.IsType<ProviderUnavailableError>((await Poll(json)).Error);

        Assert.Contains(problem, error.Message, StringComparison.Ordinal);
        Assert.Equal("apiframe", error.Provider);
    }

    [Fact]
    public async Task GetJobAsync_HtmlPage_ProviderUnavailable()
    {
        var error = Assert.IsType<ProviderUnavailableError>((await Poll("<html>502</html>", contentType: "text/html")).Error);

        Assert.Contains("not JSON", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetJobAsync_404_NotFound()
    {
        var error = Assert.IsType<NotFoundError>((await Poll("""{"error":"Job not found"}""", status: HttpStatusCode.NotFound)).Error);

        Assert.Equal(404, error.StatusCode);
        Assert.Equal("Job not found", error.VendorMessage);
    }

    [Fact]
    public async Task GetJobAsync_500WithRetryAfter_ProviderUnavailableCarryingTheHint()
    {
        var stub = new StubHttpHandler().Enqueue(HttpStatusCode.InternalServerError, """{"error":"Internal error"}""", configure: r => r.Headers.Add("Retry-After", "4"));

        var error = Assert.IsType<ProviderUnavailableError>((await Af.Create(stub).GetJobAsync(Handle)).Error);

        Assert.Equal(TimeSpan.FromSeconds(4), error.RetryAfter);
        Assert.Equal(500, error.StatusCode);
    }

    [Fact]
    public async Task GetJobAsync_HandleOfAnotherProvider_IsInvalidWithoutRequest()
    {
        var stub = new StubHttpHandler();

        // The same error kind at every vendor (it was NotFound here only): the caller passed the wrong handle.
        Assert.Equal("Handle", Assert.Single(Assert.IsType<InvalidRequestError>((await Af.Create(stub).GetJobAsync(new JobHandle("meigen", Id))).Error).Errors).Field);
        Assert.Empty(stub.Requests);
    }
}
