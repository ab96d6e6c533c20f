using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using MediaGen.Http;
using MediaGen.Testing;

namespace MediaGen.Tests.Http;

public class MediaGenResilienceHandlerTests
{
    private readonly FakeClock _clock = new();

    private (HttpClient Client, ScriptedHandler Inner) Create(params Func<HttpRequestMessage, HttpResponseMessage>[] script)
    {
        var inner = new ScriptedHandler(script) { Clock = _clock };
        return (MediaGenHttp.CreateClient(new MediaGenHttpOptions { MaxRetries = 3 }, _clock, inner), inner);
    }

    private static HttpResponseMessage Status(HttpStatusCode code, TimeSpan? retryAfter = null)
    {
        var response = new HttpResponseMessage(code) { Content = new StringContent("{}") };
        if (retryAfter is { } wait)
        {
            response.Headers.RetryAfter = new RetryConditionHeaderValue(wait);
        }

        return response;
    }

    private static HttpRequestMessage Post(bool vendorDedupes) =>
        new HttpRequestMessage(HttpMethod.Post, "http://127.0.0.1:9/api/generate") { Content = new StringContent("{\"prompt\":\"x\"}") }.MarkSubmit(vendorDedupes);

    [Fact]
    public async Task SendAsync_GetTransient503_RetriesUntilSuccess()
    {
        var (client, inner) = Create(_ => Status(HttpStatusCode.ServiceUnavailable), _ => Status(HttpStatusCode.BadGateway), _ => Status(HttpStatusCode.OK));
        using var response = await _clock.DriveAsync(client.GetAsync(new Uri("http://127.0.0.1:9/status/1")));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(3, inner.Calls);
    }

    [Fact]
    public async Task SendAsync_SubmitNotDeduped503_IsNotResent()
    {
        var (client, inner) = Create(_ => Status(HttpStatusCode.ServiceUnavailable), _ => Status(HttpStatusCode.Created));
        using var response = await _clock.DriveAsync(client.SendAsync(Post(vendorDedupes: false)));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal(1, inner.Calls);
    }

    [Fact]
    public async Task SendAsync_SubmitDeduped503_IsResentWithSameBody()
    {
        var (client, inner) = Create(_ => Status(HttpStatusCode.ServiceUnavailable), _ => Status(HttpStatusCode.Accepted));
        using var response = await _clock.DriveAsync(client.SendAsync(Post(vendorDedupes: true)));
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal(["{\"prompt\":\"x\"}", "{\"prompt\":\"x\"}"], inner.Bodies);
    }

    [Fact]
    public async Task SendAsync_Submit429WithShortRetryAfter_WaitsItThenResends()
    {
        var (client, inner) = Create(_ => Status(HttpStatusCode.TooManyRequests, TimeSpan.FromSeconds(4)), _ => Status(HttpStatusCode.Created));
        var start = _clock.GetUtcNow();
        using var response = await _clock.DriveAsync(client.SendAsync(Post(vendorDedupes: false)));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(4), inner.CallTimes[1] - start);
    }

    [Fact]
    public async Task SendAsync_429WithLongRetryAfter_SurfacesAtOnce()
    {
        var (client, inner) = Create(_ => Status(HttpStatusCode.TooManyRequests, TimeSpan.FromSeconds(60)), _ => Status(HttpStatusCode.Created));
        using var response = await _clock.DriveAsync(client.SendAsync(Post(vendorDedupes: false)));
        Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
        Assert.Equal(1, inner.Calls);
    }

    [Fact]
    public async Task SendAsync_Get503WithLongRetryAfter_SurfacesInsteadOfBlocking()
    {
        var (client, inner) = Create(_ => Status(HttpStatusCode.ServiceUnavailable, TimeSpan.FromMinutes(10)), _ => Status(HttpStatusCode.OK));
        using var response = await _clock.DriveAsync(client.GetAsync(new Uri("http://127.0.0.1:9/status/1")));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal(1, inner.Calls);
    }

    [Fact]
    public async Task SendAsync_SubmitConnectionRefused_IsResentBecauseItNeverArrived()
    {
        var (client, inner) = Create(
            _ => throw new HttpRequestException(HttpRequestError.ConnectionError, "refused", new SocketException((int)SocketError.ConnectionRefused)),
            _ => Status(HttpStatusCode.Created));
        using var response = await _clock.DriveAsync(client.SendAsync(Post(vendorDedupes: false)));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal(2, inner.Calls);
    }

    [Fact]
    public async Task SendAsync_SubmitResponseLost_IsNotResentAndThrows()
    {
        var (client, inner) = Create(
            _ => throw new HttpRequestException(HttpRequestError.ResponseEnded, "connection closed after the request was sent"),
            _ => Status(HttpStatusCode.Created));
        await Assert.ThrowsAsync<HttpRequestException>(() => _clock.DriveAsync(client.SendAsync(Post(vendorDedupes: false))));
        Assert.Equal(1, inner.Calls);
    }

    [Fact]
    public async Task SendAsync_RetriesExhausted_ReturnsLastResponse()
    {
        var (client, inner) = Create(_ => Status(HttpStatusCode.ServiceUnavailable));
        using var response = await _clock.DriveAsync(client.GetAsync(new Uri("http://127.0.0.1:9/status/1")));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal(4, inner.Calls);
    }

    [Fact]
    public void Validate_AttemptLongerThanTotal_NamesBothKeys()
    {
        var problems = new MediaGenHttpOptions { SubmitAttemptTimeout = TimeSpan.FromMinutes(10) }.Validate("MediaGen:MeiGen:Http");
        Assert.Contains(problems, p => p.StartsWith("MediaGen:MeiGen:Http:SubmitTotalTimeout", StringComparison.Ordinal) && p.Contains("SubmitAttemptTimeout", StringComparison.Ordinal));
    }

    private sealed class ScriptedHandler(Func<HttpRequestMessage, HttpResponseMessage>[] script) : HttpMessageHandler
    {
        private int _calls;

        public int Calls => _calls;

        public List<string> Bodies { get; } = [];

        public List<DateTimeOffset> CallTimes { get; } = [];

        public TimeProvider Clock { get; set; } = TimeProvider.System;

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var index = Interlocked.Increment(ref _calls) - 1;
            if (request.Content is not null)
            {
                Bodies.Add(await request.Content.ReadAsStringAsync(cancellationToken));
            }

            CallTimes.Add(Clock.GetUtcNow());
            return script[Math.Min(index, script.Length - 1)](request);
        }
    }
}
