namespace MediaGen;

/// <summary>
/// A durable record of submitted (paid) jobs, so that a job accepted by a vendor is never lost when the process
/// that waits for it dies: record the handle once the vendor accepts the job and before waiting starts, mark it
/// finished when waiting ends, and after a restart resume every unfinished entry
/// (<see cref="JobLedgerExtensions.ResumePendingAsync(IJobLedger, IMediaGenerator, WaitOptions?, IProgress{GenerationJob}?, CancellationToken)"/>).
/// </summary>
/// <remarks>
/// <para>The contract every implementation keeps (a database table keyed by provider and vendor job id fits it):</para>
/// <list type="bullet">
/// <item><description><b>Durable on return.</b> When <see cref="RecordSubmittedAsync"/> or <see cref="RecordFinishedAsync"/>
/// completes, the record survives a crash of this process. When either throws, the caller must assume it was not recorded.</description></item>
/// <item><description><b>At-least-once, idempotent.</b> Recording the same handle again, or marking it finished again, is harmless:
/// there is one entry per job (equality of <see cref="JobHandle"/>: provider and vendor job id). The first finish mark wins.</description></item>
/// <item><description><b>Finished is final and order-independent.</b> An entry is unfinished exactly when a submit was recorded and no
/// finish was; a finish recorded before (or without) the submit still settles the job. A resumed job can therefore be
/// collected more than once after a crash between its end and its mark, never zero times.</description></item>
/// <item><description><b>Thread-safe.</b> Every member may be called concurrently.</description></item>
/// <item><description><b>Failures are exceptions.</b> Storage failures (I/O, database) propagate; they are not <see cref="MediaGenError"/> values.</description></item>
/// </list>
/// <para>
/// A crash between the vendor accepting a job and <see cref="RecordSubmittedAsync"/> returning leaves no entry; the request's
/// idempotency key is what recovers that job (resubmitting with the same key where the vendor dedupes).
/// </para>
/// </remarks>
public interface IJobLedger
{
    /// <summary>
    /// Records a job the vendor accepted, durably, before waiting for it starts. Keep the whole handle
    /// (provider, vendor job id, model, idempotency key, submitted-at, kind): it is what resumes the job.
    /// </summary>
    /// <param name="handle">The accepted job.</param>
    /// <param name="cancellationToken">Cancels before the record is written; once writing starts it completes, so a record is never half-made by cancellation.</param>
    /// <returns>A task that completes when the record is durable.</returns>
    Task RecordSubmittedAsync(JobHandle handle, CancellationToken cancellationToken = default);

    /// <summary>
    /// Marks a job finished, durably: ended at the vendor with a terminal <paramref name="status"/>
    /// (succeeded, failed or canceled), or abandoned (<paramref name="status"/> null) for the reason in <paramref name="note"/>.
    /// Idempotent; a handle that was never recorded may be marked too.
    /// </summary>
    /// <param name="handle">The job.</param>
    /// <param name="status">The terminal status, or null when the job is abandoned without a known end.</param>
    /// <param name="note">Why it was abandoned (required when <paramref name="status"/> is null), or a remark.</param>
    /// <param name="cancellationToken">Cancels before the mark is written; once writing starts it completes.</param>
    /// <returns>A task that completes when the mark is durable.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="status"/> is not terminal (queued or running).</exception>
    /// <exception cref="ArgumentException"><paramref name="status"/> is null and <paramref name="note"/> is empty.</exception>
    Task RecordFinishedAsync(JobHandle handle, GenerationStatus? status, string? note, CancellationToken cancellationToken = default);

    /// <summary>Lists the jobs recorded as submitted and not marked finished, one per job, in the order they were first recorded.</summary>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The unfinished entries.</returns>
    Task<IReadOnlyList<JobLedgerEntry>> ListUnfinishedAsync(CancellationToken cancellationToken = default);
}
