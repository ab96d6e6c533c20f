using System.Text.Json.Nodes;
using MediaGen.MeiGen.Tests.TestSupport;
using MediaGen.Testing;

namespace MediaGen.MeiGen.Tests;

/// <summary>The client against the docs' own JSON (stub transport): every documented answer maps as a user expects.</summary>
public sealed class MeiGenGetJobTests
{
    private const string Generate = "/api/generate/v2";
    private const string Status = "/api/generate/v2/status/" + MeiGenDocs.JobId;

    [Fact]
    public async Task SubmitAsync_DocsSubmitResponse_ReturnsRunningJobWithHandleChargeAndQuote()
    {
        var time = new FakeClock();
        var stub = new StubHttpHandler().On(HttpMethod.Post, Generate, 200, MeiGenDocs.SubmitResponse);
        var client = Clients.WithStub(stub, time);

        var job = (await client.SubmitAsync(Clients.Request("nanobanana-2"))).GetValueOrThrow();

        var sent = JsonNode.Parse(stub.Posts.Single().Body)!;
        Assert.Equal("meigen:" + MeiGenDocs.JobId, job.Handle.ToString());
        Assert.Equal(GenerationStatus.Running, job.Status);
        Assert.Equal(Money.Credits(5, "meigen"), job.Charge);
        Assert.Equal(Money.Credits(5, "meigen"), job.Quote!.Amount);
        Assert.Equal("nanobanana-2", job.Handle.Model!.Value.Value);
        Assert.Equal(sent["idempotencyKey"]!.GetValue<string>(), job.Handle.IdempotencyKey);
        Assert.Equal(time.GetUtcNow(), job.Handle.SubmittedAt);
        Assert.Equal(MediaKind.Image, job.Handle.Kind);
        Assert.NotNull(job.Translation);
        Assert.Equal("Bearer " + Clients.ApiKey, stub.Posts.Single().Authorization);
    }

    [Fact]
    public async Task GetJobAsync_DocsProcessing_IsRunningWithoutOutputs()
    {
        var client = Clients.WithStub(new StubHttpHandler().On(HttpMethod.Get, Status, 200, MeiGenDocs.StatusProcessing));

        var job = (await client.GetJobAsync(JobHandle.Parse("meigen:" + MeiGenDocs.JobId))).GetValueOrThrow();

        Assert.Equal(GenerationStatus.Running, job.Status);
        Assert.Empty(job.Outputs);
        Assert.False(job.IsTerminal);
    }

    [Fact]
    public async Task GetJobAsync_DocsImageCompleted_ReturnsTheImageAndTheAppliedRatio()
    {
        var client = Clients.WithStub(new StubHttpHandler().On(HttpMethod.Get, Status, 200, MeiGenDocs.StatusImageCompleted));

        var job = (await client.GetJobAsync(JobHandle.Parse("meigen:" + MeiGenDocs.JobId))).GetValueOrThrow();

        Assert.Equal(GenerationStatus.Succeeded, job.Status);
        var output = Assert.Single(job.Outputs);
        Assert.Equal(new Uri("https://images.meigen.art/generations/xxx.png"), output.Url);
        Assert.Equal(MediaKind.Image, output.Kind);
        Assert.Equal("image/png", output.ContentType);
        Assert.Equal(AspectRatio.Landscape16x9, job.AppliedAspectRatio);
    }

    [Fact]
    public async Task GetJobAsync_DocsVideoCompleted_ReturnsTheVideo()
    {
        var client = Clients.WithStub(new StubHttpHandler().On(HttpMethod.Get, Status, 200, MeiGenDocs.StatusVideoCompleted));

        var job = (await client.GetJobAsync(JobHandle.Parse("meigen:" + MeiGenDocs.JobId))).GetValueOrThrow();

        var output = Assert.Single(job.Outputs);
        Assert.Equal(new Uri("https://images.meigen.art/generations/xxx.mp4"), output.Url);
        Assert.Equal(MediaKind.Video, output.Kind);
        Assert.Equal("video/mp4", output.ContentType);
        Assert.Equal(AspectRatio.Landscape16x9, job.AppliedAspectRatio);
    }

    [Fact]
    public async Task GetJobAsync_DocsFailed_IsAContentPolicyFailureRefunded()
    {
        var client = Clients.WithStub(new StubHttpHandler().On(HttpMethod.Get, Status, 200, MeiGenDocs.StatusFailed));

        var job = (await client.GetJobAsync(JobHandle.Parse("meigen:" + MeiGenDocs.JobId))).GetValueOrThrow();

        Assert.Equal(GenerationStatus.Failed, job.Status);
        Assert.Equal(FailureReason.ContentPolicy, job.Failure!.Reason);
        Assert.Equal("Content policy violation", job.Failure.Message);
        Assert.True(job.Failure.Refunded);
        Assert.Equal(Money.Credits(0, "meigen"), job.Charge);
    }

    [Fact]
    public async Task GetJobAsync_FailedWithAnUpstreamError_IsAProviderErrorWithTheTextVerbatim()
    {
        var json = MeiGenDocs.StatusFailed.Replace("Content policy violation", "Upstream model timed out", StringComparison.Ordinal);
        var client = Clients.WithStub(new StubHttpHandler().On(HttpMethod.Get, Status, 200, json));

        var job = (await client.GetJobAsync(JobHandle.Parse("meigen:" + MeiGenDocs.JobId))).GetValueOrThrow();

        Assert.Equal(FailureReason.ProviderError, job.Failure!.Reason);
        Assert.Equal("Upstream model timed out", job.Failure.Message);
    }

    [Fact]
    public async Task GetJobAsync_MidjourneyFourCandidates_ReturnsFourImagesInOrder()
    {
        var json = """
            {"jobId":"550e8400-e29b-41d4-a716-446655440000","status":"completed",
             "imageUrl":"https://images.meigen.art/generations/a.png",
             "imageUrls":["https://images.meigen.art/generations/a.png","https://images.meigen.art/generations/b.png","https://images.meigen.art/generations/c.png","https://images.meigen.art/generations/d.png"],
             "videoUrl":null,"mediaType":"image","r2Key":"generations/a.png","error":null,"aspectRatio":"3:4"}
            """;
        var client = Clients.WithStub(new StubHttpHandler().On(HttpMethod.Get, Status, 200, json));

        var job = (await client.GetJobAsync(JobHandle.Parse("meigen:" + MeiGenDocs.JobId))).GetValueOrThrow();

        Assert.Equal(["a", "b", "c", "d"], job.Outputs.Select(o => Path.GetFileNameWithoutExtension(o.Url.AbsolutePath)));
        Assert.All(job.Outputs, o => Assert.Equal(MediaKind.Image, o.Kind));
    }

    [Fact]
    public async Task GetJobAsync_OnlyImageUrl_FallsBackToIt()
    {
        var json = MeiGenDocs.StatusImageCompleted.Replace("\"imageUrls\": [\"https://images.meigen.art/generations/xxx.png\"]", "\"imageUrls\": null", StringComparison.Ordinal);
        var client = Clients.WithStub(new StubHttpHandler().On(HttpMethod.Get, Status, 200, json));

        var job = (await client.GetJobAsync(JobHandle.Parse("meigen:" + MeiGenDocs.JobId))).GetValueOrThrow();

        Assert.Equal(new Uri("https://images.meigen.art/generations/xxx.png"), Assert.Single(job.Outputs).Url);
    }

    [Fact]
    public async Task GetJobAsync_Pending_IsReadAsRunning()
    {
        var json = MeiGenDocs.StatusProcessing.Replace("\"processing\"", "\"pending\"", StringComparison.Ordinal);
        var client = Clients.WithStub(new StubHttpHandler().On(HttpMethod.Get, Status, 200, json));

        var job = (await client.GetJobAsync(JobHandle.Parse("meigen:" + MeiGenDocs.JobId))).GetValueOrThrow();

        Assert.Equal(GenerationStatus.Running, job.Status);
    }

    [Fact]
    public async Task GetJobAsync_ExpectedWaitSeconds_EstimatesCompletionFromSubmission()
    {
        var time = new FakeClock();
        var submittedAt = time.GetUtcNow();
        time.Advance(TimeSpan.FromSeconds(20));
        var json = MeiGenDocs.StatusProcessing.Replace("\"error\": null", "\"error\": null, \"pollHintSeconds\": 2380, \"expectedWaitSeconds\": 90", StringComparison.Ordinal);
        var client = Clients.WithStub(new StubHttpHandler().On(HttpMethod.Get, Status, 200, json), time);
        var handle = new JobHandle("meigen", MeiGenDocs.JobId) { SubmittedAt = submittedAt };

        var job = (await client.GetJobAsync(handle)).GetValueOrThrow();

        Assert.Equal(submittedAt + TimeSpan.FromSeconds(90), job.EstimatedCompletionAt);
        Assert.Null(job.PollAfter); // pollHintSeconds is the observation window left, not a poll interval
        Assert.Equal(GenerationStatus.Running, job.Status);
    }

    [Fact]
    public async Task GetJobAsync_ObservationWindowEnded_StopsWaitingWithoutDeclaringFailure()
    {
        var json = MeiGenDocs.StatusProcessing.Replace("\"error\": null", "\"error\": null, \"pollHintSeconds\": 0", StringComparison.Ordinal);
        var client = Clients.WithStub(new StubHttpHandler().On(HttpMethod.Get, Status, 200, json));
        var handle = JobHandle.Parse("meigen:" + MeiGenDocs.JobId);

        var result = await client.GetJobAsync(handle);

        var error = Assert.IsType<TimedOutError>(result.Error);
        Assert.Equal(handle, error.Handle);
        Assert.Equal(GenerationStatus.Running, error.LastKnown!.Status);
        Assert.Contains("not proof of failure", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(400, ErrorKind.InvalidRequest)]
    [InlineData(401, ErrorKind.Unauthorized)]
    [InlineData(402, ErrorKind.InsufficientFunds)]
    [InlineData(404, ErrorKind.NotFound)]
    [InlineData(429, ErrorKind.RateLimited)]
    public async Task SubmitAsync_DocumentedErrorStatus_MapsToTheClosedSetWithTheVendorTextVerbatim(int status, ErrorKind kind)
    {
        var stub = new StubHttpHandler().On(HttpMethod.Post, Generate, status, MeiGenDocs.ErrorEnvelope);
        var client = Clients.WithStub(stub);

        var result = await client.SubmitAsync(Clients.Request("nanobanana-2"));

        Assert.Equal(kind, result.Error!.Kind);
        Assert.Equal("Error description", result.Error.VendorMessage);
        Assert.Equal(status, result.Error.StatusCode);
        Assert.Equal("meigen", result.Error.Provider);
        Assert.True(result.Error.RejectedBeforeBilling);
        Assert.Contains("Error description", result.Error.Message, StringComparison.Ordinal);
        Assert.Single(stub.Requests); // a rejection is final: no look-up, no resend
    }

    [Fact]
    public async Task SubmitAsync_429_CarriesRetryAfter()
    {
        var stub = new StubHttpHandler().On(HttpMethod.Post, Generate, 429, MeiGenDocs.ErrorEnvelope, ("Retry-After", "60"));

        var result = await Clients.WithStub(stub).SubmitAsync(Clients.Request("nanobanana-2"));

        Assert.Equal(TimeSpan.FromSeconds(60), Assert.IsType<RateLimitedError>(result.Error).RetryAfter);
    }

    [Fact]
    public async Task SubmitAsync_402WithBalance_ReportsRequiredAndBalance()
    {
        var stub = new StubHttpHandler().On(HttpMethod.Post, Generate, 402, """{"error":"Insufficient credits","credits":{"daily":10,"purchased":3,"unlimited":false}}""");

        var result = await Clients.WithStub(stub).SubmitAsync(Clients.Request("nanobanana-2"));

        var error = Assert.IsType<InsufficientFundsError>(result.Error);
        Assert.Equal(Money.Credits(5, "meigen"), error.Required);
        Assert.Equal(Money.Credits(3, "meigen"), error.Balance);
    }

    [Theory]
    [InlineData(401, ErrorKind.Unauthorized)]
    [InlineData(404, ErrorKind.NotFound)]
    [InlineData(429, ErrorKind.RateLimited)]
    [InlineData(500, ErrorKind.ProviderUnavailable)]
    [InlineData(503, ErrorKind.ProviderUnavailable)]
    public async Task GetJobAsync_ErrorStatus_MapsToTheClosedSet(int status, ErrorKind kind)
    {
        var client = Clients.WithStub(new StubHttpHandler().On(HttpMethod.Get, Status, status, MeiGenDocs.ErrorEnvelope));

        var result = await client.GetJobAsync(JobHandle.Parse("meigen:" + MeiGenDocs.JobId));

        Assert.Equal(kind, result.Error!.Kind);
        Assert.Equal("Error description", result.Error.VendorMessage);
        Assert.Equal(status, result.Error.StatusCode);
    }

    [Fact]
    public async Task GetJobAsync_AfterSubmit_KeepsTheChargeTheSubmitReported()
    {
        var stub = new StubHttpHandler()
            .On(HttpMethod.Post, Generate, 200, MeiGenDocs.SubmitResponse)
            .On(HttpMethod.Get, Status, 200, MeiGenDocs.StatusImageCompleted);
        var client = Clients.WithStub(stub);
        var submitted = (await client.SubmitAsync(Clients.Request("nanobanana-2"))).GetValueOrThrow();

        var done = (await client.GetJobAsync(submitted.Handle)).GetValueOrThrow();

        Assert.Equal(Money.Credits(5, "meigen"), done.Charge);
    }

    [Theory]
    [InlineData("text/html", "<html><body>502 Bad Gateway</body></html>", "text/html")]
    [InlineData("application/json", "{\"jobId\": \"x\", \"status\": <<not json>>", "could not read")]
    [InlineData("application/json", "{\"jobId\": \"x\", \"status\": 5}", "could not read")]
    [InlineData("application/json", "{\"jobId\": \"x\", \"status\": \"exploded\"}", "unknown status 'exploded'")]
    [InlineData("application/json", "{\"jobId\": \"x\"}", "no status")]
    [InlineData("application/json", "{\"jobId\": \"x\", \"status\": \"completed\", \"imageUrl\": null}", "no usable")]
    public async Task GetJobAsync_UnexpectedBody_IsProviderUnavailableNamingWhatWasWrong(string contentType, string body, string expected)
    {
        var stub = new StubHttpHandler().On(HttpMethod.Get, Status, _ => new HttpResponseMessage(System.Net.HttpStatusCode.OK)
        {
            Content = new StringContent(body, System.Text.Encoding.UTF8, contentType),
        });

        var result = await Clients.WithStub(stub).GetJobAsync(JobHandle.Parse("meigen:" + MeiGenDocs.JobId));

        var error = Assert.IsType<ProviderUnavailableError>(result.Error);
        Assert.Contains("MeiGen", error.Message, StringComparison.Ordinal);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetJobAsync_HandleOfAnotherProvider_IsRefusedWithoutACall()
    {
        var stub = new StubHttpHandler();

        var result = await Clients.WithStub(stub).GetJobAsync(JobHandle.Parse("veogen:123"));

        Assert.Equal(ErrorKind.InvalidRequest, result.Error!.Kind);
        Assert.Empty(stub.Requests);
    }
}
