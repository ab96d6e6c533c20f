using System.Globalization;

namespace MediaGen.Testing;

public sealed partial class FakeTimeProvider
{
    /// <summary>How long <see cref="DriveAsync(Task, TimeSpan?)"/> waits in real time for any progress before giving up.</summary>
    /// <value>30 seconds.</value>
    public static readonly TimeSpan DriveNoProgressTimeout = TimeSpan.FromSeconds(30);

    private static readonly TimeSpan DefaultMaxVirtualTime = TimeSpan.FromHours(1);

    // Guarded by _lock. Set when a "sleep" timer is armed; cleared when an advance starts.
    private bool _sleepArmedSinceAdvance;
    private TaskCompletionSource _sleepSignal;

    // Guarded by _lock. Completed (and replaced) whenever any timer is armed.
    private TaskCompletionSource _armSignal = NewSignal();

    /// <summary>Gets or sets the real-time no-progress limit of DriveAsync; tests of the driver itself shorten it.</summary>
    internal TimeSpan NoProgressTimeout { get; set; } = DriveNoProgressTimeout;

    /// <summary>Waits (in real time) until at least <paramref name="count"/> timers are armed.</summary>
    /// <param name="count">The number of armed timers to wait for. The default is 1.</param>
    /// <param name="cancellationToken">A token to stop waiting.</param>
    /// <returns>A task that completes once <see cref="PendingTimerCount"/> is at least <paramref name="count"/>.</returns>
    /// <remarks>
    /// Use it to know that code running elsewhere (for example a request handler, or a latency fault of an
    /// emulator host running on this clock) has gone to sleep on this clock before calling <see cref="Advance"/>. Guard it with a
    /// real-time <c>WaitAsync</c> timeout in tests so that a bug fails the test instead of hanging it.
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
    /// changed with a finite due time) since the last advance; if the operation completed, return; otherwise advance
    /// the clock exactly to the earliest due timer (which may be a deadline) and repeat.
    /// </para>
    /// <para>
    /// A timer whose callback state is a <see cref="CancellationTokenSource"/> (from
    /// <c>new CancellationTokenSource(delay, clock)</c> or <c>CancelAfter</c>) is a <em>deadline</em>, not a sleep:
    /// arming one does not trigger an advance, because the code keeps working (for example doing loopback HTTP I/O)
    /// while it runs. It still fires when the clock reaches it. Timers armed before the call (since the last
    /// advance) count, so an operation that went to sleep synchronously before <c>DriveAsync</c> is called is
    /// driven. A periodic timer re-arming itself is not a new sleep; drive <see cref="PeriodicTimer"/> loops with
    /// <see cref="Advance"/>.
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
    /// new is armed for <see cref="IdleAdvanceDelay"/> of real time, advance to them anyway (one sleeper may finish
    /// without arming a new timer while the others still sleep, and plain driving would then stall).
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
                sleepArmed = _sleepArmedSinceAdvance ? Task.CompletedTask : _sleepSignal.Task;
                othersAsleep = advanceWhenIdle && !_lastAdvanceFiredBackground && HasPendingSleepLocked();
            }

            if (!sleepArmed.IsCompleted)
            {
                using var safety = new CancellationTokenSource();
                Task safetyNet = Task.Delay(NoProgressTimeout, TimeProvider.System, safety.Token);

                // DriveConcurrentAsync only: one sleeper may finish without arming anything while others still sleep,
                // so no new sleep ever comes; after a moment of idleness advance to the pending sleeps (liveness only).
                // Not after a background timer (CancellationTokenSource-marked, e.g. an emulator's scripted completion)
                // fired: that may have started real I/O (a webhook delivery) a sleeper is waiting for.
                Task idle = othersAsleep ? Task.Delay(IdleAdvanceDelay, TimeProvider.System, safety.Token) : Task.Delay(Timeout.InfiniteTimeSpan, TimeProvider.System, safety.Token);
                Task first = await Task.WhenAny(operation, sleepArmed, safetyNet, idle).ConfigureAwait(false);
                await safety.CancelAsync().ConfigureAwait(false);
                if (first == safetyNet)
                {
                    throw new TimeoutException(string.Create(CultureInfo.InvariantCulture,
                        $"FakeTimeProvider.DriveAsync: in {NoProgressTimeout.TotalSeconds:0.###} s of real time the operation neither completed nor armed a timer (virtual time {GetUtcNow():O}, {PendingTimerCount} pending timers, next due in {NextTimerDueIn?.ToString() ?? "never"}). Is it waiting on I/O that never returns, or only on a deadline CancellationTokenSource?"));
                }

                if (operation.IsCompleted)
                {
                    return;
                }
            }

            lock (_advanceGate)
            {
                DateTimeOffset? target;
                lock (_lock)
                {
                    target = FindEarliestLocked()?.DueAt;
                    if (target is null)
                    {
                        // The sleep was cancelled or disposed before we got here; wait for the next one.
                        ResetSleepSignalLocked();
                        continue;
                    }

                    if (target < _now)
                    {
                        target = _now;
                    }
                }

                if (target > deadline)
                {
                    throw new TimeoutException(string.Create(CultureInfo.InvariantCulture,
                        $"FakeTimeProvider.DriveAsync: the operation did not complete within {limit} of virtual time (the next timer is due at {target:O}, the limit is {deadline:O})."));
                }

                AdvanceToCore(target.Value);
            }
        }
    }

    /// <summary>How long DriveAsync waits for a new sleep before advancing to sleeps armed earlier by concurrent waiters.</summary>
    internal static readonly TimeSpan IdleAdvanceDelay = TimeSpan.FromMilliseconds(100);

    private bool HasPendingSleepLocked()
    {
        foreach (FakeTimer t in _armed)
        {
            if (t.State is not CancellationTokenSource)
            {
                return true;
            }
        }

        return false;
    }

    private void OnTimerArmedLocked(FakeTimer timer)
    {
        TaskCompletionSource armSignal = _armSignal;
        _armSignal = NewSignal();
        armSignal.TrySetResult();

        if (timer.State is CancellationTokenSource)
        {
            return;
        }

        _sleepArmedSinceAdvance = true;
        _sleepSignal.TrySetResult();
    }

    private void ResetSleepSignalLocked()
    {
        _sleepArmedSinceAdvance = false;
        if (_sleepSignal.Task.IsCompleted)
        {
            _sleepSignal = NewSignal();
        }
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
