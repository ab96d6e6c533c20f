namespace MediaGen;

/// <summary>Recording job ends and resuming unfinished jobs, written once for every <see cref="IJobLedger"/>.</summary>
public static class JobLedgerExtensions
{
    /// <summary>How many jobs <see cref="ResumePendingAsync(IJobLedger, IMediaGenerator, WaitOptions?, IProgress{GenerationJob}?, CancellationToken)"/> waits for at once.</summary>
    public const int DefaultResumeConcurrency = 4;

    /// <summary>Marks a job finished with its terminal status.</summary>
    /// <param name="ledger">The ledger.</param>
    /// <param name="job">The ended job.</param>
    /// <param name="cancellationToken">Cancels before the mark is written.</param>
    /// <returns>A task that completes when the mark is durable.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The job has not ended.</exception>
    public static Task RecordFinishedAsync(this IJobLedger ledger, GenerationJob job, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(ledger);
        ArgumentNullException.ThrowIfNull(job);
        return ledger.RecordFinishedAsync(job.Handle, job.Status, job.Failure?.Message, cancellationToken);
    }

    /// <summary>Marks a job abandoned: no longer tracked, without a known end (the vendor may still charge for it).</summary>
    /// <param name="ledger">The ledger.</param>
    /// <param name="handle">The job.</param>
    /// <param name="reason">Why it is abandoned.</param>
    /// <param name="cancellationToken">Cancels before the mark is written.</param>
    /// <returns>A task that completes when the mark is durable.</returns>
    public static Task RecordAbandonedAsync(this IJobLedger ledger, JobHandle handle, string reason, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(ledger);
        ArgumentException.ThrowIfNullOrWhiteSpace(reason);
        return ledger.RecordFinishedAsync(handle, null, reason, cancellationToken);
    }

    /// <summary>
    /// Resumes every unfinished job in the ledger (after a crash or restart): waits for each through
    /// <see cref="MediaGeneratorExtensions.WaitForCompletionAsync"/>, <see cref="DefaultResumeConcurrency"/> at a time,
    /// and marks each finished as soon as it ends. Nothing is submitted, so nothing is paid twice.
    /// </summary>
    /// <param name="ledger">The ledger.</param>
    /// <param name="generator">A provider, or the router (which answers for every provider it holds).</param>
    /// <param name="options">How to wait (the deadline counts from the resume).</param>
    /// <param name="progress">Receives every job update, from several jobs concurrently.</param>
    /// <param name="cancellationToken">Stops waiting; unmarked jobs stay unfinished for the next resume.</param>
    /// <returns>One result per unfinished entry, in ledger order; see <see cref="ResumeOutcome"/> for which were marked.</returns>
    /// <exception cref="OperationCanceledException">The token was canceled.</exception>
    public static Task<IReadOnlyList<ResumedJob>> ResumePendingAsync(
        this IJobLedger ledger,
        IMediaGenerator generator,
        WaitOptions? options = null,
        IProgress<GenerationJob>? progress = null,
        CancellationToken cancellationToken = default) =>
        ResumePendingAsync(ledger, generator, DefaultResumeConcurrency, options, progress, cancellationToken);

    /// <summary>
    /// Resumes every unfinished job in the ledger, at most <paramref name="maxConcurrency"/> at a time; see
    /// <see cref="ResumePendingAsync(IJobLedger, IMediaGenerator, WaitOptions?, IProgress{GenerationJob}?, CancellationToken)"/>.
    /// </summary>
    /// <param name="ledger">The ledger.</param>
    /// <param name="generator">A provider, or the router.</param>
    /// <param name="maxConcurrency">How many jobs to wait for at once (at least 1).</param>
    /// <param name="options">How to wait (the deadline counts from the resume).</param>
    /// <param name="progress">Receives every job update, from several jobs concurrently.</param>
    /// <param name="cancellationToken">Stops waiting; unmarked jobs stay unfinished for the next resume.</param>
    /// <returns>One result per unfinished entry, in ledger order.</returns>
    /// <exception cref="OperationCanceledException">The token was canceled.</exception>
    public static async Task<IReadOnlyList<ResumedJob>> ResumePendingAsync(
        this IJobLedger ledger,
        IMediaGenerator generator,
        int maxConcurrency,
        WaitOptions? options = null,
        IProgress<GenerationJob>? progress = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(ledger);
        ArgumentNullException.ThrowIfNull(generator);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxConcurrency, 1);

        var pending = await ledger.ListUnfinishedAsync(cancellationToken).ConfigureAwait(false);
        var results = new ResumedJob[pending.Count];
        await Parallel.ForEachAsync(
            Enumerable.Range(0, pending.Count),
            new ParallelOptions { MaxDegreeOfParallelism = maxConcurrency, CancellationToken = cancellationToken },
            async (i, ct) => results[i] = await ResumeOneAsync(ledger, generator, pending[i].Handle, options, progress, ct).ConfigureAwait(false))
            .ConfigureAwait(false);
        return results;
    }

    internal static async Task<ResumedJob> ResumeOneAsync(
        IJobLedger ledger,
        IMediaGenerator generator,
        JobHandle handle,
        WaitOptions? options,
        IProgress<GenerationJob>? progress,
        CancellationToken cancellationToken)
    {
        if (!Serves(generator, handle.Provider))
        {
            var error = new NoRouteError(
                $"Job {handle} was recorded for provider '{handle.Provider}', which this generator ({generator.GetService<ProviderMetadata>()?.Name ?? generator.GetType().Name}) does not have; configure it to resume the job. It stays unfinished in the ledger.",
                []) { Provider = handle.Provider };
            return new ResumedJob(handle, error, ResumeOutcome.ProviderNotConfigured);
        }

        var waited = await generator.WaitForCompletionAsync(handle, options, progress, cancellationToken).ConfigureAwait(false);
        if (waited.TryGetValue(out var job) && job.IsTerminal)
        {
            // WaitForCompletionAsync returns only ended jobs; the mark is written even if the caller cancels now.
            await ledger.RecordFinishedAsync(handle, job.Status, job.Failure?.Message, CancellationToken.None).ConfigureAwait(false);
            return new ResumedJob(handle, job, ResumeOutcome.Finished);
        }

        return waited.Error is null or TimedOutError
            ? new ResumedJob(handle, waited, ResumeOutcome.StillRunning)
            : new ResumedJob(handle, waited, ResumeOutcome.Error);
    }

    private static bool Serves(IMediaGenerator generator, string provider) =>
        string.Equals(generator.GetService<ProviderMetadata>()?.Name, provider, StringComparison.OrdinalIgnoreCase)
        || generator.GetService(typeof(IMediaGenerator), provider) is IMediaGenerator;
}
