using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using MediaGen.Http;
using MediaGen.Providers;
using MediaGen.Testing;

namespace MediaGen.Tests.Providers;

/// <summary>
/// The one submit-outcome engine, against a scripted vendor "Acme": each kind of POST outcome is classified once and
/// decided in one place; the POST budget holds across the pipeline and the engine; a settlement that finds the job
/// returns it, one that cannot settle becomes outcome unknown with the key — never a second paid job.
/// </summary>
public sealed class SubmitEngineTests
{
    private const string Key = "0b7e9d52-4c3c-4f36-9a55-1f0e7e2f8a10";
    private static readonly Uri Endpoint = new("http://127.0.0.1:9/v1/generate");

    private static readonly VendorErrorMap Table = new(
        "acme",
        "Acme",
        new VendorErrorBodyFormat { Unit = MoneyUnit.Credits("acme") },
        [
            new(400, ErrorKind.InvalidRequest, true, "Fix the request.", "test table"),
            new(402, ErrorKind.InsufficientFunds, true, "Top up.", "test table"),
            new(429, ErrorKind.RateLimited, true, string.Empty, "test table"),
            new(500, ErrorKind.ProviderUnavailable, false, "Retry later.", "test table"),
        ]);

    public static TheoryData<string, string> Answers => new()
    {
        // answer → what the engine decides: the job, the refusal's kind, or the settlement asked with this ambiguity
        { "201 with a job id", "job" },
        { "400", "refused InvalidRequest" },
        { "402", "refused InsufficientFunds" },
        { "429", "refused RateLimited" },
        { "connection refused", "never sent ProviderUnavailable" },
        { "circuit open", "never sent ProviderUnavailable" },
        { "500 (documented, may have created the job)", "settle Status" },
        { "503 (undocumented)", "settle Status" },
        { "307 (redirect not followed)", "settle Status" },
        { "409 (not a vendor that dedupes by key)", "settle Status" },
        { "200 HTML", "settle UnreadableAcceptance" },
        { "200 without a job id", "settle UnreadableAcceptance" },
        { "201 cut off while read", "settle AnswerCutOff" },
        { "connection dropped", "settle Transport" },
        { "HttpClient timeout", "settle Transport" },
        { "pipeline attempt timeout", "settle Transport" },
    };

    [Theory]
    [MemberData(nameof(Answers))]
    public async Task SubmitAsync_EachKindOfAnswer_IsClassifiedOnceAndDecided(string answer, string expected)
    {
        var vendor = new ScriptedVendor(Answer(answer));
        var settlement = new ScriptedSettlement();

        var result = await Engine(vendor).SubmitAsync(Call(), settlement, CancellationToken.None);

        Assert.Single(vendor.Posts); // the engine itself never resends what its settlement did not allow
        switch (expected.Split(' ', 2))
        {
            case ["job"]:
                Assert.Equal("job-1", result.GetValueOrThrow().JobId);
                Assert.Empty(settlement.Asked);
                break;
            case ["refused", var kind]:
                Assert.Equal(Enum.Parse<ErrorKind>(kind), result.Error!.Kind);
                Assert.True(result.Error.RejectedBeforeBilling);
                Assert.Empty(settlement.Asked);
                break;
            case ["never", var rest]:
                Assert.Equal(Enum.Parse<ErrorKind>(rest.Split(' ')[1]), result.Error!.Kind);
                Assert.True(result.Error.RejectedBeforeBilling);
                Assert.Empty(settlement.Asked);
                break;
            case ["settle", var ambiguity]:
                Assert.Equal(Enum.Parse<SubmitAmbiguity>(ambiguity), Assert.Single(settlement.Asked).Ambiguity);
                var unknown = Assert.IsType<OutcomeUnknownError>(result.Error);
                Assert.Equal(Key, unknown.IdempotencyKey);
                Assert.False(unknown.RejectedBeforeBilling);
                break;
            default:
                Assert.Fail(expected);
                break;
        }
    }

    [Fact]
    public async Task SubmitAsync_409AtAVendorThatDedupesByKey_AsksTheSettlementAboutTheKeyInUse()
    {
        var vendor = new ScriptedVendor(_ => Json(409, """{"error":"Key reused"}"""));
        var settlement = new ScriptedSettlement();

        var result = await Engine(vendor, dedupes: true).SubmitAsync(Call(), settlement, CancellationToken.None);

        Assert.Equal(SubmitAmbiguity.KeyInUse, Assert.Single(settlement.Asked).Ambiguity);
        var error = Assert.IsType<OutcomeUnknownError>(result.Error);
        Assert.Equal(409, error.StatusCode);
        Assert.Equal("Key reused", error.VendorMessage);
        Assert.Contains("already used", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SubmitAsync_SettlementFindsTheJob_ReturnsItWithoutResending()
    {
        var vendor = new ScriptedVendor(_ => Json(502, """{"error":"Bad gateway"}"""));
        var settlement = new ScriptedSettlement(Decision.Found("job-7"));

        var job = (await Engine(vendor).SubmitAsync(Call(), settlement, CancellationToken.None)).GetValueOrThrow();

        Assert.Equal("job-7", job.JobId);
        Assert.Single(vendor.Posts);
        Assert.Equal(1, Assert.Single(settlement.Asked).Attempt);
    }

    [Fact]
    public async Task SubmitAsync_SettlementUnresolved_IsOutcomeUnknownWrittenFromItsFacts()
    {
        var vendor = new ScriptedVendor(_ => Json(500, """{"error":"Internal error"}"""));
        var candidate = new JobHandle("acme", "job-maybe") { IdempotencyKey = Key };
        var settlement = new ScriptedSettlement(Decision.Unresolved("its job list shows one match", candidate)) { Where = "look in Acme's job list" };

        var result = await Engine(vendor).SubmitAsync(Call(), settlement, CancellationToken.None);

        var error = Assert.IsType<OutcomeUnknownError>(result.Error);
        Assert.False(error.RejectedBeforeBilling);
        Assert.Equal("acme", error.Provider);
        Assert.Equal(Key, error.IdempotencyKey);
        Assert.Equal(candidate, error.Handle);
        Assert.Equal(500, error.StatusCode);
        Assert.Equal("Internal error", error.VendorMessage);
        Assert.Contains("Acme may have accepted the test submit", error.Message, StringComparison.Ordinal);
        Assert.Contains("HTTP 500 \"Internal error\"", error.Message, StringComparison.Ordinal); // what was tried
        Assert.Contains("Its job list shows one match", error.Message, StringComparison.Ordinal); // what the settlement found
        Assert.Contains("handle 'acme:job-maybe'", error.Message, StringComparison.Ordinal);
        Assert.Contains("look in Acme's job list", error.Message, StringComparison.Ordinal);
        Assert.Contains(Key, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(false, "has no idempotency key")]
    [InlineData(true, "resubmit with idempotency key " + Key)]
    public async Task SubmitAsync_Unresolved_AdvisesWhatTheVendorsKeyAllows(bool dedupes, string advice)
    {
        var vendor = new ScriptedVendor(_ => throw new HttpRequestException(HttpRequestError.ResponseEnded, "The response ended prematurely."));

        var result = await Engine(vendor, dedupes).SubmitAsync(Call(), new ScriptedSettlement(), CancellationToken.None);

        Assert.Contains(advice, Assert.IsType<OutcomeUnknownError>(result.Error).Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SubmitAsync_SettlementOverridesTheAdvice_TheMessageCarriesIt()
    {
        var vendor = new ScriptedVendor(_ => Json(502, "{}"));
        var settlement = new ScriptedSettlement(Decision.Unresolved("the key belongs to another model's job") with { Advice = "For a new request use a new key." });

        var error = Assert.IsType<OutcomeUnknownError>((await Engine(vendor, dedupes: true).SubmitAsync(Call(), settlement, CancellationToken.None)).Error);

        Assert.Contains("For a new request use a new key.", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("resubmit with idempotency key", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SubmitAsync_SettlementAllowsAResend_SendsTheSameBytesAgainAndAdoptsTheAnswer()
    {
        var vendor = new ScriptedVendor(_ => Json(502, """{"error":"Bad gateway"}"""), _ => Json(201, """{"id":"job-2"}"""));
        var settlement = new ScriptedSettlement(Decision.Resend);

        var job = (await Engine(vendor).SubmitAsync(Call(), settlement, CancellationToken.None)).GetValueOrThrow();

        Assert.Equal("job-2", job.JobId);
        Assert.Equal(2, vendor.Posts.Count);
        Assert.Equal(vendor.Posts[0].Body, vendor.Posts[1].Body);
        Assert.Equal([Key, Key], vendor.Posts.Select(p => p.Key));
        Assert.Single(settlement.Asked);
        Assert.Equal(1, settlement.Prepared);
    }

    [Theory]
    [InlineData("402")]
    [InlineData("400")]
    [InlineData("connection refused")]
    public async Task SubmitAsync_RefusalAfterAnAmbiguousPost_IsOutcomeUnknownNotRejectedBeforeBilling(string resend)
    {
        // The first POST may have created the job: a refusal of the resend (402: that job's credits spent) proves nothing.
        var vendor = new ScriptedVendor(_ => Json(502, """{"error":"Bad gateway"}"""), Answer(resend));
        var settlement = new ScriptedSettlement(Decision.Resend);

        var result = await Engine(vendor).SubmitAsync(Call(), settlement, CancellationToken.None);

        var error = Assert.IsType<OutcomeUnknownError>(result.Error);
        Assert.False(error.RejectedBeforeBilling);
        Assert.Equal(Key, error.IdempotencyKey);
        Assert.Equal(resend == "connection refused" ? 502 : int.Parse(resend, System.Globalization.CultureInfo.InvariantCulture), error.StatusCode);
        Assert.Equal(2, vendor.Posts.Count);
    }

    [Theory]
    [InlineData(null, 3)]
    [InlineData(2, 2)]
    [InlineData(1, 1)]
    public async Task SubmitAsync_SettlementAlwaysAllowsAResend_StopsAtTheBudgetWithOutcomeUnknown(int? cap, int expectedPosts)
    {
        var vendor = new ScriptedVendor(_ => Json(200, "<html>ok</html>", "text/html"));
        var settlement = new ScriptedSettlement(Decision.Resend);
        var call = cap is { } max ? Call(new SubmitAttempts(max)) : Call();

        var result = await Engine(vendor).SubmitAsync(call, settlement, CancellationToken.None);

        Assert.Equal(expectedPosts, vendor.Posts.Count);
        var error = Assert.IsType<OutcomeUnknownError>(result.Error);
        Assert.Equal(Key, error.IdempotencyKey);
        Assert.Contains("the cap per submit (Acme:Http:MaxSubmitAttempts)", error.Message, StringComparison.Ordinal);
        Assert.Contains("not JSON", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SubmitAsync_PipelineRetriesAndEngineResends_DrawFromOneBudget()
    {
        // An unreadable 2xx (the pipeline cannot see it) is resent by the engine into a 429 spell the pipeline rides out:
        // every layer counts against the one cap.
        var time = new FakeClock();
        var vendor = new ScriptedVendor(_ => Json(200, "<html>ok</html>", "text/html"), _ => Json(429, "{}", retryAfterSeconds: 1));
        using var client = MediaGenHttp.CreateClient(new MediaGenHttpOptions { MaxRetries = 10 }, time, vendor);
        var engine = new SubmitEngine(client, Table, time) { PipelineMayResend = true, DedupesByIdempotencyKey = true };

        var result = await time.DriveAsync(engine.SubmitAsync(Call(), new ScriptedSettlement(Decision.Resend), CancellationToken.None));

        Assert.IsType<OutcomeUnknownError>(result.Error); // the unreadable 2xx may have been an accepted job
        Assert.Equal(MediaGenHttpOptions.DefaultMaxSubmitAttempts, vendor.Posts.Count);
    }

    [Fact]
    public async Task SubmitAsync_ResendNotReady_IsOutcomeUnknownSayingWhyWithoutASecondPost()
    {
        var vendor = new ScriptedVendor(_ => Json(502, "{}"));
        var settlement = new ScriptedSettlement(Decision.Resend) { NotReady = "the client-side rate limiter refused a permit" };

        var result = await Engine(vendor).SubmitAsync(Call(), settlement, CancellationToken.None);

        var error = Assert.IsType<OutcomeUnknownError>(result.Error);
        Assert.Contains("the client-side rate limiter refused a permit", error.Message, StringComparison.Ordinal);
        Assert.Single(vendor.Posts);
    }

    [Fact]
    public async Task SubmitAsync_CanceledBeforeAnythingWasSent_ThrowsWithoutAPost()
    {
        using var cts = new CancellationTokenSource();
        await cts.CancelAsync();
        var vendor = new ScriptedVendor(_ => Json(201, """{"id":"job-1"}"""));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Engine(vendor).SubmitAsync(Call(), new ScriptedSettlement(), cts.Token));

        Assert.Empty(vendor.Posts);
    }

    [Fact]
    public async Task SubmitAsync_CanceledWhileInFlight_IsOutcomeUnknownWithTheKeyWithoutSettling()
    {
        using var cts = new CancellationTokenSource();
        var vendor = new ScriptedVendor(_ =>
        {
            cts.Cancel();
            throw new TaskCanceledException("canceled", null, cts.Token);
        });
        var settlement = new ScriptedSettlement(Decision.Found("job-1")) { Where = "look in Acme's job list" };

        var result = await Engine(vendor).SubmitAsync(Call(), settlement, cts.Token);

        var error = Assert.IsType<OutcomeUnknownError>(result.Error);
        Assert.Equal(Key, error.IdempotencyKey);
        Assert.Contains("look in Acme's job list", error.Message, StringComparison.Ordinal);
        Assert.Empty(settlement.Asked); // nothing is looked up under a canceled token
    }

    [Fact]
    public async Task SubmitAsync_CanceledWhileThePipelineWaitsOutA429_ThrowsBecauseNothingReachedTheVendor()
    {
        var time = new FakeClock();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(2), time);
        var vendor = new ScriptedVendor(_ => Json(429, "{}", retryAfterSeconds: 5));
        using var client = MediaGenHttp.CreateClient(new MediaGenHttpOptions(), time, vendor);
        var engine = new SubmitEngine(client, Table, time);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => time.DriveAsync(engine.SubmitAsync(Call(), new ScriptedSettlement(), cts.Token)));

        Assert.Single(vendor.Posts);
    }

    [Fact]
    public async Task SubmitAsync_CanceledWhileSettling_IsOutcomeUnknownWithTheKey()
    {
        using var cts = new CancellationTokenSource();
        var vendor = new ScriptedVendor(_ => Json(502, "{}"));
        var settlement = new ScriptedSettlement(Decision.Found("job-1")) { OnSettle = cts.Cancel };

        var result = await Engine(vendor).SubmitAsync(Call(), settlement, cts.Token);

        Assert.Equal(Key, Assert.IsType<OutcomeUnknownError>(result.Error).IdempotencyKey);
    }

    [Fact]
    public async Task SubmitAsync_ReaderOfBytesAndTheVendorEchoesTheKey_ReadsTheAcceptanceWithTheKeyRedacted()
    {
        const string secret = "acme_sk_secret0123456789";
        var vendor = new ScriptedVendor(_ => Json(201, $$"""{"id":"job-1","debug":"Bearer {{secret}}"}"""));
        string? seen = null;
        var call = new SubmitCall<Accepted>(
            Key,
            () =>
            {
                var request = NewRequest();
                request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", secret);
                return request;
            },
            (HttpResponseMessage _, ReadOnlySpan<byte> body, out string? problem) =>
            {
                var reader = new Utf8JsonReader(body);
                using var document = JsonDocument.ParseValue(ref reader);
                seen = document.RootElement.GetProperty("debug").GetString();
                problem = null;
                return new Accepted(document.RootElement.GetProperty("id").GetString()!);
            });

        var accepted = (await Engine(vendor).SubmitAsync(call, new ScriptedSettlement(), CancellationToken.None)).GetValueOrThrow();

        Assert.Equal("job-1", accepted.JobId);
        Assert.Equal("Bearer ***", seen);
    }

    private static SubmitEngine Engine(HttpMessageHandler vendor, bool dedupes = false) =>
#pragma warning disable CA2000 // the client is tiny and test-scoped; disposing it would dispose the shared scripted handler
        new(new HttpClient(vendor, disposeHandler: false), Table, TimeProvider.System) { DedupesByIdempotencyKey = dedupes, MaxAttemptsSetting = "Acme:Http:MaxSubmitAttempts" };
#pragma warning restore CA2000

    /// <summary>One JSON POST carrying <see cref="Key"/> in a header, read as <c>{"id": …}</c>.</summary>
    private static SubmitCall<Accepted> Call(SubmitAttempts? budget = null) =>
        new(Key, NewRequest, Read) { Operation = "the test submit", Quoted = MediaGen.Money.Credits(4, "acme"), Budget = budget ?? new SubmitAttempts() };

    private static Func<HttpRequestMessage, HttpResponseMessage> Answer(string answer) => answer switch
    {
        "201 with a job id" => _ => Json(201, """{"id":"job-1"}"""),
        "400" => _ => Json(400, """{"error":"Bad prompt"}"""),
        "402" => _ => Json(402, """{"error":"Insufficient credits"}"""),
        "429" => _ => Json(429, """{"error":"Slow down"}"""),
        "connection refused" => _ => throw new HttpRequestException(HttpRequestError.ConnectionError, "refused", new SocketException((int)SocketError.ConnectionRefused)),
        "circuit open" => _ => throw new Polly.CircuitBreaker.BrokenCircuitException("open", TimeSpan.FromSeconds(30)),
        "500 (documented, may have created the job)" => _ => Json(500, """{"error":"Internal error"}"""),
        "503 (undocumented)" => _ => Json(503, """{"error":"Service unavailable"}"""),
        "307 (redirect not followed)" => _ => Json(307, "{}"),
        "409 (not a vendor that dedupes by key)" => _ => Json(409, """{"error":"Conflict"}"""),
        "200 HTML" => _ => Json(200, "<html>ok</html>", "text/html"),
        "200 without a job id" => _ => Json(200, """{"status":"queued"}"""),
        "201 cut off while read" => _ => new HttpResponseMessage(HttpStatusCode.Created) { Content = new StreamContent(new BrokenStream()) },
        "connection dropped" => _ => throw new HttpRequestException(HttpRequestError.ResponseEnded, "The response ended prematurely."),
        "HttpClient timeout" => _ => throw new TaskCanceledException("The request was canceled due to the configured HttpClient.Timeout.", new TimeoutException()),
        "pipeline attempt timeout" => _ => throw new Polly.Timeout.TimeoutRejectedException("The operation didn't complete within the allowed timeout."),
        _ => throw new ArgumentOutOfRangeException(nameof(answer), answer, null),
    };

    private static HttpResponseMessage Json(int status, string body, string contentType = "application/json", int? retryAfterSeconds = null)
    {
        var response = new HttpResponseMessage((HttpStatusCode)status) { Content = new StringContent(body, Encoding.UTF8, contentType) };
        if (retryAfterSeconds is { } seconds)
        {
            response.Headers.RetryAfter = new(TimeSpan.FromSeconds(seconds));
        }

        return response;
    }

    private static Accepted? Read(HttpResponseMessage response, string body, out string? problem)
    {
        using var document = JsonDocument.Parse(body);
        var id = document.RootElement.TryGetProperty("id", out var value) ? value.GetString() : null;
        problem = id is null ? "no id" : null;
        return id is null ? null : new Accepted(id);
    }

    private sealed record Accepted(string JobId);

    private static HttpRequestMessage NewRequest()
    {
        var request = new HttpRequestMessage(HttpMethod.Post, Endpoint) { Content = new StringContent("""{"prompt":"a lighthouse"}""", Encoding.UTF8, "application/json") };
        request.Headers.Add("Idempotency-Key", Key);
        return request;
    }

    private sealed record Decision(SettlementKind Kind, string? JobId = null, string? Finding = null, JobHandle? Candidate = null)
    {
        public static readonly Decision Resend = new(SettlementKind.Resend, Finding: "it never accepted it");

        public string? Advice { get; init; }

        public static Decision Found(string jobId) => new(SettlementKind.Found, jobId);

        public static Decision Unresolved(string finding, JobHandle? candidate = null) => new(SettlementKind.Unresolved, Finding: finding, Candidate: candidate);
    }

    /// <summary>A settlement that answers from a script (the last decision repeats) and records what it was asked.</summary>
    private sealed class ScriptedSettlement(params Decision[] decisions) : SubmitSettlement<Accepted>
    {
        public List<AmbiguousSubmit> Asked { get; } = [];

        public int Prepared { get; private set; }

        public string? Where { get; init; }

        public string? NotReady { get; init; }

        public Action? OnSettle { get; init; }

        public override string? WhereToLook => Where;

        public override ValueTask<Settlement<Accepted>> SettleAsync(AmbiguousSubmit submit, CancellationToken cancellationToken)
        {
            Asked.Add(submit);
            OnSettle?.Invoke();
            cancellationToken.ThrowIfCancellationRequested();
            var decision = decisions.Length == 0 ? Decision.Unresolved("nothing was found") : decisions[Math.Min(Asked.Count, decisions.Length) - 1];
            var settled = decision.Kind switch
            {
                SettlementKind.Found => Found(new Accepted(decision.JobId!)),
                SettlementKind.Resend => Resend(decision.Finding!),
                _ => Unresolved(decision.Finding!, decision.Candidate) with { Advice = decision.Advice },
            };
            return ValueTask.FromResult(settled);
        }

        public override ValueTask<string?> PrepareResendAsync(CancellationToken cancellationToken)
        {
            Prepared++;
            return ValueTask.FromResult(NotReady);
        }
    }

    /// <summary>The vendor's side of the wire: answers POSTs from a script (the last answer repeats) and records them.</summary>
    private sealed class ScriptedVendor(params Func<HttpRequestMessage, HttpResponseMessage>[] script) : HttpMessageHandler
    {
        private readonly Lock _lock = new();

        public List<(string Body, string? Key)> Posts { get; } = [];

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var body = request.Content is null ? string.Empty : await request.Content.ReadAsStringAsync(cancellationToken);
            int index;
            lock (_lock)
            {
                Posts.Add((body, request.Headers.TryGetValues("Idempotency-Key", out var keys) ? keys.Single() : null));
                index = Math.Min(Posts.Count, script.Length) - 1;
            }

            var response = script[index](request);
            response.RequestMessage = request;
            return response;
        }
    }

    /// <summary>A body whose read fails mid-way, as when the connection drops after the headers.</summary>
    private sealed class BrokenStream : MemoryStream
    {
        public override int Read(byte[] buffer, int offset, int count) => throw new IOException("The response ended prematurely.");

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) => throw new IOException("The response ended prematurely.");

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) => throw new IOException("The response ended prematurely.");
    }
}
