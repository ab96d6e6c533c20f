using System.Threading.Channels;
using Npgsql;

namespace MediaGen.PostgreSql;

/// <summary>
/// Webhook fan-in for a fleet, on <c>LISTEN/NOTIFY</c>: a verified update accepted by any instance
/// (<see cref="PublishAsync"/>) is recorded in the store and announced on the <see cref="Channel"/> channel; every instance
/// listens, reads the job from the store and publishes it to its local <see cref="JobUpdateHub"/>, where the instance that waits
/// for the job receives it. Give <see cref="Hub"/> to <see cref="WaitOptions.Updates"/>; the wait's watchdog poll stays, so
/// an announcement lost while a listener reconnects only delays the wait.
/// </summary>
/// <remarks>The notification carries only the handle (NOTIFY payloads are limited to 8000 bytes); the job itself is read from the store.</remarks>
public sealed class PostgreSqlJobUpdates : IAsyncDisposable
{
    /// <summary>The notification channel.</summary>
    public const string Channel = "mediagen_job_updates";

    private readonly PostgreSqlJobStore _store;
    private readonly CancellationTokenSource _stop = new();
    private readonly Channel<string> _received = System.Threading.Channels.Channel.CreateUnbounded<string>(new UnboundedChannelOptions { SingleReader = true });
    private readonly TaskCompletionSource _listening = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Task? _listen;
    private Task? _dispatch;

    /// <summary>Creates the fan-in (call <see cref="StartAsync"/> to listen).</summary>
    /// <param name="store">The fleet's store.</param>
    /// <param name="hub">The local hub waits subscribe to (default: a new one).</param>
    public PostgreSqlJobUpdates(PostgreSqlJobStore store, JobUpdateHub? hub = null)
    {
        ArgumentNullException.ThrowIfNull(store);
        _store = store;
        Hub = hub ?? new JobUpdateHub();
    }

    /// <summary>Gets the local hub fed by every instance's deliveries.</summary>
    public JobUpdateHub Hub { get; }

    /// <summary>Starts listening; returns once <c>LISTEN</c> is in effect.</summary>
    /// <param name="cancellationToken">Cancels waiting for the first <c>LISTEN</c> (the listener keeps trying).</param>
    /// <returns>A task.</returns>
    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        _listen ??= Task.Run(ListenAsync, CancellationToken.None);
        _dispatch ??= Task.Run(DispatchAsync, CancellationToken.None);
        await _listening.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Accepts a verified update (e.g. a webhook delivery) on this instance for the whole fleet: records it in the store,
    /// then notifies every listening instance (this one included).
    /// </summary>
    /// <param name="update">The job as the vendor reported it.</param>
    /// <param name="cancellationToken">Cancels before the record is written.</param>
    /// <returns>A task.</returns>
    public async Task PublishAsync(GenerationJob update, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(update);
        await _store.RecordJobUpdateAsync(update, cancellationToken).ConfigureAwait(false);
        await using var command = _store.DataSource.CreateCommand($"SELECT pg_notify('{Channel}', $1)");
        command.Parameters.Add(PostgreSqlJobStore.Text(update.Handle.ToString()));
        await command.ExecuteNonQueryAsync(CancellationToken.None).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        _received.Writer.TryComplete();
        foreach (var task in new[] { _listen, _dispatch }.OfType<Task>())
        {
            try
            {
                await task.ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
            }
        }

        _stop.Dispose();
    }

    private async Task ListenAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            try
            {
                await using var connection = await _store.DataSource.OpenConnectionAsync(_stop.Token).ConfigureAwait(false);
                connection.Notification += (_, e) => _received.Writer.TryWrite(e.Payload);
                await using (var listen = new NpgsqlCommand($"LISTEN {Channel}", connection))
                {
                    await listen.ExecuteNonQueryAsync(_stop.Token).ConfigureAwait(false);
                }

                _listening.TrySetResult();
                while (!_stop.IsCancellationRequested)
                {
                    await connection.WaitAsync(_stop.Token).ConfigureAwait(false);
                }
            }
            catch (OperationCanceledException) when (_stop.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is NpgsqlException or IOException or TimeoutException)
            {
                // Reconnect; the watchdog poll covers what was announced meanwhile.
                await Task.Delay(TimeSpan.FromSeconds(1), _store.TimeProvider, _stop.Token).ConfigureAwait(false);
            }
        }
    }

    private async Task DispatchAsync()
    {
        await foreach (var payload in _received.Reader.ReadAllAsync(CancellationToken.None).ConfigureAwait(false))
        {
            if (!JobHandle.TryParse(payload, out var handle))
            {
                continue;
            }

            try
            {
                var stored = await _store.FindByHandleAsync(handle, _stop.Token).ConfigureAwait(false);
                if (stored?.ToGenerationJob() is { } job && job.Handle == handle)
                {
                    Hub.Publish(job);
                }
            }
            catch (OperationCanceledException) when (_stop.IsCancellationRequested)
            {
                return;
            }
            catch (NpgsqlException)
            {
                // The watchdog poll finds the job's state.
            }
        }
    }
}
