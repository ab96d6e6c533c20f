namespace MediaGen;

/// <summary>
/// The job store: the <see cref="IJobLedger"/> grown up. It keeps every logical request (one per idempotency key) with a
/// secret-free summary of the request, its route and quote, every vendor attempt, the accepted handle, status changes,
/// outputs, the vendor-reported charge and the end; it answers which jobs are unfinished, what a key became, the recent
/// jobs and the spend by vendor, unit and day; and it is where processes sharing it agree on one submit per key
/// (<see cref="ClaimAsync"/>) and on one poller per unfinished job (leases).
/// </summary>
/// <remarks>
/// <para><b>Identity.</b> A stored job is identified by its idempotency key (<see cref="StoredJob.Key"/>, compared
/// ordinally). A job that reaches the store only through <see cref="IJobLedger"/> with a handle that carries no key is stored
/// under <see cref="StoredJob.HandleKey(JobHandle)"/> (<c>handle:provider:vendorJobId</c>). A key may, over time, accept
/// more than one vendor job (the router resubmits a failed job elsewhere under the same key): the job's
/// <see cref="StoredJob.Handle"/> is the latest accepted one and <see cref="StoredJob.Attempts"/> keeps every one of them.
/// A handle belongs to at most one key.</para>
/// <para>The contract every implementation keeps (the in-memory store, SQLite and PostgreSQL are tested against one suite,
/// <c>JobStoreContractTests</c>; <see cref="StoredJobRules"/> is the reference semantics of every write and may be used as is
/// by a store that reads a row, applies the rule and writes it back inside one transaction):</para>
/// <list type="bullet">
/// <item><description><b>Durable on return.</b> When a write (<c>Record…</c>, <see cref="ClaimAsync"/>, a lease call) completes, what
/// it recorded survives a crash of the process (and of the machine, as far as the engine promises: SQLite with
/// <c>synchronous=FULL</c>, PostgreSQL with its default <c>fsync</c>). When a write throws, the caller must assume it was not
/// recorded. Cancellation is honoured only before a write starts; once it starts it completes.</description></item>
/// <item><description><b>Atomic per job.</b> Every write is one transaction over one job: readers and other writers, in this
/// process or any other sharing the store, see all of it or none of it.</description></item>
/// <item><description><b>Idempotent, at-least-once.</b> Repeating a write with the same arguments is harmless (a retried
/// <see cref="RecordAcceptedAsync"/> adds no second attempt; a retried update records no second status change). The first
/// end wins: a job that ended is never reopened by a later update for the same handle.</description></item>
/// <item><description><b>One submit per key.</b> <see cref="ClaimAsync"/> is linearizable per key across every process sharing the
/// store: of any number of concurrent claims of a key, at most one returns <see cref="JobClaimStatus.Owned"/> while that
/// owner's lease is live, and once a handle was accepted for the key every claim returns <see cref="JobClaimStatus.Accepted"/>
/// with it. Nothing else is needed for "a re-run never pays twice".</description></item>
/// <item><description><b>Leases.</b> A lease (<see cref="JobLease"/>: an owner id and an expiry) says which process submits a
/// pending job or polls an unfinished one. Expiry is compared with the store's clock (the <see cref="TimeProvider"/> it was
/// given, or the database server's clock): owners must renew well before it passes. Leases never block recording: a poll result,
/// an acceptance or an end is recorded whoever holds the lease, so a paid job is never dropped because a lease was
/// lost.</description></item>
/// <item><description><b>Thread-safe, multi-process.</b> Every member may be called concurrently, from several processes sharing one
/// store (SQLite: processes on one machine; PostgreSQL: a fleet).</description></item>
/// <item><description><b>Failures are exceptions.</b> Storage failures (I/O, database, a busy timeout) propagate; they are not
/// <see cref="MediaGenError"/> values. Invalid arguments throw <see cref="ArgumentException"/>.</description></item>
/// <item><description><b>No secrets.</b> A store keeps only what its arguments carry: <see cref="JobRequestSummary"/> leaves out API
/// keys, webhook secrets, reference URLs (which may be presigned) and provider options.</description></item>
/// </list>
/// <para>As an <see cref="IJobLedger"/>: <see cref="IJobLedger.RecordSubmittedAsync"/> is <see cref="RecordAcceptedAsync"/> of a job
/// known only by its handle, <see cref="IJobLedger.RecordFinishedAsync"/> ends the job whose handle it is (when it is the job's
/// current handle; an earlier, resubmitted handle only has its attempt marked), and <see cref="IJobLedger.ListUnfinishedAsync"/>
/// lists the current handle of every accepted, unended job, oldest acceptance first.</para>
/// </remarks>
public interface IJobStore : IJobLedger
{
    /// <summary>
    /// Claims an idempotency key before submitting, atomically: creates the job (pending, leased to the caller) when the key is
    /// new; otherwise says what the key already is.
    /// </summary>
    /// <param name="request">The key, the caller's lease, and the request's summary, route and quote.</param>
    /// <param name="cancellationToken">Cancels before the claim is written.</param>
    /// <returns>
    /// <see cref="JobClaimStatus.Owned"/>: the caller owns the key and submits (a new job, a pending job whose lease expired or was
    /// the caller's own, or a job that ended without being accepted — nothing was billed — and is tried again; the summary, route
    /// and quote are replaced by the request's). <see cref="JobClaimStatus.Accepted"/>: a vendor accepted a job for the key (it may
    /// since have ended): adopt <see cref="StoredJob.Handle"/>, never submit. <see cref="JobClaimStatus.InFlight"/>: another owner
    /// holds a live lease on the pending key: wait (e.g. until <see cref="StoredJob.LeaseExpiresAt"/>) and claim again, which then
    /// adopts the accepted job or takes the key over. In every case <see cref="JobClaim.Job"/> is the job as stored after the claim.
    /// </returns>
    Task<JobClaim> ClaimAsync(JobClaimRequest request, CancellationToken cancellationToken = default);

    /// <summary>
    /// Records a job a vendor accepted for <paramref name="key"/>, durably, before waiting for it starts: its handle becomes the
    /// job's current handle, the attempt is added with its quote and any charge, and the router's attempt trail
    /// (<see cref="GenerationJob.Attempts"/>) is kept. A job that is already terminal is also ended. The lease is left as it is.
    /// </summary>
    /// <param name="key">The idempotency key the job was submitted under (a key never claimed is created).</param>
    /// <param name="job">The accepted job.</param>
    /// <param name="cancellationToken">Cancels before the record is written.</param>
    /// <returns>The job as stored.</returns>
    Task<StoredJob> RecordAcceptedAsync(string key, GenerationJob job, CancellationToken cancellationToken = default);

    /// <summary>
    /// Records a poll of an accepted job: a status change (recorded once per change, not per poll), progress, outputs and the
    /// vendor-reported charge (the latest reported wins). A terminal status ends the job (the first end wins). An unknown
    /// handle is recorded as <see cref="IJobLedger.RecordSubmittedAsync"/> would, then updated.
    /// </summary>
    /// <param name="job">The job as the vendor reports it.</param>
    /// <param name="cancellationToken">Cancels before the record is written.</param>
    /// <returns>The job as stored.</returns>
    Task<StoredJob> RecordJobUpdateAsync(GenerationJob job, CancellationToken cancellationToken = default);

    /// <summary>
    /// Ends a pending job that no vendor accepted (refused before billing, no route, or an outcome that stayed unknown): the
    /// error and its attempt trail are kept, <see cref="StoredJob.State"/> becomes <see cref="StoredJobState.NotAccepted"/> and
    /// the lease is released. A later claim of the key owns it again. When the key already has an accepted handle, only the
    /// trail is added and the job is otherwise unchanged.
    /// </summary>
    /// <param name="key">The idempotency key.</param>
    /// <param name="error">Why nothing was accepted.</param>
    /// <param name="cancellationToken">Cancels before the record is written.</param>
    /// <returns>The job as stored.</returns>
    Task<StoredJob> RecordNotAcceptedAsync(string key, MediaGenError error, CancellationToken cancellationToken = default);

    /// <summary>
    /// Renews (or takes) the lease on a job: succeeds when the job's lease is free, expired, or already held by
    /// <see cref="JobLease.Owner"/>; fails when another owner holds a live lease or the job is unknown or ended.
    /// </summary>
    /// <param name="key">The job's key.</param>
    /// <param name="lease">The owner and the new expiry.</param>
    /// <param name="cancellationToken">Cancels before the lease is written.</param>
    /// <returns>Whether the caller holds the lease until <see cref="JobLease.ExpiresAt"/>.</returns>
    Task<bool> RenewLeaseAsync(string key, JobLease lease, CancellationToken cancellationToken = default);

    /// <summary>Releases the lease on a job when <paramref name="owner"/> holds it (live or expired); otherwise does nothing.</summary>
    /// <param name="key">The job's key.</param>
    /// <param name="owner">The owner id the lease was taken with (a caller may release a dead owner's lease by its id).</param>
    /// <param name="cancellationToken">Cancels before the release is written.</param>
    /// <returns>Whether a lease held by <paramref name="owner"/> was released.</returns>
    Task<bool> ReleaseLeaseAsync(string key, string owner, CancellationToken cancellationToken = default);

    /// <summary>
    /// Takes the lease on up to <paramref name="maxCount"/> accepted, unended jobs whose lease is free, expired or already
    /// <see cref="JobLease.Owner"/>'s, atomically (two concurrent callers never get the same job), oldest acceptance first: the
    /// takeover and resume path. Pending jobs (no handle yet) are not returned: a claim of their key takes them over.
    /// </summary>
    /// <param name="lease">The owner and the expiry to give every job taken.</param>
    /// <param name="maxCount">The most jobs to take (at least 1).</param>
    /// <param name="cancellationToken">Cancels before the leases are written.</param>
    /// <returns>The jobs now leased to the caller.</returns>
    Task<IReadOnlyList<StoredJob>> AcquireUnfinishedAsync(JobLease lease, int maxCount, CancellationToken cancellationToken = default);

    /// <summary>Finds the job stored under an idempotency key.</summary>
    /// <param name="key">The key.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The job, or null.</returns>
    Task<StoredJob?> FindByKeyAsync(string key, CancellationToken cancellationToken = default);

    /// <summary>Finds the job that accepted a handle (current or earlier).</summary>
    /// <param name="handle">The handle (provider and vendor job id).</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The job, or null.</returns>
    Task<StoredJob?> FindByHandleAsync(JobHandle handle, CancellationToken cancellationToken = default);

    /// <summary>Lists jobs, newest first (by <see cref="StoredJob.CreatedAt"/>, then key), filtered by the query.</summary>
    /// <param name="query">Which jobs: unfinished only, since when, at which provider, how many.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The jobs.</returns>
    Task<IReadOnlyList<StoredJob>> ListJobsAsync(JobQuery query, CancellationToken cancellationToken = default);

    /// <summary>
    /// Sums what accepted vendor jobs were quoted and charged, per group (vendor, model or UTC day of acceptance) and billing
    /// unit, in the unit and in US dollars side by side; see <see cref="JobSpend.Aggregate"/> for the exact rules, which every
    /// store follows.
    /// </summary>
    /// <param name="query">The period and the grouping.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>One line per group and unit, ordered by group then unit.</returns>
    Task<IReadOnlyList<SpendLine>> GetSpendAsync(SpendQuery query, CancellationToken cancellationToken = default);
}
