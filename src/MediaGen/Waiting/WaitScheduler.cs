using System.Runtime.CompilerServices;

namespace MediaGen;

/// <summary>
/// One timer per <see cref="TimeProvider"/> serves every sleeping wait of the process: a waiting job holds one
/// <see cref="WaitSleep"/> (its next due time lives in this queue), not a <c>Task.Delay</c>, a timer or a token source.
/// The timer is armed for the earliest due time; when it fires, every due sleep is woken (on the real clock each
/// continuation goes to the thread pool, so thousands of due waits run in parallel, not in one serial batch).
/// </summary>
internal sealed class WaitScheduler
{
    private static readonly ConditionalWeakTable<TimeProvider, WaitScheduler> ByClock = new();

    private readonly Lock _lock = new();
    private readonly PriorityQueue<(WaitSleep Sleep, long Seq), long> _due = new();
    private ITimer? _timer;
    private long _armedTicks = long.MaxValue;
    private int _live;

    private WaitScheduler(TimeProvider time)
    {
        Time = time;
        Dispatches = ReferenceEquals(time, TimeProvider.System);
    }

    /// <summary>Gets the clock.</summary>
    public TimeProvider Time { get; }

    /// <summary>Gets whether due wakes run their continuations on the thread pool (the real clock) rather than inline in the timer callback (fake clocks: as <c>Task.Delay</c> did).</summary>
    public bool Dispatches { get; }

    /// <summary>Gets the number of sleeps waiting for their due time (tests and diagnosis).</summary>
    public int Sleeping
    {
        get
        {
            lock (_lock)
            {
                return _live;
            }
        }
    }

    /// <summary>Gets the scheduler of a clock (one per clock, for the process).</summary>
    /// <param name="time">The clock.</param>
    /// <returns>The scheduler.</returns>
    public static WaitScheduler For(TimeProvider time) => ByClock.GetValue(time, static t => new WaitScheduler(t));

    /// <summary>Queues an armed sleep.</summary>
    internal void Schedule(WaitSleep sleep, long seq, long dueTicks)
    {
        lock (_lock)
        {
            _due.Enqueue((sleep, seq), dueTicks);
            _live++;

            // Armed only now, under the lock: an early wake (which forgets the entry under this lock) cannot come first.
            sleep.Arm(seq);
            if (dueTicks < _armedTicks)
            {
                Arm(dueTicks);
            }
        }
    }

    /// <summary>A sleep woke early (an update, a cancellation): its queue entry is stale now.</summary>
    internal void Forget()
    {
        lock (_lock)
        {
            if (--_live == 0)
            {
                // Nothing is sleeping: drop the stale entries and disarm, so an idle process holds no timer.
                _due.Clear();
                Disarm();
            }
        }
    }

    private void OnTimer()
    {
        if (_lock.IsHeldByCurrentThread)
        {
            // A clock that fires while it is being armed (inside Change, under our lock): wake from the pool instead.
            ThreadPool.UnsafeQueueUserWorkItem(static s => s.OnTimer(), this, preferLocal: false);
            return;
        }

        List<WaitSleep>? fire = null;
        lock (_lock)
        {
            // Everything due by now, or by the time the timer was armed for (a clock whose timers fire early, like the
            // benchmarks' instant clock, is trusted as Task.Delay trusted it).
            var now = Time.GetUtcNow().UtcTicks;
            var limit = _armedTicks == long.MaxValue ? now : Math.Max(_armedTicks, now);
            _armedTicks = long.MaxValue;
            while (_due.TryPeek(out var item, out var due) && due <= limit)
            {
                _due.Dequeue();
                if (item.Sleep.TryDisarm(item.Seq))
                {
                    _live--;
                    (fire ??= []).Add(item.Sleep);
                }
            }

            if (_due.TryPeek(out _, out var next))
            {
                Arm(next);
            }
            else
            {
                Disarm();
            }
        }

        if (fire is null)
        {
            return;
        }

        foreach (var sleep in fire)
        {
            sleep.Complete(WaitWake.Due, Dispatches);
        }
    }

    private void Arm(long dueTicks)
    {
        _armedTicks = dueTicks;
        var delay = TimeSpan.FromTicks(Math.Max(0, dueTicks - Time.GetUtcNow().UtcTicks));
        if (_timer is not null && _timer.Change(delay, Timeout.InfiniteTimeSpan))
        {
            return;
        }

        // First use, or a clock whose timers cannot be re-armed (a fired one-shot): a new timer. Not capturing the
        // arming wait's execution context (its Activity, its AsyncLocals) into a timer every wait shares.
        _timer?.Dispose();
        using (ExecutionContext.SuppressFlow())
        {
            _timer = Time.CreateTimer(static s => ((WaitScheduler)s!).OnTimer(), this, delay, Timeout.InfiniteTimeSpan);
        }
    }

    private void Disarm()
    {
        _armedTicks = long.MaxValue;
        if (_timer is not null && !_timer.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan))
        {
            _timer.Dispose();
            _timer = null;
        }
    }
}

/// <summary>Why a sleep ended.</summary>
internal enum WaitWake
{
    /// <summary>Its due time came.</summary>
    Due,

    /// <summary>A pushed update arrived.</summary>
    Update,

    /// <summary>The caller's token was canceled.</summary>
    Canceled,

    /// <summary>The wait's deadline came.</summary>
    Deadline,
}

/// <summary>
/// One wait's reusable sleep: awaited as a <see cref="ValueTask{TResult}"/> once per gap between polls, woken by the
/// shared <see cref="WaitScheduler"/>, a pushed update or the caller's token, whichever is first (exactly once per sleep).
/// </summary>
internal sealed class WaitSleep : System.Threading.Tasks.Sources.IValueTaskSource<WaitWake>
{
    private readonly WaitScheduler _scheduler;
    private System.Threading.Tasks.Sources.ManualResetValueTaskSourceCore<WaitWake> _core;

    /// <summary>(sequence &lt;&lt; 1) | armed: a stale queue entry (an earlier sequence) cannot wake a later sleep.</summary>
    private long _state;

    private CancellationTokenSource? _poll;

    public WaitSleep(WaitScheduler scheduler) => _scheduler = scheduler;

    /// <summary>Gets or sets the token source of the poll in flight (canceled with the caller's token).</summary>
    public CancellationTokenSource? Poll
    {
        get => Volatile.Read(ref _poll);
        set => Volatile.Write(ref _poll, value);
    }

    /// <summary>The caller's token was canceled: wake the sleep, or cancel the poll in flight.</summary>
    public void Cancel()
    {
        Wake(WaitWake.Canceled);
        CancelPoll();
    }

    /// <summary>Cancels the poll in flight, if any.</summary>
    public void CancelPoll()
    {
        try
        {
            Poll?.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // The poll answered and its source is gone: nothing to cancel.
        }
    }

    /// <summary>Sleeps until <paramref name="due"/> (or an update or cancellation wakes it earlier).</summary>
    /// <param name="due">When to wake.</param>
    /// <returns>Why it woke.</returns>
    public ValueTask<WaitWake> SleepUntil(DateTimeOffset due)
    {
        var seq = (Volatile.Read(ref _state) >> 1) + 1;
        var task = new ValueTask<WaitWake>(this, _core.Version);
        _scheduler.Schedule(this, seq, due.UtcTicks);
        return task;
    }

    internal void Arm(long seq) => Volatile.Write(ref _state, (seq << 1) | 1);

    /// <summary>Wakes the current sleep early, if one is armed.</summary>
    /// <param name="reason">Why.</param>
    public void Wake(WaitWake reason)
    {
        var state = Volatile.Read(ref _state);
        if ((state & 1) != 0 && TryDisarm(state >> 1))
        {
            _scheduler.Forget();
            Complete(reason, dispatch: reason == WaitWake.Update);
        }
    }

    internal bool TryDisarm(long seq) => Interlocked.CompareExchange(ref _state, seq << 1, (seq << 1) | 1) == ((seq << 1) | 1);

    internal void Complete(WaitWake reason, bool dispatch)
    {
        _core.RunContinuationsAsynchronously = dispatch;
        _core.SetResult(reason);
    }

    WaitWake System.Threading.Tasks.Sources.IValueTaskSource<WaitWake>.GetResult(short token)
    {
        try
        {
            return _core.GetResult(token);
        }
        finally
        {
            // Ready for the next sleep, and holding no continuation (the waiting state machine) in between.
            _core.Reset();
        }
    }

    System.Threading.Tasks.Sources.ValueTaskSourceStatus System.Threading.Tasks.Sources.IValueTaskSource<WaitWake>.GetStatus(short token) => _core.GetStatus(token);

    void System.Threading.Tasks.Sources.IValueTaskSource<WaitWake>.OnCompleted(Action<object?> continuation, object? state, short token, System.Threading.Tasks.Sources.ValueTaskSourceOnCompletedFlags flags) =>
        _core.OnCompleted(continuation, state, token, flags);
}
