using System.Threading.RateLimiting;

namespace MediaGen.VeoGen.Internal;

/// <summary>
/// The default limiter: a <see cref="TokenBucketRateLimiter"/> (a burst of the per-minute limit, refilled evenly over
/// the minute) replenished from a <see cref="TimeProvider"/> on each acquire instead of a background timer, so it
/// owns no timer, needs no disposal by the provider, and follows a fake clock in tests.
/// </summary>
internal sealed class ClockedRateLimiter : RateLimiter
{
    private readonly TokenBucketRateLimiter _bucket;
    private readonly TimeProvider _time;
    private readonly TimeSpan _period;
    private readonly Lock _gate = new();
    private readonly int _tokenLimit;
    private long _lastReplenish;

    public ClockedRateLimiter(int requestsPerMinute, TimeProvider time)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(requestsPerMinute);
        _time = time;
        _tokenLimit = requestsPerMinute;
        _period = TimeSpan.FromMinutes(1) / requestsPerMinute;
        _bucket = new TokenBucketRateLimiter(new TokenBucketRateLimiterOptions
        {
            TokenLimit = requestsPerMinute,
            TokensPerPeriod = 1,
            ReplenishmentPeriod = _period,
            AutoReplenishment = false,
            QueueLimit = 0,
        });
        _lastReplenish = time.GetTimestamp();
    }

    public override TimeSpan? IdleDuration => _bucket.IdleDuration;

    public override RateLimiterStatistics? GetStatistics() => _bucket.GetStatistics();

    protected override RateLimitLease AttemptAcquireCore(int permitCount)
    {
        Replenish();
        var lease = _bucket.AttemptAcquire(permitCount);
        return lease.IsAcquired ? lease : Refused(lease);
    }

    protected override ValueTask<RateLimitLease> AcquireAsyncCore(int permitCount, CancellationToken cancellationToken) =>
        ValueTask.FromResult(AttemptAcquireCore(permitCount));

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _bucket.Dispose();
        }

        base.Dispose(disposing);
    }

    private void Replenish()
    {
        lock (_gate)
        {
            var now = _time.GetTimestamp();
            var periods = (long)(_time.GetElapsedTime(_lastReplenish, now) / _period);
            if (periods <= 0)
            {
                return;
            }

            // One token per period; more than a full bucket's worth is capped by the bucket anyway.
            for (long i = 0; i < Math.Min(periods, _tokenLimit); i++)
            {
                _bucket.TryReplenish();
            }

            _lastReplenish += (long)(periods * _period.TotalSeconds * _time.TimestampFrequency);
        }
    }

    // The bucket's own Retry-After assumes its timer; report the time until one token is replenished instead.
    private RefusedLease Refused(RateLimitLease inner)
    {
        inner.Dispose();
        var elapsed = _time.GetElapsedTime(_lastReplenish);
        var wait = _period - elapsed;
        return new RefusedLease(wait > TimeSpan.Zero ? wait : _period);
    }

    private sealed class RefusedLease(TimeSpan retryAfter) : RateLimitLease
    {
        public override bool IsAcquired => false;

        public override IEnumerable<string> MetadataNames => [MetadataName.RetryAfter.Name];

        public override bool TryGetMetadata(string metadataName, out object? metadata)
        {
            if (metadataName == MetadataName.RetryAfter.Name)
            {
                metadata = retryAfter;
                return true;
            }

            metadata = null;
            return false;
        }
    }
}
