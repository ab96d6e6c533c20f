namespace MediaGen;

/// <summary>What a <see cref="JsonLinesJobLedger"/> file held when it was read.</summary>
/// <param name="Entries">Every job, finished or not, in first-recorded order.</param>
/// <param name="SkippedLines">Lines that could not be read (a torn last line after a crash, garbage) and were skipped.</param>
public sealed record JobLedgerSnapshot(IReadOnlyList<JobLedgerEntry> Entries, int SkippedLines)
{
    /// <summary>Gets the unfinished entries (a submit and no finish).</summary>
    public IReadOnlyList<JobLedgerEntry> Unfinished => Entries.Where(e => e.RecordedAt is not null && !e.IsFinished).ToList();
}

/// <summary>What <see cref="JsonLinesJobLedger.CompactAsync"/> did.</summary>
/// <param name="Kept">Unfinished jobs rewritten to the new file.</param>
/// <param name="Removed">Finished jobs left out.</param>
/// <param name="SkippedLines">Unreadable lines left out.</param>
public sealed record JobLedgerCompaction(int Kept, int Removed, int SkippedLines);
