using System.Threading.RateLimiting;
using MediaGen.Testing;
using MediaGen.VeoGen.Tests.TestSupport;

namespace MediaGen.VeoGen.Tests;

/// <summary>One client-side limiter (120 requests/min by default, injectable) shared by submits and polls.</summary>
public sealed class VeoGenRateLimitTests
{
    private static readonly JobHandle Handle = new("veogen", VeoGenDocs.JobId);

    [Fact]
    public async Task GetJobAsync_109thReadInAMinute_IsHeldBackBeforeAnyNetworkCallLeavingTwelveForSubmits()
    {
        // Issue 19: VeoGen's 120 a minute are shared by submits and polls, so reads leave the last tenth to submits
        // (earlier a poll could take all 120 and the next submit was refused).
        var time = new FakeClock(Stubbed.Now);
        var handler = Always200();
        var veogen = Stubbed.Create(handler, time: time);

        for (var i = 0; i < 108; i++)
        {
            Assert.True((await veogen.GetJobAsync(Handle)).IsSuccess);
        }

        var refused = await veogen.GetJobAsync(Handle);

        var error = Assert.IsType<RateLimitedError>(refused.Error);
        Assert.Equal(108, handler.Requests.Count);
        Assert.Contains("for submits", error.Message, StringComparison.Ordinal);
        Assert.Equal(TimeSpan.FromSeconds(3), error.RetryAfter); // poll again after the documented interval
        Assert.True(error.RejectedBeforeBilling);
        Assert.Null(error.StatusCode);
    }

    [Fact]
    public async Task GetJobAsync_AfterTheOldestLeavesTheWindow_OnePermitIsBack()
    {
        var time = new FakeClock(Stubbed.Now);
        var veogen = Stubbed.Create(Always200(), o => o.RequestsPerMinute = 2, time);
        await veogen.GetJobAsync(Handle);
        time.Advance(TimeSpan.FromSeconds(30));
        await veogen.GetJobAsync(Handle);
        Assert.IsType<RateLimitedError>((await veogen.GetJobAsync(Handle)).Error);

        time.Advance(TimeSpan.FromSeconds(30));

        Assert.True((await veogen.GetJobAsync(Handle)).IsSuccess);
        Assert.IsType<RateLimitedError>((await veogen.GetJobAsync(Handle)).Error);
    }

    [Fact]
    public async Task SubmitAndPoll_ShareTheInjectedLimiter()
    {
        using var limiter = new FixedWindowRateLimiter(new FixedWindowRateLimiterOptions { PermitLimit = 1, Window = TimeSpan.FromHours(1), QueueLimit = 0, AutoReplenishment = false });
        var handler = new StubHttpHandler().Enqueue(201, VeoGenDocs.Created(VeoGenDocs.Generation()));
        var veogen = Stubbed.Create(handler, o => o.RateLimiter = limiter);

        var job = (await veogen.SubmitAsync(new GenerationRequest("veo-3.1-fast", "A cat"))).GetValueOrThrow();
        var poll = await veogen.GetJobAsync(job.Handle);

        Assert.IsType<RateLimitedError>(poll.Error);
        Assert.Single(handler.Requests);
    }

    [Fact]
    public async Task SubmitAsync_RefusedByTheLimiter_SendsNothing()
    {
        using var limiter = new FixedWindowRateLimiter(new FixedWindowRateLimiterOptions { PermitLimit = 1, Window = TimeSpan.FromHours(1), QueueLimit = 0, AutoReplenishment = false });
        limiter.AttemptAcquire(1).Dispose();
        var handler = new StubHttpHandler();

        var result = await Stubbed.Create(handler, o => o.RateLimiter = limiter).SubmitAsync(new GenerationRequest("veo-3.1-fast", "A cat"));

        Assert.IsType<RateLimitedError>(result.Error);
        Assert.Empty(handler.Requests);
    }

    private static StubHttpHandler Always200() => new()
    {
        Fallback = _ => new HttpResponseMessage(System.Net.HttpStatusCode.OK) { Content = new StringContent(VeoGenDocs.Data(VeoGenDocs.Generation()), System.Text.Encoding.UTF8, "application/json") },
    };
}
