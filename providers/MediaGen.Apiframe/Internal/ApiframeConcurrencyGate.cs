using System.Collections.Concurrent;
using System.Globalization;

namespace MediaGen.Apiframe.Internal;

/// <summary>
/// Caps jobs in flight at the account's <c>maxConcurrentJobs</c> (A7). One slot per job: taken before the submit,
/// given back when the submit is refused, and otherwise held until the job is seen ended (a poll or a webhook) or its
/// lifetime runs out (checked when a submit needs a slot). Submits beyond the cap wait in order, up to <see cref="ApiframeOptions.ConcurrencyQueueLimit"/>.
/// </summary>
internal sealed class ApiframeConcurrencyGate : IDisposable
{
    private readonly ApiframeOptions _options;
    private readonly TimeProvider _time;
    private readonly Func<CancellationToken, Task<Result<ApiframeAccount>>> _readLimit;
    private readonly SemaphoreSlim _init = new(1, 1);
    private readonly ConcurrentDictionary<string, Held> _held = new(StringComparer.Ordinal);
    private readonly bool _ownsSemaphore;
    private SemaphoreSlim? _slots;
    private int _waiting;

    public ApiframeConcurrencyGate(ApiframeOptions options, TimeProvider time, Func<CancellationToken, Task<Result<ApiframeAccount>>> readLimit)
    {
        _options = options;
        _time = time;
        _readLimit = readLimit;
        if (options.ConcurrencyLimiter is { } shared)
        {
            _slots = shared;
            Limit = null;
        }
        else
        {
            _ownsSemaphore = true;
            if (options.LimitConcurrency && options.MaxConcurrentJobs is { } max)
            {
                _slots = Create(max);
            }
        }
    }

    /// <summary>Gets the number of jobs holding a slot.</summary>
    public int InFlight => _held.Count;

    /// <summary>Gets the limit in force, when known.</summary>
    public int? Limit { get; private set; }

    /// <summary>Takes a slot for one submit (or a no-op permit when no limit applies).</summary>
    public async Task<Result<Permit>> AcquireAsync(CancellationToken cancellationToken)
    {
        if (!_options.LimitConcurrency && _options.ConcurrencyLimiter is null)
        {
            return new Permit(this, null);
        }

        var slots = _slots;
        if (slots is null)
        {
            (slots, var error) = await EnsureAsync(cancellationToken).ConfigureAwait(false);
            if (error is not null)
            {
                return Result.Failure<Permit>(error);
            }

            if (slots is null)
            {
                return new Permit(this, null);
            }
        }

        Sweep();
        if (!slots.Wait(0, CancellationToken.None))
        {
            if (Interlocked.Increment(ref _waiting) > _options.ConcurrencyQueueLimit)
            {
                Interlocked.Decrement(ref _waiting);
                return new RateLimitedError(
                    $"Apiframe allows {Limit?.ToString(CultureInfo.InvariantCulture) ?? "a limited number of"} concurrent jobs (maxConcurrentJobs); {_held.Count} are in flight and the wait queue is full. Nothing was sent: wait for a job to end and retry.",
                    ApiframeProvider.Name);
            }

            try
            {
                await WaitForSlotAsync(slots, cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                Interlocked.Decrement(ref _waiting);
            }
        }

        return new Permit(this, new Slot(slots));
    }

    /// <summary>Gives a job's slot back (the job was seen ended). Safe to call more than once.</summary>
    public void Release(string jobId)
    {
        if (_held.TryRemove(jobId, out var held))
        {
            held.Dispose();
        }
    }

    public void Dispose()
    {
        foreach (var key in _held.Keys)
        {
            Release(key);
        }

        if (_ownsSemaphore)
        {
            _slots?.Dispose();
        }

        _init.Dispose();
    }

    private void Hold(string jobId, Slot slot)
    {
        if (!_held.TryAdd(jobId, new Held(slot, _time.GetUtcNow() + _options.ConcurrencyPermitLifetime)))
        {
            // The same job again (a deduplicated resubmit): it already holds a slot.
            slot.Dispose();
        }
    }

    /// <summary>Frees the slots of jobs whose end was never observed within their lifetime.</summary>
    private void Sweep()
    {
        var now = _time.GetUtcNow();
        foreach (var (jobId, held) in _held)
        {
            if (held.ExpiresAt <= now)
            {
                Release(jobId);
            }
        }
    }

    /// <summary>
    /// Waits for a slot, waking when the oldest held slot expires so an unobserved job cannot block submits for ever.
    /// No timer runs while nobody waits.
    /// </summary>
    private async Task WaitForSlotAsync(SemaphoreSlim slots, CancellationToken cancellationToken)
    {
        while (true)
        {
            using var race = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            var wait = slots.WaitAsync(race.Token);
            var oldest = _held.IsEmpty ? (DateTimeOffset?)null : _held.Values.Min(h => h.ExpiresAt);
            var expiry = oldest is { } at
                ? Task.Delay(at - _time.GetUtcNow() is var d && d > TimeSpan.Zero ? d : TimeSpan.Zero, _time, race.Token)
                : Task.Delay(Timeout.InfiniteTimeSpan, _time, race.Token);
            await Task.WhenAny(wait, expiry).ConfigureAwait(false);
            await race.CancelAsync().ConfigureAwait(false);
            try
            {
                await wait.ConfigureAwait(false);
                return; // the slot was taken (possibly just before the cancellation)
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                Sweep();
                if (slots.Wait(0, CancellationToken.None))
                {
                    return;
                }
            }
        }
    }

    private async Task<(SemaphoreSlim? Slots, MediaGenError? Error)> EnsureAsync(CancellationToken cancellationToken)
    {
        await _init.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_slots is not null)
            {
                return (_slots, null);
            }

            var read = await _readLimit(cancellationToken).ConfigureAwait(false);
            if (read.TryGetError(out var error))
            {
                // A refused key stops the submit; anything else lets it through unlimited and reads again next time.
                return error is UnauthorizedError ? (null, error) : (null, null);
            }

            if (read.Value?.MaxConcurrentJobs is not int max)
            {
                return (null, null);
            }

            _slots = Create(max);
            return (_slots, null);
        }
        finally
        {
            _init.Release();
        }
    }

    private SemaphoreSlim Create(int max)
    {
        Limit = max;
        return new SemaphoreSlim(max, max);
    }

    /// <summary>A slot for one submit: <see cref="Attach"/> it to the accepted job, or dispose it when the submit failed.</summary>
    internal sealed class Permit(ApiframeConcurrencyGate gate, Slot? slot) : IDisposable
    {
        private Slot? _slot = slot;

        public void Attach(string jobId)
        {
            if (Interlocked.Exchange(ref _slot, null) is { } s)
            {
                gate.Hold(jobId, s);
            }
        }

        public void Dispose() => Interlocked.Exchange(ref _slot, null)?.Dispose();
    }

    /// <summary>One taken slot; released exactly once.</summary>
    internal sealed class Slot(SemaphoreSlim semaphore) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                try
                {
                    semaphore.Release();
                }
                catch (ObjectDisposedException)
                {
                    // The provider was disposed; nothing left to free.
                }
            }
        }
    }

    private sealed class Held(Slot slot, DateTimeOffset expiresAt) : IDisposable
    {
        public DateTimeOffset ExpiresAt { get; } = expiresAt;

        public void Dispose() => slot.Dispose();
    }
}
