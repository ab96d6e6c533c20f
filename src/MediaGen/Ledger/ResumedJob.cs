namespace MediaGen;

/// <summary>How resuming one ledger entry ended.</summary>
public enum ResumeOutcome
{
    /// <summary>The job ended at the vendor (succeeded, failed or canceled: see the job's status) and was marked finished.</summary>
    Finished,

    /// <summary>Waiting reached its deadline (<see cref="TimedOutError"/>); the job goes on and stays unfinished in the ledger.</summary>
    StillRunning,

    /// <summary>The generator has no provider by the handle's name (<see cref="NoRouteError"/>); the entry stays unfinished.</summary>
    ProviderNotConfigured,

    /// <summary>Polling returned an error that waiting does not ride out (e.g. not found, unauthorized); the entry stays unfinished.</summary>
    Error,
}

/// <summary>The result of resuming one unfinished ledger entry.</summary>
/// <param name="Handle">The job, as recorded in the ledger.</param>
/// <param name="Result">The ended job, or why it was not collected.</param>
/// <param name="Outcome">How it ended, and so whether the ledger marked it finished.</param>
public sealed record ResumedJob(JobHandle Handle, Result<GenerationJob> Result, ResumeOutcome Outcome)
{
    /// <summary>Gets whether the job ended and the ledger marked it finished.</summary>
    public bool IsFinished => Outcome == ResumeOutcome.Finished;
}
