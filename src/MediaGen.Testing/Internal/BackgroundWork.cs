namespace MediaGen.Testing.Internal;

/// <summary>
/// What an emulator does on its own, outside a request: tasks in flight (webhook POSTs) that a test can wait for, and
/// one-shot timers on the host clock that wake it when a scripted time passes. Thread-safe.
/// </summary>
internal sealed class BackgroundWork : IDisposable
{
    private readonly Lock _lock = new();
    private readonly List<Task> _inFlight = [];
    private readonly List<ITimer> _timers = [];
    private bool _disposed;

    /// <summary>
    /// Creates a one-shot timer whose state is a <see cref="CancellationTokenSource"/>, so that
    /// <see cref="FakeClock.DriveAsync(Task, TimeSpan?)"/> treats it as a background deadline rather than the code under
    /// test going to sleep: the clock advances only when the client really waits, and the timer still fires when the
    /// clock passes it.
    /// </summary>
    public static ITimer CreateWakeTimer(TimeProvider clock, TimeSpan due, Action callback)
    {
        var marker = new CancellationTokenSource();
        return clock.CreateTimer(
            _ =>
            {
                callback();
                marker.Dispose();
            },
            marker,
            due,
            Timeout.InfiniteTimeSpan);
    }

    /// <summary>Tracks a task until it completes; ignored once disposed.</summary>
    public void Track(Task task)
    {
        lock (_lock)
        {
            if (!_disposed)
            {
                _inFlight.Add(task);
            }
        }
    }

    /// <summary>Arms a wake timer (see <see cref="CreateWakeTimer"/>) disposed with this instance; none once disposed.</summary>
    public void After(TimeProvider clock, TimeSpan due, Action callback)
    {
        lock (_lock)
        {
            if (!_disposed)
            {
                _timers.Add(CreateWakeTimer(clock, due, callback));
            }
        }
    }

    /// <summary>Waits until every task tracked so far (and any tracked while waiting) has finished.</summary>
    public async Task WhenIdleAsync()
    {
        while (true)
        {
            Task[] pending;
            lock (_lock)
            {
                _inFlight.RemoveAll(t => t.IsCompleted);
                pending = [.. _inFlight];
            }

            if (pending.Length == 0)
            {
                return;
            }

            await Task.WhenAll(pending).ConfigureAwait(false);
        }
    }

    /// <summary>Disposes the timers; later tasks and timers are ignored.</summary>
    public void Dispose()
    {
        lock (_lock)
        {
            _disposed = true;
            _timers.ForEach(t => t.Dispose());
            _timers.Clear();
        }
    }
}
