namespace MediaGen;

/// <summary>Resuming a store's unfinished jobs under leases, written once for every <see cref="IJobStore"/>.</summary>
public static class JobStoreExtensions
{
    /// <summary>
    /// Takes the lease on every accepted, unended job no live owner holds (<see cref="IJobStore.AcquireUnfinishedAsync"/>), waits
    /// for each (<see cref="JobLedgerExtensions.DefaultResumeConcurrency"/> at a time), records its end and releases the lease.
    /// Nothing is submitted, so nothing is paid twice; another process resuming at the same time gets other jobs. Wrap
    /// <paramref name="generator"/> with <see cref="JobStoreMediaGeneratorBuilderExtensions.UseJobStore"/> to also record every
    /// poll (outputs, the charge).
    /// </summary>
    /// <param name="store">The store.</param>
    /// <param name="generator">The router (or a provider) that can poll the jobs.</param>
    /// <param name="lease">The owner id and the lease expiry to take the jobs with (long enough to wait for them, or renewed by polls through the middleware).</param>
    /// <param name="options">How to wait.</param>
    /// <param name="progress">Receives every job update.</param>
    /// <param name="cancellationToken">Stops waiting; jobs not ended stay unfinished (their leases lapse).</param>
    /// <returns>One result per job taken, oldest acceptance first.</returns>
    public static async Task<IReadOnlyList<ResumedJob>> ResumeUnfinishedAsync(
        this IJobStore store,
        IMediaGenerator generator,
        JobLease lease,
        WaitOptions? options = null,
        IProgress<GenerationJob>? progress = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(generator);
        ArgumentNullException.ThrowIfNull(lease);
        var taken = await store.AcquireUnfinishedAsync(lease, int.MaxValue, cancellationToken).ConfigureAwait(false);
        var results = new ResumedJob[taken.Count];
        await Parallel.ForEachAsync(
            Enumerable.Range(0, taken.Count),
            new ParallelOptions { MaxDegreeOfParallelism = JobLedgerExtensions.DefaultResumeConcurrency, CancellationToken = cancellationToken },
            async (i, ct) =>
            {
                results[i] = await JobLedgerExtensions.ResumeOneAsync(store, generator, taken[i].Handle!, options, progress, ct).ConfigureAwait(false);
                await store.ReleaseLeaseAsync(taken[i].Key, lease.Owner, CancellationToken.None).ConfigureAwait(false);
            }).ConfigureAwait(false);
        return results;
    }
}
