namespace MediaGen;

/// <summary>How long a budget's cap lasts before it starts again (periods are aligned to UTC).</summary>
public enum BudgetPeriod
{
    /// <summary>One cap for all time.</summary>
    Total,

    /// <summary>Each UTC hour.</summary>
    Hour,

    /// <summary>Each UTC day (from midnight).</summary>
    Day,

    /// <summary>Each ISO week (from Monday 00:00 UTC).</summary>
    Week,

    /// <summary>Each calendar month (from the 1st, 00:00 UTC).</summary>
    Month,
}

/// <summary>
/// A spend cap: at most <see cref="Cap"/> per <see cref="Period"/> for each scope <see cref="Scope"/> names (the whole app, a
/// tenant, an API key: the caller decides). A cap in USD counts each quote's USD price; a cap in one vendor's credits counts
/// that vendor's quotes in credits (other vendors' quotes are not under it).
/// </summary>
/// <param name="Name">The budget's name, e.g. <c>daily</c> (named in the error that refuses a request).</param>
/// <param name="Cap">The cap and its unit.</param>
/// <param name="Period">How often the cap starts again.</param>
public sealed record SpendBudget(string Name, Money Cap, BudgetPeriod Period = BudgetPeriod.Day)
{
    /// <summary>Gets the budget's name.</summary>
    public string Name { get; init; } = !string.IsNullOrWhiteSpace(Name) ? Name : throw new ArgumentException("A budget needs a name.", nameof(Name));

    /// <summary>Gets the cap (not negative).</summary>
    public Money Cap { get; init; } = Cap.Amount >= 0 ? Cap : throw new ArgumentOutOfRangeException(nameof(Cap), "A budget's cap cannot be negative.");

    /// <summary>
    /// Gets the scope a request is counted under (e.g. <c>q =&gt; q.Request.User</c>-like tenant ids), or null when the
    /// budget does not apply to it. Default: one scope, <c>*</c>, for every request.
    /// </summary>
    public Func<GenerationQuote, string?>? Scope { get; init; }

    /// <summary>Gets the start of the period <paramref name="at"/> falls in (UTC).</summary>
    /// <param name="at">The time.</param>
    /// <returns>The period's start; <see cref="DateTimeOffset.UnixEpoch"/> for <see cref="BudgetPeriod.Total"/>.</returns>
    public DateTimeOffset PeriodStart(DateTimeOffset at)
    {
        var utc = at.ToUniversalTime();
        return Period switch
        {
            BudgetPeriod.Total => DateTimeOffset.UnixEpoch,
            BudgetPeriod.Hour => new DateTimeOffset(utc.Year, utc.Month, utc.Day, utc.Hour, 0, 0, TimeSpan.Zero),
            BudgetPeriod.Day => new DateTimeOffset(utc.Year, utc.Month, utc.Day, 0, 0, 0, TimeSpan.Zero),
            BudgetPeriod.Week => new DateTimeOffset(utc.Year, utc.Month, utc.Day, 0, 0, 0, TimeSpan.Zero).AddDays(-(((int)utc.DayOfWeek + 6) % 7)),
            BudgetPeriod.Month => new DateTimeOffset(utc.Year, utc.Month, 1, 0, 0, 0, TimeSpan.Zero),
            _ => throw new InvalidOperationException($"Unknown budget period {Period}."),
        };
    }
}

/// <summary>One budget a submit is reserved against: which budget and scope, which period, the cap, and the amount.</summary>
/// <param name="Budget">The budget's name.</param>
/// <param name="Scope">The scope within the budget.</param>
/// <param name="PeriodStart">The start of the period the reservation counts in.</param>
/// <param name="Cap">The cap of that budget (its unit is the line's unit).</param>
/// <param name="Amount">What is reserved: the quote, or the caller's stated maximum when the price is unknown.</param>
public sealed record BudgetLine(string Budget, string Scope, DateTimeOffset PeriodStart, Money Cap, Money Amount);

/// <summary>What a budget has used in one period and scope.</summary>
/// <param name="Budget">The budget's name.</param>
/// <param name="Scope">The scope.</param>
/// <param name="PeriodStart">The period's start.</param>
/// <param name="Cap">The cap.</param>
/// <param name="Reserved">Reserved by submits not settled yet.</param>
/// <param name="Spent">Settled with the vendors' charges.</param>
public sealed record BudgetUsage(string Budget, string Scope, DateTimeOffset PeriodStart, Money Cap, Money Reserved, Money Spent)
{
    /// <summary>Gets what is left: the cap less what is reserved and spent (never below zero).</summary>
    public Money Remaining => Cap - Reserved - Spent is { Amount: < 0 } ? Money.Zero(Cap.Unit) : Cap - Reserved - Spent;
}

/// <summary>The answer to <see cref="ISpendBudgets.ReserveAsync"/>.</summary>
/// <param name="IsReserved">Whether every line was reserved (or already was, under this reservation id).</param>
/// <param name="Refused">When not reserved: the first line that did not fit.</param>
/// <param name="Usage">When not reserved: that budget's usage, as it stood.</param>
public sealed record BudgetReservation(bool IsReserved, BudgetLine? Refused = null, BudgetUsage? Usage = null);
