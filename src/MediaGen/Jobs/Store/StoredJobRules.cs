namespace MediaGen;

/// <summary>
/// The reference semantics of every <see cref="IJobStore"/> write, as pure functions from the job as stored (or null when
/// there is none) to the job to store. A store may use them as they are: inside one transaction, read the job (locking it:
/// SQLite <c>BEGIN IMMEDIATE</c>, PostgreSQL <c>SELECT … FOR UPDATE</c>), apply the rule, write the result back.
/// </summary>
/// <remarks>
/// A write addressed by handle (<see cref="Update"/>, <see cref="Finish"/>) applies to the job whose attempts hold the handle,
/// else to the job stored under <see cref="StoredJob.KeyOf(JobHandle)"/>, else to a new job under that key.
/// </remarks>
public static class StoredJobRules
{
    /// <summary>Claims a key (see <see cref="IJobStore.ClaimAsync"/>).</summary>
    /// <param name="current">The job stored under the key, or null.</param>
    /// <param name="request">The claim.</param>
    /// <param name="now">The store's clock.</param>
    /// <returns>The claim; when <see cref="JobClaim.IsOwned"/>, its <see cref="JobClaim.Job"/> is to be written.</returns>
    public static JobClaim Claim(StoredJob? current, JobClaimRequest request, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (current is null)
        {
            return new JobClaim(JobClaimStatus.Owned, new StoredJob
            {
                Key = request.Key,
                State = StoredJobState.Pending,
                Summary = request.Summary,
                Provider = request.Provider,
                Model = request.Model,
                Quote = request.Quote,
                LeaseOwner = request.Lease.Owner,
                LeaseExpiresAt = request.Lease.ExpiresAt,
                Claims = 1,
                CreatedAt = now,
                UpdatedAt = now,
            });
        }

        if (current.Handle is not null)
        {
            return new JobClaim(JobClaimStatus.Accepted, current);
        }

        if (current.State == StoredJobState.Pending && current.IsLeasedToOther(request.Lease.Owner, now))
        {
            return new JobClaim(JobClaimStatus.InFlight, current);
        }

        var again = current.State == StoredJobState.Pending && string.Equals(current.LeaseOwner, request.Lease.Owner, StringComparison.Ordinal);
        return new JobClaim(JobClaimStatus.Owned, current with
        {
            State = StoredJobState.Pending,
            Summary = request.Summary ?? current.Summary,
            Provider = request.Provider ?? current.Provider,
            Model = request.Model ?? current.Model,
            Quote = request.Quote ?? current.Quote,
            LeaseOwner = request.Lease.Owner,
            LeaseExpiresAt = request.Lease.ExpiresAt,
            Claims = again ? current.Claims : current.Claims + 1,
            Note = null,
            EndedAt = null,
            UpdatedAt = now,
        });
    }

    /// <summary>Records an accepted job (see <see cref="IJobStore.RecordAcceptedAsync"/>).</summary>
    /// <param name="current">The job stored under <paramref name="key"/>, or null.</param>
    /// <param name="key">The key.</param>
    /// <param name="job">The accepted job.</param>
    /// <param name="now">The store's clock.</param>
    /// <returns>The job to store (<paramref name="current"/> itself when the handle was already recorded: a retried record changes nothing).</returns>
    public static StoredJob Accept(StoredJob? current, string key, GenerationJob job, DateTimeOffset now)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(key);
        ArgumentNullException.ThrowIfNull(job);
        current ??= new StoredJob { Key = key, State = StoredJobState.Pending, CreatedAt = now, UpdatedAt = now };
        if (current.Attempts.Any(a => a.Handle == job.Handle))
        {
            return current;
        }

        var handle = job.Handle;
        var trail = job.Attempts
            .Where(a => a.Outcome != RouteOutcome.Accepted)
            .Select(a => FromRoute(a, now));
        var accepted = new StoredAttempt
        {
            Provider = handle.Provider,
            Model = handle.Model ?? current.Model,
            Outcome = RouteOutcome.Accepted,
            Quote = job.Quote ?? current.Quote,
            Handle = handle,
            Status = job.Status,
            Charge = job.Charge,
            At = now,
        };
        var stored = current with
        {
            State = StoredJobState.Accepted,
            Provider = current.Provider ?? handle.Provider,
            Model = current.Model ?? handle.Model,
            Quote = current.Quote ?? job.Quote,
            Handle = handle,
            Status = job.Status,
            Progress = job.Progress,
            Outputs = job.Outputs,
            Charge = job.Charge,
            Note = null,
            Failure = null,
            Attempts = [.. current.Attempts, .. trail, accepted],
            StatusChanges = [.. current.StatusChanges, new JobStatusChange(handle, job.Status, now) { Progress = job.Progress }],
            AcceptedAt = now,
            EndedAt = null,
            UpdatedAt = now,
        };
        return job.IsTerminal ? End(stored, handle, job.Status, job.Failure?.Message, job.Failure, now) : stored;
    }

    /// <summary>Records a job known only by its handle (see <see cref="IJobLedger.RecordSubmittedAsync"/>): accepted, queued, under <see cref="StoredJob.KeyOf(JobHandle)"/>.</summary>
    /// <param name="current">The job that holds the handle (see the remarks of <see cref="StoredJobRules"/>), or null.</param>
    /// <param name="handle">The vendor job.</param>
    /// <param name="now">The store's clock.</param>
    /// <returns>The job to store (<paramref name="current"/> itself when the handle was already recorded).</returns>
    public static StoredJob Submitted(StoredJob? current, JobHandle handle, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(handle);
        return Accept(current, current?.Key ?? StoredJob.KeyOf(handle), new GenerationJob { Handle = handle, Status = GenerationStatus.Queued }, now);
    }

    /// <summary>Records a poll (see <see cref="IJobStore.RecordJobUpdateAsync"/>).</summary>
    /// <param name="current">The job that holds the handle (see the remarks of <see cref="StoredJobRules"/>), or null.</param>
    /// <param name="job">The job as the vendor reports it.</param>
    /// <param name="now">The store's clock.</param>
    /// <returns>The job to store (<paramref name="current"/> itself when nothing changed).</returns>
    public static StoredJob Update(StoredJob? current, GenerationJob job, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(job);
        var handle = job.Handle;
        if (current is null || !current.Attempts.Any(a => a.Handle == handle))
        {
            return Accept(current, current?.Key ?? StoredJob.KeyOf(handle), job, now);
        }

        var index = LastIndexOf(current.Attempts, handle);
        var attempt = current.Attempts[index];
        var isCurrent = current.Handle == handle;
        var ended = attempt.EndedAt is not null;
        var status = ended ? attempt.Status : job.Status;
        var charge = job.Charge ?? attempt.Charge;
        var changed = status != attempt.Status;
        var newAttempt = attempt with { Status = status, Charge = charge };
        var stored = current;
        if (newAttempt != attempt)
        {
            stored = stored with { Attempts = Replace(stored.Attempts, index, newAttempt), UpdatedAt = now };
        }

        if (changed && status is { } s)
        {
            stored = stored with { StatusChanges = [.. stored.StatusChanges, new JobStatusChange(handle, s, now) { Progress = job.Progress }], UpdatedAt = now };
        }

        if (isCurrent)
        {
            var outputs = job.Outputs.Count > 0 ? job.Outputs : stored.Outputs;
            var progress = job.Progress ?? stored.Progress;
            if (stored.Status != status || stored.Charge != charge || !ReferenceEquals(outputs, stored.Outputs) || stored.Progress != progress)
            {
                stored = stored with { Status = status, Charge = charge, Outputs = outputs, Progress = progress, UpdatedAt = now };
            }
        }

        return job.IsTerminal && !ended ? End(stored, handle, job.Status, job.Failure?.Message, job.Failure, now) : stored;
    }

    /// <summary>Marks a vendor job finished (see <see cref="IJobLedger.RecordFinishedAsync"/>): ended with a terminal status, or abandoned (null status).</summary>
    /// <param name="current">The job that holds the handle (see the remarks of <see cref="StoredJobRules"/>), or null.</param>
    /// <param name="handle">The vendor job.</param>
    /// <param name="status">The terminal status, or null when abandoned.</param>
    /// <param name="note">The failure text or why it was abandoned.</param>
    /// <param name="now">The store's clock.</param>
    /// <returns>The job to store (<paramref name="current"/> itself when the vendor job had already ended).</returns>
    public static StoredJob Finish(StoredJob? current, JobHandle handle, GenerationStatus? status, string? note, DateTimeOffset now)
    {
        Ledger.JobLedgerState.ValidateFinish(handle, status, note);
        if (current is null || !current.Attempts.Any(a => a.Handle == handle))
        {
            current = Submitted(current, handle, now);
        }

        return current.Attempts[LastIndexOf(current.Attempts, handle)].EndedAt is not null ? current : End(current, handle, status, note, null, now);
    }

    /// <summary>Ends a pending job nothing accepted (see <see cref="IJobStore.RecordNotAcceptedAsync"/>).</summary>
    /// <param name="current">The job stored under <paramref name="key"/>, or null.</param>
    /// <param name="key">The key.</param>
    /// <param name="error">Why nothing was accepted.</param>
    /// <param name="now">The store's clock.</param>
    /// <returns>The job to store (<paramref name="current"/> itself when this error was already recorded).</returns>
    public static StoredJob NotAccepted(StoredJob? current, string key, MediaGenError error, DateTimeOffset now)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(key);
        ArgumentNullException.ThrowIfNull(error);
        current ??= new StoredJob { Key = key, State = StoredJobState.Pending, CreatedAt = now, UpdatedAt = now };
        if (current.State == StoredJobState.NotAccepted && current.Note == error.Message)
        {
            return current;
        }

        var trail = error.Attempts.Select(a => FromRoute(a, now));
        var withTrail = current with { Attempts = [.. current.Attempts, .. trail], UpdatedAt = now };
        return current.Handle is not null
            ? withTrail
            : withTrail with { State = StoredJobState.NotAccepted, Note = error.Message, LeaseOwner = null, LeaseExpiresAt = null, EndedAt = now };
    }

    /// <summary>Renews or takes a lease (see <see cref="IJobStore.RenewLeaseAsync"/>).</summary>
    /// <param name="current">The job, or null.</param>
    /// <param name="lease">The lease.</param>
    /// <param name="now">The store's clock.</param>
    /// <returns>The job to store with the lease, or null when the lease is refused.</returns>
    public static StoredJob? Renew(StoredJob? current, JobLease lease, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(lease);
        return current is null || current.IsFinished || current.IsLeasedToOther(lease.Owner, now)
            ? null
            : current with { LeaseOwner = lease.Owner, LeaseExpiresAt = lease.ExpiresAt, UpdatedAt = now };
    }

    /// <summary>Releases a lease (see <see cref="IJobStore.ReleaseLeaseAsync"/>).</summary>
    /// <param name="current">The job, or null.</param>
    /// <param name="owner">The owner id.</param>
    /// <param name="now">The store's clock.</param>
    /// <returns>The job to store without the lease, or null when <paramref name="owner"/> did not hold it.</returns>
    public static StoredJob? Release(StoredJob? current, string owner, DateTimeOffset now)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(owner);
        return current is not null && string.Equals(current.LeaseOwner, owner, StringComparison.Ordinal)
            ? current with { LeaseOwner = null, LeaseExpiresAt = null, UpdatedAt = now }
            : null;
    }

    /// <summary>Whether <see cref="IJobStore.AcquireUnfinishedAsync"/> may lease a job to <paramref name="owner"/>.</summary>
    /// <param name="job">The job.</param>
    /// <param name="owner">The owner id.</param>
    /// <param name="now">The store's clock.</param>
    /// <returns>Whether the job is accepted, unended, and not leased to another live owner.</returns>
    public static bool CanAcquire(StoredJob job, string owner, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(job);
        return job.State == StoredJobState.Accepted && !job.IsLeasedToOther(owner, now);
    }

    private static StoredJob End(StoredJob job, JobHandle handle, GenerationStatus? status, string? note, JobFailure? failure, DateTimeOffset now)
    {
        var index = LastIndexOf(job.Attempts, handle);
        var attempt = job.Attempts[index];
        var ended = job with { Attempts = Replace(job.Attempts, index, attempt with { Status = status ?? attempt.Status, EndedAt = now }), UpdatedAt = now };
        if (job.Handle != handle)
        {
            return ended;
        }

        var state = status switch
        {
            GenerationStatus.Succeeded => StoredJobState.Succeeded,
            GenerationStatus.Failed => StoredJobState.Failed,
            GenerationStatus.Canceled => StoredJobState.Canceled,
            _ => StoredJobState.Abandoned,
        };
        if (status is { } s && job.Status != s)
        {
            ended = ended with { StatusChanges = [.. ended.StatusChanges, new JobStatusChange(handle, s, now)] };
        }

        return ended with
        {
            State = state,
            Status = status ?? job.Status,
            Note = note,
            Failure = failure ?? (status == GenerationStatus.Failed && note is not null ? job.Failure : null),
            LeaseOwner = null,
            LeaseExpiresAt = null,
            EndedAt = now,
        };
    }

    private static StoredAttempt FromRoute(RouteAttempt a, DateTimeOffset now) =>
        new() { Provider = a.Provider, Model = a.Model, Outcome = a.Outcome, Reason = a.Reason ?? a.Error?.Message, Quote = a.Quote, At = now };

    private static int LastIndexOf(IReadOnlyList<StoredAttempt> attempts, JobHandle handle)
    {
        for (var i = attempts.Count - 1; i >= 0; i--)
        {
            if (attempts[i].Handle == handle)
            {
                return i;
            }
        }

        return -1;
    }

    private static StoredAttempt[] Replace(IReadOnlyList<StoredAttempt> attempts, int index, StoredAttempt attempt)
    {
        var copy = attempts.ToArray();
        copy[index] = attempt;
        return copy;
    }
}
