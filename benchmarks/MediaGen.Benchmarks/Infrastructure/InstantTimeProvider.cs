namespace MediaGen.Benchmarks.Infrastructure;

/// <summary>
/// A clock for measuring overhead, not sleeping: real time, except that a timer due within
/// <see cref="InstantBelow"/> fires at once (on the thread pool). The wait loop's poll delays (at least 250 ms by
/// design) therefore cost only the timer's creation and one thread-pool hop, while its deadline (minutes) still
/// runs on the real clock. The floor makes its calls back to back, so both sides do the same HTTP calls with no
/// sleeping between them.
/// </summary>
public sealed class InstantTimeProvider : TimeProvider
{
    public static readonly TimeSpan InstantBelow = TimeSpan.FromSeconds(30);

    public static InstantTimeProvider Instance { get; } = new();

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        if (dueTime != Timeout.InfiniteTimeSpan && dueTime < InstantBelow && period == Timeout.InfiniteTimeSpan)
        {
            ThreadPool.UnsafeQueueUserWorkItem(static s => s.callback(s.state), (callback, state), preferLocal: false);
            return FiredTimer.Instance;
        }

        return System.CreateTimer(callback, state, dueTime, period);
    }

    private sealed class FiredTimer : ITimer
    {
        public static readonly FiredTimer Instance = new();

        public bool Change(TimeSpan dueTime, TimeSpan period) => false;

        public void Dispose()
        {
        }

        public ValueTask DisposeAsync() => default;
    }
}
