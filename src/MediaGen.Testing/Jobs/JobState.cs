namespace MediaGen.Testing;

/// <summary>The state of a <see cref="ScriptedJob"/>, which a vendor emulator maps to its own status strings.</summary>
public enum JobState
{
    /// <summary>Accepted and waiting to start.</summary>
    Queued,

    /// <summary>Generating; <see cref="JobSnapshot.Progress"/> rises from 0 towards 100.</summary>
    Running,

    /// <summary>Finished with media.</summary>
    Succeeded,

    /// <summary>Finished without media; see <see cref="JobSnapshot.FailureKind"/>.</summary>
    Failed,
}
