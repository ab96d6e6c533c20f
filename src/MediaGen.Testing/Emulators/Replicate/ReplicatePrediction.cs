using System.Text.Json.Nodes;

namespace MediaGen.Testing.Emulators.Replicate;

/// <summary>How a prediction ended, when the emulator (not its scripted job) decided it: canceled, aborted, timed out.</summary>
/// <param name="Status">The wire status.</param>
/// <param name="At">When it ended, on the host clock.</param>
/// <param name="Error">The <c>error</c> text, if any.</param>
internal sealed record ReplicateOutcome(string Status, DateTimeOffset At, string? Error);

/// <summary>One prediction the emulator accepted; the mutable fields are guarded by <see cref="Gate"/>.</summary>
internal sealed class ReplicatePrediction(JobSlot slot, ReplicateEmulatorModel model, JsonObject input, string version, DateTimeOffset createdAt) : EmulatedJob(slot)
{
    public Lock Gate { get; } = new();

    public ReplicateEmulatorModel Model => model;

    public JsonObject Input => input;

    /// <summary>Gets the <c>version</c> the prediction reports: <c>hidden</c> for an official model named by slug, else the 64-hex id.</summary>
    public string Version => version;

    public DateTimeOffset CreatedAt => createdAt;

    /// <summary>Gets the absolute auto-cancel time set by <c>Cancel-After</c>.</summary>
    public DateTimeOffset? Deadline { get; init; }

    public Uri? Webhook { get; init; }

    public IReadOnlySet<string> Events { get; init; } = new HashSet<string>(StringComparer.Ordinal);

    /// <summary>Gets the number of output files (images) it makes; 1 for a video.</summary>
    public int OutputCount { get; init; } = 1;

    /// <summary>Gets a video's length.</summary>
    public TimeSpan VideoLength { get; init; }

    public string? AspectRatio { get; init; }

    /// <summary>Gets or sets when it was first seen running (<c>processing</c>).</summary>
    public DateTimeOffset? StartedAt { get; set; }

    /// <summary>Gets or sets how it ended, once it has.</summary>
    public ReplicateOutcome? Outcome { get; set; }

    /// <summary>Gets the output files, by name, once published.</summary>
    public Dictionary<string, (byte[] Bytes, string ContentType)> Files { get; } = new(StringComparer.Ordinal);

    public bool SentStart { get; set; }

    public bool SentOutput { get; set; }

    public bool SentCompleted { get; set; }

    public string? SentLogs { get; set; }

    public DateTimeOffset SentOutputAt { get; set; } = DateTimeOffset.MinValue;

    public DateTimeOffset SentLogsAt { get; set; } = DateTimeOffset.MinValue;

    /// <summary>Gets the timers that wake the prediction when its scripted times or its deadline pass.</summary>
    public List<ITimer> Timers { get; } = [];

    public string Status => Outcome?.Status ?? (StartedAt is null ? "starting" : "processing");

    public bool IsTerminal => Outcome is not null;
}
