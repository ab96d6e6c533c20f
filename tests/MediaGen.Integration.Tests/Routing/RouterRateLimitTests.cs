using MediaGen.Routing;
using MediaGen.Testing;

namespace MediaGen.Integration.Tests.Routing;

/// <summary>Issue 19, "retries that respect the vendor": rate-limited submits fail over at once, or wait the vendor's documented back-off.</summary>
public class RouterRateLimitTests
{
    private const string MeiGenSubmit = "/api/generate/v2";
    private const string RateLimited = """{"error": "Rate limit exceeded"}""";

    private static GenerationRequest NanoBanana() => new("nano-banana-2", "a lighthouse at dusk, watercolor");

    [Fact]
    public async Task SubmitAsync_MeiGen429WithoutRetryAfterAndNoOtherVendor_WaitsTheDocumented15SecondsAndRetries()
    {
        await using var v = await ThreeVendors.StartAsync();
        v.Host.Faults.On(HttpMethod.Post, MeiGenSubmit).Once().RespondWith(429, RateLimited);
        var waits = new List<RateLimitWait>();
        var router = v.Router(o => o.OnRateLimitWait = waits.Add, v.MeiGen);
        var started = v.Clock.GetUtcNow();

        var job = (await v.Clock.DriveAsync(router.SubmitAsync(NanoBanana()))).GetValueOrThrow();

        Assert.Equal("meigen", job.Handle.Provider);
        var wait = Assert.Single(waits);
        Assert.Equal(TimeSpan.FromSeconds(15), wait.Delay); // MeiGen: "wait 10–30 seconds", not 1, 2, 4 s
        Assert.Equal("MeiGen is rate limiting; retrying in 15 s", wait.ToString());
        Assert.Equal(2, v.Submits("meigen"));
        Assert.True(v.Clock.GetUtcNow() - started >= TimeSpan.FromSeconds(15));
        Assert.Equal(1, v.Host.Ledger.ChargedJobCount);
    }

    [Fact]
    public async Task SubmitAsync_MeiGen429AndVeoGenCanServe_FailsOverAtOnceWithoutWaiting()
    {
        await using var v = await ThreeVendors.StartAsync();
        v.Host.Faults.On(HttpMethod.Post, MeiGenSubmit).Always().RespondWith(429, RateLimited);
        var waits = new List<RateLimitWait>();
        var router = v.Router(o => { o.Preference = ["meigen", "veogen"]; o.OnRateLimitWait = waits.Add; });
        var started = v.Clock.GetUtcNow();

        var job = (await v.Clock.DriveAsync(router.SubmitAsync(NanoBanana()))).GetValueOrThrow();

        Assert.Equal("veogen", job.Handle.Provider);
        Assert.Empty(waits);
        Assert.Equal(started, v.Clock.GetUtcNow());
        Assert.Equal(1, v.Submits("meigen")); // the pipeline did not re-send it past the limiter after 1, 2, 4 s
        Assert.IsType<RateLimitedError>(Assert.Single(job.Attempts, a => a.Provider == "meigen").Error);
    }

    [Fact]
    public async Task SubmitAsync_RateLimitedPastMaxRateLimitWait_StopsWaitingWithNoRoute()
    {
        await using var v = await ThreeVendors.StartAsync();
        v.Host.Faults.On(HttpMethod.Post, MeiGenSubmit).Always().RespondWith(429, RateLimited);
        var waits = new List<RateLimitWait>();
        var router = v.Router(o => { o.OnRateLimitWait = waits.Add; o.MaxRateLimitWait = TimeSpan.FromSeconds(30); }, v.MeiGen);

        var result = await v.Clock.DriveAsync(router.SubmitAsync(NanoBanana()));

        Assert.IsType<NoRouteError>(result.Error);
        Assert.Equal(2, waits.Count); // 15 s + 15 s fit in 30 s; a third would not
        Assert.Equal(3, v.Submits("meigen"));
        Assert.Equal(0, v.Host.Ledger.ChargedJobCount);
    }

    [Fact]
    public async Task WaitForCompletionAsync_MeiGenJob_NoPollGapIsShorterThanTheDocumented3Seconds()
    {
        await using var v = await ThreeVendors.StartAsync();
        v.Host.Jobs.Default = JobScript.CompleteAfter(TimeSpan.FromSeconds(40));
        var recorder = new PollRecorder(v.MeiGen, v.Clock);
        var job = (await v.Clock.DriveAsync(recorder.SubmitAsync(new GenerationRequest("nanobanana-2", "a lighthouse")))).GetValueOrThrow();

        var ended = (await v.Clock.DriveAsync(recorder.WaitForCompletionAsync(job.Handle, new WaitOptions { TimeProvider = v.Clock }))).GetValueOrThrow();

        Assert.Equal(GenerationStatus.Succeeded, ended.Status);
        var gaps = recorder.PollTimes.Zip(recorder.PollTimes.Skip(1), (a, b) => b - a).ToList();
        Assert.NotEmpty(gaps);
        Assert.All(gaps, g => Assert.True(g >= TimeSpan.FromSeconds(3), $"a {g.TotalSeconds} s poll gap is under MeiGen's documented 3 s"));
    }

    [Fact]
    public async Task GetJobAsync_VeoGenPollsUseTheSharedBudget_TheLastTenthIsLeftForSubmits()
    {
        await using var v = await ThreeVendors.StartAsync();
        v.Host.Jobs.Default = JobScript.NeverComplete();
        var job = (await v.Clock.DriveAsync(v.VeoGen.SubmitAsync(new GenerationRequest("gpt-4o-image", "a lighthouse")))).GetValueOrThrow();

        RateLimitedError? heldBack = null;
        for (var i = 0; i < 130 && heldBack is null; i++)
        {
            var polled = await v.VeoGen.GetJobAsync(job.Handle);
            heldBack = polled.Error as RateLimitedError;
        }

        Assert.NotNull(heldBack);
        Assert.Contains("for submits", heldBack.Message, StringComparison.Ordinal);
        var submitted = await v.Clock.DriveAsync(v.VeoGen.SubmitAsync(new GenerationRequest("gpt-4o-image", "a second lighthouse")));
        Assert.True(submitted.IsSuccess, submitted.Error?.Message); // four jobs polling near completion cannot starve the next submit
    }

    private sealed class PollRecorder(IMediaGenerator inner, TimeProvider clock) : DelegatingMediaGenerator(inner)
    {
        public List<DateTimeOffset> PollTimes { get; } = [];

        public override Task<Result<GenerationJob>> GetJobAsync(JobHandle handle, CancellationToken cancellationToken = default)
        {
            PollTimes.Add(clock.GetUtcNow());
            return base.GetJobAsync(handle, cancellationToken);
        }
    }
}
