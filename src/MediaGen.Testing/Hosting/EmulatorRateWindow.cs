using System.Threading.RateLimiting;
using MediaGen.Providers;

namespace MediaGen.Testing;

/// <summary>
/// A vendor's documented "N requests per window per key", on the host clock: one core
/// <see cref="SlidingWindowLogRateLimiter"/> per key, so an emulator enforces exactly what the providers' own limiters
/// model. Refused requests do not count against the window.
/// </summary>
internal sealed class EmulatorRateWindow(Func<TimeProvider> clock, TimeSpan window)
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, (int Limit, SlidingWindowLogRateLimiter Limiter)> _byKey = new(StringComparer.Ordinal);

    /// <summary>Takes one request from <paramref name="key"/>'s budget of <paramref name="limit"/> per window.</summary>
    /// <param name="key">The API key (or account) the budget belongs to.</param>
    /// <param name="limit">The requests allowed per window; read on every call, so a changed limit starts a new window.</param>
    /// <param name="retryAfter">When refused: how long until a request is allowed again.</param>
    /// <returns><see langword="true"/> when the request is within the budget.</returns>
    public bool TryTake(string key, int limit, out TimeSpan retryAfter)
    {
        retryAfter = window;
        if (limit <= 0)
        {
            return false;
        }

        SlidingWindowLogRateLimiter limiter;
        lock (_lock)
        {
            if (!_byKey.TryGetValue(key, out var entry) || entry.Limit != limit)
            {
                entry = (limit, new SlidingWindowLogRateLimiter(limit, window, clock()));
                _byKey[key] = entry;
            }

            limiter = entry.Limiter;
        }

        using RateLimitLease lease = limiter.AttemptAcquire();
        if (lease.IsAcquired)
        {
            return true;
        }

        if (lease.TryGetMetadata(MetadataName.RetryAfter, out TimeSpan wait))
        {
            retryAfter = wait;
        }

        return false;
    }
}
