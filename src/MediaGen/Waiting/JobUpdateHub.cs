using System.Collections.Concurrent;
using System.Threading.Channels;

namespace MediaGen;

/// <summary>
/// Carries verified job updates (e.g. webhook deliveries) to whoever waits for the job, so the wait loop can
/// finish without polling. Updates that arrive before anyone waits are kept (bounded) and handed to the first
/// subscriber. Thread-safe.
/// </summary>
public sealed class JobUpdateHub
{
    private const int MaxUnclaimed = 10_000;
    private readonly ConcurrentDictionary<JobHandle, Subscriptions> _subscriptions = new();
    private readonly ConcurrentDictionary<JobHandle, GenerationJob> _unclaimed = new();

    /// <summary>Publishes an update to the job's subscribers (or keeps it for the first one).</summary>
    /// <param name="update">The job as the vendor reported it.</param>
    public void Publish(GenerationJob update)
    {
        ArgumentNullException.ThrowIfNull(update);
        if (_subscriptions.TryGetValue(update.Handle, out var subs) && subs.Publish(update))
        {
            return;
        }

        if (_unclaimed.Count < MaxUnclaimed || _unclaimed.ContainsKey(update.Handle))
        {
            _unclaimed.AddOrUpdate(update.Handle, update, (_, previous) => previous.IsTerminal && !update.IsTerminal ? previous : update);
        }
    }

    /// <summary>Subscribes to a job's updates. Dispose the subscription when done waiting.</summary>
    /// <param name="handle">The job.</param>
    /// <returns>The subscription.</returns>
    public JobUpdateSubscription Subscribe(JobHandle handle)
    {
        ArgumentNullException.ThrowIfNull(handle);
        var subscription = new JobUpdateSubscription(this, handle);
        _subscriptions.GetOrAdd(handle, _ => new Subscriptions()).Add(subscription);
        if (_unclaimed.TryRemove(handle, out var early))
        {
            subscription.Write(early);
        }

        return subscription;
    }

    internal void Remove(JobUpdateSubscription subscription)
    {
        if (_subscriptions.TryGetValue(subscription.Handle, out var subs) && subs.Remove(subscription))
        {
            _subscriptions.TryRemove(new KeyValuePair<JobHandle, Subscriptions>(subscription.Handle, subs));
        }
    }

    private sealed class Subscriptions
    {
        private readonly List<JobUpdateSubscription> _items = [];

        public void Add(JobUpdateSubscription s)
        {
            lock (_items)
            {
                _items.Add(s);
            }
        }

        public bool Remove(JobUpdateSubscription s)
        {
            lock (_items)
            {
                _items.Remove(s);
                return _items.Count == 0;
            }
        }

        public bool Publish(GenerationJob update)
        {
            lock (_items)
            {
                foreach (var s in _items)
                {
                    s.Write(update);
                }

                return _items.Count > 0;
            }
        }
    }
}

/// <summary>One waiter's stream of updates for a job.</summary>
public sealed class JobUpdateSubscription : IDisposable
{
    private readonly JobUpdateHub _hub;
    private readonly Channel<GenerationJob> _channel = Channel.CreateUnbounded<GenerationJob>(new UnboundedChannelOptions { SingleReader = true });

    internal JobUpdateSubscription(JobUpdateHub hub, JobHandle handle)
    {
        _hub = hub;
        Handle = handle;
    }

    /// <summary>Gets the job.</summary>
    public JobHandle Handle { get; }

    /// <summary>Waits for the next update.</summary>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>The update.</returns>
    public ValueTask<GenerationJob> ReadAsync(CancellationToken cancellationToken = default) => _channel.Reader.ReadAsync(cancellationToken);

    /// <summary>Takes an update that has already arrived, without waiting.</summary>
    /// <param name="update">The update.</param>
    /// <returns>Whether one was waiting.</returns>
    public bool TryRead(out GenerationJob update) => _channel.Reader.TryRead(out update!);

    /// <inheritdoc/>
    public void Dispose()
    {
        _channel.Writer.TryComplete();
        _hub.Remove(this);
    }

    internal void Write(GenerationJob update) => _channel.Writer.TryWrite(update);
}
