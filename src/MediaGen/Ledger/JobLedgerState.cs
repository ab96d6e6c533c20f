namespace MediaGen.Ledger;

/// <summary>
/// Folds ledger events into one entry per job, by the rules of <see cref="IJobLedger"/>: the first submit's handle and
/// time are kept, the first finish wins, and a finish settles the job whatever the order. Not thread-safe; callers lock.
/// </summary>
internal sealed class JobLedgerState
{
    private readonly Dictionary<JobHandle, int> _index = [];
    private readonly List<JobLedgerEntry> _entries = [];

    /// <summary>Gets the number of jobs known.</summary>
    public int Count => _entries.Count;

    /// <summary>Validates the arguments of a finish mark (shared by every implementation).</summary>
    /// <param name="handle">The job.</param>
    /// <param name="status">The terminal status, or null.</param>
    /// <param name="note">The note.</param>
    public static void ValidateFinish(JobHandle handle, GenerationStatus? status, string? note)
    {
        ArgumentNullException.ThrowIfNull(handle);
        if (status is { } s && s is not (GenerationStatus.Succeeded or GenerationStatus.Failed or GenerationStatus.Canceled))
        {
            throw new ArgumentOutOfRangeException(nameof(status), s, $"A job is finished only with a terminal status (succeeded, failed or canceled), not {s}; job {handle} goes on.");
        }

        if (status is null && string.IsNullOrWhiteSpace(note))
        {
            throw new ArgumentException($"Abandoning job {handle} (no terminal status) needs a reason in the note.", nameof(note));
        }
    }

    /// <summary>Applies a submit record.</summary>
    /// <param name="handle">The job.</param>
    /// <param name="at">When it was recorded.</param>
    public void ApplySubmitted(JobHandle handle, DateTimeOffset at)
    {
        if (!_index.TryGetValue(handle, out var i))
        {
            _index[handle] = _entries.Count;
            _entries.Add(new JobLedgerEntry(handle) { RecordedAt = at });
            return;
        }

        var entry = _entries[i];
        if (entry.RecordedAt is null)
        {
            // Only a finish was known: the submit's handle carries the full resume data.
            _entries[i] = entry with { Handle = handle, RecordedAt = at };
        }
    }

    /// <summary>Applies a finish mark.</summary>
    /// <param name="handle">The job.</param>
    /// <param name="at">When it was marked.</param>
    /// <param name="status">The terminal status, or null when abandoned.</param>
    /// <param name="note">The note.</param>
    public void ApplyFinished(JobHandle handle, DateTimeOffset at, GenerationStatus? status, string? note)
    {
        if (!_index.TryGetValue(handle, out var i))
        {
            _index[handle] = _entries.Count;
            _entries.Add(new JobLedgerEntry(handle) { FinishedAt = at, Status = status, Note = note });
            return;
        }

        var entry = _entries[i];
        if (!entry.IsFinished)
        {
            _entries[i] = entry with { FinishedAt = at, Status = status, Note = note };
        }
    }

    /// <summary>Lists every entry, in first-recorded order.</summary>
    /// <returns>A copy.</returns>
    public List<JobLedgerEntry> All() => [.. _entries];

    /// <summary>Lists the unfinished entries (a submit and no finish), in first-recorded order.</summary>
    /// <returns>A copy.</returns>
    public List<JobLedgerEntry> Unfinished() => _entries.Where(e => e.RecordedAt is not null && !e.IsFinished).ToList();
}
