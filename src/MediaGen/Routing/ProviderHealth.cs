namespace MediaGen.Routing;

/// <summary>
/// What the router knows of one vendor's health, for "probe before paying" (<see cref="RouterOptions.ProbeBeforeSubmit"/>):
/// when it last had a good exchange with it (an accepted submit or a passing probe), whether it is down after a failed
/// probe, and the one probe in flight that every concurrent request shares. Thread-safe.
/// </summary>
internal sealed class ProviderHealth(TimeProvider time)
{
    private readonly Lock _gate = new();
    private DateTimeOffset _healthyAt = DateTimeOffset.MinValue;
    private DateTimeOffset _downUntil = DateTimeOffset.MinValue;
    private DateTimeOffset _downAt = DateTimeOffset.MinValue;
    private MediaGenError? _downBecause;
    private Task<MediaGenError?>? _probe;
    private DateTimeOffset _unknownAt = DateTimeOffset.MinValue;
    private DateTimeOffset _acceptedAt = DateTimeOffset.MinValue;
    private TaskCompletionSource? _trial;

    /// <summary>How long a vendor that left a submit's outcome unknown is tried after the others, unless it accepts one meanwhile.</summary>
    public static readonly TimeSpan UnknownMemory = TimeSpan.FromMinutes(10);

    /// <summary>Gets how many probes were started (for tests and telemetry).</summary>
    public int ProbesStarted { get; private set; }

    /// <summary>A submit was accepted: the vendor is healthy now.</summary>
    public void Succeeded()
    {
        lock (_gate)
        {
            _healthyAt = time.GetUtcNow();
            _acceptedAt = _healthyAt;
            _downUntil = DateTimeOffset.MinValue;
            _downBecause = null;
            _unknownAt = DateTimeOffset.MinValue;
        }
    }

    /// <summary>
    /// Enters a submit at this vendor. While no submit was accepted here within <paramref name="freshness"/> (a passing
    /// probe proves only that reads are answered), submits go one at a time: the first is the trial, and the others wait
    /// for its end; once one is accepted they all go at once. So a vendor that accepts submits and loses the answers
    /// costs one unknown outcome (one pinned key), not one per concurrent request, before it is tried last.
    /// </summary>
    /// <param name="freshness">How recent an accepted submit must be for no trial to be needed.</param>
    /// <param name="cancellationToken">Cancels the wait for the trial.</param>
    /// <returns>The entry: dispose it when the submit ended; <see cref="SubmitEntry.Waited"/> says whether it waited for a trial.</returns>
    public async ValueTask<SubmitEntry> EnterSubmitAsync(TimeSpan freshness, CancellationToken cancellationToken)
    {
        var waited = false;
        while (true)
        {
            Task running;
            lock (_gate)
            {
                if (time.GetUtcNow() - _acceptedAt < freshness)
                {
                    return new SubmitEntry(null, null, waited);
                }

                if (_trial is null)
                {
                    _trial = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                    return new SubmitEntry(this, _trial, waited);
                }

                running = _trial.Task;
            }

            waited = true;
            await running.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    private void EndTrial(TaskCompletionSource trial)
    {
        lock (_gate)
        {
            if (ReferenceEquals(_trial, trial))
            {
                _trial = null;
            }
        }

        trial.TrySetResult();
    }

    /// <summary>A submit entered at a vendor (<see cref="EnterSubmitAsync"/>): disposing it ends the trial it holds, if any.</summary>
    internal readonly struct SubmitEntry(ProviderHealth? health, TaskCompletionSource? trial, bool waited) : IDisposable
    {
        /// <summary>Gets whether the submit waited for another request's trial submit to end.</summary>
        public bool Waited => waited;

        /// <inheritdoc/>
        public void Dispose()
        {
            if (trial is not null)
            {
                health?.EndTrial(trial);
            }
        }
    }

    /// <summary>A submit ended outcome unknown: the vendor answers (maybe even its probe) but loses or withholds answers to submits.</summary>
    public void LeftUnknown()
    {
        lock (_gate)
        {
            _healthyAt = DateTimeOffset.MinValue;
            _unknownAt = time.GetUtcNow();
        }
    }

    /// <summary>Gets whether a submit here ended outcome unknown within <see cref="UnknownMemory"/> with none accepted since: try the others first.</summary>
    public bool LeftUnknownRecently
    {
        get
        {
            lock (_gate)
            {
                return _unknownAt != DateTimeOffset.MinValue && time.GetUtcNow() - _unknownAt < UnknownMemory;
            }
        }
    }

    /// <summary>A submit met unavailability or an unknown outcome: the evidence of health is gone, the next request probes.</summary>
    public void Suspect()
    {
        lock (_gate)
        {
            _healthyAt = DateTimeOffset.MinValue;
        }
    }

    /// <summary>
    /// Whether the vendor may be sent a submit now: yes when a good exchange is fresher than <paramref name="freshness"/>;
    /// no (with the probe's error) while a failed probe's verdict stands, unless <paramref name="recheck"/>; otherwise the
    /// answer of the probe in flight, or of a new one this call starts. A recheck reuses a failed verdict younger than
    /// <paramref name="reuseWithin"/> (a probe another request made while this one waited), so requests that wait and try
    /// again share one probe per wait rather than each making their own.
    /// </summary>
    public async Task<MediaGenError?> CheckAsync(ProviderProbe probe, TimeSpan freshness, bool recheck, TimeSpan reuseWithin, CancellationToken cancellationToken)
    {
        Task<MediaGenError?> pending;
        lock (_gate)
        {
            var now = time.GetUtcNow();
            if (now - _healthyAt < freshness)
            {
                return null;
            }

            if (_probe is null && now < _downUntil && (!recheck || now - _downAt < reuseWithin))
            {
                return _downBecause;
            }

            if (_probe is null)
            {
                ProbesStarted++;
                _probe = RunAsync(probe, freshness);
            }

            pending = _probe;
        }

        return await pending.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    private async Task<MediaGenError?> RunAsync(ProviderProbe probe, TimeSpan freshness)
    {
        await Task.Yield(); // never completes inside the caller's lock
        MediaGenError? error;
        try
        {
            // Shared by every waiting request, so no one caller's token cancels it; the vendor's pipeline times it out.
            error = await probe.ProbeAsync(CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException or TimeoutException or OperationCanceledException or InvalidOperationException and not ObjectDisposedException)
        {
            error = new ProviderUnavailableError($"{probe.Operation} failed: {ex.GetType().Name}: {ex.Message}", null);
        }

        lock (_gate)
        {
            var now = time.GetUtcNow();
            if (error is null)
            {
                _healthyAt = now;
                _downUntil = DateTimeOffset.MinValue;
                _downBecause = null;
            }
            else
            {
                var hint = error is RateLimitedError { RetryAfter: { } ra } ? ra : error is ProviderUnavailableError { RetryAfter: { } ua } ? ua : TimeSpan.Zero;
                _downUntil = now + (hint > freshness ? hint : freshness);
                _downAt = now;
                _downBecause = error;
            }

            _probe = null;
        }

        return error;
    }
}
