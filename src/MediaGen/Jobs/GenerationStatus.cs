namespace MediaGen;

/// <summary>The state of a job. A set MediaGen owns, so a real enum.</summary>
public enum GenerationStatus
{
    /// <summary>Accepted, not started.</summary>
    Queued,

    /// <summary>Generating.</summary>
    Running,

    /// <summary>Done; outputs are available.</summary>
    Succeeded,

    /// <summary>Ended without output; see <see cref="GenerationJob.Failure"/>.</summary>
    Failed,

    /// <summary>Canceled at the vendor.</summary>
    Canceled,
}
