namespace MediaGen;

/// <summary>
/// A spend budget refused the request before it was sent (never billed): a refined <see cref="InsufficientFundsError"/>
/// (<see cref="MediaGenError.Kind"/> is <see cref="ErrorKind.InsufficientFunds"/>: the app's own funds ran out), so code
/// matching on kinds keeps working and code that wants the budget's details matches this type.
/// </summary>
public sealed record BudgetExceededError : InsufficientFundsError
{
    /// <summary>Creates the error.</summary>
    /// <param name="message">What was refused and why.</param>
    /// <param name="budget">The budget that refused.</param>
    /// <param name="scope">The scope within it.</param>
    /// <param name="required">What the request would reserve (null when its price is unknown).</param>
    /// <param name="remaining">What the budget has left in this period.</param>
    public BudgetExceededError(string message, string budget, string scope, Money? required, Money remaining)
        : base(message, null, required, remaining)
    {
        Budget = budget;
        Scope = scope;
        Remaining = remaining;
    }

    /// <summary>Gets the budget's name.</summary>
    public string Budget { get; }

    /// <summary>Gets the scope within the budget.</summary>
    public string Scope { get; }

    /// <summary>Gets what the budget has left in this period.</summary>
    public Money Remaining { get; }
}
