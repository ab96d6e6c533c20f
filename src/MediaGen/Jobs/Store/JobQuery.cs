namespace MediaGen;

/// <summary>Which jobs <see cref="IJobStore.ListJobsAsync"/> lists.</summary>
public sealed record JobQuery
{
    /// <summary>The default <see cref="Limit"/>.</summary>
    public const int DefaultLimit = 50;

    /// <summary>Gets whether to list only unfinished jobs (pending or accepted and not ended).</summary>
    public bool UnfinishedOnly { get; init; }

    /// <summary>Gets the earliest <see cref="StoredJob.CreatedAt"/> listed (inclusive), or null for all.</summary>
    public DateTimeOffset? Since { get; init; }

    /// <summary>Gets the provider (of the route or the current handle) to list, or null for all.</summary>
    public string? Provider { get; init; }

    /// <summary>Gets the most jobs to list (at least 1).</summary>
    public int Limit { get; init; } = DefaultLimit;
}

/// <summary>How <see cref="IJobStore.GetSpendAsync"/> groups spend.</summary>
public enum SpendGrouping
{
    /// <summary>By vendor (the accepted job's provider).</summary>
    Vendor,

    /// <summary>By vendor and model (<c>provider/model</c>).</summary>
    Model,

    /// <summary>By UTC day of acceptance (<c>yyyy-MM-dd</c>).</summary>
    Day,
}

/// <summary>Which spend <see cref="IJobStore.GetSpendAsync"/> sums.</summary>
public sealed record SpendQuery
{
    /// <summary>Gets the earliest acceptance counted (inclusive), or null for all.</summary>
    public DateTimeOffset? Since { get; init; }

    /// <summary>Gets the latest acceptance counted (exclusive), or null for no end.</summary>
    public DateTimeOffset? Until { get; init; }

    /// <summary>Gets how lines are grouped.</summary>
    public SpendGrouping By { get; init; } = SpendGrouping.Vendor;
}

/// <summary>
/// The spend of one group in one billing unit: what its accepted vendor jobs were quoted and what the vendors reported
/// charging, in the unit and in US dollars.
/// </summary>
public sealed record SpendLine
{
    /// <summary>Gets the group: a provider, <c>provider/model</c>, or a <c>yyyy-MM-dd</c> day.</summary>
    public required string Group { get; init; }

    /// <summary>Gets the billing unit (a vendor's credits or a currency); the unit of unknown-price jobs is the provider's credits.</summary>
    public required MoneyUnit Unit { get; init; }

    /// <summary>Gets how many accepted vendor jobs the line counts.</summary>
    public int Jobs { get; init; }

    /// <summary>Gets the sum of the known quotes, in <see cref="Unit"/>.</summary>
    public required Money Quoted { get; init; }

    /// <summary>Gets the sum of the known quotes in US dollars (jobs whose quote had no USD amount are left out: see <see cref="QuotedUsdMissing"/>).</summary>
    public required Money QuotedUsd { get; init; }

    /// <summary>Gets how many jobs had no known price (not in <see cref="Quoted"/>).</summary>
    public int UnknownPrice { get; init; }

    /// <summary>Gets how many jobs with a known quote had no USD amount for it (not in <see cref="QuotedUsd"/>).</summary>
    public int QuotedUsdMissing { get; init; }

    /// <summary>Gets the sum of the charges vendors reported, in <see cref="Unit"/>.</summary>
    public required Money Charged { get; init; }

    /// <summary>Gets the charges in US dollars (each converted at its own quote's rate; see <see cref="JobSpend.ChargeUsd"/>).</summary>
    public required Money ChargedUsd { get; init; }

    /// <summary>Gets how many jobs had no reported charge yet (not in <see cref="Charged"/>).</summary>
    public int Uncharged { get; init; }

    /// <summary>Gets how many jobs had a charge that could not be converted to USD (not in <see cref="ChargedUsd"/>).</summary>
    public int ChargedUsdMissing { get; init; }
}
