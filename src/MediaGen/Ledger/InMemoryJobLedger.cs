using MediaGen.Ledger;

namespace MediaGen;

/// <summary>
/// An <see cref="IJobLedger"/> held in memory, for tests and for processes that only need the bookkeeping.
/// It does not survive the process; use <see cref="JsonLinesJobLedger"/> (or a database) for that.
/// </summary>
public sealed class InMemoryJobLedger : IJobLedger
{
    private readonly Lock _gate = new();
    private readonly JobLedgerState _state = new();
    private readonly TimeProvider _time;

    /// <summary>Creates an empty ledger.</summary>
    /// <param name="timeProvider">The clock for record times (default: the system clock).</param>
    public InMemoryJobLedger(TimeProvider? timeProvider = null)
    {
        _time = timeProvider ?? TimeProvider.System;
    }

    /// <inheritdoc/>
    public Task RecordSubmittedAsync(JobHandle handle, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(handle);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            _state.ApplySubmitted(handle, _time.GetUtcNow());
        }

        return Task.CompletedTask;
    }

    /// <inheritdoc/>
    public Task RecordFinishedAsync(JobHandle handle, GenerationStatus? status, string? note, CancellationToken cancellationToken = default)
    {
        JobLedgerState.ValidateFinish(handle, status, note);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            _state.ApplyFinished(handle, _time.GetUtcNow(), status, note);
        }

        return Task.CompletedTask;
    }

    /// <inheritdoc/>
    public Task<IReadOnlyList<JobLedgerEntry>> ListUnfinishedAsync(CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            return Task.FromResult<IReadOnlyList<JobLedgerEntry>>(_state.Unfinished());
        }
    }

    /// <summary>Lists every entry, finished or not, in first-recorded order.</summary>
    /// <returns>A snapshot.</returns>
    public IReadOnlyList<JobLedgerEntry> GetEntries()
    {
        lock (_gate)
        {
            return _state.All();
        }
    }
}
