using System.Threading.RateLimiting;

namespace MediaGen.Providers;

/// <summary>
/// At most N permits in any window (a sliding log of acquisition times), on a <see cref="TimeProvider"/> so it is
/// deterministic under a fake clock, with no background timer. Once disposed it refuses with <see cref="ObjectDisposedException"/>. Never queues: a refused lease carries
/// <see cref="MetadataName.RetryAfter"/> (when the oldest grant leaves the window). Providers use it for the vendors'
/// documented per-minute limits (each provider states its vendor's limit in its options).
/// </summary>
public sealed class SlidingWindowLogRateLimiter : RateLimiter
{
    private readonly Queue<DateTimeOffset> _granted = new();
    private readonly Lock _gate = new();
    private readonly int _permitLimit;
    private readonly TimeSpan _window;
    private readonly TimeProvider _time;
    private long _successful;
    private long _failed;
    private volatile bool _disposed;

    /// <summary>Creates the limiter.</summary>
    /// <param name="permitLimit">The most permits in any window.</param>
    /// <param name="window">The window.</param>
    /// <param name="time">The clock.</param>
    public SlidingWindowLogRateLimiter(int permitLimit, TimeSpan window, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(time);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(window, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(permitLimit);
        _permitLimit = permitLimit;
        _window = window;
        _time = time;
    }

    /// <inheritdoc/>
    public override TimeSpan? IdleDuration
    {
        get
        {
            lock (_gate)
            {
                Trim(_time.GetUtcNow());
                return _granted.Count == 0 ? TimeSpan.Zero : null;
            }
        }
    }

    /// <inheritdoc/>
    public override RateLimiterStatistics? GetStatistics()
    {
        lock (_gate)
        {
            Trim(_time.GetUtcNow());
            return new RateLimiterStatistics
            {
                CurrentAvailablePermits = _permitLimit - _granted.Count,
                CurrentQueuedCount = 0,
                TotalSuccessfulLeases = Interlocked.Read(ref _successful),
                TotalFailedLeases = Interlocked.Read(ref _failed),
            };
        }
    }

    /// <inheritdoc/>
    protected override RateLimitLease AttemptAcquireCore(int permitCount)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(permitCount);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(permitCount, _permitLimit);
        ObjectDisposedException.ThrowIf(_disposed, this);
        lock (_gate)
        {
            var now = _time.GetUtcNow();
            Trim(now);
            if (permitCount == 0)
            {
                return _granted.Count < _permitLimit ? Lease.Granted : Refuse(now, 1);
            }

            if (_granted.Count + permitCount > _permitLimit)
            {
                return Refuse(now, permitCount);
            }

            for (var i = 0; i < permitCount; i++)
            {
                _granted.Enqueue(now);
            }

            Interlocked.Increment(ref _successful);
            return Lease.Granted;
        }
    }

    /// <inheritdoc/>
    protected override ValueTask<RateLimitLease> AcquireAsyncCore(int permitCount, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return ValueTask.FromResult(AttemptAcquireCore(permitCount));
    }

    /// <summary>Marks the limiter disposed: like the built-in limiters, it grants nothing afterwards (it holds no timer to free).</summary>
    /// <param name="disposing">Whether this is <see cref="RateLimiter.Dispose()"/>.</param>
    protected override void Dispose(bool disposing)
    {
        _disposed = true;
        base.Dispose(disposing);
    }

    private Lease Refuse(DateTimeOffset now, int permitCount)
    {
        Interlocked.Increment(ref _failed);

        // The permit frees up when the oldest grant that blocks it leaves the window.
        var blocking = _granted.ElementAt(Math.Min(_granted.Count - 1, Math.Max(0, _granted.Count + permitCount - _permitLimit - 1)));
        var retryAfter = blocking + _window - now;
        return new Lease(false, retryAfter < TimeSpan.Zero ? TimeSpan.Zero : retryAfter);
    }

    private void Trim(DateTimeOffset now)
    {
        while (_granted.Count > 0 && now - _granted.Peek() >= _window)
        {
            _granted.Dequeue();
        }
    }

    private sealed class Lease(bool acquired, TimeSpan? retryAfter) : RateLimitLease
    {
        public static Lease Granted { get; } = new(true, null);

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
