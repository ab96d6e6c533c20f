namespace MediaGen;

/// <summary>Who holds a job (submits it while pending, polls it while unfinished) and until when.</summary>
/// <param name="Owner">The owner id: unique per process (or per worker), stable for its life, e.g. <c>host/pid/random</c>; see <see cref="NewOwnerId"/>.</param>
/// <param name="ExpiresAt">When the lease lapses unless renewed (compared with the store's clock).</param>
public sealed record JobLease(string Owner, DateTimeOffset ExpiresAt)
{
    /// <summary>Gets the owner id.</summary>
    public string Owner { get; init; } = !string.IsNullOrWhiteSpace(Owner) ? Owner : throw new ArgumentException("A lease needs an owner id.", nameof(Owner));

    /// <summary>Mints an owner id for this process: <c>host/pid/8 hex digits</c>.</summary>
    /// <returns>The id.</returns>
    public static string NewOwnerId() =>
        $"{Environment.MachineName}/{Environment.ProcessId}/{Guid.NewGuid().ToString("N")[..8]}";
}

/// <summary>What <see cref="IJobStore.ClaimAsync"/> is asked to claim.</summary>
public sealed record JobClaimRequest
{
    /// <summary>Creates a claim request.</summary>
    /// <param name="key">The idempotency key (not blank).</param>
    /// <param name="lease">The lease the caller takes when it owns the key.</param>
    public JobClaimRequest(string key, JobLease lease)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(key);
        ArgumentNullException.ThrowIfNull(lease);
        Key = key;
        Lease = lease;
    }

    /// <summary>Gets the idempotency key.</summary>
    public string Key { get; }

    /// <summary>Gets the lease the caller takes when it owns the key.</summary>
    public JobLease Lease { get; }

    /// <summary>Gets the secret-free summary of the request.</summary>
    public JobRequestSummary? Summary { get; init; }

    /// <summary>Gets the provider the request is routed to (the quote's provider), when known.</summary>
    public string? Provider { get; init; }

    /// <summary>Gets the vendor model the request translates to, when known.</summary>
    public ModelId? Model { get; init; }

    /// <summary>Gets the quote made before submitting, when known.</summary>
    public PriceQuote? Quote { get; init; }
}

/// <summary>What a claim of an idempotency key found.</summary>
public enum JobClaimStatus
{
    /// <summary>The caller owns the key (its lease is on the job) and submits.</summary>
    Owned,

    /// <summary>A vendor accepted a job for the key (it may have ended since): adopt <see cref="StoredJob.Handle"/>; never submit.</summary>
    Accepted,

    /// <summary>Another owner holds a live lease on the pending key: wait and claim again.</summary>
    InFlight,
}

/// <summary>The answer of <see cref="IJobStore.ClaimAsync"/>.</summary>
/// <param name="Status">What the claim found.</param>
/// <param name="Job">The job as stored after the claim (for <see cref="JobClaimStatus.InFlight"/>, its lease says who holds it and until when).</param>
public sealed record JobClaim(JobClaimStatus Status, StoredJob Job)
{
    /// <summary>Gets whether the caller owns the key.</summary>
    public bool IsOwned => Status == JobClaimStatus.Owned;
}
