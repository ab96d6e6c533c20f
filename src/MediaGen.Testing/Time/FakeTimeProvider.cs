using System.Globalization;

namespace MediaGen.Testing;

/// <summary>
/// A <see cref="TimeProvider"/> whose clock only moves when a test moves it, with timers that fire
/// deterministically on the thread that advances the clock.
/// </summary>
/// <remarks>
/// <para>
/// Use it wherever code takes a <see cref="TimeProvider"/>: <c>Task.Delay(delay, clock, ct)</c>,
/// <c>new CancellationTokenSource(delay, clock)</c>, <see cref="PeriodicTimer"/> and
/// <see cref="TimeProvider.CreateTimer"/> all run on virtual time.
/// </para>
/// <para>
/// <see cref="Advance"/> and <see cref="SetUtcNow"/> fire every timer that falls due up to the new time, in
/// due-time order (timers due at the same instant fire in the order they were armed). While a timer's callback
/// runs, <see cref="GetUtcNow"/> returns that timer's due time. Callbacks run synchronously on the advancing
/// thread. A timer armed with a zero due time fires on the next advance (even <c>Advance(TimeSpan.Zero)</c>),
/// never inside <see cref="CreateTimer"/> or <see cref="ITimer.Change"/>.
/// </para>
/// <para>All members are thread-safe. <see cref="LocalTimeZone"/> is UTC.</para>
/// </remarks>
public sealed partial class FakeTimeProvider : TimeProvider
{
    /// <summary>The default start time: 2026-01-01T00:00:00Z.</summary>
    public static readonly DateTimeOffset DefaultStartTime = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    // Largest finite due time or period accepted by System.Threading.Timer (uint.MaxValue - 1 ms).
    private static readonly TimeSpan MaxTimerInterval = TimeSpan.FromMilliseconds(uint.MaxValue - 1.0);

    private readonly Lock _lock = new();
    private readonly Lock _advanceGate = new();
    private readonly List<FakeTimer> _armed = [];
    private bool _lastAdvanceFiredBackground;
    private readonly DateTimeOffset _start;
    private DateTimeOffset _now;
    private long _armSequence;

    /// <summary>Initializes a new instance of the <see cref="FakeTimeProvider"/> class.</summary>
    /// <param name="startTime">The initial time. The default is <see cref="DefaultStartTime"/> (2026-01-01T00:00:00Z).</param>
    public FakeTimeProvider(DateTimeOffset? startTime = null)
    {
        _start = startTime ?? DefaultStartTime;
        _now = _start;
        _sleepSignal = NewSignal();
    }

    /// <summary>Gets the time zone used by <see cref="TimeProvider.GetLocalNow"/>: always <see cref="TimeZoneInfo.Utc"/>.</summary>
    public override TimeZoneInfo LocalTimeZone => TimeZoneInfo.Utc;

    /// <summary>Gets the frequency of <see cref="GetTimestamp"/>: <see cref="TimeSpan.TicksPerSecond"/>.</summary>
    public override long TimestampFrequency => TimeSpan.TicksPerSecond;

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
    /// <value>Never negative: a timer already due (for example one armed with a zero due time) reports <see cref="TimeSpan.Zero"/>.</value>
    public TimeSpan? NextTimerDueIn
    {
        get
        {
            lock (_lock)
            {
                FakeTimer? next = FindEarliestLocked();
                return next is null ? null : Max(next.DueAt - _now, TimeSpan.Zero);
            }
        }
    }

    /// <summary>Gets the current virtual time.</summary>
    /// <returns>The current virtual UTC time.</returns>
    public override DateTimeOffset GetUtcNow()
    {
        lock (_lock)
        {
            return _now;
        }
    }

    /// <summary>Gets a timestamp derived from the virtual clock (ticks elapsed since the start time).</summary>
    /// <returns>The number of <see cref="TimeSpan"/> ticks elapsed since the start time.</returns>
    public override long GetTimestamp()
    {
        lock (_lock)
        {
            return (_now - _start).Ticks;
        }
    }

    /// <summary>Moves the clock forward by <paramref name="delta"/>, firing every timer that falls due on the way.</summary>
    /// <param name="delta">How far to move the clock.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="delta"/> is negative.</exception>
    /// <exception cref="AggregateException">One or more timer callbacks threw; all due timers still fired and the clock reached its target.</exception>
    public void Advance(TimeSpan delta)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(delta, TimeSpan.Zero);
        lock (_advanceGate)
        {
            AdvanceToCore(GetUtcNow() + delta);
        }
    }

    /// <summary>Sets the clock to <paramref name="value"/>, firing every timer that falls due on the way.</summary>
    /// <param name="value">The new time. It must not be earlier than the current time.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="value"/> is earlier than the current time.</exception>
    /// <exception cref="AggregateException">One or more timer callbacks threw; all due timers still fired and the clock reached its target.</exception>
    public void SetUtcNow(DateTimeOffset value)
    {
        lock (_advanceGate)
        {
            DateTimeOffset now = GetUtcNow();
            if (value < now)
            {
                throw new ArgumentOutOfRangeException(nameof(value), value,
                    string.Create(CultureInfo.InvariantCulture, $"The clock cannot go backwards: the current time is {now:O}."));
            }

            AdvanceToCore(value);
        }
    }

    /// <summary>Creates a timer driven by this clock.</summary>
    /// <param name="callback">The callback to invoke when the timer fires.</param>
    /// <param name="state">The state passed to <paramref name="callback"/>.</param>
    /// <param name="dueTime">The delay before the first firing; <see cref="Timeout.InfiniteTimeSpan"/> leaves the timer disarmed.</param>
    /// <param name="period">The interval between later firings; <see cref="Timeout.InfiniteTimeSpan"/> or <see cref="TimeSpan.Zero"/> fires once.</param>
    /// <returns>The timer. It stays alive until it is disposed, even when the caller drops it.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="callback"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="dueTime"/> or <paramref name="period"/> is negative (other than infinite) or too large.</exception>
    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        ArgumentNullException.ThrowIfNull(callback);
        ValidateInterval(dueTime, nameof(dueTime));
        ValidateInterval(period, nameof(period));
        var timer = new FakeTimer(this, callback, state);
        timer.Change(dueTime, period);
        return timer;
    }

    /// <inheritdoc/>
    public override string ToString()
    {
        lock (_lock)
        {
            return string.Create(CultureInfo.InvariantCulture, $"{_now:O} ({_armed.Count} pending timers)");
        }
    }

    private void AdvanceToCore(DateTimeOffset target)
    {
        List<Exception>? errors = null;
        lock (_lock)
        {
            // A new advance starts: timers armed from now on are "new sleeps" for DriveAsync.
            ResetSleepSignalLocked();
            _lastAdvanceFiredBackground = false;
        }

        while (true)
        {
            FakeTimer timer;
            lock (_lock)
            {
                FakeTimer? next = FindEarliestLocked();
                if (next is null || next.DueAt > target)
                {
                    if (target > _now)
                    {
                        _now = target;
                    }

                    break;
                }

                timer = next;
                _lastAdvanceFiredBackground |= timer.State is CancellationTokenSource;
                if (timer.DueAt > _now)
                {
                    _now = timer.DueAt;
                }

                // Periodic timers re-arm before the callback so that a callback calling Change wins.
                if (timer.Period > TimeSpan.Zero && timer.Period != Timeout.InfiniteTimeSpan)
                {
                    timer.DueAt += timer.Period;
                    timer.Sequence = ++_armSequence;
                }
                else
                {
                    _armed.Remove(timer);
                    timer.IsArmed = false;
                }
            }

            try
            {
                timer.Invoke();
            }
#pragma warning disable CA1031 // A throwing callback must not leave the clock half-advanced; errors are rethrown below.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                (errors ??= []).Add(ex);
            }
        }

        if (errors is not null)
        {
            throw new AggregateException("One or more timer callbacks threw while the FakeTimeProvider advanced.", errors);
        }
    }

    private FakeTimer? FindEarliestLocked()
    {
        FakeTimer? best = null;
        foreach (FakeTimer t in _armed)
        {
            if (best is null || t.DueAt < best.DueAt || (t.DueAt == best.DueAt && t.Sequence < best.Sequence))
            {
                best = t;
            }
        }

        return best;
    }

    private bool ChangeTimer(FakeTimer timer, TimeSpan dueTime, TimeSpan period)
    {
        ValidateInterval(dueTime, nameof(dueTime));
        ValidateInterval(period, nameof(period));
        lock (_lock)
        {
            if (timer.IsDisposed)
            {
                return false;
            }

            timer.Period = period;
            if (dueTime == Timeout.InfiniteTimeSpan)
            {
                if (timer.IsArmed)
                {
                    _armed.Remove(timer);
                    timer.IsArmed = false;
                }

                return true;
            }

            timer.DueAt = _now + dueTime;
            timer.Sequence = ++_armSequence;
            if (!timer.IsArmed)
            {
                _armed.Add(timer);
                timer.IsArmed = true;
            }

            OnTimerArmedLocked(timer);
            return true;
        }
    }

    private void DisposeTimer(FakeTimer timer)
    {
        lock (_lock)
        {
            timer.IsDisposed = true;
            if (timer.IsArmed)
            {
                _armed.Remove(timer);
                timer.IsArmed = false;
            }
        }
    }

    private static void ValidateInterval(TimeSpan value, string paramName)
    {
        if (value != Timeout.InfiniteTimeSpan && (value < TimeSpan.Zero || value > MaxTimerInterval))
        {
            throw new ArgumentOutOfRangeException(paramName, value, "The interval must be non-negative (or Timeout.InfiniteTimeSpan) and at most uint.MaxValue - 1 milliseconds.");
        }
    }

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;

    private sealed class FakeTimer(FakeTimeProvider owner, TimerCallback callback, object? state) : ITimer
    {
        // Mutable fields below are guarded by owner._lock.
        public DateTimeOffset DueAt;
        public TimeSpan Period;
        public long Sequence;
        public bool IsArmed;
        public bool IsDisposed;

        public object? State => state;

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
