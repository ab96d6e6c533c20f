using System.Net;
using System.Text.Json;
using MediaGen.Testing.Tests.TestSupport;

namespace MediaGen.Testing.Tests.Faults;

public sealed class FaultInjectorTests : IAsyncLifetime
{
    private readonly TestEmulator _emulator = new();
    private readonly FakeClock _clock = new();
    private EmulatorHost _host = null!;

    public async Task InitializeAsync() =>
        _host = await EmulatorHost.StartAsync(_emulator, new EmulatorHostOptions { TimeProvider = _clock });

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task RespondWith_StatusBodyAndHeaders_ClientSeesThemAndHandlerNeverRuns()
    {
        _host.Faults.On(HttpMethod.Post, "/api/generate")
            .RespondWith(503, "{\"error\":\"overloaded\"}", new Dictionary<string, string> { ["Retry-After"] = "7", ["X-Request-Id"] = "req-1" });
        using HttpClient http = _host.CreateClient();

        using HttpResponseMessage response = await http.SubmitAsync("a fox");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(7), response.Headers.RetryAfter?.Delta);
        Assert.Equal("req-1", response.Headers.GetValues("X-Request-Id").Single());
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("{\"error\":\"overloaded\"}", await response.Content.ReadAsStringAsync());
        Assert.Equal(0, _emulator.HandlerRuns);
        Assert.Empty(_host.Ledger.Entries);
    }

    [Fact]
    public async Task RespondWith_NoBody_SendsEmptyBody()
    {
        _host.Faults.On(HttpMethod.Get, "/api/ping").RespondWith(429);
        using HttpClient http = _host.CreateClient();

        using HttpResponseMessage response = await http.GetAsync("api/ping");

        Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
        Assert.Equal(string.Empty, await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Times_Two_FaultsTwoRequestsThenServesNormally()
    {
        FaultRule rule = _host.Faults.On(HttpMethod.Post, "/api/generate").Times(2).RespondWith(503);
        using HttpClient http = _host.CreateClient();

        HttpStatusCode[] codes = [
            (await http.SubmitAsync("a")).StatusCode,
            (await http.SubmitAsync("b")).StatusCode,
            (await http.SubmitAsync("c")).StatusCode,
        ];

        Assert.Equal([HttpStatusCode.ServiceUnavailable, HttpStatusCode.ServiceUnavailable, HttpStatusCode.OK], codes);
        Assert.Equal(2, rule.FiredCount);
        Assert.True(rule.IsExhausted);
        Assert.Equal(1, _host.Ledger.ChargedJobCount);
    }

    [Fact]
    public async Task Once_IsTheDefault_FaultsOnlyTheFirstRequest()
    {
        FaultRule rule = _host.Faults.On(HttpMethod.Get, "/api/ping").RespondWith(500);
        using HttpClient http = _host.CreateClient();

        HttpStatusCode first = (await http.GetAsync("api/ping")).StatusCode;
        HttpStatusCode second = (await http.GetAsync("api/ping")).StatusCode;

        Assert.Equal(HttpStatusCode.InternalServerError, first);
        Assert.Equal(HttpStatusCode.OK, second);
        Assert.Equal(1, rule.Limit);
        Assert.Equal(1, rule.FiredCount);
    }

    [Fact]
    public async Task Always_FaultsEveryMatchingRequestUntilCleared()
    {
        FaultRule rule = _host.Faults.On(HttpMethod.Get, "/api/ping").Always().RespondWith(502);
        using HttpClient http = _host.CreateClient();

        for (int i = 0; i < 5; i++)
        {
            Assert.Equal(HttpStatusCode.BadGateway, (await http.GetAsync("api/ping")).StatusCode);
        }

        _host.Faults.Clear();

        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("api/ping")).StatusCode);
        Assert.Equal(5, rule.FiredCount);
        Assert.Null(rule.Limit);
        Assert.False(rule.IsExhausted);
        Assert.Empty(_host.Faults.Rules);
    }

    [Fact]
    public async Task Rules_SameRoute_AreConsumedInOrder()
    {
        _host.Faults.On(HttpMethod.Post, "/api/generate").RespondWith(503);
        _host.Faults.On(HttpMethod.Post, "/api/generate").Times(2).RespondWith(429);
        using HttpClient http = _host.CreateClient();

        var codes = new List<HttpStatusCode>();
        for (int i = 0; i < 4; i++)
        {
            codes.Add((await http.SubmitAsync($"p{i}")).StatusCode);
        }

        Assert.Equal([HttpStatusCode.ServiceUnavailable, HttpStatusCode.TooManyRequests, HttpStatusCode.TooManyRequests, HttpStatusCode.OK], codes);
        Assert.Equal(3, _host.Faults.TotalFired);
    }

    [Fact]
    public async Task On_OtherMethodOrPath_DoesNotFire()
    {
        FaultRule rule = _host.Faults.On(HttpMethod.Post, "/api/ping").Always().RespondWith(500);
        _host.Faults.On(HttpMethod.Get, "/api/pi").Always().RespondWith(500);
        using HttpClient http = _host.CreateClient();

        using HttpResponseMessage response = await http.GetAsync("api/ping");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(0, rule.FiredCount);
    }

    [Fact]
    public async Task On_AnyMethodAndCaseInsensitivePath_Fires()
    {
        _host.Faults.On(null, "/API/PING").RespondWith(418);
        using HttpClient http = _host.CreateClient();

        Assert.Equal((HttpStatusCode)418, (await http.GetAsync("api/ping")).StatusCode);
    }

    [Fact]
    public async Task OnPrefix_MatchesEveryPathUnderPrefix()
    {
        _host.Faults.OnPrefix(HttpMethod.Get, "/api/jobs/").Always().RespondWith(500);
        using HttpClient http = _host.CreateClient();

        Assert.Equal(HttpStatusCode.InternalServerError, (await http.GetAsync("api/jobs/job_1")).StatusCode);
        Assert.Equal(HttpStatusCode.InternalServerError, (await http.GetAsync("api/jobs/job_2?x=1")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("api/ping")).StatusCode);
    }

    [Fact]
    public async Task On_Predicate_CanMatchOnRequestBody()
    {
        _host.Faults.OnRequest(r => r.Body.Contains("forbidden", StringComparison.Ordinal), "forbidden prompts").Always().RespondWith(400);
        using HttpClient http = _host.CreateClient();

        Assert.Equal(HttpStatusCode.BadRequest, (await http.SubmitAsync("something forbidden")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await http.SubmitAsync("something fine")).StatusCode);
        Assert.Equal("forbidden prompts", Assert.Single(_host.Faults.Rules).Description);
    }

    [Fact]
    public async Task OnAny_MatchesMediaDownloadsToo()
    {
        _host.Faults.OnAny().RespondWith(503);
        using HttpClient http = _host.CreateClient();

        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await http.GetAsync("_media/x.png")).StatusCode);
    }

    [Fact]
    public async Task Delay_OnFakeClock_ResponseArrivesOnlyAfterAdvance()
    {
        FaultRule rule = _host.Faults.On(HttpMethod.Post, "/api/generate").Delay(TimeSpan.FromSeconds(30));
        using HttpClient http = _host.CreateClient();

        Task<HttpResponseMessage> pending = http.SubmitAsync("slow");
        await _clock.WaitForPendingTimersAsync().WaitAsync(TimeSpan.FromSeconds(30));

        Assert.False(pending.IsCompleted);
        Assert.Equal(0, _emulator.HandlerRuns);
        _clock.Advance(TimeSpan.FromSeconds(29));
        Assert.False(pending.IsCompleted);
        Assert.Equal(0, _emulator.HandlerRuns);

        _clock.Advance(TimeSpan.FromSeconds(1));
        using HttpResponseMessage response = await pending.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(1, _emulator.HandlerRuns);
        Assert.Equal(1, rule.FiredCount);
        Assert.Equal(FaultKind.Latency, _host.Requests.Single().Fault);
    }

    [Fact]
    public async Task Delay_OnFakeClock_CanBeDrivenByDriveAsync()
    {
        _host.Faults.On(HttpMethod.Get, "/api/ping").Delay(TimeSpan.FromMinutes(2));
        using HttpClient http = _host.CreateClient();
        DateTimeOffset before = _clock.GetUtcNow();

        using HttpResponseMessage response = await _clock.DriveAsync(http.GetAsync("api/ping"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(before.AddMinutes(2), _clock.GetUtcNow());
    }

    [Fact]
    public async Task DelayInRealTime_OnFakeClockHost_CompletesWithoutAdvancingTheClock()
    {
        FaultRule rule = _host.Faults.On(HttpMethod.Get, "/api/ping").DelayInRealTime(TimeSpan.FromMilliseconds(20));
        using HttpClient http = _host.CreateClient();
        DateTimeOffset before = _clock.GetUtcNow();

        using HttpResponseMessage response = await http.GetAsync("api/ping");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(rule.UsesRealTime);
        Assert.Equal(before, _clock.GetUtcNow());
        Assert.Equal(0, _clock.PendingTimerCount);
    }

    [Fact]
    public async Task DropConnectionBeforeHandler_ClientGetsHttpRequestExceptionAndNothingIsCharged()
    {
        _host.Faults.On(HttpMethod.Post, "/api/generate").DropConnectionBeforeHandler();

        using (HttpClient http = _host.CreateClient())
        {
            await Assert.ThrowsAsync<HttpRequestException>(() => http.SubmitAsync("dropped"));
        }

        Assert.Equal(0, _emulator.HandlerRuns);
        Assert.Empty(_host.Ledger.Entries);
        Assert.Empty(_host.Jobs.Jobs);
        Assert.Equal(FaultKind.DropBeforeHandler, Assert.Single(_host.Requests).Fault);
        using HttpClient retry = _host.CreateClient();
        Assert.Equal(HttpStatusCode.OK, (await retry.SubmitAsync("dropped")).StatusCode);
    }

    [Fact]
    public async Task DropConnectionAfterHandler_ClientGetsHttpRequestExceptionButJobWasCharged()
    {
        _host.Faults.On(HttpMethod.Post, "/api/generate").DropConnectionAfterHandler();
        using HttpClient http = _host.CreateClient();

        await Assert.ThrowsAsync<HttpRequestException>(() => http.SubmitAsync("charged anyway", idempotencyKey: "idem-7"));

        Assert.Equal(1, _emulator.HandlerRuns);
        Assert.Equal(1, _host.Ledger.ChargedJobCount);
        Assert.Single(_host.Ledger.ChargesFor("idem-7"));
        Assert.Single(_host.Jobs.Jobs);
    }

    [Fact]
    public async Task DropConnectionAfterHandler_OnReusedKeepAliveConnection_StillSurfacesToClient()
    {
        using HttpClient http = _host.CreateClient();
        (await http.GetAsync("api/ping")).EnsureSuccessStatusCode();
        _host.Faults.On(HttpMethod.Post, "/api/generate").DropConnectionAfterHandler();

        await Assert.ThrowsAsync<HttpRequestException>(() => http.SubmitAsync("charged anyway"));

        Assert.Equal(1, _host.Ledger.ChargedJobCount);
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("api/ping")).StatusCode);
    }

    [Fact]
    public async Task WithMalformedBody_KeepsStatusAndContentTypeButBodyIsNotJson()
    {
        _host.Faults.On(HttpMethod.Post, "/api/generate").WithMalformedBody();
        using HttpClient http = _host.CreateClient();

        using HttpResponseMessage response = await http.SubmitAsync("garbled");
        string body = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(FaultRuleBuilder.DefaultMalformedJson, body);
        Assert.ThrowsAny<JsonException>(() => JsonDocument.Parse(body));
        Assert.Equal(1, _host.Ledger.ChargedJobCount);
    }

    [Fact]
    public async Task WithMalformedBody_CustomBody_IsSent()
    {
        _host.Faults.On(HttpMethod.Get, "/api/ping").WithMalformedBody("{oops");
        using HttpClient http = _host.CreateClient();

        Assert.Equal("{oops", await (await http.GetAsync("api/ping")).Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task WithTruncatedBody_SendsFirstHalfWithMatchingContentLength()
    {
        using HttpClient http = _host.CreateClient();
        string full = await (await http.GetAsync("api/ping")).Content.ReadAsStringAsync();
        _host.Faults.On(HttpMethod.Get, "/api/ping").WithTruncatedBody();

        using HttpResponseMessage response = await http.GetAsync("api/ping");
        string body = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(full.Length / 2, response.Content.Headers.ContentLength);
        Assert.Equal(full[..(full.Length / 2)], body);
        Assert.ThrowsAny<JsonException>(() => JsonDocument.Parse(body));
        Assert.Equal(2, _emulator.HandlerRuns);
    }

    [Fact]
    public async Task RespondWithWrongContentType_SendsHtmlErrorPageAndHandlerNeverRuns()
    {
        _host.Faults.On(HttpMethod.Post, "/api/generate").RespondWithWrongContentType();
        using HttpClient http = _host.CreateClient();

        using HttpResponseMessage response = await http.SubmitAsync("behind a proxy");

        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("<html>", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(0, _emulator.HandlerRuns);
    }

    [Fact]
    public async Task RespondWithWrongContentType_CustomStatusAndType_AreSent()
    {
        _host.Faults.On(HttpMethod.Get, "/api/ping").RespondWithWrongContentType(200, "text/plain", "maintenance");
        using HttpClient http = _host.CreateClient();

        using HttpResponseMessage response = await http.GetAsync("api/ping");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/plain", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("maintenance", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public void Builder_InvalidArguments_Throw()
    {
        var faults = new FaultInjector();

        Assert.Throws<ArgumentOutOfRangeException>(() => faults.On(HttpMethod.Get, "/x").Times(0));
        Assert.Throws<ArgumentOutOfRangeException>(() => faults.On(HttpMethod.Get, "/x").RespondWith(99));
        Assert.Throws<ArgumentOutOfRangeException>(() => faults.On(HttpMethod.Get, "/x").Delay(TimeSpan.FromSeconds(-1)));
        Assert.Throws<ArgumentException>(() => faults.On(HttpMethod.Get, ""));
        Assert.Empty(faults.Rules);
    }
}
