namespace MediaGen;

/// <summary>What a <see cref="IJobLedger"/> knows about one job.</summary>
public sealed record JobLedgerEntry
{
    /// <summary>Creates an entry.</summary>
    /// <param name="handle">The job.</param>
    public JobLedgerEntry(JobHandle handle)
    {
        ArgumentNullException.ThrowIfNull(handle);
        Handle = handle;
    }

    /// <summary>Gets the job's handle as recorded (everything needed to resume it).</summary>
    public JobHandle Handle { get; init; }

    /// <summary>Gets when the submit was first recorded, or null when only a finish was recorded.</summary>
    public DateTimeOffset? RecordedAt { get; init; }

    /// <summary>Gets when the job was first marked finished, or null while it is unfinished.</summary>
    public DateTimeOffset? FinishedAt { get; init; }

    /// <summary>Gets the terminal status it was marked with, or null when it is unfinished or was abandoned.</summary>
    public GenerationStatus? Status { get; init; }

    /// <summary>Gets the note given with the finish mark (the reason for an abandoned job).</summary>
    public string? Note { get; init; }

    /// <summary>Gets whether the job was marked finished (ended or abandoned).</summary>
    public bool IsFinished => FinishedAt is not null;

    /// <summary>Gets whether the job was abandoned: marked finished without a terminal status.</summary>
    public bool IsAbandoned => IsFinished && Status is null;
}
