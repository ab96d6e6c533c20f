namespace MediaGen;

/// <summary>
/// Carries verified job updates (e.g. webhook deliveries) to whoever waits for the job, so the wait loop can
/// finish without polling. Updates that arrive before anyone waits are kept (bounded) and handed to the first
/// subscriber. Thread-safe.
/// </summary>
public sealed class JobUpdateHub
{
    private const int MaxUnclaimed = 10_000;
    private readonly Lock _lock = new();

    // One entry per job waited for: its first subscription, the others chained behind it (almost always just one).
    private readonly Dictionary<JobHandle, JobUpdateSubscription> _subscriptions = [];
    private readonly Dictionary<JobHandle, GenerationJob> _unclaimed = [];

    /// <summary>Publishes an update to the job's subscribers (or keeps it for the first one).</summary>
    /// <param name="update">The job as the vendor reported it.</param>
    public void Publish(GenerationJob update)
    {
        ArgumentNullException.ThrowIfNull(update);
        JobUpdateSubscription? first;
        lock (_lock)
        {
            if (!_subscriptions.TryGetValue(update.Handle, out first))
            {
                if (_unclaimed.Count < MaxUnclaimed || _unclaimed.ContainsKey(update.Handle))
                {
                    _unclaimed[update.Handle] = _unclaimed.TryGetValue(update.Handle, out var previous) && previous.IsTerminal && !update.IsTerminal ? previous : update;
                }

                return;
            }

            for (var s = first; s is not null; s = s.Next)
            {
                s.Write(update);
            }
        }
    }

    /// <summary>Subscribes to a job's updates. Dispose the subscription when done waiting.</summary>
    /// <param name="handle">The job.</param>
    /// <returns>The subscription.</returns>
    public JobUpdateSubscription Subscribe(JobHandle handle)
    {
        ArgumentNullException.ThrowIfNull(handle);
        var subscription = new JobUpdateSubscription(this, handle);
        lock (_lock)
        {
            if (_subscriptions.TryGetValue(handle, out var first))
            {
                subscription.Next = first.Next;
                first.Next = subscription;
            }
            else
            {
                _subscriptions.Add(handle, subscription);
            }

            if (_unclaimed.Remove(handle, out var early))
            {
                subscription.Write(early);
            }
        }

        return subscription;
    }

    internal void Remove(JobUpdateSubscription subscription)
    {
        lock (_lock)
        {
            if (!_subscriptions.TryGetValue(subscription.Handle, out var first))
            {
                return;
            }

            if (ReferenceEquals(first, subscription))
            {
                if (first.Next is { } next)
                {
                    _subscriptions[subscription.Handle] = next;
                }
                else
                {
                    _subscriptions.Remove(subscription.Handle);
                }

                return;
            }

            for (var s = first; s.Next is not null; s = s.Next)
            {
                if (ReferenceEquals(s.Next, subscription))
                {
                    s.Next = subscription.Next;
                    return;
                }
            }
        }
    }
}

/// <summary>One waiter's stream of updates for a job.</summary>
public sealed class JobUpdateSubscription : IDisposable
{
    private readonly JobUpdateHub _hub;
    private readonly Lock _lock = new();

    // Updates not read yet: usually none or one, so no queue until a second one arrives.
    private GenerationJob? _first;
    private Queue<GenerationJob>? _more;
    private TaskCompletionSource<GenerationJob>? _reader;
    private bool _disposed;

    internal JobUpdateSubscription(JobUpdateHub hub, JobHandle handle)
    {
        _hub = hub;
        Handle = handle;
    }

    /// <summary>Gets the job.</summary>
    public JobHandle Handle { get; }

    /// <summary>Gets or sets the next subscription to the same job (the hub's chain; guarded by the hub's lock).</summary>
    internal JobUpdateSubscription? Next { get; set; }

    /// <summary>Gets whether an update arrived that was not read yet.</summary>
    internal bool HasUnread => Volatile.Read(ref _first) is not null;

    /// <summary>Gets or sets the wait loop's sleep, woken when an update arrives.</summary>
    internal WaitSleep? Sleeper { get; set; }

    /// <summary>Waits for the next update.</summary>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>The update.</returns>
    /// <exception cref="InvalidOperationException">The subscription was disposed and holds no unread update.</exception>
    public ValueTask<GenerationJob> ReadAsync(CancellationToken cancellationToken = default)
    {
        TaskCompletionSource<GenerationJob> reader;
        lock (_lock)
        {
            if (TryTake(out var ready))
            {
                return ValueTask.FromResult(ready);
            }

            if (_disposed)
            {
                return ValueTask.FromException<GenerationJob>(new InvalidOperationException("The subscription was disposed."));
            }

            if (cancellationToken.IsCancellationRequested)
            {
                return ValueTask.FromCanceled<GenerationJob>(cancellationToken);
            }

            reader = _reader ??= new TaskCompletionSource<GenerationJob>(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        return cancellationToken.CanBeCanceled ? new ValueTask<GenerationJob>(ReadCancelableAsync(reader, cancellationToken)) : new ValueTask<GenerationJob>(reader.Task);
    }

    /// <summary>Takes an update that has already arrived, without waiting.</summary>
    /// <param name="update">The update.</param>
    /// <returns>Whether one was waiting.</returns>
    public bool TryRead(out GenerationJob update)
    {
        lock (_lock)
        {
            return TryTake(out update!);
        }
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        TaskCompletionSource<GenerationJob>? reader;
        lock (_lock)
        {
            _disposed = true;
            reader = _reader;
            _reader = null;
            Sleeper = null;
        }

        reader?.TrySetException(new InvalidOperationException("The subscription was disposed."));
        _hub.Remove(this);
    }

    internal void Write(GenerationJob update)
    {
        TaskCompletionSource<GenerationJob>? reader;
        WaitSleep? sleeper;
        lock (_lock)
        {
            if (_disposed)
            {
                return;
            }

            reader = _reader;
            _reader = null;
            sleeper = Sleeper;
            if (reader is null)
            {
                if (_first is null)
                {
                    _first = update;
                }
                else
                {
                    (_more ??= new Queue<GenerationJob>()).Enqueue(update);
                }
            }
        }

        if (reader is not null && !reader.TrySetResult(update))
        {
            // The reader gave up (canceled) in between: keep the update for the next read.
            lock (_lock)
            {
                if (_first is null)
                {
                    _first = update;
                }
                else
                {
                    (_more ??= new Queue<GenerationJob>()).Enqueue(update);
                }
            }
        }

        sleeper?.Wake(WaitWake.Update);
    }

    private bool TryTake(out GenerationJob update)
    {
        if (_first is { } first)
        {
            _first = _more is { Count: > 0 } more ? more.Dequeue() : null;
            update = first;
            return true;
        }

        update = null!;
        return false;
    }

    private async Task<GenerationJob> ReadCancelableAsync(TaskCompletionSource<GenerationJob> reader, CancellationToken cancellationToken)
    {
        try
        {
            return await reader.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            lock (_lock)
            {
                if (ReferenceEquals(_reader, reader))
                {
                    _reader = null;
                }
            }

            // An update may have completed the abandoned reader just now: keep it for the next read.
            if (reader.Task.IsCompletedSuccessfully)
            {
                lock (_lock)
                {
                    if (_first is null)
                    {
                        _first = reader.Task.Result;
                    }
                    else
                    {
                        (_more ??= new Queue<GenerationJob>()).Enqueue(reader.Task.Result);
                    }
                }
            }

            throw;
        }
    }
}
