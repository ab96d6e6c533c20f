namespace MediaGen.Testing;

/// <summary>The state of a <see cref="ScriptedJob"/> as one status poll sees it.</summary>
/// <param name="State">The job's state.</param>
/// <param name="Progress">Progress from 0 to 100; 100 once <see cref="JobState.Succeeded"/>. It never decreases.</param>
/// <param name="PollCount">The number of status polls so far, including the one that produced this snapshot.</param>
/// <param name="FailureKind">Why the job failed, when <paramref name="State"/> is <see cref="JobState.Failed"/>.</param>
/// <param name="FailureMessage">The failure message, when <paramref name="State"/> is <see cref="JobState.Failed"/>.</param>
public sealed record JobSnapshot(
    JobState State,
    int Progress,
    int PollCount,
    JobFailureKind? FailureKind = null,
    string? FailureMessage = null)
{
    /// <summary>Gets a value indicating whether the job has finished (succeeded or failed).</summary>
    public bool IsTerminal => State is JobState.Succeeded or JobState.Failed;
}
