using System.Threading.RateLimiting;
using MediaGen.Providers;
using MediaGen.Testing;

namespace MediaGen.Tests.Providers;

public sealed class SlidingWindowLogRateLimiterTests
{
    [Fact]
    public void AttemptAcquire_BeyondTheLimit_RefusesUntilTheOldestGrantLeavesTheWindow()
    {
        var time = new FakeClock();
        using var limiter = new SlidingWindowLogRateLimiter(12, TimeSpan.FromMinutes(1), time);
        for (var i = 0; i < 12; i++)
        {
            Assert.True(limiter.AttemptAcquire().IsAcquired);
            time.Advance(TimeSpan.FromSeconds(1));
        }

        using var refused = limiter.AttemptAcquire();
        Assert.False(refused.IsAcquired);
        Assert.True(refused.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter));
        Assert.Equal(TimeSpan.FromSeconds(48), retryAfter);

        time.Advance(TimeSpan.FromSeconds(48));
        Assert.True(limiter.AttemptAcquire().IsAcquired);
        Assert.False(limiter.AttemptAcquire().IsAcquired);
    }

    [Fact]
    public void GetStatistics_CountsGrantsAndRefusals()
    {
        using var limiter = new SlidingWindowLogRateLimiter(1, TimeSpan.FromMinutes(1), new FakeClock());
        limiter.AttemptAcquire().Dispose();
        limiter.AttemptAcquire().Dispose();

        var stats = limiter.GetStatistics()!;

        Assert.Equal(1, stats.TotalSuccessfulLeases);
        Assert.Equal(1, stats.TotalFailedLeases);
        Assert.Equal(0, stats.CurrentAvailablePermits);
    }
}
