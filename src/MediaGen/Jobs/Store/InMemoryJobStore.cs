namespace MediaGen;

/// <summary>
/// An <see cref="IJobStore"/> held in memory: for tests, single-process hosts that only need the bookkeeping, and the
/// baseline of the store benchmarks. It keeps the whole contract within one process (one lock; every write applies
/// <see cref="StoredJobRules"/>) and does not survive the process; use the SQLite or PostgreSQL store for that. It also keeps
/// the polling learner's completion times (<see cref="IPollingStatsStore"/>), so the providers of one process share them.
/// </summary>
public sealed class InMemoryJobStore : IJobStore, IPollingStatsStore
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, StoredJob> _jobs = new(StringComparer.Ordinal);
    private readonly Dictionary<JobHandle, string> _keysByHandle = [];
    private readonly List<string> _order = [];
    private readonly Dictionary<string, Queue<CompletionTimeSample>> _completionTimes = new(StringComparer.Ordinal);
    private readonly TimeProvider _time;

    /// <summary>Creates an empty store.</summary>
    /// <param name="timeProvider">The store's clock: record times and lease expiry (default: the system clock).</param>
    public InMemoryJobStore(TimeProvider? timeProvider = null)
    {
        _time = timeProvider ?? TimeProvider.System;
    }

    /// <inheritdoc/>
    public Task<JobClaim> ClaimAsync(JobClaimRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            var claim = StoredJobRules.Claim(Find(request.Key), request, _time.GetUtcNow());
            if (claim.IsOwned)
            {
                Put(claim.Job);
            }

            return Task.FromResult(claim);
        }
    }

    /// <inheritdoc/>
    public Task<StoredJob> RecordAcceptedAsync(string key, GenerationJob job, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(key);
        ArgumentNullException.ThrowIfNull(job);
        return WriteAsync(() => StoredJobRules.Accept(Find(key), key, job, _time.GetUtcNow()), cancellationToken);
    }

    /// <inheritdoc/>
    public Task<StoredJob> RecordJobUpdateAsync(GenerationJob job, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(job);
        return WriteAsync(() => StoredJobRules.Update(FindFor(job.Handle), job, _time.GetUtcNow()), cancellationToken);
    }

    /// <inheritdoc/>
    public Task<StoredJob> RecordNotAcceptedAsync(string key, MediaGenError error, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(key);
        ArgumentNullException.ThrowIfNull(error);
        return WriteAsync(() => StoredJobRules.NotAccepted(Find(key), key, error, _time.GetUtcNow()), cancellationToken);
    }

    /// <inheritdoc/>
    public Task RecordSubmittedAsync(JobHandle handle, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(handle);
        return WriteAsync(() => StoredJobRules.Submitted(FindFor(handle), handle, _time.GetUtcNow()), cancellationToken);
    }

    /// <inheritdoc/>
    public Task RecordFinishedAsync(JobHandle handle, GenerationStatus? status, string? note, CancellationToken cancellationToken = default)
    {
        Ledger.JobLedgerState.ValidateFinish(handle, status, note);
        return WriteAsync(() => StoredJobRules.Finish(FindFor(handle), handle, status, note, _time.GetUtcNow()), cancellationToken);
    }

    /// <inheritdoc/>
    public Task<bool> RenewLeaseAsync(string key, JobLease lease, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(key);
        ArgumentNullException.ThrowIfNull(lease);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            return Task.FromResult(PutIfSome(StoredJobRules.Renew(Find(key), lease, _time.GetUtcNow())));
        }
    }

    /// <inheritdoc/>
    public Task<bool> ReleaseLeaseAsync(string key, string owner, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(key);
        ArgumentException.ThrowIfNullOrWhiteSpace(owner);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            return Task.FromResult(PutIfSome(StoredJobRules.Release(Find(key), owner, _time.GetUtcNow())));
        }
    }

    /// <inheritdoc/>
    public Task<IReadOnlyList<StoredJob>> AcquireUnfinishedAsync(JobLease lease, int maxCount, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(lease);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxCount, 1);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            var now = _time.GetUtcNow();
            var taken = new List<StoredJob>();
            foreach (var job in _order.Select(k => _jobs[k]).Where(j => StoredJobRules.CanAcquire(j, lease.Owner, now)).OrderBy(j => j.AcceptedAt).Take(maxCount).ToList())
            {
                var leased = StoredJobRules.Renew(job, lease, now)!;
                Put(leased);
                taken.Add(leased);
            }

            return Task.FromResult<IReadOnlyList<StoredJob>>(taken);
        }
    }

    /// <inheritdoc/>
    public Task<IReadOnlyList<JobLedgerEntry>> ListUnfinishedAsync(CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            return Task.FromResult<IReadOnlyList<JobLedgerEntry>>(
                [.. _jobs.Values.Where(j => j.State == StoredJobState.Accepted).OrderBy(j => j.AcceptedAt).Select(j => j.ToLedgerEntry()!)]);
        }
    }

    /// <inheritdoc/>
    public Task<StoredJob?> FindByKeyAsync(string key, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(key);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            return Task.FromResult(Find(key));
        }
    }

    /// <inheritdoc/>
    public Task<StoredJob?> FindByHandleAsync(JobHandle handle, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(handle);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            return Task.FromResult(_keysByHandle.TryGetValue(handle, out var key) ? _jobs[key] : null);
        }
    }

    /// <inheritdoc/>
    public Task<IReadOnlyList<StoredJob>> ListJobsAsync(JobQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentOutOfRangeException.ThrowIfLessThan(query.Limit, 1);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            return Task.FromResult<IReadOnlyList<StoredJob>>([.. JobStoreQueries.Apply(_jobs.Values, query)]);
        }
    }

    /// <inheritdoc/>
    public Task<IReadOnlyList<SpendLine>> GetSpendAsync(SpendQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            return Task.FromResult(JobSpend.Aggregate([.. _jobs.Values], query));
        }
    }

    /// <inheritdoc/>
    public Task<IReadOnlyList<CompletionTimeSample>> LoadCompletionTimesAsync(string key, int maxCount, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxCount, 1);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            return Task.FromResult<IReadOnlyList<CompletionTimeSample>>(_completionTimes.TryGetValue(key, out var samples)
                ? [.. samples.Skip(Math.Max(0, samples.Count - maxCount))]
                : []);
        }
    }

    /// <inheritdoc/>
    public Task AppendCompletionTimeAsync(string key, CompletionTimeSample sample, int keep, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        ArgumentOutOfRangeException.ThrowIfLessThan(keep, 1);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            if (!_completionTimes.TryGetValue(key, out var samples))
            {
                _completionTimes[key] = samples = new Queue<CompletionTimeSample>();
            }

            samples.Enqueue(sample);
            while (samples.Count > keep)
            {
                samples.Dequeue();
            }
        }

        return Task.CompletedTask;
    }

    private Task<StoredJob> WriteAsync(Func<StoredJob> write, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            var job = write();
            Put(job);
            return Task.FromResult(job);
        }
    }

    private StoredJob? Find(string key) => _jobs.GetValueOrDefault(key);

    private StoredJob? FindFor(JobHandle handle) =>
        _keysByHandle.TryGetValue(handle, out var key) ? _jobs[key] : Find(StoredJob.KeyOf(handle));

    private bool PutIfSome(StoredJob? job)
    {
        if (job is null)
        {
            return false;
        }

        Put(job);
        return true;
    }

    private void Put(StoredJob job)
    {
        if (!_jobs.ContainsKey(job.Key))
        {
            _order.Add(job.Key);
        }

        _jobs[job.Key] = job;
        foreach (var attempt in job.Attempts)
        {
            if (attempt.Handle is { } handle)
            {
                _keysByHandle.TryAdd(handle, job.Key);
            }
        }
    }
}
