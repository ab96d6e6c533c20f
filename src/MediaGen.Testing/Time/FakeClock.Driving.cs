using System.Globalization;

namespace MediaGen.Testing;

public sealed partial class FakeClock
{
    /// <summary>How long <see cref="DriveAsync(Task, TimeSpan?)"/> waits in real time for any progress before giving up.</summary>
    /// <value>30 seconds.</value>
    public static readonly TimeSpan DriveNoProgressTimeout = TimeSpan.FromSeconds(30);

    /// <summary>How long DriveConcurrentAsync waits for a new sleep before advancing to sleeps armed earlier by concurrent waiters.</summary>
    internal static readonly TimeSpan IdleAdvanceDelay = TimeSpan.FromMilliseconds(100);

    private static readonly TimeSpan DefaultMaxVirtualTime = TimeSpan.FromHours(1);

    private readonly Lock _advanceGate = new();

    // Guarded by _lock. Timers armed with a sequence above the mark were armed since the last driven advance.
    private long _advanceMark;

    // Guarded by _lock. The clock time of the latest wake by an advance the driver did not make (the test's own Advance
    // or SetUtcNow firing a timer): a sleep armed at an earlier time was armed before that wake. Sleeps armed at this
    // time (by a callback of that advance, or since) are not.
    private DateTimeOffset _wokeOutsideDriveAt = DateTimeOffset.MinValue;
    private bool _inDrivenAdvance;
    private bool _lastAdvanceFiredDeadline;
    private TaskCompletionSource _sleepSignal = NewSignal();

    /// <summary>Gets or sets the real-time no-progress limit of DriveAsync; tests of the driver itself shorten it.</summary>
    internal TimeSpan NoProgressTimeout { get; set; } = DriveNoProgressTimeout;

    /// <summary>
    /// Drives the virtual clock until <paramref name="operation"/> completes, advancing only while the code under
    /// test is asleep on a timer, and returns the operation's result.
    /// </summary>
    /// <typeparam name="T">The operation's result type.</typeparam>
    /// <param name="operation">The running operation, typically the code under test started with this clock.</param>
    /// <param name="maxVirtualTime">The most virtual time the drive may consume. The default is 1 hour.</param>
    /// <returns>The operation's result. If the operation faults or is canceled, its exception propagates.</returns>
    /// <remarks>
    /// <para>
    /// The loop: wait until <paramref name="operation"/> completes or a <em>sleep timer</em> has been armed (created or
    /// changed with a finite due time) since the last advance; if the operation completed, return; otherwise advance the
    /// clock exactly to the earliest due timer (which may be a deadline) and repeat. Each advance lands on one timer's due
    /// time, so the code under test sees the same virtual times on every run.
    /// </para>
    /// <para>
    /// "The last advance" is the driver's own, or one the test made itself (with
    /// <see cref="Microsoft.Extensions.Time.Testing.FakeTimeProvider.Advance"/> or
    /// <see cref="Microsoft.Extensions.Time.Testing.FakeTimeProvider.SetUtcNow"/>) that fired a timer: the code that timer
    /// woke is running, so a sleep armed before it (for example an emulator holding a request whose attempt deadline the
    /// test just fired) says nothing about whether that code has gone back to sleep. Sleeps armed while the advance's
    /// callbacks run (the clock already at its target) or after it do count. A test advance that fires nothing changes
    /// nothing: the sleep armed before it is still driven.
    /// </para>
    /// <para>
    /// A timer whose callback state is a <see cref="CancellationTokenSource"/> (from
    /// <c>new CancellationTokenSource(delay, clock)</c> or <c>CancelAfter</c>) is a <em>deadline</em>, not a sleep:
    /// arming one does not trigger an advance, because the code keeps working (for example doing loopback HTTP I/O)
    /// while it runs. It still fires when the clock reaches it. Timers armed before the call (since the last advance)
    /// and still armed count, so an operation that went to sleep before <c>DriveAsync</c> is called is driven. A
    /// periodic timer re-arming itself is not a new sleep; drive <see cref="PeriodicTimer"/> loops with
    /// <see cref="Microsoft.Extensions.Time.Testing.FakeTimeProvider.Advance"/>.
    /// </para>
    /// <para>
    /// HTTP requests sent through a handler of <see cref="CreateHttpHandler"/> hold the clock: while one is in flight (and
    /// not held by an emulator host on a sleep of this clock), no advance is made, for up to 5 s of real time each time.
    /// So on a loaded machine a healthy answer that takes long in real time does not meet a virtual attempt timeout
    /// because other code slept meanwhile.
    /// </para>
    /// <para>
    /// Wall-clock safety net: if for <see cref="DriveNoProgressTimeout"/> of real time the operation neither completes
    /// nor arms a sleep timer, a <see cref="TimeoutException"/> says so (for example, code waiting on a deadline only,
    /// or on I/O that never returns).
    /// </para>
    /// </remarks>
    /// <exception cref="ArgumentNullException"><paramref name="operation"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxVirtualTime"/> is negative.</exception>
    /// <exception cref="TimeoutException">The operation needs more than <paramref name="maxVirtualTime"/> of virtual time, or made no progress for <see cref="DriveNoProgressTimeout"/> of real time.</exception>
    public async Task<T> DriveAsync<T>(Task<T> operation, TimeSpan? maxVirtualTime = null)
    {
        await DriveCoreAsync(operation, maxVirtualTime, advanceWhenIdle: false).ConfigureAwait(false);
        return await operation.ConfigureAwait(false);
    }

    /// <summary>
    /// Drives the virtual clock until <paramref name="operation"/> completes, advancing only while the code under
    /// test is asleep on a timer. See <see cref="DriveAsync{T}(Task{T}, TimeSpan?)"/> for the rules.
    /// </summary>
    /// <param name="operation">The running operation, typically the code under test started with this clock.</param>
    /// <param name="maxVirtualTime">The most virtual time the drive may consume. The default is 1 hour.</param>
    /// <returns>A task that completes like <paramref name="operation"/> once it has completed.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="operation"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxVirtualTime"/> is negative.</exception>
    /// <exception cref="TimeoutException">The operation needs more than <paramref name="maxVirtualTime"/> of virtual time, or made no progress for <see cref="DriveNoProgressTimeout"/> of real time.</exception>
    public async Task DriveAsync(Task operation, TimeSpan? maxVirtualTime = null)
    {
        await DriveCoreAsync(operation, maxVirtualTime, advanceWhenIdle: false).ConfigureAwait(false);
        await operation.ConfigureAwait(false);
    }

    /// <summary>
    /// Drives code with several concurrent sleepers (e.g. many jobs awaited at once). Like
    /// <see cref="DriveAsync{T}(Task{T}, TimeSpan?)"/>, plus one liveness rule: when other sleeps are pending and nothing
    /// new is armed for 100 ms of real time, advance to them anyway (one sleeper may finish without arming a new timer
    /// while the others still sleep, and plain driving would then stall).
    /// </summary>
    /// <remarks>
    /// Use it only where the test's assertions do not depend on exact virtual timings: an early advance while a
    /// sleeper is still busy shifts virtual time, it never changes what completes. Code that sleeps while waiting for
    /// real I/O (a webhook delivery) must use <see cref="DriveAsync{T}(Task{T}, TimeSpan?)"/>.
    /// </remarks>
    /// <typeparam name="T">The result type.</typeparam>
    /// <param name="operation">The running operation.</param>
    /// <param name="maxVirtualTime">The most virtual time the drive may consume. The default is 1 hour.</param>
    /// <returns>A task that completes like <paramref name="operation"/> once it has completed.</returns>
    public async Task<T> DriveConcurrentAsync<T>(Task<T> operation, TimeSpan? maxVirtualTime = null)
    {
        await DriveCoreAsync(operation, maxVirtualTime, advanceWhenIdle: true).ConfigureAwait(false);
        return await operation.ConfigureAwait(false);
    }

    /// <summary>Drives code with several concurrent sleepers; see <see cref="DriveConcurrentAsync{T}(Task{T}, TimeSpan?)"/>.</summary>
    /// <param name="operation">The running operation.</param>
    /// <param name="maxVirtualTime">The most virtual time the drive may consume. The default is 1 hour.</param>
    /// <returns>A task that completes like <paramref name="operation"/> once it has completed.</returns>
    public async Task DriveConcurrentAsync(Task operation, TimeSpan? maxVirtualTime = null)
    {
        await DriveCoreAsync(operation, maxVirtualTime, advanceWhenIdle: true).ConfigureAwait(false);
        await operation.ConfigureAwait(false);
    }

    private async Task DriveCoreAsync(Task operation, TimeSpan? maxVirtualTime, bool advanceWhenIdle)
    {
        ArgumentNullException.ThrowIfNull(operation);
        TimeSpan limit = maxVirtualTime ?? DefaultMaxVirtualTime;
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, TimeSpan.Zero, nameof(maxVirtualTime));
        DateTimeOffset deadline = GetUtcNow() + limit;

        while (!operation.IsCompleted)
        {
            Task sleepArmed;
            bool othersAsleep;
            lock (_lock)
            {
                if (HasNewSleepLocked())
                {
                    sleepArmed = Task.CompletedTask;
                }
                else
                {
                    if (_sleepSignal.Task.IsCompleted)
                    {
                        _sleepSignal = NewSignal();
                    }

                    sleepArmed = _sleepSignal.Task;
                }

                othersAsleep = advanceWhenIdle && !_lastAdvanceFiredDeadline && HasPendingSleepLocked();
            }

            if (!sleepArmed.IsCompleted)
            {
                using var safety = new CancellationTokenSource();
                Task safetyNet = Task.Delay(NoProgressTimeout, TimeProvider.System, safety.Token);

                // DriveConcurrentAsync only: one sleeper may finish without arming anything while others still sleep,
                // so no new sleep ever comes; after a moment of idleness advance to the pending sleeps (liveness only).
                // Not after a deadline-marked timer (e.g. an emulator's scripted completion) fired: that may have
                // started real I/O (a webhook delivery) a sleeper is waiting for.
                Task idle = Task.Delay(othersAsleep ? IdleAdvanceDelay : Timeout.InfiniteTimeSpan, TimeProvider.System, safety.Token);
                Task first = await Task.WhenAny(operation, sleepArmed, safetyNet, idle).ConfigureAwait(false);
                await safety.CancelAsync().ConfigureAwait(false);
                if (first == safetyNet)
                {
                    throw new TimeoutException(string.Create(CultureInfo.InvariantCulture,
                        $"FakeClock.DriveAsync: in {NoProgressTimeout.TotalSeconds:0.###} s of real time the operation neither completed nor armed a timer (virtual time {GetUtcNow():O}, {PendingTimerCount} pending timers, next due in {NextTimerDueIn?.ToString() ?? "never"}). Is it waiting on I/O that never returns, or only on a deadline CancellationTokenSource?"));
                }

                if (operation.IsCompleted)
                {
                    return;
                }
            }

            // Never move the clock under an HTTP request that is being answered (see CreateHttpHandler): on a loaded
            // machine a healthy answer can take long in real time, and virtual time must not pass meanwhile.
            await WaitForQuietAsync(operation).ConfigureAwait(false);
            if (operation.IsCompleted)
            {
                return;
            }

            lock (_advanceGate)
            {
                DateTimeOffset now = GetUtcNow();
                DateTimeOffset? target;
                lock (_lock)
                {
                    // Every armed sleep counts as seen from here on: the next advance waits for a new one.
                    _advanceMark = _armSequence;
                    target = EarliestDueAfterLocked(now);
                    if (target is null)
                    {
                        // The sleep was canceled, disposed or fired before we got here; wait for the next one.
                        continue;
                    }

                    _lastAdvanceFiredDeadline = false;
                }

                if (target > deadline)
                {
                    throw new TimeoutException(string.Create(CultureInfo.InvariantCulture,
                        $"FakeClock.DriveAsync: the operation did not complete within {limit} of virtual time (the next timer is due at {target:O}, the limit is {deadline:O})."));
                }

                lock (_lock)
                {
                    _inDrivenAdvance = true;
                }

                try
                {
                    SetUtcNow(target.Value);
                }
                finally
                {
                    lock (_lock)
                    {
                        _inDrivenAdvance = false;
                    }
                }
            }
        }
    }

    private bool HasNewSleepLocked()
    {
        foreach (TrackedTimer timer in _armed)
        {
            if (!timer.IsDeadline && timer.Sequence > _advanceMark && timer.ArmedAt >= _wokeOutsideDriveAt)
            {
                return true;
            }
        }

        return false;
    }

    private bool HasPendingSleepLocked()
    {
        foreach (TrackedTimer timer in _armed)
        {
            if (!timer.IsDeadline)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The earliest due time after <paramref name="now"/>; a timer due by now has fired or is firing elsewhere.</summary>
    private DateTimeOffset? EarliestDueAfterLocked(DateTimeOffset now)
    {
        DateTimeOffset? earliest = null;
        foreach (TrackedTimer timer in _armed)
        {
            if (timer.DueAt > now && (earliest is null || timer.DueAt < earliest))
            {
                earliest = timer.DueAt;
            }
        }

        return earliest;
    }

    private void OnSleepArmedLocked(TrackedTimer timer)
    {
        if (!timer.IsDeadline)
        {
            _sleepSignal.TrySetResult();
        }
    }

    private void OnFiredLocked(TrackedTimer timer, DateTimeOffset now)
    {
        _lastAdvanceFiredDeadline |= timer.IsDeadline;

        // A timer fired by an advance the driver did not make woke code up: sleeps armed before now are not new any
        // more, as after a driven advance (which marks them by sequence). A timer armed with a zero due time fires at
        // once, inside Change, without any advance: it wakes nobody who was asleep.
        if (!_inDrivenAdvance && timer.DueAt > timer.ArmedAt && now > _wokeOutsideDriveAt)
        {
            _wokeOutsideDriveAt = now;
        }
    }
}
