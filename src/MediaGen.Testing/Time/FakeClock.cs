using Microsoft.Extensions.Time.Testing;

namespace MediaGen.Testing;

/// <summary>
/// Microsoft's <see cref="FakeTimeProvider"/> plus what it lacks for code that sleeps: <see cref="DriveAsync{T}(Task{T}, TimeSpan?)"/>
/// moves the clock while the code under test waits on it, and the clock can say which timers are armed.
/// </summary>
/// <remarks>
/// <para>
/// Everything else is the package's: <see cref="FakeTimeProvider.Advance"/>, <see cref="FakeTimeProvider.SetUtcNow"/>,
/// <see cref="FakeTimeProvider.AutoAdvanceAmount"/>, timers and their order. (When one advance crosses several timers,
/// the clock is already at its target while their callbacks run, and a timer armed with a zero due time fires at once.)
/// The one difference from a plain <see cref="FakeTimeProvider"/> is the start time: 2026-01-01T00:00:00Z.
/// </para>
/// <para>
/// To know which timers are armed, when they are due and when they woke code up, the clock reads its own time when a
/// timer is armed and when it fires; with an <see cref="FakeTimeProvider.AutoAdvanceAmount"/> set, that read moves the
/// clock too. A timer stays armed until it fires, is disarmed or is disposed, even when the caller drops it.
/// </para>
/// </remarks>
public sealed partial class FakeClock : FakeTimeProvider
{
    /// <summary>The default start time: 2026-01-01T00:00:00Z.</summary>
    public static readonly DateTimeOffset DefaultStartTime = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private readonly Lock _lock = new();

    // Guarded by _lock.
    private readonly List<TrackedTimer> _armed = [];
    private long _armSequence;
    private TaskCompletionSource _armSignal = NewSignal();

    /// <summary>Initializes a new instance of the <see cref="FakeClock"/> class.</summary>
    /// <param name="startTime">The initial time. The default is <see cref="DefaultStartTime"/> (2026-01-01T00:00:00Z).</param>
    public FakeClock(DateTimeOffset? startTime = null)
        : base(startTime ?? DefaultStartTime)
    {
    }

    /// <summary>Gets the number of timers that are armed (created or changed with a finite due time and not yet fired, disarmed or disposed).</summary>
    public int PendingTimerCount
    {
        get
        {
            lock (_lock)
            {
                return _armed.Count;
            }
        }
    }

    /// <summary>Gets the time from now until the earliest armed timer is due, or <see langword="null"/> when no timer is armed.</summary>
    /// <value>Never negative: a timer that is due but still firing reports <see cref="TimeSpan.Zero"/>.</value>
    public TimeSpan? NextTimerDueIn
    {
        get
        {
            DateTimeOffset now = GetUtcNow();
            lock (_lock)
            {
                DateTimeOffset? next = null;
                foreach (TrackedTimer timer in _armed)
                {
                    next = next is { } n && n <= timer.DueAt ? n : timer.DueAt;
                }

                return next is { } due ? (due > now ? due - now : TimeSpan.Zero) : null;
            }
        }
    }

    /// <summary>Creates a timer driven by this clock (the package's timer, watched so that the clock knows when it is due).</summary>
    /// <param name="callback">The callback to invoke when the timer fires.</param>
    /// <param name="state">The state passed to <paramref name="callback"/>.</param>
    /// <param name="dueTime">The delay before the first firing; <see cref="Timeout.InfiniteTimeSpan"/> leaves the timer disarmed.</param>
    /// <param name="period">The interval between later firings; <see cref="Timeout.InfiniteTimeSpan"/> or <see cref="TimeSpan.Zero"/> fires once.</param>
    /// <returns>The timer.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="callback"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="dueTime"/> or <paramref name="period"/> is negative (other than infinite) or too large.</exception>
    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        ArgumentNullException.ThrowIfNull(callback);
        var timer = new TrackedTimer(this, callback, state);
        timer.Inner = base.CreateTimer(timer.Fire, state, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        timer.Change(dueTime, period);
        return timer;
    }

    /// <summary>Waits (in real time) until at least <paramref name="count"/> timers are armed.</summary>
    /// <param name="count">The number of armed timers to wait for. The default is 1.</param>
    /// <param name="cancellationToken">A token to stop waiting.</param>
    /// <returns>A task that completes once <see cref="PendingTimerCount"/> is at least <paramref name="count"/>.</returns>
    /// <remarks>
    /// Use it to know that code running elsewhere (for example a request handler, or a latency fault of an emulator
    /// host running on this clock) has gone to sleep on this clock before calling <see cref="FakeTimeProvider.Advance"/>.
    /// Guard it with a real-time <c>WaitAsync</c> timeout in tests so that a bug fails the test instead of hanging it.
    /// </remarks>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="count"/> is negative.</exception>
    public async Task WaitForPendingTimersAsync(int count = 1, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        while (true)
        {
            Task armed;
            lock (_lock)
            {
                if (_armed.Count >= count)
                {
                    return;
                }

                armed = _armSignal.Task;
            }

            await armed.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    private bool ChangeTimer(TrackedTimer timer, TimeSpan dueTime, TimeSpan period)
    {
        // Never read the clock while holding _lock: a read can fire due timers, whose callbacks may take other locks.
        DateTimeOffset before = GetUtcNow();
        bool arm = dueTime != Timeout.InfiniteTimeSpan;
        long version;
        lock (_lock)
        {
            if (timer.IsDisposed)
            {
                return false;
            }

            version = ++timer.Version;
            Disarm(timer);
            if (arm)
            {
                // Armed before the package's timer is, so that one firing at once (a zero due time) finds it armed.
                timer.ArmedAt = before;
                timer.DueAt = before + dueTime;
                timer.Period = period == Timeout.InfiniteTimeSpan ? TimeSpan.Zero : period;
                timer.Sequence = ++_armSequence;
                timer.IsArmed = true;
                _armed.Add(timer);
            }
        }

        bool changed;
        try
        {
            changed = timer.Inner.Change(dueTime, period);
        }
        catch
        {
            lock (_lock)
            {
                Disarm(timer);
            }

            throw;
        }

        if (!arm)
        {
            return changed;
        }

        // If the clock moved while the package armed its timer, it counted from a time between the two reads: keep the
        // later one, so that advancing to DueAt always fires the timer.
        DateTimeOffset after = GetUtcNow();
        lock (_lock)
        {
            if (timer.Version == version && timer.IsArmed && after != before)
            {
                timer.ArmedAt = after;
                timer.DueAt = after + dueTime;
            }

            if (timer.Version == version && timer.IsArmed)
            {
                OnArmedLocked(timer);
            }
        }

        return changed;
    }

    private void Fire(TrackedTimer timer)
    {
        // Read before taking _lock (see ChangeTimer). When one advance crosses several timers, this is its target.
        DateTimeOffset before = GetUtcNow();
        long version;
        bool periodic;
        lock (_lock)
        {
            if (timer.IsDisposed)
            {
                return;
            }

            version = timer.Version;
            periodic = timer.Period > TimeSpan.Zero;
            OnFiredLocked(timer, before);
            if (!periodic)
            {
                Disarm(timer);
            }
        }

        try
        {
            timer.Invoke();
        }
        finally
        {
            if (periodic)
            {
                // The package moves a periodic timer one period on, counted from the current time if the callback moved it.
                DateTimeOffset after = GetUtcNow();
                lock (_lock)
                {
                    if (timer.Version == version && timer.IsArmed)
                    {
                        timer.DueAt = (after != before ? after : timer.DueAt) + timer.Period;
                    }
                }
            }
        }
    }

    private void DisposeTimer(TrackedTimer timer)
    {
        lock (_lock)
        {
            timer.IsDisposed = true;
            timer.Version++;
            Disarm(timer);
        }

        timer.Inner.Dispose();
    }

    private void Disarm(TrackedTimer timer)
    {
        if (timer.IsArmed)
        {
            _armed.Remove(timer);
            timer.IsArmed = false;
        }
    }

    private void OnArmedLocked(TrackedTimer timer)
    {
        TaskCompletionSource armSignal = _armSignal;
        _armSignal = NewSignal();
        armSignal.TrySetResult();
        OnSleepArmedLocked(timer);
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    private sealed class TrackedTimer(FakeClock owner, TimerCallback callback, object? state) : ITimer
    {
        // Mutable fields below are guarded by owner._lock.
        public DateTimeOffset ArmedAt;
        public DateTimeOffset DueAt;
        public TimeSpan Period;
        public long Sequence;
        public long Version;
        public bool IsArmed;
        public bool IsDisposed;

        public ITimer Inner { get; set; } = null!;

        /// <summary>Gets whether this timer is a deadline (a <see cref="CancellationTokenSource"/>'s) rather than a sleep.</summary>
        public bool IsDeadline => state is CancellationTokenSource;

        public void Fire(object? _) => owner.Fire(this);

        public void Invoke() => callback(state);

        public bool Change(TimeSpan dueTime, TimeSpan period) => owner.ChangeTimer(this, dueTime, period);

        public void Dispose() => owner.DisposeTimer(this);

        public ValueTask DisposeAsync()
        {
            Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
