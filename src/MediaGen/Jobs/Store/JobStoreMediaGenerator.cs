namespace MediaGen;

/// <summary>
/// Middleware that records every job through an <see cref="IJobStore"/> and gives one submit per idempotency key: a submit
/// first claims its key; a key already accepted (by this process or any other sharing the store) adopts that job instead of
/// submitting, and a key in flight elsewhere waits until it is accepted (then adopts it) or its lease lapses (then takes it
/// over). Each accepted job, each poll (status, outputs, charge) and each refusal is recorded; the job ends in the store when
/// a poll reports its end. Add it with <see cref="JobStoreMediaGeneratorBuilderExtensions.UseJobStore"/>, outside the router.
/// </summary>
/// <remarks>
/// A submit without a key gets one minted here (as <see cref="MediaGeneratorExtensions.SubmitAsync(IMediaGenerator, GenerationRequest, CancellationToken)"/>
/// does), so every job is stored. Storage failures propagate as exceptions: a job the vendor accepted whose record failed is
/// reported by the exception, never silently dropped. An adopted job is returned as stored (its status may be terminal: the
/// caller's wait then ends at once).
/// </remarks>
public sealed class JobStoreMediaGenerator : DelegatingMediaGenerator
{
    private readonly TimeProvider _time;
    private readonly TimeSpan _leaseDuration;
    private readonly TimeSpan _inFlightPoll;

    /// <summary>Creates the middleware.</summary>
    /// <param name="innerGenerator">The provider or router.</param>
    /// <param name="store">The store.</param>
    /// <param name="options">How to record and share keys.</param>
    public JobStoreMediaGenerator(IMediaGenerator innerGenerator, IJobStore store, JobStoreOptions? options = null)
        : base(innerGenerator)
    {
        ArgumentNullException.ThrowIfNull(store);
        Store = store;
        options ??= new JobStoreOptions();
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(options.LeaseDuration, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(options.InFlightPollInterval, TimeSpan.Zero);
        Owner = string.IsNullOrWhiteSpace(options.Owner) ? JobLease.NewOwnerId() : options.Owner;
        _time = options.TimeProvider ?? TimeProvider.System;
        _leaseDuration = options.LeaseDuration;
        _inFlightPoll = options.InFlightPollInterval;
    }

    /// <summary>Gets the store.</summary>
    public IJobStore Store { get; }

    /// <summary>Gets this generator's owner id.</summary>
    public string Owner { get; }

    /// <inheritdoc/>
    public override async Task<Result<GenerationJob>> SubmitAsync(GenerationQuote quote, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(quote);
        var key = string.IsNullOrWhiteSpace(quote.IdempotencyKey) ? Providers.IdempotencyKeys.NewKey() : quote.IdempotencyKey;
        quote = quote with { IdempotencyKey = key };
        var summary = JobRequestSummary.From(quote.Request);
        while (true)
        {
            var claim = await Store.ClaimAsync(
                new JobClaimRequest(key, Lease()) { Summary = summary, Provider = quote.Provider, Model = quote.Model, Quote = quote.Price },
                cancellationToken).ConfigureAwait(false);
            switch (claim.Status)
            {
                case JobClaimStatus.Accepted:
                    return claim.Job.ToGenerationJob()!;
                case JobClaimStatus.InFlight:
                    var until = claim.Job.LeaseExpiresAt ?? _time.GetUtcNow();
                    var delay = until - _time.GetUtcNow();
                    await Task.Delay(delay < _inFlightPoll && delay > TimeSpan.Zero ? delay : _inFlightPoll, _time, cancellationToken).ConfigureAwait(false);
                    continue;
                default:
                    return await SubmitOwnedAsync(key, quote, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <inheritdoc/>
    public override async Task<Result<GenerationJob>> GetJobAsync(JobHandle handle, CancellationToken cancellationToken = default)
    {
        var polled = await base.GetJobAsync(handle, cancellationToken).ConfigureAwait(false);
        if (polled.TryGetValue(out var job))
        {
            // Recorded even if the caller cancels now: the poll happened.
            var stored = await Store.RecordJobUpdateAsync(job, CancellationToken.None).ConfigureAwait(false);
            if (!stored.IsFinished)
            {
                await Store.RenewLeaseAsync(stored.Key, Lease(), CancellationToken.None).ConfigureAwait(false);
            }
        }

        return polled;
    }

    /// <inheritdoc/>
    public override object? GetService(Type serviceType, object? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(serviceType);
        return serviceKey is null && serviceType == typeof(IJobStore) ? Store : base.GetService(serviceType, serviceKey);
    }

    private async Task<Result<GenerationJob>> SubmitOwnedAsync(string key, GenerationQuote quote, CancellationToken cancellationToken)
    {
        var submitted = await base.SubmitAsync(quote, cancellationToken).ConfigureAwait(false);
        if (submitted.TryGetValue(out var job))
        {
            // The vendor accepted a paid job: record it whatever the token says now.
            await Store.RecordAcceptedAsync(key, job, CancellationToken.None).ConfigureAwait(false);
            return job;
        }

        await Store.RecordNotAcceptedAsync(key, submitted.Error!, CancellationToken.None).ConfigureAwait(false);
        return submitted;
    }

    private JobLease Lease() => new(Owner, _time.GetUtcNow() + _leaseDuration);
}

/// <summary>Adds <see cref="JobStoreMediaGenerator"/> to a pipeline.</summary>
public static class JobStoreMediaGeneratorBuilderExtensions
{
    /// <summary>Records every job through <paramref name="store"/> and gives one submit per idempotency key; see <see cref="JobStoreMediaGenerator"/>.</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="store">The store.</param>
    /// <param name="configure">Sets the owner id, lease duration and clock.</param>
    /// <returns>The builder.</returns>
    public static MediaGeneratorBuilder UseJobStore(this MediaGeneratorBuilder builder, IJobStore store, Action<JobStoreOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(store);
        var options = new JobStoreOptions();
        configure?.Invoke(options);
        return builder.Use(inner => new JobStoreMediaGenerator(inner, store, options));
    }
}
