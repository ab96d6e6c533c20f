namespace MediaGen;

/// <summary>How <see cref="JobStoreMediaGenerator"/> records jobs and shares keys.</summary>
public sealed class JobStoreOptions
{
    /// <summary>Gets or sets this process's owner id for claims and leases (default: <see cref="JobLease.NewOwnerId"/>, once per generator).</summary>
    public string? Owner { get; set; }

    /// <summary>Gets or sets how long a claim or a poll keeps the job leased to this process (renewed on every submit and poll).</summary>
    /// <value>The default is 2 minutes.</value>
    public TimeSpan LeaseDuration { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>Gets or sets how often a submit whose key is in flight in another process asks the store again.</summary>
    /// <value>The default is 1 second.</value>
    public TimeSpan InFlightPollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Gets or sets the clock for lease expiry and waiting on an in-flight key (default: the system clock).</summary>
    public TimeProvider? TimeProvider { get; set; }
}
