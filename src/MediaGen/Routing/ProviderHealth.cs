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
            _downUntil = DateTimeOffset.MinValue;
            _downBecause = null;
            _unknownAt = DateTimeOffset.MinValue;
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
