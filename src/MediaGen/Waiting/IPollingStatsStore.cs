namespace MediaGen;

/// <summary>
/// Where a <see cref="PollingLearner"/> keeps what it learned, so a restarted process, or another instance sharing the
/// store, starts warm: the recent completion times of each timing key (provider, model, and the request's resolution and
/// duration). An optional companion of <see cref="IJobStore"/>: when the store a pipeline records into (<c>UseJobStore</c>,
/// <c>UseFleet</c>, or <see cref="WaitOptions.Ledger"/>) also implements it, a wait loads a key's window the first time its
/// learner meets the key, and appends every completion it observes. <see cref="InMemoryJobStore"/>, the SQLite store and the
/// PostgreSQL store implement it.
/// </summary>
/// <remarks>
/// <para>Keys are opaque text made by the learner (compare them ordinally); samples are kept in the order they were appended.</para>
/// <para>Thread-safe and, for a shared store, multi-process: appends from several instances interleave, and each key keeps its
/// newest samples. Failures are exceptions, as for <see cref="IJobStore"/>; the learner logs them and goes on with what it
/// has in memory, so a failing or slow store never fails or holds up a generation.</para>
/// </remarks>
public interface IPollingStatsStore
{
    /// <summary>Loads the newest completion times recorded under a key, oldest first.</summary>
    /// <param name="key">The timing key.</param>
    /// <param name="maxCount">The most samples to return (the learner's window; at least 1).</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>Up to <paramref name="maxCount"/> samples, oldest first; none for an unknown key.</returns>
    Task<IReadOnlyList<CompletionTimeSample>> LoadCompletionTimesAsync(string key, int maxCount, CancellationToken cancellationToken = default);

    /// <summary>Appends a completion time under a key and drops all but the newest <paramref name="keep"/> samples of that key.</summary>
    /// <param name="key">The timing key.</param>
    /// <param name="sample">What one job took.</param>
    /// <param name="keep">How many of the key's newest samples to keep (at least 1).</param>
    /// <param name="cancellationToken">Cancels before the write starts.</param>
    /// <returns>A task that completes when the sample is recorded.</returns>
    Task AppendCompletionTimeAsync(string key, CompletionTimeSample sample, int keep, CancellationToken cancellationToken = default);
}

/// <summary>
/// How long one job took from submission to completion, as a wait observed it: exactly (<see cref="AtLeast"/> equals
/// <see cref="AtMost"/>) when the vendor reported the completion time, otherwise between the last poll that saw it running
/// and the one that saw it done.
/// </summary>
/// <param name="AtLeast">The earliest it can have completed, after its submission.</param>
/// <param name="AtMost">The latest.</param>
public readonly record struct CompletionTimeSample(TimeSpan AtLeast, TimeSpan AtMost);
