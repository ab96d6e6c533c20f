namespace MediaGen;

/// <summary>How <see cref="IJobStore.ListJobsAsync"/> filters and orders, for stores that filter in memory.</summary>
public static class JobStoreQueries
{
    /// <summary>Applies a query: the filters, newest first (<see cref="StoredJob.CreatedAt"/> descending, then key ordinal), at most <see cref="JobQuery.Limit"/>.</summary>
    /// <param name="jobs">The jobs.</param>
    /// <param name="query">The query.</param>
    /// <returns>The jobs listed.</returns>
    public static IEnumerable<StoredJob> Apply(IEnumerable<StoredJob> jobs, JobQuery query)
    {
        ArgumentNullException.ThrowIfNull(jobs);
        ArgumentNullException.ThrowIfNull(query);
        return jobs
            .Where(j => !query.UnfinishedOnly || !j.IsFinished)
            .Where(j => query.Since is not { } since || j.CreatedAt >= since)
            .Where(j => query.Provider is not { } p
                || string.Equals(j.Provider, p, StringComparison.OrdinalIgnoreCase)
                || string.Equals(j.Handle?.Provider, p, StringComparison.OrdinalIgnoreCase))
            .OrderByDescending(j => j.CreatedAt)
            .ThenBy(j => j.Key, StringComparer.Ordinal)
            .Take(query.Limit);
    }
}
