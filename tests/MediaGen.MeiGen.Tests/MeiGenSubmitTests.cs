using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using MediaGen.MeiGen.Tests.TestSupport;
using MediaGen.Testing;

namespace MediaGen.MeiGen.Tests;

/// <summary>Paying once on the wire: what happens after every kind of failed submit (stub transport).</summary>
public sealed class MeiGenSubmitTests
{
    private const string Generate = "/api/generate/v2";
    private const string AnyLookup = "/api/generate/v2/requests/*";

    private static string RequestsPath(string key) => "/api/generate/v2/requests/" + key;

    private static string Key(StubHttpRequest post) => JsonNode.Parse(post.Body)!["idempotencyKey"]!.GetValue<string>();

    private static string FoundJson => """
        {"jobId":"550e8400-e29b-41d4-a716-446655440000","generationId":"550e8400-e29b-41d4-a716-446655440000","requestId":"k","status":"processing",
         "imageUrl":null,"imageUrls":null,"videoUrl":null,"mediaType":"image","r2Key":null,"error":null,"modelId":"nanobanana-2","creditsUsed":5}
        """;

    [Fact]
    public async Task SubmitAsync_ServerErrorThenFoundByKey_AdoptsTheJobWithoutResending()
    {
        const string key = "0b7e9d52-4c3c-4f36-9a55-1f0e7e2f8a10";
        var stub = new StubHttpHandler()
            .On(HttpMethod.Post, Generate, 500, """{"error":"Internal error"}""")
            .On(HttpMethod.Get, RequestsPath(key), 200, FoundJson);
        var request = Clients.Request("nanobanana-2");
        request.IdempotencyKey = key;

        var job = (await Clients.WithStub(stub).SubmitAsync(request)).GetValueOrThrow();

        Assert.Equal("550e8400-e29b-41d4-a716-446655440000", job.Handle.VendorJobId);
        Assert.Equal(key, job.Handle.IdempotencyKey);
        Assert.Equal(Money.Credits(5, "meigen"), job.Charge);
        Assert.Single(stub.Posts);
    }

    [Fact]
    public async Task SubmitAsync_ServerErrorThenRequestNotFound_ResendsOnceWithTheSameKey()
    {
        var lookups = 0;
        var stub = new StubHttpHandler()
            .On(HttpMethod.Post, Generate, _ => StubHttpHandler.Json(502, """{"error":"Bad gateway"}"""), _ => StubHttpHandler.Json(200, MeiGenDocs.SubmitResponse))
            .Always(HttpMethod.Get, AnyLookup, _ =>
            {
                lookups++;
                return StubHttpHandler.Json(404, MeiGenDocs.RequestNotFound);
            });

        var job = (await Clients.WithStub(stub).SubmitAsync(Clients.Request("nanobanana-2"))).GetValueOrThrow();

        Assert.Equal(MeiGenDocs.JobId, job.Handle.VendorJobId);
        var posts = stub.Posts.ToList();
        Assert.Equal(2, posts.Count);
        Assert.Equal(posts[0].Body, posts[1].Body);
        Assert.Equal(Key(posts[0]), job.Handle.IdempotencyKey);
        Assert.Equal(1, lookups);
    }

    [Fact]
    public async Task SubmitAsync_NeverAcceptedTwice_IsRejectedBeforeBillingNamingTheProofAndTheKey()
    {
        // Issue 19 (settled means settled): the request log answering request_not_found after each failed POST is
        // MeiGen's proof that it did not accept the submit, so it is refused before billing and the router may fail
        // over. The residual risk (a gateway 503 whose backend commits after the look-up, audit I1) is documented in
        // docs/paying-once.md; the key is kept in the message so a late commit can be recognised by it.
        var stub = new StubHttpHandler()
            .Always(HttpMethod.Post, Generate, 503, """{"error":"Service unavailable"}""")
            .Always(HttpMethod.Get, AnyLookup, 404, MeiGenDocs.RequestNotFound);

        var result = await Clients.WithStub(stub).SubmitAsync(Clients.Request("nanobanana-2"));

        var error = Assert.IsType<ProviderUnavailableError>(result.Error);
        Assert.True(error.RejectedBeforeBilling);
        Assert.Contains("request_not_found", error.NotAcceptedProof, StringComparison.Ordinal);
        Assert.Contains(Key(stub.Posts.First()), error.Message, StringComparison.Ordinal);
        Assert.Equal(503, error.StatusCode);
        Assert.Equal(2, stub.Posts.Count());
    }

    [Fact]
    public async Task SubmitAsync_NeverAcceptedWithTheRequestLogDown_IsOutcomeUnknownWithTheKey()
    {
        // Without the vendor's proof the submit stays outcome unknown: only a submit MeiGen can account for moves on.
        var stub = new StubHttpHandler()
            .Always(HttpMethod.Post, Generate, 503, """{"error":"Service unavailable"}""")
            .Always(HttpMethod.Get, AnyLookup, 503, """{"error":"Service unavailable"}""");

        var result = await Clients.WithStub(stub).SubmitAsync(Clients.Request("nanobanana-2"));

        var error = Assert.IsType<OutcomeUnknownError>(result.Error);
        Assert.False(error.RejectedBeforeBilling);
        Assert.Null(error.NotAcceptedProof);
        Assert.Equal(Key(stub.Posts.First()), error.IdempotencyKey);
        Assert.Single(stub.Posts);
    }

    [Theory]
    [InlineData(400)]
    [InlineData(402)]
    [InlineData(429)]
    [InlineData(0)]
    public async Task SubmitAsync_ResendAfterProvenNotAcceptedRefused_IsThatRefusalRejectedBeforeBilling(int resendStatus)
    {
        // Attempt 1 is a 502 whose key MeiGen's request log does not know (its proof of "not accepted"); the resend is
        // refused (or never connects). Earlier that read as outcome unknown; the proof covers attempt 1, so the resend's
        // own refusal stands, with the proof named on it.
        var stub = new StubHttpHandler()
            .On(
                HttpMethod.Post,
                Generate,
                _ => StubHttpHandler.Json(502, """{"error":"Bad gateway"}"""),
                _ => resendStatus == 0
                    ? throw new HttpRequestException(HttpRequestError.ConnectionError, "refused", new SocketException((int)SocketError.ConnectionRefused))
                    : StubHttpHandler.Json(resendStatus, """{"error":"Refused"}"""))
            .Always(HttpMethod.Get, AnyLookup, 404, MeiGenDocs.RequestNotFound);

        var result = await Clients.WithStub(stub).SubmitAsync(Clients.Request("nanobanana-2"));

        Assert.True(result.Error!.RejectedBeforeBilling);
        Assert.IsNotType<OutcomeUnknownError>(result.Error);
        Assert.NotNull(result.Error.NotAcceptedProof);
        Assert.Equal(2, stub.Posts.Count());
    }

    [Fact]
    public async Task SubmitAsync_ResendHeldBackByTheLimiter_WaitsForAPermitAndAdoptsTheJob()
    {
        // One permit a minute: attempt 1 takes it; the resend must wait for the next one, not refuse with
        // "nothing was sent or charged" (audit I1).
        var time = new FakeClock();
        var stub = new StubHttpHandler()
            .On(HttpMethod.Post, Generate, _ => StubHttpHandler.Json(502, """{"error":"Bad gateway"}"""), _ => StubHttpHandler.Json(200, MeiGenDocs.SubmitResponse))
            .Always(HttpMethod.Get, AnyLookup, 404, MeiGenDocs.RequestNotFound);
        var client = Clients.WithStub(stub, time, o => o.RequestsPerMinute = 1);
        var started = time.GetUtcNow();

        var job = (await time.DriveAsync(client.SubmitAsync(Clients.Request("nanobanana-2")), TimeSpan.FromMinutes(5))).GetValueOrThrow();

        Assert.Equal(MeiGenDocs.JobId, job.Handle.VendorJobId);
        Assert.Equal(2, stub.Posts.Count());
        Assert.True(time.GetUtcNow() - started >= TimeSpan.FromMinutes(1));
    }

    [Fact]
    public async Task SubmitAsync_CallerCancelsWhileTheResendWaitsForAPermit_ThrowsCanceledSinceTheLogProvedNothingWasAccepted()
    {
        // The request log proved attempt 1 was not accepted, so canceling before the resend is like canceling before
        // anything was sent (earlier: outcome unknown).
        var time = new FakeClock();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30), time);
        var stub = new StubHttpHandler()
            .Always(HttpMethod.Post, Generate, 502, """{"error":"Bad gateway"}""")
            .Always(HttpMethod.Get, AnyLookup, 404, MeiGenDocs.RequestNotFound);
        var client = Clients.WithStub(stub, time, o => o.RequestsPerMinute = 1);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => time.DriveAsync(client.SubmitAsync(Clients.Request("nanobanana-2"), cts.Token), TimeSpan.FromMinutes(5)));

        Assert.Single(stub.Posts);
    }

    [Theory]
    [InlineData("""{"success":true,"status":"processing"}""")]
    [InlineData("""{"generationId": 42""")]
    public async Task SubmitAsync_TwoHundredWithoutReadableIdThenNotFound_IsOutcomeUnknownWithoutResending(string body)
    {
        // A 2xx proves MeiGen accepted the request; a look-up that has not caught up yet must not start the
        // "never accepted" path (no resend, never "nothing was charged").
        var stub = new StubHttpHandler()
            .Always(HttpMethod.Post, Generate, 200, body)
            .Always(HttpMethod.Get, AnyLookup, 404, MeiGenDocs.RequestNotFound);

        var result = await Clients.WithStub(stub).SubmitAsync(Clients.Request("nanobanana-2"));

        var error = Assert.IsType<OutcomeUnknownError>(result.Error);
        Assert.False(error.RejectedBeforeBilling);
        Assert.Equal(Key(stub.Posts.Single()), error.IdempotencyKey);
        Assert.Equal(200, error.StatusCode);
    }

    [Theory]
    [InlineData(301)]
    [InlineData(307)]
    [InlineData(408)]
    [InlineData(413)]
    [InlineData(415)]
    [InlineData(418)]
    [InlineData(425)]
    [InlineData(499)]
    public async Task SubmitAsync_UndocumentedStatus_LooksUpByKeyAndAdoptsTheJob(int status)
    {
        // Audit I8: only the refusals MeiGen documents are "rejected before billing"; any other status on a submit
        // (a redirect not followed, a proxy's 499 …) is ambiguous and settled by the request log.
        var stub = new StubHttpHandler()
            .On(HttpMethod.Post, Generate, status, """{"error":"odd"}""")
            .Always(HttpMethod.Get, AnyLookup, 200, FoundJson);

        var job = (await Clients.WithStub(stub).SubmitAsync(Clients.Request("nanobanana-2"))).GetValueOrThrow();

        Assert.Equal("550e8400-e29b-41d4-a716-446655440000", job.Handle.VendorJobId);
        Assert.Single(stub.Posts);
    }

    [Theory]
    [InlineData(499)]
    [InlineData(413)]
    public async Task SubmitAsync_UndocumentedStatusTwiceAndNeverFound_IsRejectedBeforeBillingByTheRequestLog(int status)
    {
        var stub = new StubHttpHandler()
            .Always(HttpMethod.Post, Generate, status, """{"error":"odd"}""")
            .Always(HttpMethod.Get, AnyLookup, 404, MeiGenDocs.RequestNotFound);

        var result = await Clients.WithStub(stub).SubmitAsync(Clients.Request("nanobanana-2"));

        var error = Assert.IsType<ProviderUnavailableError>(result.Error);
        Assert.True(error.RejectedBeforeBilling);
        Assert.Equal(status, error.StatusCode);
        Assert.Equal(2, stub.Posts.Count());
    }

    [Theory]
    [InlineData(400)]
    [InlineData(401)]
    [InlineData(402)]
    [InlineData(403)]
    [InlineData(404)]
    [InlineData(422)]
    [InlineData(429)]
    public async Task SubmitAsync_DocumentedRefusal_IsRejectedBeforeBillingWithoutLookUp(int status)
    {
        var stub = new StubHttpHandler().On(HttpMethod.Post, Generate, status, """{"error":"No"}""");

        var result = await Clients.WithStub(stub).SubmitAsync(Clients.Request("nanobanana-2"));

        Assert.True(result.Error!.RejectedBeforeBilling);
        Assert.Equal(status, result.Error.StatusCode);
        Assert.Single(stub.Requests);
    }

    [Theory]
    [InlineData(404, "text/html", "<html>Not Found</html>")]
    [InlineData(404, "application/json", """{"error":"Not found"}""")]
    [InlineData(500, "application/json", """{"error":"Internal error"}""")]
    [InlineData(200, "application/json", """{"status":"processing"}""")]
    public async Task SubmitAsync_AmbiguousAndLookUpUnsettled_IsOutcomeUnknownWithTheKey(int lookupStatus, string contentType, string lookupBody)
    {
        var stub = new StubHttpHandler()
            .On(HttpMethod.Post, Generate, 504, """{"error":"Gateway timeout"}""")
            .Always(HttpMethod.Get, AnyLookup, _ => new HttpResponseMessage((HttpStatusCode)lookupStatus)
            {
                Content = new StringContent(lookupBody, System.Text.Encoding.UTF8, contentType),
            });

        var result = await Clients.WithStub(stub).SubmitAsync(Clients.Request("nanobanana-2"));

        var error = Assert.IsType<OutcomeUnknownError>(result.Error);
        Assert.Equal(Key(stub.Posts.Single()), error.IdempotencyKey);
        Assert.False(error.RejectedBeforeBilling);
        Assert.Equal(504, error.StatusCode);
        Assert.Single(stub.Posts);
    }

    [Fact]
    public async Task SubmitAsync_Conflict409AndFoundByKey_AdoptsThatJobWithoutANewKey()
    {
        // Audit I2: a 409 means a job already exists under this key; reporting it as an invalid request (rejected
        // before billing) would let the router fail over and pay a second vendor.
        const string key = "0b7e9d52-4c3c-4f36-9a55-1f0e7e2f8a10";
        var stub = new StubHttpHandler()
            .On(HttpMethod.Post, Generate, 409, """{"success":false,"code":"idempotency_conflict","error":"Key reused"}""")
            .On(HttpMethod.Get, RequestsPath(key), 200, FoundJson);
        var request = Clients.Request("nanobanana-2");
        request.IdempotencyKey = key;

        var job = (await Clients.WithStub(stub).SubmitAsync(request)).GetValueOrThrow();

        Assert.Equal("550e8400-e29b-41d4-a716-446655440000", job.Handle.VendorJobId);
        Assert.Equal(key, job.Handle.IdempotencyKey);
        Assert.Single(stub.Posts);
    }

    [Theory]
    [InlineData(404, """{"success": false, "code": "request_not_found"}""")]
    [InlineData(500, """{"error":"Internal error"}""")]
    public async Task SubmitAsync_Conflict409AndNotFoundByKey_IsOutcomeUnknownSayingTheKeyWasUsed(int lookupStatus, string lookupBody)
    {
        var stub = new StubHttpHandler()
            .On(HttpMethod.Post, Generate, 409, """{"success":false,"code":"idempotency_conflict","error":"Key reused"}""")
            .Always(HttpMethod.Get, AnyLookup, lookupStatus, lookupBody);

        var result = await Clients.WithStub(stub).SubmitAsync(Clients.Request("nanobanana-2"));

        var error = Assert.IsType<OutcomeUnknownError>(result.Error);
        Assert.False(error.RejectedBeforeBilling);
        Assert.Equal(Key(stub.Posts.Single()), error.IdempotencyKey);
        Assert.Contains("already used", error.Message, StringComparison.Ordinal);
        Assert.Equal(409, error.StatusCode);
        Assert.Equal("Key reused", error.VendorMessage);
        Assert.Single(stub.Posts);
    }

    [Fact]
    public async Task SubmitAsync_Conflict409AndKeyBelongsToAnotherModel_IsOutcomeUnknownCarryingThatJob()
    {
        var stub = new StubHttpHandler()
            .On(HttpMethod.Post, Generate, 409, """{"success":false,"code":"idempotency_conflict","error":"Key reused"}""")
            .Always(HttpMethod.Get, AnyLookup, 200, FoundJson.Replace("nanobanana-2", "seedream-4.5", StringComparison.Ordinal));

        var result = await Clients.WithStub(stub).SubmitAsync(Clients.Request("nanobanana-2"));

        var error = Assert.IsType<OutcomeUnknownError>(result.Error);
        Assert.False(error.RejectedBeforeBilling);
        Assert.Equal("550e8400-e29b-41d4-a716-446655440000", error.Handle!.VendorJobId);
        Assert.Equal(Key(stub.Posts.Single()), error.Handle.IdempotencyKey);
    }

    [Fact]
    public async Task SubmitAsync_ConnectionRefused_IsRejectedBeforeBillingWithoutLookUp()
    {
        var stub = new StubHttpHandler().On(HttpMethod.Post, Generate, _ =>
            throw new HttpRequestException(HttpRequestError.ConnectionError, "refused", new SocketException((int)SocketError.ConnectionRefused)));

        var result = await Clients.WithStub(stub).SubmitAsync(Clients.Request("nanobanana-2"));

        var error = Assert.IsType<ProviderUnavailableError>(result.Error);
        Assert.True(error.RejectedBeforeBilling);
        Assert.Single(stub.Requests);
    }

    [Theory]
    [InlineData("dropped")]
    [InlineData("timeout")]
    [InlineData("no-id")]
    [InlineData("html")]
    [InlineData("pipeline-timeout")]
    public async Task SubmitAsync_AmbiguousPost_LooksUpByKeyBeforeAnythingElse(string failure)
    {
        var stub = new StubHttpHandler().On(HttpMethod.Post, Generate, _ => failure switch
        {
            "dropped" => throw new HttpRequestException(HttpRequestError.ResponseEnded, "The response ended prematurely."),
            "timeout" => throw new TaskCanceledException("The request was canceled due to the configured HttpClient.Timeout."),
            "no-id" => StubHttpHandler.Json(200, """{"success":true,"status":"processing"}"""),
            "pipeline-timeout" => throw new Polly.Timeout.TimeoutRejectedException("The operation didn't complete within the allowed timeout of '00:02:00'."),
            _ => new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent("<html>ok</html>", System.Text.Encoding.UTF8, "text/html") },
        }).Always(HttpMethod.Get, AnyLookup, 200, FoundJson);

        var job = (await Clients.WithStub(stub).SubmitAsync(Clients.Request("nanobanana-2"))).GetValueOrThrow();

        Assert.Equal(MeiGenDocs.JobId, job.Handle.VendorJobId);
        Assert.Single(stub.Posts);
    }

    [Fact]
    public async Task SubmitAsync_CircuitOpen_IsRejectedBeforeBillingWithoutLookUp()
    {
        var stub = new StubHttpHandler().On(HttpMethod.Post, Generate, _ => throw new Polly.CircuitBreaker.BrokenCircuitException("open", TimeSpan.FromSeconds(30)));

        var result = await Clients.WithStub(stub).SubmitAsync(Clients.Request("nanobanana-2"));

        var error = Assert.IsType<ProviderUnavailableError>(result.Error);
        Assert.True(error.RejectedBeforeBilling);
        Assert.Equal(TimeSpan.FromSeconds(30), error.RetryAfter);
        Assert.Single(stub.Requests);
    }

    [Fact]
    public async Task SubmitAsync_CallerCancelsWhileInFlight_IsOutcomeUnknownWithoutLookUpOrResend()
    {
        using var cts = new CancellationTokenSource();
        var stub = new StubHttpHandler().On(HttpMethod.Post, Generate, _ =>
        {
            cts.Cancel();
            throw new OperationCanceledException(cts.Token);
        });

        var result = await Clients.WithStub(stub).SubmitAsync(Clients.Request("nanobanana-2"), cts.Token);

        var error = Assert.IsType<OutcomeUnknownError>(result.Error);
        Assert.Equal(Key(stub.Posts.Single()), error.IdempotencyKey);
        Assert.Single(stub.Requests);
    }

    [Fact]
    public async Task SubmitAsync_CallerKey_IsSentVerbatimAndMintedOtherwise()
    {
        var stub = new StubHttpHandler().Always(HttpMethod.Post, Generate, 200, MeiGenDocs.SubmitResponse);
        var client = Clients.WithStub(stub);
        var given = Clients.Request("nanobanana-2");
        given.IdempotencyKey = "3f2504e0-4f89-11d3-9a0c-0305e82c3301";

        await client.SubmitAsync(given);
        await client.SubmitAsync(Clients.Request("nanobanana-2"));

        var keys = stub.Posts.Select(Key).ToList();
        Assert.Equal("3f2504e0-4f89-11d3-9a0c-0305e82c3301", keys[0]);
        Assert.True(Guid.TryParse(keys[1], out _));
    }

    [Fact]
    public async Task SubmitAsync_NonUuidKey_IsRefusedBeforeAnyCall()
    {
        var stub = new StubHttpHandler();
        var request = Clients.Request("nanobanana-2");
        request.IdempotencyKey = "my-order-42";

        var result = await Clients.WithStub(stub).SubmitAsync(request);

        Assert.Contains(Assert.IsType<InvalidRequestError>(result.Error).Errors, e => e.Field == nameof(GenerationRequest.IdempotencyKey));
        Assert.Empty(stub.Requests);
    }

    [Fact]
    public async Task SubmitAsync_Unauthorized_NeverShowsTheApiKey()
    {
        var stub = new StubHttpHandler().On(HttpMethod.Post, Generate, 401, """{"error":"Invalid token"}""");

        var result = await Clients.WithStub(stub).SubmitAsync(Clients.Request("nanobanana-2"));

        Assert.DoesNotContain(Clients.ApiKey, result.Error!.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(Clients.ApiKey, result.Error.ToException().ToString(), StringComparison.Ordinal);
        Assert.Contains("MediaGen:MeiGen:ApiKey", result.Error.Message, StringComparison.Ordinal);
    }
}
