namespace MediaGen.Ledger;

/// <summary>
/// One line of a <see cref="JsonLinesJobLedger"/> file: <c>{"v":1,"event":"submitted","at":…,"handle":{…}}</c> or
/// <c>{"v":1,"event":"finished","at":…,"handle":{…},"status":"succeeded","note":…}</c>. Unknown fields are ignored,
/// so later versions may add some.
/// </summary>
internal sealed class LedgerEvent
{
    /// <summary>The <see cref="Event"/> of a recorded submit.</summary>
    public const string Submitted = "submitted";

    /// <summary>The <see cref="Event"/> of a finish mark.</summary>
    public const string Finished = "finished";

    /// <summary>Gets or sets the line format version.</summary>
    public int V { get; set; } = 1;

    /// <summary>Gets or sets <see cref="Submitted"/> or <see cref="Finished"/>.</summary>
    public string? Event { get; set; }

    /// <summary>Gets or sets when the event was recorded.</summary>
    public DateTimeOffset At { get; set; }

    /// <summary>Gets or sets the job (written in full by <see cref="Serialization.JobHandleJsonConverter"/>).</summary>
    public JobHandle? Handle { get; set; }

    /// <summary>Gets or sets the terminal status of a finish, lower case; null when abandoned.</summary>
    public string? Status { get; set; }

    /// <summary>Gets or sets the note of a finish.</summary>
    public string? Note { get; set; }
}
