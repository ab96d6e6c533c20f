using System.Text.Json.Nodes;
using MediaGen.Replicate.Tests.TestSupport;
using MediaGen.Testing;

namespace MediaGen.Replicate.Tests;

/// <summary>
/// Creating a prediction: the official-model endpoint, Cancel-After, Prefer: wait, and paying once without an
/// idempotency key (an ambiguous create is reconciled through the prediction list, never sent again).
/// </summary>
public sealed class ReplicateSubmitTests
{
    private static readonly HttpMethod Post = HttpMethod.Post;
    private static readonly HttpMethod Get = HttpMethod.Get;

    [Fact]
    public async Task SubmitAsync_ShortImageModel_PostsInputToTheOfficialModelEndpointWithCancelAfterAndPreferWait()
    {
        var stub = new StubHttpHandler().On(Post, "/v1/models/google/nano-banana-pro/predictions", 201, ReplicateDocs.Prediction("starting"));
        using var provider = Stubbed.Create(stub);
        var request = new GenerationRequest("google/nano-banana-pro", "a lighthouse at dusk")
        {
            AspectRatio = "16:9",
            Resolution = "4K",
            ReferenceImages = [new Uri("https://example.com/a.png")],
        };

        var job = (await provider.SubmitAsync(request)).GetValueOrThrow();

        var sent = Assert.Single(stub.Requests);
        Assert.Equal("Bearer " + Stubbed.Token, sent.Authorization);
        Assert.Equal("600s", sent.Header("Cancel-After"));
        Assert.Equal("wait=15", sent.Header("Prefer"));
        var body = JsonNode.Parse(sent.Body)!.AsObject();
        Assert.Null(body["version"]);
        Assert.Equal("a lighthouse at dusk", (string?)body["input"]!["prompt"]);
        Assert.Equal("16:9", (string?)body["input"]!["aspect_ratio"]);
        Assert.Equal("4K", (string?)body["input"]!["resolution"]);
        Assert.Equal("https://example.com/a.png", (string?)body["input"]!["image_input"]![0]);
        Assert.Equal(ReplicateDocs.PredictionId, job.Handle.VendorJobId);
        Assert.Equal("replicate", job.Handle.Provider);
        Assert.Equal(GenerationStatus.Queued, job.Status);
    }

    [Fact]
    public async Task SubmitAsync_VideoModel_SendsTheVideoCancelAfterAndNoPreferWait()
    {
        var stub = new StubHttpHandler().On(Post, "/v1/models/google/veo-3.1/predictions", 201, ReplicateDocs.Prediction("starting", model: "google/veo-3.1"));
        using var provider = Stubbed.Create(stub);

        var job = (await provider.SubmitAsync(new GenerationRequest("google/veo-3.1", "waves") { DurationSeconds = 6, Resolution = "720p", Seed = 7 })).GetValueOrThrow();

        var sent = Assert.Single(stub.Requests);
        Assert.Equal("1200s", sent.Header("Cancel-After"));
        Assert.Null(sent.Header("Prefer"));
        var input = JsonNode.Parse(sent.Body)!["input"]!;
        Assert.Equal(6, (int)input["duration"]!);
        Assert.Equal(7, (long)input["seed"]!);
        Assert.Equal(MediaKind.Video, job.Handle.Kind);
    }

    [Fact]
    public async Task SubmitAsync_CancelAfterProviderOption_IsSentAsTheHeaderNotAsInput()
    {
        var stub = new StubHttpHandler().On(Post, "/v1/models/google/nano-banana-2/predictions", 201, ReplicateDocs.Prediction("starting", model: "google/nano-banana-2"));
        using var provider = Stubbed.Create(stub);
        var request = new GenerationRequest("google/nano-banana-2", "a cat");
        request.ProviderOptions["replicate"] = new JsonObject { ["cancel_after"] = "1h30m", ["output_format"] = "png" };

        (await provider.SubmitAsync(request)).GetValueOrThrow();

        var sent = Assert.Single(stub.Requests);
        Assert.Equal("5400s", sent.Header("Cancel-After"));
        var input = JsonNode.Parse(sent.Body)!["input"]!.AsObject();
        Assert.False(input.ContainsKey("cancel_after"));
        Assert.Equal("png", (string?)input["output_format"]);
    }

    [Fact]
    public async Task SubmitAsync_PreferWaitAnswersSucceeded_ReturnsTheOutputsWithoutAnyPoll()
    {
        var done = ReplicateDocs.Prediction("succeeded", output: "\"https://replicate.delivery/xezq/abc/out.jpg\"", completedAt: "\"2026-11-21T09:00:06.000Z\"");
        var stub = new StubHttpHandler().On(Post, "/v1/models/google/nano-banana-pro/predictions", 201, done);
        using var provider = Stubbed.Create(stub);

        var job = (await provider.SubmitAsync(new GenerationRequest("google/nano-banana-pro", "a lighthouse at dusk"))).GetValueOrThrow();

        Assert.Equal(GenerationStatus.Succeeded, job.Status);
        var output = Assert.Single(job.Outputs);
        Assert.Equal("https://replicate.delivery/xezq/abc/out.jpg", output.Url.AbsoluteUri);
        Assert.Equal("image/jpeg", output.ContentType);
        Assert.Single(stub.Requests);
    }

    [Fact]
    public async Task SubmitAsync_PreferWaitTimesOutOnTheServer_ReturnsTheRunningPredictionAndNeverCreatesAgain()
    {
        // D1: a model not finished within the wait answers with the prediction in progress (201/202, processing).
        var stub = new StubHttpHandler().On(Post, "/v1/models/google/nano-banana-pro/predictions", 202, ReplicateDocs.Prediction("processing"));
        using var provider = Stubbed.Create(stub);

        var job = (await provider.SubmitAsync(new GenerationRequest("google/nano-banana-pro", "a lighthouse at dusk"))).GetValueOrThrow();

        Assert.Equal(GenerationStatus.Running, job.Status);
        Assert.Single(stub.Requests);
    }

    [Fact]
    public async Task SubmitAsync_ConnectionDroppedAfterTheCreate_AdoptsTheOnePredictionFoundInTheListWithoutResending()
    {
        var time = new FakeClock(Stubbed.Now);
        var mine = ReplicateDocs.Prediction("starting", id: "mine1", input: """{"prompt":"a lighthouse at dusk","aspect_ratio":"1:1","resolution":"2K","output_format":"jpg"}""");
        var otherModel = ReplicateDocs.Prediction("starting", id: "other1", model: "google/nano-banana-2");
        var otherInput = ReplicateDocs.Prediction("starting", id: "other2", input: """{"prompt":"something else"}""");
        var stub = new StubHttpHandler()
            .On(Post, "/v1/models/google/nano-banana-pro/predictions", _ => throw new HttpRequestException(HttpRequestError.ResponseEnded, "the server closed the connection"))
            .On(Get, "/v1/predictions", 200, ReplicateDocs.List(null, otherModel, mine, otherInput));
        using var provider = Stubbed.Create(stub, time: time);

        var job = (await provider.SubmitAsync(new GenerationRequest("google/nano-banana-pro", "a lighthouse at dusk") { AspectRatio = "1:1", IdempotencyKey = "logical-1" })).GetValueOrThrow();

        Assert.Equal("mine1", job.Handle.VendorJobId);
        Assert.Equal("logical-1", job.Handle.IdempotencyKey);
        Assert.Single(stub.Requests, r => r.Method == Post);
        var list = Assert.Single(stub.Requests, r => r.Method == Get);
        Assert.Equal("?created_after=2026-11-21T08%3A58%3A00.000Z&created_before=2026-11-21T09%3A02%3A00.000Z", list.Uri.Query);
    }

    [Fact]
    public async Task SubmitAsync_ServerErrorOnCreateAndTwoMatchingPredictions_IsOutcomeUnknownAndNeverResent()
    {
        var a = ReplicateDocs.Prediction("starting", id: "a1");
        var b = ReplicateDocs.Prediction("starting", id: "b2");
        var stub = new StubHttpHandler()
            .On(Post, "/v1/models/google/nano-banana-pro/predictions", 502, """{"detail":"Bad gateway"}""")
            .On(Get, "/v1/predictions", 200, ReplicateDocs.List(null, a, b));
        using var provider = Stubbed.Create(stub);

        var result = await provider.SubmitAsync(new GenerationRequest("google/nano-banana-pro", "a lighthouse at dusk") { IdempotencyKey = "logical-2" });

        var unknown = Assert.IsType<OutcomeUnknownError>(result.Error);
        Assert.Contains("a1, b2", unknown.Message, StringComparison.Ordinal);
        Assert.Single(stub.Requests, r => r.Method == Post);
    }

    [Fact]
    public async Task SubmitAsync_AmbiguousCreateAndAnEmptyList_FollowsNextThenReportsOutcomeUnknown()
    {
        var stub = new StubHttpHandler()
            .On(Post, "/v1/models/google/nano-banana-pro/predictions", _ => throw new TaskCanceledException("timed out"))
            .On(Get, "/v1/predictions",
                _ => Stubbed.Json(200, ReplicateDocs.List("https://api.replicate.com/v1/predictions?cursor=abc", ReplicateDocs.Prediction("starting", id: "x", model: "openai/sora-2"))),
                _ => Stubbed.Json(200, ReplicateDocs.List(null)));
        using var provider = Stubbed.Create(stub);

        var result = await provider.SubmitAsync(new GenerationRequest("google/nano-banana-pro", "a lighthouse at dusk"));

        Assert.IsType<OutcomeUnknownError>(result.Error);
        Assert.Equal(2, stub.Requests.Count(r => r.Method == Get));
        Assert.Contains(stub.Requests, r => r.Uri.Query == "?cursor=abc");
        Assert.Single(stub.Requests, r => r.Method == Post);
    }

    [Fact]
    public async Task SubmitAsync_Throttled_IsRateLimitedWithTheDelayTheDetailGives()
    {
        var stub = new StubHttpHandler().On(Post, "/v1/models/google/nano-banana-pro/predictions", 429, ReplicateDocs.Throttled);
        using var provider = Stubbed.Create(stub);

        var result = await provider.SubmitAsync(new GenerationRequest("google/nano-banana-pro", "a lighthouse at dusk"));

        var limited = Assert.IsType<RateLimitedError>(result.Error);
        Assert.Equal(TimeSpan.FromSeconds(30), limited.RetryAfter);
        Assert.Single(stub.Requests);
    }

    [Fact]
    public async Task SubmitAsync_InvalidVersion422_IsInvalidRequestRefusedBeforeBilling()
    {
        var stub = new StubHttpHandler().On(Post, "/v1/models/google/nano-banana-pro/predictions", 422, ReplicateDocs.InvalidVersion);
        using var provider = Stubbed.Create(stub);

        var result = await provider.SubmitAsync(new GenerationRequest("google/nano-banana-pro", "a lighthouse at dusk"));

        var error = Assert.IsType<InvalidRequestError>(result.Error);
        Assert.Contains("The specified version does not exist", error.VendorMessage, StringComparison.Ordinal);
        Assert.Single(stub.Requests);
    }

    [Fact]
    public async Task SubmitAsync_Unauthenticated401_IsUnauthorized()
    {
        var stub = new StubHttpHandler().On(Post, "/v1/models/google/nano-banana-pro/predictions", 401, ReplicateDocs.Unauthenticated);
        using var provider = Stubbed.Create(stub);

        var result = await provider.SubmitAsync(new GenerationRequest("google/nano-banana-pro", "a lighthouse at dusk"));

        Assert.IsType<UnauthorizedError>(result.Error);
        Assert.DoesNotContain(Stubbed.Token, result.Error!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SubmitAsync_VersionProviderOption_PostsToThePredictionsEndpointWithTheVersion()
    {
        var stub = new StubHttpHandler().On(Post, "/v1/predictions", 201, ReplicateDocs.Prediction("starting"));
        using var provider = Stubbed.Create(stub);
        var request = new GenerationRequest("google/nano-banana-pro", "a lighthouse at dusk");
        request.ProviderOptions["replicate"] = new JsonObject { ["version"] = "google/nano-banana-pro" };

        (await provider.SubmitAsync(request)).GetValueOrThrow();

        var body = JsonNode.Parse(Assert.Single(stub.Requests).Body)!.AsObject();
        Assert.Equal("google/nano-banana-pro", (string?)body["version"]);
        Assert.False(body["input"]!.AsObject().ContainsKey("version"));
    }

    [Fact]
    public async Task SubmitAsync_Webhook_SendsTheUrlAndTheCompletedFilter()
    {
        var stub = new StubHttpHandler().On(Post, "/v1/models/google/nano-banana-pro/predictions", 201, ReplicateDocs.Prediction("starting"));
        using var provider = Stubbed.Create(stub);
        var request = new GenerationRequest("google/nano-banana-pro", "a lighthouse at dusk")
        {
            Webhook = new WebhookOptions { Url = new Uri("https://example.com/hooks/replicate"), Events = ["completed", "failed"] },
        };

        (await provider.SubmitAsync(request)).GetValueOrThrow();

        var body = JsonNode.Parse(Assert.Single(stub.Requests).Body)!.AsObject();
        Assert.Equal("https://example.com/hooks/replicate", (string?)body["webhook"]);
        Assert.Equal("completed", (string?)Assert.Single(body["webhook_events_filter"]!.AsArray()));
    }

    [Fact]
    public async Task QuoteAsync_PlainHttpWebhookOffLoopback_IsRefused()
    {
        using var provider = Stubbed.Create(new StubHttpHandler());
        var request = new GenerationRequest("google/nano-banana-pro", "x") { Webhook = new WebhookOptions { Url = new Uri("http://example.com/hook") } };

        var result = await provider.QuoteAsync(request);

        var error = Assert.IsType<InvalidRequestError>(result.Error);
        Assert.Contains(error.Errors, e => e.Field == "Webhook.Url");
    }
}
