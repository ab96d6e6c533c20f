using MediaGen.Replicate.Tests.TestSupport;
using MediaGen.Testing;

namespace MediaGen.Replicate.Tests;

/// <summary>Polling a prediction: every documented status, both output shapes, and the one-hour retention.</summary>
public sealed class ReplicateGetJobTests
{
    private const string Path = "/v1/predictions/" + ReplicateDocs.PredictionId;

    private static async Task<Result<GenerationJob>> PollAsync(string body, int status = 200)
    {
        var stub = new StubHttpHandler().On(HttpMethod.Get, Path, status, body);
        using var provider = Stubbed.Create(stub);
        return await provider.GetJobAsync(new JobHandle("replicate", ReplicateDocs.PredictionId) { Model = "google/nano-banana-pro", Kind = MediaKind.Image });
    }

    [Theory]
    [InlineData("starting", GenerationStatus.Queued)]
    [InlineData("processing", GenerationStatus.Running)]
    public async Task GetJobAsync_InProgress_MapsTheStatusAndAsksForALaterPoll(string status, GenerationStatus expected)
    {
        var job = (await PollAsync(ReplicateDocs.Prediction(status))).GetValueOrThrow();

        Assert.Equal(expected, job.Status);
        Assert.Equal(TimeSpan.FromSeconds(2), job.PollAfter);
    }

    [Fact]
    public async Task GetJobAsync_SucceededWithAnArrayOfUrls_ReturnsEveryOutput()
    {
        var output = """["https://replicate.delivery/a/out-0.webp","https://replicate.delivery/a/out-1.webp"]""";

        var job = (await PollAsync(ReplicateDocs.Prediction("succeeded", output: output, completedAt: "\"2026-11-21T09:00:06.000Z\""))).GetValueOrThrow();

        Assert.Equal(GenerationStatus.Succeeded, job.Status);
        Assert.Equal(2, job.Outputs.Count);
        Assert.All(job.Outputs, o => Assert.Equal("image/webp", o.ContentType));
        Assert.Equal(new DateTimeOffset(2026, 11, 21, 9, 0, 6, TimeSpan.Zero), job.CompletedAt);
    }

    [Fact]
    public async Task GetJobAsync_SucceededWithADataUrl_IsProviderUnavailableNamingIt()
    {
        var result = await PollAsync(ReplicateDocs.Prediction("succeeded", output: "\"data:image/png;base64,iVBORw0KGgo=\""));

        var error = Assert.IsType<ProviderUnavailableError>(result.Error);
        Assert.Contains("data: URL", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetJobAsync_Aborted_EndsAsFailedAndNotCharged()
    {
        var job = (await PollAsync(ReplicateDocs.Prediction("aborted"))).GetValueOrThrow();

        Assert.True(job.IsTerminal);
        Assert.Equal(GenerationStatus.Failed, job.Status);
        Assert.Equal(Money.Usd(0m), job.Charge);
        Assert.True(job.Failure!.Refunded);
        Assert.Contains("not charged", job.Failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetJobAsync_Canceled_EndsAsCanceledAndCharged()
    {
        var job = (await PollAsync(ReplicateDocs.Prediction("canceled"))).GetValueOrThrow();

        Assert.Equal(GenerationStatus.Canceled, job.Status);
        Assert.False(job.Failure!.Refunded);
        Assert.Contains("charged", job.Failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetJobAsync_FailedWithAnError_KeepsTheVendorText()
    {
        var job = (await PollAsync(ReplicateDocs.Prediction("failed", error: "\"The input was flagged as sensitive (safety filter)\""))).GetValueOrThrow();

        Assert.Equal(GenerationStatus.Failed, job.Status);
        Assert.Equal(FailureReason.ContentPolicy, job.Failure!.Reason);
        Assert.Equal("The input was flagged as sensitive (safety filter)", job.Failure.Message);
    }

    [Fact]
    public async Task GetJobAsync_SucceededButDataRemoved_IsFailedAsExpired()
    {
        var job = (await PollAsync(ReplicateDocs.Prediction("succeeded", dataRemoved: true))).GetValueOrThrow();

        Assert.Equal(GenerationStatus.Failed, job.Status);
        Assert.Equal(FailureReason.Expired, job.Failure!.Reason);
        Assert.Contains("one hour", job.Failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetJobAsync_UnknownStatus_IsProviderUnavailableNamingIt()
    {
        var result = await PollAsync(ReplicateDocs.Prediction("paused"));

        var error = Assert.IsType<ProviderUnavailableError>(result.Error);
        Assert.Contains("'paused'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetJobAsync_SucceededWithAnObjectOutput_IsProviderUnavailableNotACrash()
    {
        var result = await PollAsync(ReplicateDocs.Prediction("succeeded", output: """{"text":"hello"}"""));

        Assert.IsType<ProviderUnavailableError>(result.Error);
    }

    [Fact]
    public async Task GetJobAsync_WebhookShapedBodyWithoutUrlsOrModel_IsRead()
    {
        // D6's webhook example lacks model, urls and data_removed, and has logs null and metrics {}.
        var body = """{"id":"gm3qorzdhgbfurvjtvhg6dckhu","version":"hidden","input":{"prompt":"x"},"output":null,"logs":null,"error":null,"status":"starting","created_at":"2026-11-21T09:00:00Z","metrics":{}}""";

        var job = (await PollAsync(body)).GetValueOrThrow();

        Assert.Equal(GenerationStatus.Queued, job.Status);
    }

    [Fact]
    public async Task GetJobAsync_NotFound_IsNotFoundNamingThePrediction()
    {
        var result = await PollAsync("""{"detail":"Not found."}""", 404);

        var error = Assert.IsType<NotFoundError>(result.Error);
        Assert.Contains(ReplicateDocs.PredictionId, error.Message, StringComparison.Ordinal);
    }
}
