using System.Net;
using System.Text.Json.Nodes;
using MediaGen.Apiframe.Tests.TestSupport;
using MediaGen.Http;
using MediaGen.Testing;

namespace MediaGen.Apiframe.Tests;

public sealed class ApiframeSubmitTests
{
    private static JsonObject LastBody(EmulatorHost host, string path = "/v2/images/generate") =>
        JsonNode.Parse(host.Requests.Last(r => r.Path == path).Body)!.AsObject();

    [Fact]
    public async Task SubmitAsync_Midjourney_SendsDocumentedBodyHeadersAndReturnsQueuedJobWithHandle()
    {
        var (host, _, time) = await Af.StartAsync();
        await using var _h = host;
        var generator = Af.Create(host);
        var request = Af.Request();
        request.AspectRatio = "16:9";
        request.IdempotencyKey = "key-mj-1";

        var job = (await generator.SubmitAsync(request)).GetValueOrThrow();

        var sent = host.Requests.Single(r => r.Path == "/v2/images/generate");
        Assert.Equal(Af.Key, sent.Header("X-API-Key"));
        Assert.Equal("key-mj-1", sent.Header("Idempotency-Key"));
        var body = JsonNode.Parse(sent.Body)!.AsObject();
        Assert.Equal("a lighthouse at dusk", (string?)body["prompt"]);
        Assert.Equal("midjourney", (string?)body["model"]);
        Assert.Equal("16:9", (string?)body["midjourneyParams"]!["aspect_ratio"]);
        Assert.Equal(GenerationStatus.Queued, job.Status);
        Assert.Equal("apiframe", job.Handle.Provider);
        Assert.True(Guid.TryParse(job.Handle.VendorJobId, out _));
        Assert.Equal("key-mj-1", job.Handle.IdempotencyKey);
        Assert.Equal(new ModelId("midjourney"), job.Handle.Model);
        Assert.Equal(MediaKind.Image, job.Handle.Kind);
        Assert.Equal(time.GetUtcNow(), job.Handle.SubmittedAt);
        Assert.Equal(Money.Credits(16, "apiframe"), job.Quote!.Amount);
        Assert.NotNull(job.Translation);
    }

    [Fact]
    public async Task SubmitAsync_NoKeyOnRequest_MintsOneUuidKey()
    {
        var (host, _, _) = await Af.StartAsync();
        await using var _h = host;
        var job = (await Af.Create(host).SubmitAsync(Af.Request())).GetValueOrThrow();

        var sent = host.Requests.Single(r => r.Path == "/v2/images/generate").Header("Idempotency-Key");
        Assert.True(Guid.TryParse(sent, out _));
        Assert.Equal(sent, job.Handle.IdempotencyKey);
    }

    [Fact]
    public async Task SubmitAsync_GptImage_TranslatesQualityCountRatioAndReferencesIntoGptImageParams()
    {
        var (host, _, _) = await Af.StartAsync();
        await using var _h = host;
        var request = Af.Request("gpt-image-1.5");
        request.Quality = "medium";
        request.Count = 3;
        request.AspectRatio = "3:2";
        request.ReferenceImages = [new Uri("https://example.com/a.png"), new Uri("https://example.com/b.png")];

        var job = (await Af.Create(host).SubmitAsync(request)).GetValueOrThrow();

        var p = LastBody(host)["gptImageParams"]!.AsObject();
        Assert.Equal("medium", (string?)p["quality"]);
        Assert.Equal(3, (int)p["number_of_images"]!);
        Assert.Equal("3:2", (string?)p["aspect_ratio"]);
        Assert.Equal(["https://example.com/a.png", "https://example.com/b.png"], p["input_images"]!.AsArray().Select(x => (string)x!));
        Assert.Equal(Money.Credits(27, "apiframe"), job.Quote!.Amount);
        Assert.Contains("3 images × 9 credits", job.Quote.Basis, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SubmitAsync_Flux_SendsSeedInputImagesAndMatchInputImageForAdaptive()
    {
        var (host, _, _) = await Af.StartAsync();
        await using var _h = host;
        var request = Af.Request("flux-2-pro");
        request.Seed = 42;
        request.AspectRatio = AspectRatio.Adaptive;
        request.ReferenceImages = [new Uri("https://example.com/in.png")];

        (await Af.Create(host).SubmitAsync(request)).GetValueOrThrow();

        var p = LastBody(host)["fluxParams"]!.AsObject();
        Assert.Equal(42, (long)p["seed"]!);
        Assert.Equal("match_input_image", (string?)p["aspect_ratio"]);
        Assert.Equal("https://example.com/in.png", (string?)p["input_images"]![0]);
    }

    [Fact]
    public async Task SubmitAsync_QwenImage2_SendsSingleImageSeedAndRatio()
    {
        var (host, _, _) = await Af.StartAsync();
        await using var _h = host;
        var request = Af.Request("qwen-image-2");
        request.Seed = 7;
        request.AspectRatio = "21:9";
        request.ReferenceImages = [new Uri("https://example.com/edit.png")];

        var job = (await Af.Create(host).SubmitAsync(request)).GetValueOrThrow();

        var p = LastBody(host)["qwenImage2Params"]!.AsObject();
        Assert.Equal("https://example.com/edit.png", (string?)p["image"]);
        Assert.Equal(7, (long)p["seed"]!);
        Assert.Equal("21:9", (string?)p["aspect_ratio"]);
        Assert.Equal(Money.Credits(3, "apiframe"), job.Quote!.Amount);
    }

    [Fact]
    public async Task SubmitAsync_NanoBananaAndReve_UseTheirParamsObjects()
    {
        var (host, _, _) = await Af.StartAsync();
        await using var _h = host;
        var generator = Af.Create(host);
        var banana = Af.Request("nano-banana");
        banana.ReferenceImages = [new Uri("https://example.com/cat.png")];
        banana.ProviderOptions["apiframe"] = new JsonObject { ["output_format"] = "jpg", ["google_search"] = true };
        (await generator.SubmitAsync(banana)).GetValueOrThrow();
        var nb = LastBody(host)["nanoBananaParams"]!.AsObject();
        Assert.Equal("https://example.com/cat.png", (string?)nb["image_input"]![0]);
        Assert.Equal("jpg", (string?)nb["output_format"]);
        Assert.True((bool)nb["google_search"]!);

        var reve = Af.Request("reve-create");
        reve.Seed = 9;
        reve.AspectRatio = "4:3";
        var job = (await generator.SubmitAsync(reve)).GetValueOrThrow();
        var rp = LastBody(host)["reveParams"]!.AsObject();
        Assert.Equal(9, (long)rp["seed"]!);
        Assert.Equal("4:3", (string?)rp["aspect_ratio"]);
        Assert.False(job.Quote!.IsKnown);
    }

    [Fact]
    public async Task SubmitAsync_Kling21_SendsDurationModeStartAndEndImageToVideoEndpoint()
    {
        var (host, _, _) = await Af.StartAsync();
        await using var _h = host;
        var request = Af.Request("kling-2.1", "a drone shot over a fjord");
        request.DurationSeconds = 10;
        request.Mode = "pro";
        request.ReferenceImages = [new Uri("https://example.com/first.png"), new Uri("https://example.com/last.png")];

        var job = (await Af.Create(host).SubmitAsync(request)).GetValueOrThrow();

        var p = LastBody(host, "/v2/videos/generate")["klingParams"]!.AsObject();
        Assert.Equal(10, (int)p["duration"]!);
        Assert.Equal("pro", (string?)p["mode"]);
        Assert.Equal("https://example.com/first.png", (string?)p["start_image"]);
        Assert.Equal("https://example.com/last.png", (string?)p["end_image"]);
        Assert.Equal(MediaKind.Video, job.Handle.Kind);
        Assert.Equal(Money.Credits(10, "apiframe"), job.Quote!.Amount);
    }

    [Fact]
    public async Task SubmitAsync_ProviderOptionOverridesTranslatedField_ReportsAdjustmentAndSendsOption()
    {
        var (host, _, _) = await Af.StartAsync();
        await using var _h = host;
        var request = Af.Request("kling-2.6");
        request.DurationSeconds = 5;
        request.ProviderOptions["apiframe"] = new JsonObject { ["duration"] = 10, ["generate_audio"] = false };

        var job = (await Af.Create(host).SubmitAsync(request)).GetValueOrThrow();

        var p = LastBody(host, "/v2/videos/generate")["klingParams"]!.AsObject();
        Assert.Equal(10, (int)p["duration"]!);
        Assert.False((bool)p["generate_audio"]!);
        Assert.Contains(job.Translation!.Entries, e => e.Field == "ProviderOptions.apiframe.duration" && e.Action == TranslationAction.Adjusted);
        Assert.Equal(Money.Credits(25, "apiframe"), job.Quote!.Amount); // what is priced is what is sent: 10 s without audio
    }

    [Fact]
    public async Task SubmitAsync_StrictModeWithDroppedSetting_RefusesBeforeAnyRequest()
    {
        var stub = new StubHttpHandler();
        var request = Af.Request();
        request.Seed = 1;
        request.Strict = true;

        var result = await Af.Create(stub).SubmitAsync(request);

        var error = Assert.IsType<InvalidRequestError>(result.Error);
        Assert.Contains(error.Errors, e => e.Field == "Seed");
        Assert.Empty(stub.Requests);
    }

    [Fact]
    public async Task SubmitAsync_SeveralBadFields_ReportsEveryOneWithoutNetwork()
    {
        var stub = new StubHttpHandler();
        var request = Af.Request("gpt-image-1.5", new string('x', 2001));
        request.AspectRatio = "16:9";
        request.Count = 11;
        request.Quality = "ultra";
        request.Webhook = new WebhookOptions { Url = new Uri("https://example.com/hook"), Events = ["done"] };

        var error = Assert.IsType<InvalidRequestError>((await Af.Create(stub).SubmitAsync(request)).Error);

        Assert.Equal(["Prompt", "AspectRatio", "Quality", "Count", "Webhook.Events[0]"], error.Errors.Select(e => e.Field));
        Assert.True(error.RejectedBeforeBilling);
        Assert.Empty(stub.Requests);
    }

    [Fact]
    public async Task SubmitAsync_VideoPromptOf4000Chars_IsAcceptedButImageIsNot()
    {
        var stub = new StubHttpHandler();
        var generator = Af.Create(stub);
        var prompt = new string('v', 4000);
        Assert.IsType<InvalidRequestError>((await generator.QuoteAsync(Af.Request("midjourney", prompt))).Error);
        Assert.True((await generator.QuoteAsync(Af.Request("kling-2.6", prompt))).IsSuccess);
        Assert.IsType<InvalidRequestError>((await generator.QuoteAsync(Af.Request("kling-2.6", prompt + "v"))).Error);
    }

    [Fact]
    public async Task SubmitAsync_UnknownModel_IsInvalidRequestNamingModel()
    {
        var error = Assert.IsType<InvalidRequestError>((await Af.Create(new StubHttpHandler()).SubmitAsync(Af.Request("sdxl"))).Error);
        Assert.Equal("Model", error.Errors[0].Field);
    }

    [Fact]
    public async Task SubmitAsync_Webhook_SendsUrlAndEvents()
    {
        var (host, _, _) = await Af.StartAsync();
        await using var _h = host;
        var request = Af.Request();
        request.Webhook = new WebhookOptions { Url = new Uri("http://127.0.0.1:9/hooks"), Events = ["completed", "failed"] };

        (await Af.Create(host).SubmitAsync(request)).GetValueOrThrow();

        var body = LastBody(host);
        Assert.Equal("http://127.0.0.1:9/hooks", (string?)body["webhookUrl"]);
        Assert.Equal(["completed", "failed"], body["webhookEvents"]!.AsArray().Select(x => (string)x!));
    }

    [Fact]
    public async Task SubmitAsync_ConnectionDroppedAfterEmulatorAccepted_RetriesSameKeyAndExactlyOneJobIsCharged()
    {
        var (host, _, time) = await Af.StartAsync();
        await using var _h = host;
        host.Faults.On(HttpMethod.Post, "/v2/images/generate").Once().DropConnectionAfterHandler();
        var request = Af.Request();

        var job = (await time.DriveAsync(Af.Create(host, http: new MediaGenHttpOptions()).SubmitAsync(request))).GetValueOrThrow();

        var posts = host.Requests.Where(r => r.Path == "/v2/images/generate").ToList();
        Assert.Equal(2, posts.Count);
        Assert.Single(posts.Select(p => p.Header("Idempotency-Key")).Distinct());
        Assert.Equal(1, host.Ledger.ChargedJobCount);
        Assert.Equal(16m, host.Ledger.TotalCharged("credits:apiframe"));
        Assert.Equal(host.Jobs.Jobs.Single().Id, job.Handle.VendorJobId);
    }

    [Fact]
    public async Task SubmitAsync_DropsOnEveryAttempt_ReturnsOutcomeUnknownWithKeyAndNeverASecondCharge()
    {
        var (host, _, time) = await Af.StartAsync();
        await using var _h = host;
        host.Faults.On(HttpMethod.Post, "/v2/images/generate").Always().DropConnectionAfterHandler();
        var request = Af.Request();
        request.IdempotencyKey = "k-ambiguous";

        var result = await time.DriveAsync(Af.Create(host, http: new MediaGenHttpOptions { MaxSubmitAttempts = 3 }).SubmitAsync(request));

        var error = Assert.IsType<OutcomeUnknownError>(result.Error);
        Assert.Equal("k-ambiguous", error.IdempotencyKey);
        Assert.False(error.RejectedBeforeBilling);
        Assert.Equal(3, host.Requests.Count(r => r.Path == "/v2/images/generate"));
        Assert.Equal(1, host.Ledger.ChargedJobCount);
    }

    [Fact]
    public async Task SubmitAsync_429WithRetryAfter_WaitsThatLongOnTheClockThenSucceeds()
    {
        var (host, _, time) = await Af.StartAsync();
        await using var _h = host;
        host.Faults.On(HttpMethod.Post, "/v2/images/generate").Once()
            .RespondWith(429, """{"error":"Too many requests"}""", new Dictionary<string, string> { ["Retry-After"] = "7" });
        var start = time.GetUtcNow();

        var job = (await time.DriveAsync(Af.Create(host, http: new MediaGenHttpOptions()).SubmitAsync(Af.Request()))).GetValueOrThrow();

        Assert.True(time.GetUtcNow() - start >= TimeSpan.FromSeconds(7));
        Assert.Equal(GenerationStatus.Queued, job.Status);
        Assert.Equal(1, host.Ledger.ChargedJobCount);
    }

    [Fact]
    public async Task SubmitAsync_RetryAfterLongerThanMaxDelay_ReturnsRateLimitedWithoutWaiting()
    {
        var stub = new StubHttpHandler().Enqueue((HttpStatusCode)429, """{"error":"Too many requests"}""", configure: r => r.Headers.Add("Retry-After", "600"));

        var result = await Af.Create(stub).SubmitAsync(Af.Request());

        var error = Assert.IsType<RateLimitedError>(result.Error);
        Assert.Equal(TimeSpan.FromSeconds(600), error.RetryAfter);
        Assert.Single(stub.Requests);
    }

    [Fact]
    public async Task SubmitAsync_QueueDown503_RetriesThenProviderUnavailableRejectedBeforeBilling()
    {
        var (host, emulator, time) = await Af.StartAsync();
        await using var _h = host;
        emulator.Options.QueueDown = true;

        var result = await time.DriveAsync(Af.Create(host, http: new MediaGenHttpOptions { MaxSubmitAttempts = 2 }).SubmitAsync(Af.Request()));

        var error = Assert.IsType<ProviderUnavailableError>(result.Error);
        Assert.True(error.RejectedBeforeBilling);
        Assert.Equal(503, error.StatusCode);
        Assert.Contains("Job queue is temporarily down", error.VendorMessage, StringComparison.Ordinal);
        Assert.Equal(0, host.Ledger.ChargedJobCount);
    }

    [Fact]
    public async Task SubmitAsync_InsufficientCredits_Returns402ErrorWithRequiredAndBalance()
    {
        var (host, _, _) = await Af.StartAsync();
        await using var _h = host;
        host.Ledger.SetBalance("credits:apiframe", 10);

        var result = await Af.Create(host).SubmitAsync(Af.Request());

        var error = Assert.IsType<InsufficientFundsError>(result.Error);
        Assert.Equal(402, error.StatusCode);
        Assert.Equal(Money.Credits(16, "apiframe"), error.Required);
        Assert.Equal(Money.Credits(10, "apiframe"), error.Balance);
        Assert.Equal("Insufficient credits: This generation costs 16 credits and your balance is 10", error.VendorMessage);
        Assert.Single(host.Requests, r => r.Path == "/v2/images/generate"); // a refusal is not retried
    }

    [Theory]
    [InlineData("afk_wrong_key", 401, "Invalid API key")]
    [InlineData("afk_inactive", 403, "API key is inactive")]
    public async Task SubmitAsync_RefusedKey_ReturnsUnauthorizedWithVendorText(string key, int status, string text)
    {
        var (host, emulator, _) = await Af.StartAsync();
        await using var _h = host;
        emulator.ApiKeys.Accepted.Add(Af.Key); // given a key set, other afk_ keys are unknown
        emulator.ApiKeys.Inactive.Add("afk_inactive");

        var result = await Af.Create(host, o => o.ApiKey = key).SubmitAsync(Af.Request());

        var error = Assert.IsType<UnauthorizedError>(result.Error);
        Assert.Equal(status, error.StatusCode);
        Assert.Equal(text, error.VendorMessage);
        Assert.DoesNotContain(key, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SubmitAsync_Vendor400WithDetails_MapsEachDetailToAFieldError()
    {
        var stub = new StubHttpHandler().Enqueue(HttpStatusCode.BadRequest, """{"error":"Validation error","details":[{"field":"midjourneyParams.aspect_ratio","message":"Invalid aspect ratio"}]}""");

        var error = Assert.IsType<InvalidRequestError>((await Af.Create(stub).SubmitAsync(Af.Request())).Error);

        Assert.Equal(400, error.StatusCode);
        Assert.Equal("Validation error", error.VendorMessage);
        Assert.Equal(new FieldError("midjourneyParams.aspect_ratio", "Invalid aspect ratio"), error.Errors.Single());
        Assert.Single(stub.Requests);
    }

    [Fact]
    public async Task SubmitAsync_HtmlInsteadOfJsonOnEveryAttempt_ReturnsOutcomeUnknownNotAThrow()
    {
        var stub = new StubHttpHandler(_ => new HttpResponseMessage(HttpStatusCode.Accepted) { Content = new StringContent("<html>gateway</html>", System.Text.Encoding.UTF8, "text/html") });

        var time = new FakeClock();

        var result = await time.DriveAsync(Af.Create(stub, time, http: new MediaGenHttpOptions { MaxSubmitAttempts = 2 }).SubmitAsync(Af.Request()));

        var error = Assert.IsType<OutcomeUnknownError>(result.Error);
        Assert.Contains("not JSON", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SubmitAsync_ConnectionRefused_IsProviderUnavailableRejectedBeforeBilling()
    {
        var stub = new StubHttpHandler(_ => throw new HttpRequestException(HttpRequestError.ConnectionError, "refused", new System.Net.Sockets.SocketException((int)System.Net.Sockets.SocketError.ConnectionRefused)));
        var time = new FakeClock();

        var result = await time.DriveAsync(Af.Create(stub, time, http: new MediaGenHttpOptions { MaxSubmitAttempts = 2 }).SubmitAsync(Af.Request()));

        var error = Assert.IsType<ProviderUnavailableError>(result.Error);
        Assert.True(error.RejectedBeforeBilling);
        Assert.Equal(2, stub.Requests.Count);
    }

    [Fact]
    public async Task SubmitAsync_CanceledByCallerWhileInFlight_IsOutcomeUnknownWithKeyAndDoesNotRetry()
    {
        using var cts = new CancellationTokenSource();
        var stub = new StubHttpHandler(_ =>
        {
            cts.Cancel();
            throw new TaskCanceledException("canceled", null, cts.Token);
        });
        var request = Af.Request();
        request.IdempotencyKey = "k-canceled";

        var result = await Af.Create(stub).SubmitAsync(request, cts.Token);

        var error = Assert.IsType<OutcomeUnknownError>(result.Error);
        Assert.Equal("k-canceled", error.IdempotencyKey);
        Assert.False(error.RejectedBeforeBilling);
        Assert.Single(stub.Requests);
    }

    [Fact]
    public async Task SubmitAsync_CanceledBeforeAnythingWasSent_Throws()
    {
        using var cts = new CancellationTokenSource();
        await cts.CancelAsync();
        var stub = new StubHttpHandler(_ => StubHttpHandler.Json(HttpStatusCode.OK, """{"jobId":"j-1","status":"QUEUED"}"""));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Af.Create(stub).SubmitAsync(Af.Request(), cts.Token));
        Assert.Empty(stub.Requests);
    }

    [Fact]
    public async Task SubmitAsync_CanceledDuringBackOffAfterAnAmbiguousAttempt_IsOutcomeUnknownWithKey()
    {
        var stub = new StubHttpHandler().Throw(new HttpRequestException(HttpRequestError.ResponseEnded, "The response ended prematurely."));
        var time = new FakeClock();
        var request = Af.Request();
        request.IdempotencyKey = "k-backoff";
        using var cts = new CancellationTokenSource();

        var submit = Af.Create(stub, time, http: new MediaGenHttpOptions { MaxSubmitAttempts = 3 }).SubmitAsync(request, cts.Token);
        for (var i = 0; i < 100_000 && (stub.Requests.Count == 0 || time.PendingTimerCount < 2) && !submit.IsCompleted; i++)
        {
            await Task.Yield();
        }

        // The first POST failed ambiguously; the shared pipeline's back-off waits on the fake clock (beside its total deadline).
        Assert.Equal(2, time.PendingTimerCount);
        await cts.CancelAsync();
        var result = await submit;

        var error = Assert.IsType<OutcomeUnknownError>(result.Error);
        Assert.Equal("k-backoff", error.IdempotencyKey);
        Assert.Single(stub.Requests);
    }

    [Theory]
    [InlineData(402, """{"error":"Insufficient credits"}""")]
    [InlineData(409, """{"error":"Request already in progress"}""")]
    public async Task SubmitAsync_RefusalAfterAnAmbiguousAttempt_IsOutcomeUnknownKeepingStatusAndVendorText(int status, string body)
    {
        var stub = new StubHttpHandler()
            .Throw(new HttpRequestException(HttpRequestError.ResponseEnded, "The response ended prematurely."))
            .Enqueue((HttpStatusCode)status, body);
        var time = new FakeClock();
        var request = Af.Request();
        request.IdempotencyKey = "k-c2";

        var result = await time.DriveAsync(Af.Create(stub, time, http: new MediaGenHttpOptions()).SubmitAsync(request));

        var error = Assert.IsType<OutcomeUnknownError>(result.Error);
        Assert.False(error.RejectedBeforeBilling);
        Assert.Equal("k-c2", error.IdempotencyKey);
        Assert.Equal(status, error.StatusCode);
        Assert.Contains(System.Text.Json.JsonDocument.Parse(body).RootElement.GetProperty("error").GetString()!, error.VendorMessage, StringComparison.Ordinal);
        Assert.Equal(2, stub.Requests.Count);
    }

    [Theory]
    [InlineData(400, """{"error":"Validation error"}""")]
    [InlineData(404, """{"error":"Not found"}""")]
    public async Task SubmitAsync_RefusalOfTheSameKeyAfterAnAmbiguousAttempt_IsRejectedBeforeBillingByApiframesDedupe(int status, string body)
    {
        // Issue 19: Apiframe dedupes by the Idempotency-Key header, so had the dropped first POST created a job, the
        // resend with the same key would have returned it. Its documented refusal is Apiframe's proof of "not accepted"
        // (earlier: outcome unknown). Not for 402 (the balance may be what the first job spent) or 409 (a job under the key).
        var stub = new StubHttpHandler()
            .Throw(new HttpRequestException(HttpRequestError.ResponseEnded, "The response ended prematurely."))
            .Enqueue((HttpStatusCode)status, body);
        var time = new FakeClock();
        var request = Af.Request();
        request.IdempotencyKey = "k-c2";

        var result = await time.DriveAsync(Af.Create(stub, time, http: new MediaGenHttpOptions()).SubmitAsync(request));

        Assert.True(result.Error!.RejectedBeforeBilling);
        Assert.Contains("Idempotency-Key", result.Error.NotAcceptedProof, StringComparison.Ordinal);
        Assert.Equal(status, result.Error.StatusCode);
        Assert.Equal(2, stub.Requests.Count);
    }

    [Theory]
    [InlineData(503, """{"error":"Service unavailable"}""")]
    [InlineData(502, "<html><body>502 Bad Gateway</body></html>")]
    [InlineData(429, """{"error":"Too many requests"}""")]
    public async Task SubmitAsync_GatewayOrQueueRefusalAfterAnAmbiguousAttempt_IsOutcomeUnknownNotProof(int status, string body)
    {
        // Found by the router chaos test: the first POST was accepted (charged) but its answer was lost; the resend met a
        // brownout 503, which was taken as Apiframe's dedupe proof, so the router failed over and paid again elsewhere.
        // A 5xx or 429 can come from the gateway or the job queue before the key is looked up: it proves nothing.
        var stub = new StubHttpHandler()
            .Throw(new HttpRequestException(HttpRequestError.ResponseEnded, "The response ended prematurely."))
            .Enqueue((HttpStatusCode)status, body)
            .Enqueue((HttpStatusCode)status, body)
            .Enqueue((HttpStatusCode)status, body);
        var time = new FakeClock();
        var request = Af.Request();
        request.IdempotencyKey = "k-gw";

        var result = await time.DriveAsync(Af.Create(stub, time, http: new MediaGenHttpOptions { MaxSubmitAttempts = 2 }).SubmitAsync(request));

        var error = Assert.IsType<OutcomeUnknownError>(result.Error);
        Assert.False(error.RejectedBeforeBilling);
        Assert.Null(error.NotAcceptedProof);
        Assert.Equal("k-gw", error.IdempotencyKey);
    }

    [Fact]
    public async Task SubmitAsync_409OnTheFirstAttempt_IsOutcomeUnknownNotRejected()
    {
        var stub = new StubHttpHandler().Enqueue(HttpStatusCode.Conflict, """{"error":"Idempotency key already used"}""");
        var request = Af.Request();
        request.IdempotencyKey = "k-409";

        var result = await Af.Create(stub).SubmitAsync(request);

        var error = Assert.IsType<OutcomeUnknownError>(result.Error);
        Assert.False(error.RejectedBeforeBilling);
        Assert.Equal("k-409", error.IdempotencyKey);
        Assert.Equal(409, error.StatusCode);
        Assert.Single(stub.Requests);
    }

    [Theory]
    [InlineData(307)]
    [InlineData(408)]
    [InlineData(425)]
    [InlineData(499)]
    public async Task SubmitAsync_UndocumentedStatus_IsResentWithTheSameKeyAndAdoptsTheJob(int status)
    {
        var stub = new StubHttpHandler()
            .Enqueue((HttpStatusCode)status, """{"error":"odd"}""")
            .Enqueue(HttpStatusCode.OK, """{"jobId":"job-1","status":"QUEUED"}""");
        var time = new FakeClock();

        var job = (await time.DriveAsync(Af.Create(stub, time, http: new MediaGenHttpOptions()).SubmitAsync(Af.Request()))).GetValueOrThrow();

        Assert.Equal("job-1", job.Handle.VendorJobId);
        Assert.Equal(2, stub.Requests.Count);
        Assert.Single(stub.Requests.Select(r => r.Headers["Idempotency-Key"]).Distinct());
    }

    [Fact]
    public async Task SubmitAsync_UndocumentedStatusOnEveryAttempt_IsOutcomeUnknownNotRejected()
    {
        var stub = new StubHttpHandler(_ => StubHttpHandler.Json(HttpStatusCode.RequestTimeout, """{"error":"timeout"}"""));
        var time = new FakeClock();
        var request = Af.Request();
        request.IdempotencyKey = "k-408";

        var result = await time.DriveAsync(Af.Create(stub, time, http: new MediaGenHttpOptions { MaxSubmitAttempts = 2 }).SubmitAsync(request));

        var error = Assert.IsType<OutcomeUnknownError>(result.Error);
        Assert.Equal("k-408", error.IdempotencyKey);
        Assert.Equal(408, error.StatusCode);
        Assert.Equal(2, stub.Requests.Count);
    }

    [Fact]
    public async Task Create_WithoutAClient_SendsThroughTheSharedResilienceHandler()
    {
        var (host, _, time) = await Af.StartAsync();
        await using var _h = host;
        using var generator = (IDisposable)ApiframeProvider.Create(Af.Options(host.BaseAddress), null, time);
        var apiframe = (IMediaGenerator)generator;
        var job = (await time.DriveAsync(apiframe.SubmitAsync(Af.Request()))).GetValueOrThrow();
        host.Faults.On(HttpMethod.Get, $"/v2/jobs/{job.Handle.VendorJobId}").Once().RespondWith(500, """{"error":"Internal error"}""");

        var polled = await time.DriveAsync(apiframe.GetJobAsync(job.Handle));

        Assert.True(polled.IsSuccess, polled.Error?.Message); // a plain HttpClient surfaces the one 500; the shared handler retries the read
        Assert.Equal(2, host.Requests.Count(r => r.Method == "GET" && r.Path == $"/v2/jobs/{job.Handle.VendorJobId}"));
    }
}
