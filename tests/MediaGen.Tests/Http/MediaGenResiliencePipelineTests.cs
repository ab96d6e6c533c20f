using System.Net;
using System.Net.Http.Headers;
using MediaGen.Http;
using MediaGen.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Http.Resilience;

namespace MediaGen.Tests.Http;

/// <summary>The shared pipeline on Microsoft.Extensions.Http.Resilience: the clock it reads, the POST cap, and one definition for DI and no-DI clients.</summary>
public class MediaGenResiliencePipelineTests
{
    private static readonly Uri SubmitUri = new("http://127.0.0.1:9/api/generate");

    public static TheoryData<DateTimeOffset, int, int, int> RetryAfterDates => new()
    {
        // The fake clock far behind the system clock: a date 60 s ahead of it is a long wait, surfaced at once. (Read on
        // the system clock, the date is long past, so the wait looked like zero and the submit was resent.)
        { new DateTimeOffset(2001, 1, 1, 0, 0, 0, TimeSpan.Zero), 60, 1, 0 },
        // The fake clock far ahead of the system clock: a date 4 s ahead of it is waited out, 4 s, then resent. (Read on
        // the system clock, the date is decades away, so the 429 surfaced at once.)
        { new DateTimeOffset(2090, 1, 1, 0, 0, 0, TimeSpan.Zero), 4, 2, 4 },
    };

    [Theory]
    [MemberData(nameof(RetryAfterDates))]
    public async Task SendAsync_429WithRetryAfterHttpDate_IsReadOnTheInjectedClock(DateTimeOffset now, int secondsAhead, int expectedCalls, int expectedWaitSeconds)
    {
        var clock = new FakeClock(now);
        var inner = new ScriptedHandler(clock, _ => RateLimited(new RetryConditionHeaderValue(clock.GetUtcNow().AddSeconds(secondsAhead))), _ => Status(HttpStatusCode.Created));
        using var client = MediaGenHttp.CreateClient(new MediaGenHttpOptions(), clock, inner);

        using var response = await clock.DriveAsync(client.SendAsync(Submit(vendorDedupes: false)));

        Assert.Equal(expectedCalls, inner.CallTimes.Count);
        Assert.Equal(expectedCalls == 1 ? HttpStatusCode.TooManyRequests : HttpStatusCode.Created, response.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(expectedWaitSeconds), inner.CallTimes[^1] - now);
    }

    [Theory]
    [InlineData(null, false)]
    [InlineData(null, true)]
    [InlineData(2, false)]
    [InlineData(2, true)]
    [InlineData(5, true)]
    public async Task SendAsync_Submit429Spell_SendsAtMostMaxSubmitAttemptsPosts(int? cap, bool vendorDedupes)
    {
        var clock = new FakeClock();
        var inner = new ScriptedHandler(clock, _ => RateLimited(new RetryConditionHeaderValue(TimeSpan.FromSeconds(1))));
        var options = new MediaGenHttpOptions { MaxRetries = 10 };
        if (cap is { } max)
        {
            options.MaxSubmitAttempts = max;
        }

        using var client = MediaGenHttp.CreateClient(options, clock, inner);

        using var response = await clock.DriveAsync(client.SendAsync(Submit(vendorDedupes)));

        Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
        Assert.Equal(cap ?? 3, inner.CallTimes.Count);
    }

    [Fact]
    public async Task SendAsync_ResendsOfALimitedRequest_TakeAPermitEachAndStopWhenNoneIsLeft()
    {
        // Issue 19: client-side limiters see re-sends too. The first send's permit is the provider's; the pipeline takes
        // one for each resend, and with none left the answer surfaces instead of a resend past the limiter.
        var clock = new FakeClock();
        var inner = new ScriptedHandler(clock, _ => Status(HttpStatusCode.ServiceUnavailable));
        using var limiter = new MediaGen.Providers.SlidingWindowLogRateLimiter(1, TimeSpan.FromMinutes(1), clock);
        using var client = MediaGenHttp.CreateClient(new MediaGenHttpOptions { MaxRetries = 5 }, clock, inner);
        using var request = new HttpRequestMessage(HttpMethod.Get, SubmitUri).WithRateLimiter(limiter);

        using var response = await clock.DriveAsync(client.SendAsync(request));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal(2, inner.CallTimes.Count);
        Assert.Equal(0, limiter.GetStatistics()!.CurrentAvailablePermits);
    }

    [Theory]
    [InlineData(15, 1)] // MeiGen's documented 10–30 s: longer than MaxRetryAfter (10 s), so it surfaces for the router
    [InlineData(4, 2)] // a documented back-off within MaxRetryAfter is waited out, then resent
    public async Task SendAsync_Submit429WithoutRetryAfter_UsesTheVendorsDocumentedBackOff(int backoffSeconds, int expectedCalls)
    {
        var clock = new FakeClock();
        var started = clock.GetUtcNow();
        var inner = new ScriptedHandler(clock, _ => Status(HttpStatusCode.TooManyRequests), _ => Status(HttpStatusCode.Created));
        using var client = MediaGenHttp.CreateClient(new MediaGenHttpOptions(), clock, inner);

        using var response = await clock.DriveAsync(client.SendAsync(Submit(vendorDedupes: false).WithRateLimitBackoff(TimeSpan.FromSeconds(backoffSeconds))));

        Assert.Equal(expectedCalls, inner.CallTimes.Count);
        if (expectedCalls == 2)
        {
            Assert.Equal(TimeSpan.FromSeconds(backoffSeconds), inner.CallTimes[1] - started); // not 1, 2, 4 s of generic back-off
        }
    }

    [Fact]
    public async Task SendAsync_ReadsKeepTheirOwnRetryCount_TheSubmitCapDoesNotApplyToThem()
    {
        var clock = new FakeClock();
        var inner = new ScriptedHandler(clock, _ => Status(HttpStatusCode.ServiceUnavailable));
        using var client = MediaGenHttp.CreateClient(new MediaGenHttpOptions { MaxRetries = 4, MaxSubmitAttempts = 2 }, clock, inner);

        using var response = await clock.DriveAsync(client.GetAsync(new Uri("http://127.0.0.1:9/status/1")));

        Assert.Equal(5, inner.CallTimes.Count);
    }

    [Fact]
    public async Task SendAsync_ProviderResendsShareOneBudget_TheCapCountsEveryLayer()
    {
        var clock = new FakeClock();
        var inner = new ScriptedHandler(clock, _ => Status(HttpStatusCode.BadGateway));
        using var client = MediaGenHttp.CreateClient(new MediaGenHttpOptions { MaxSubmitAttempts = 3 }, clock, inner);
        var attempts = new SubmitAttempts();

        // The first request is resent by the pipeline (the vendor dedupes a 502 away) until the budget allows no more.
        using (var first = await clock.DriveAsync(client.SendAsync(Submit(vendorDedupes: true, attempts))))
        {
            Assert.Equal(HttpStatusCode.BadGateway, first.StatusCode);
        }

        Assert.Equal(3, inner.CallTimes.Count);
        Assert.Equal(3, attempts.Count);
        Assert.False(attempts.CanSendAnother);
        Assert.True(attempts.MayHaveReachedVendor(status => status == 429)); // a 502 on a submit may come after the job was created
        Assert.Throws<InvalidOperationException>(() => Submit(vendorDedupes: true, attempts)); // a provider cannot send a fourth
    }

    [Fact]
    public async Task SendAsync_ProviderResendAfterAPipelineRetry_IsCappedAtWhatIsLeft()
    {
        var clock = new FakeClock();
        var inner = new ScriptedHandler(clock, _ => Status(HttpStatusCode.BadGateway), _ => Status(HttpStatusCode.OK, "<html>"), _ => RateLimited(new RetryConditionHeaderValue(TimeSpan.FromSeconds(1))));
        using var client = MediaGenHttp.CreateClient(new MediaGenHttpOptions { MaxSubmitAttempts = 4 }, clock, inner);
        var attempts = new SubmitAttempts();

        // 502, resent by the pipeline, then a 2xx only the provider can judge (say unreadable): 2 POSTs.
        using (await clock.DriveAsync(client.SendAsync(Submit(vendorDedupes: true, attempts))))
        {
        }

        Assert.Equal(2, attempts.Count);
        Assert.True(attempts.CanSendAnother);

        // The provider resends with the same key into a 429 spell: the pipeline may retry it only once more.
        using (var resent = await clock.DriveAsync(client.SendAsync(Submit(vendorDedupes: true, attempts))))
        {
            Assert.Equal(HttpStatusCode.TooManyRequests, resent.StatusCode);
        }

        Assert.Equal(4, inner.CallTimes.Count);
        Assert.Equal(4, attempts.Count);
        Assert.False(attempts.CanSendAnother);
    }

    [Fact]
    public async Task SendAsync_ConnectionNeverMade_IsNotCountedAsMayHaveReached()
    {
        var clock = new FakeClock();
        var inner = new ScriptedHandler(
            clock,
            _ => throw new HttpRequestException(HttpRequestError.ConnectionError, "refused", new System.Net.Sockets.SocketException((int)System.Net.Sockets.SocketError.ConnectionRefused)),
            _ => RateLimited(new RetryConditionHeaderValue(TimeSpan.FromMinutes(5))));
        using var client = MediaGenHttp.CreateClient(new MediaGenHttpOptions(), clock, inner);
        var attempts = new SubmitAttempts();

        using var response = await clock.DriveAsync(client.SendAsync(Submit(vendorDedupes: false, attempts)));

        Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode); // the long Retry-After surfaces
        Assert.Equal(2, attempts.Count);
        Assert.Equal(2, attempts.Observed);
        Assert.False(attempts.MayHaveReachedVendor(status => status == 429));
    }

    [Fact]
    public async Task CreateClientAndDi_SameScript_BehaveAlikeBecauseTheyRunOnePipeline()
    {
        // Under DI the pipeline is registered with AddResilienceHandler on the provider's IHttpClientFactory client, on the
        // TimeProvider from DI and MediaGen:{provider}:Http options; without DI MediaGenHttp runs the same definition in the
        // package's ResilienceHandler. The same script must give the same POSTs at the same virtual times.
        var options = new MediaGenHttpOptions { MaxSubmitAttempts = 4, BaseDelay = TimeSpan.FromSeconds(2) };
        var script = new Func<HttpRequestMessage, HttpResponseMessage>[]
        {
            _ => Status(HttpStatusCode.ServiceUnavailable),
            _ => RateLimited(new RetryConditionHeaderValue(TimeSpan.FromSeconds(7))),
            _ => Status(HttpStatusCode.GatewayTimeout),
            _ => Status(HttpStatusCode.BadGateway),
            _ => Status(HttpStatusCode.Created),
        };

        var plainClock = new FakeClock();
        var plain = new ScriptedHandler(plainClock, script);
        using (var client = MediaGenHttp.CreateClient(options, plainClock, plain))
        using (await plainClock.DriveAsync(client.SendAsync(Submit(vendorDedupes: true, new SubmitAttempts()))))
        {
        }

        var diClock = new FakeClock();
        var viaDi = new ScriptedHandler(diClock, script);
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(diClock);
        services.AddMediaGen().AddProviderHttpClient("meigen").ConfigurePrimaryHttpMessageHandler(() => viaDi);
        services.Configure<MediaGenHttpOptions>(MediaGenBuilder.HttpClientName("meigen"), o =>
        {
            o.MaxSubmitAttempts = options.MaxSubmitAttempts;
            o.BaseDelay = options.BaseDelay;
        });
        await using var sp = services.BuildServiceProvider();
        var factoryClient = sp.GetRequiredService<IHttpClientFactory>().CreateClient(MediaGenBuilder.HttpClientName("meigen"));
        using (await diClock.DriveAsync(factoryClient.SendAsync(Submit(vendorDedupes: true, new SubmitAttempts()))))
        {
        }

        // Back-off is jittered, so only the counts and the Retry-After wait can be compared exactly.
        Assert.Equal(4, plain.CallTimes.Count); // capped: the fifth (the 201) is never asked for
        Assert.Equal(plain.CallTimes.Count, viaDi.CallTimes.Count);
        Assert.Equal(TimeSpan.FromSeconds(7), plain.CallTimes[2] - plain.CallTimes[1]); // Retry-After, on the injected clock
        Assert.Equal(TimeSpan.FromSeconds(7), viaDi.CallTimes[2] - viaDi.CallTimes[1]);
        Assert.Contains(HandlerChain(sp, MediaGenBuilder.HttpClientName("meigen")), h => h is ResilienceHandler);
    }

    private static IEnumerable<HttpMessageHandler> HandlerChain(IServiceProvider sp, string name)
    {
        for (HttpMessageHandler? handler = sp.GetRequiredService<IHttpMessageHandlerFactory>().CreateHandler(name); handler is not null; handler = (handler as DelegatingHandler)?.InnerHandler)
        {
            yield return handler;
        }
    }

    private static HttpRequestMessage Submit(bool vendorDedupes, SubmitAttempts? attempts = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, SubmitUri) { Content = new StringContent("{\"prompt\":\"x\"}") };
        return attempts is null ? request.MarkSubmit(vendorDedupes) : request.MarkSubmit(vendorDedupes, attempts);
    }

    private static HttpResponseMessage Status(HttpStatusCode code, string body = "{}") => new(code) { Content = new StringContent(body) };

    private static HttpResponseMessage RateLimited(RetryConditionHeaderValue retryAfter)
    {
        var response = Status(HttpStatusCode.TooManyRequests);
        response.Headers.RetryAfter = retryAfter;
        return response;
    }

    private sealed class ScriptedHandler(TimeProvider clock, params Func<HttpRequestMessage, HttpResponseMessage>[] script) : HttpMessageHandler
    {
        public List<DateTimeOffset> CallTimes { get; } = [];

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            CallTimes.Add(clock.GetUtcNow());
            return Task.FromResult(script[Math.Min(CallTimes.Count - 1, script.Length - 1)](request));
        }
    }
}
