using System.Threading.RateLimiting;

namespace MediaGen.VeoGen.Internal;

/// <summary>
/// The default limiter: a token bucket of the per-minute limit, refilled evenly over the minute from a
/// <see cref="TimeProvider"/> on each acquire (no background timer), so it needs no disposal by the provider and follows
/// a fake clock in tests. Refusals carry <see cref="MetadataName.RetryAfter"/>: the time until the next token.
/// </summary>
internal sealed class ClockedRateLimiter : RateLimiter
{
    private readonly TimeProvider _time;
    private readonly int _limit;
    private readonly TimeSpan _period;
    private readonly Lock _gate = new();
    private long _lastRefill;
    private int _tokens;
    private long? _idleSince;

    public ClockedRateLimiter(int requestsPerMinute, TimeProvider time)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(requestsPerMinute);
        _time = time;
        _limit = requestsPerMinute;
        _tokens = requestsPerMinute;
        _period = TimeSpan.FromMinutes(1) / requestsPerMinute;
        _lastRefill = time.GetTimestamp();
        _idleSince = _lastRefill;
    }

    public override TimeSpan? IdleDuration
    {
        get
        {
            lock (_gate)
            {
                return _idleSince is { } since ? _time.GetElapsedTime(since) : null;
            }
        }
    }

    public override RateLimiterStatistics? GetStatistics()
    {
        lock (_gate)
        {
            Refill();
            return new RateLimiterStatistics { CurrentAvailablePermits = _tokens };
        }
    }

    protected override RateLimitLease AttemptAcquireCore(int permitCount)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(permitCount);
        lock (_gate)
        {
            Refill();
            _idleSince = _time.GetTimestamp();
            if (_tokens >= permitCount)
            {
                _tokens -= permitCount;
                return Lease.Granted;
            }

            var wait = (_period * (permitCount - _tokens)) - _time.GetElapsedTime(_lastRefill);
            return new Lease(false, wait > TimeSpan.Zero ? wait : _period);
        }
    }

    protected override ValueTask<RateLimitLease> AcquireAsyncCore(int permitCount, CancellationToken cancellationToken) =>
        ValueTask.FromResult(AttemptAcquireCore(permitCount));

    private void Refill()
    {
        var now = _time.GetTimestamp();
        var periods = (long)(_time.GetElapsedTime(_lastRefill, now) / _period);
        if (periods <= 0)
        {
            return;
        }

        _tokens = (int)Math.Min(_limit, _tokens + periods);
        _lastRefill = _tokens == _limit ? now : _lastRefill + (long)(periods * _period.TotalSeconds * _time.TimestampFrequency);
    }

    private sealed class Lease(bool acquired, TimeSpan? retryAfter) : RateLimitLease
    {
        public static readonly Lease Granted = new(true, null);

        public override bool IsAcquired => acquired;

        public override IEnumerable<string> MetadataNames => retryAfter is null ? [] : [MetadataName.RetryAfter.Name];

        public override bool TryGetMetadata(string metadataName, out object? metadata)
        {
            if (retryAfter is { } wait && metadataName == MetadataName.RetryAfter.Name)
            {
                metadata = wait;
                return true;
            }

            metadata = null;
            return false;
        }
    }
}
