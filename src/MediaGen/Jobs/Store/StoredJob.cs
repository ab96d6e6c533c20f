namespace MediaGen;

/// <summary>Where a stored job is in its life.</summary>
public enum StoredJobState
{
    /// <summary>Claimed; no vendor accepted a job for it yet (the owner is submitting, or died doing so).</summary>
    Pending,

    /// <summary>A vendor accepted it; it has not ended (queued or running at the vendor, as far as the store knows).</summary>
    Accepted,

    /// <summary>It ended at the vendor and succeeded.</summary>
    Succeeded,

    /// <summary>It ended at the vendor and failed.</summary>
    Failed,

    /// <summary>It ended at the vendor, canceled.</summary>
    Canceled,

    /// <summary>It was accepted and then abandoned without a known end (the vendor may still charge for it).</summary>
    Abandoned,

    /// <summary>No vendor accepted it (refused, no route, or an outcome that stayed unknown); a new claim of its key may try again.</summary>
    NotAccepted,
}

/// <summary>One vendor tried for a stored job: the router's skips and failures, and every accepted vendor job.</summary>
public sealed record StoredAttempt
{
    /// <summary>Gets the vendor.</summary>
    public required string Provider { get; init; }

    /// <summary>Gets the vendor's model id, when known.</summary>
    public ModelId? Model { get; init; }

    /// <summary>Gets what happened (<see cref="RouteOutcome.Accepted"/> for an accepted vendor job, which has a <see cref="Handle"/>).</summary>
    public required RouteOutcome Outcome { get; init; }

    /// <summary>Gets why, in words.</summary>
    public string? Reason { get; init; }

    /// <summary>Gets the quote at this vendor, when one was made.</summary>
    public PriceQuote? Quote { get; init; }

    /// <summary>Gets the accepted vendor job, when the vendor accepted one.</summary>
    public JobHandle? Handle { get; init; }

    /// <summary>Gets the vendor job's last known status (accepted attempts only).</summary>
    public GenerationStatus? Status { get; init; }

    /// <summary>Gets the charge the vendor reported for this job (the latest reported), or null when it has not said.</summary>
    public Money? Charge { get; init; }

    /// <summary>Gets when the attempt was recorded.</summary>
    public required DateTimeOffset At { get; init; }

    /// <summary>Gets when the vendor job ended (or was abandoned), as recorded.</summary>
    public DateTimeOffset? EndedAt { get; init; }
}

/// <summary>One recorded change of a stored job's vendor status.</summary>
/// <param name="Handle">The vendor job.</param>
/// <param name="Status">The new status.</param>
/// <param name="At">When it was recorded.</param>
public sealed record JobStatusChange(JobHandle Handle, GenerationStatus Status, DateTimeOffset At)
{
    /// <summary>Gets the progress reported with the change, 0–100.</summary>
    public int? Progress { get; init; }
}

/// <summary>Everything an <see cref="IJobStore"/> knows about one logical request (one idempotency key).</summary>
public sealed record StoredJob
{
    private const string HandleKeyPrefix = "handle:";

    /// <summary>Gets the idempotency key (the job's identity).</summary>
    public required string Key { get; init; }

    /// <summary>Gets where the job is in its life.</summary>
    public required StoredJobState State { get; init; }

    /// <summary>Gets the secret-free summary of the request, when the job was claimed with one.</summary>
    public JobRequestSummary? Summary { get; init; }

    /// <summary>Gets the provider the request was routed to (the quote's), when known.</summary>
    public string? Provider { get; init; }

    /// <summary>Gets the vendor model the request translated to, when known.</summary>
    public ModelId? Model { get; init; }

    /// <summary>Gets the quote made before the first submit, when known (each accepted attempt keeps its own).</summary>
    public PriceQuote? Quote { get; init; }

    /// <summary>Gets the current (latest accepted) vendor job, or null while none was accepted.</summary>
    public JobHandle? Handle { get; init; }

    /// <summary>Gets the current vendor job's last known status, or null while none was accepted.</summary>
    public GenerationStatus? Status { get; init; }

    /// <summary>Gets the current vendor job's last reported progress, 0–100.</summary>
    public int? Progress { get; init; }

    /// <summary>Gets the outputs last reported for the current vendor job.</summary>
    public IReadOnlyList<GenerationOutput> Outputs { get; init; } = [];

    /// <summary>Gets the charge last reported for the current vendor job, or null when the vendor has not said.</summary>
    public Money? Charge { get; init; }

    /// <summary>Gets the note of the end: the failure or error message, or why the job was abandoned.</summary>
    public string? Note { get; init; }

    /// <summary>Gets why the current vendor job failed, when it did and the vendor said.</summary>
    public JobFailure? Failure { get; init; }

    /// <summary>Gets every attempt, in the order recorded.</summary>
    public IReadOnlyList<StoredAttempt> Attempts { get; init; } = [];

    /// <summary>Gets every recorded status change, in order.</summary>
    public IReadOnlyList<JobStatusChange> StatusChanges { get; init; } = [];

    /// <summary>Gets the owner of the lease, or null when no one holds it.</summary>
    public string? LeaseOwner { get; init; }

    /// <summary>Gets when the lease lapses, or null when no one holds it.</summary>
    public DateTimeOffset? LeaseExpiresAt { get; init; }

    /// <summary>Gets how many times the key was claimed and owned (1 for a job submitted once; more after takeovers or retries).</summary>
    public int Claims { get; init; }

    /// <summary>Gets when the job was first stored.</summary>
    public required DateTimeOffset CreatedAt { get; init; }

    /// <summary>Gets when the job was last written.</summary>
    public required DateTimeOffset UpdatedAt { get; init; }

    /// <summary>Gets when the current vendor job was accepted, or null while none was.</summary>
    public DateTimeOffset? AcceptedAt { get; init; }

    /// <summary>Gets when the job ended (or was abandoned, or given up unaccepted), or null while unfinished.</summary>
    public DateTimeOffset? EndedAt { get; init; }

    /// <summary>Gets whether the job is finished: ended, abandoned, or not accepted.</summary>
    public bool IsFinished => State is not (StoredJobState.Pending or StoredJobState.Accepted);

    /// <summary>Gets the key a job known only by a keyless handle is stored under: <c>handle:provider:vendorJobId</c>.</summary>
    /// <param name="handle">The handle.</param>
    /// <returns>The key.</returns>
    public static string HandleKey(JobHandle handle)
    {
        ArgumentNullException.ThrowIfNull(handle);
        return HandleKeyPrefix + handle;
    }

    /// <summary>Gets the key a job is stored under when it reaches the store by its handle: the handle's idempotency key, or <see cref="HandleKey"/>.</summary>
    /// <param name="handle">The handle.</param>
    /// <returns>The key.</returns>
    public static string KeyOf(JobHandle handle)
    {
        ArgumentNullException.ThrowIfNull(handle);
        return string.IsNullOrWhiteSpace(handle.IdempotencyKey) ? HandleKey(handle) : handle.IdempotencyKey;
    }

    /// <summary>Whether the lease is held by someone other than <paramref name="owner"/> and has not lapsed at <paramref name="now"/>.</summary>
    /// <param name="owner">The caller's owner id.</param>
    /// <param name="now">The store's clock.</param>
    /// <returns>Whether another owner's lease is live.</returns>
    public bool IsLeasedToOther(string owner, DateTimeOffset now) =>
        LeaseOwner is not null && !string.Equals(LeaseOwner, owner, StringComparison.Ordinal) && LeaseExpiresAt > now;

    /// <summary>Views the job as an <see cref="IJobLedger"/> entry of its current handle, or null while none was accepted.</summary>
    /// <returns>The entry.</returns>
    public JobLedgerEntry? ToLedgerEntry() => Handle is null ? null : new JobLedgerEntry(Handle)
    {
        RecordedAt = AcceptedAt,
        FinishedAt = State is StoredJobState.Accepted ? null : EndedAt,
        Status = State switch
        {
            StoredJobState.Succeeded => GenerationStatus.Succeeded,
            StoredJobState.Failed => GenerationStatus.Failed,
            StoredJobState.Canceled => GenerationStatus.Canceled,
            _ => null,
        },
        Note = Note,
    };

    /// <summary>Rebuilds the current vendor job as a <see cref="GenerationJob"/> (what an adopting caller returns), or null while none was accepted.</summary>
    /// <returns>The job.</returns>
    public GenerationJob? ToGenerationJob()
    {
        if (Handle is null)
        {
            return null;
        }

        var attempt = Attempts.LastOrDefault(a => a.Handle == Handle);
        return new GenerationJob
        {
            Handle = Handle,
            Status = Status ?? GenerationStatus.Queued,
            Progress = Progress,
            Outputs = Outputs,
            Quote = attempt?.Quote ?? Quote,
            Charge = Charge,
            Failure = Failure,
        };
    }
}
