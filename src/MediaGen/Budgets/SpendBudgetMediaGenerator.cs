namespace MediaGen;

/// <summary>How <see cref="SpendBudgetMediaGenerator"/> enforces budgets.</summary>
public sealed class SpendBudgetOptions
{
    /// <summary>Gets the budgets every submit is checked against (a submit must fit all that apply to it).</summary>
    public IList<SpendBudget> Budgets { get; } = [];

    /// <summary>
    /// Gets or sets what a submit whose price is unknown (in a budget's unit) reserves instead of being refused: the caller's
    /// stated maximum for such a job, per unit. A budget whose unit has no entry refuses a request it cannot price.
    /// </summary>
    public IList<Money> UnknownPriceMaximums { get; } = [];

    /// <summary>Gets or sets the clock that picks each budget's period (default: the system clock).</summary>
    public TimeProvider? TimeProvider { get; set; }
}

/// <summary>
/// Middleware that keeps spend within <see cref="SpendBudget"/>s: before a submit is sent, its quote is reserved against every
/// budget it falls under (<see cref="ISpendBudgets.ReserveAsync"/>, all or nothing); a submit that does not fit is refused
/// before billing with <see cref="BudgetExceededError"/>, naming the budget and what is left. When the vendor accepts, the
/// reservation is settled with the charge the vendor reports (at acceptance or on a later poll); when it provably took
/// nothing, the reservation is released; when the outcome is unknown, it stays reserved. Add it with
/// <see cref="SpendBudgetMediaGeneratorBuilderExtensions.UseSpendBudgets"/> inside <c>UseJobStore</c> and outside the router.
/// </summary>
/// <remarks>
/// A quote's amount is counted in a budget's unit: a USD cap counts the quote's USD price (<see cref="PriceQuote.Usd"/>, or its
/// amount when in USD); a credits cap counts quotes in exactly those credits and skips others. An unknown price under a
/// budget is refused unless <see cref="SpendBudgetOptions.UnknownPriceMaximums"/> states a maximum in that unit, which is
/// reserved instead. The reservation id is the idempotency key, so a retried submit reserves once.
/// </remarks>
public sealed class SpendBudgetMediaGenerator : DelegatingMediaGenerator
{
    private readonly SpendBudget[] _budgets;
    private readonly Money[] _unknownMaximums;
    private readonly TimeProvider _time;

    /// <summary>Creates the middleware.</summary>
    /// <param name="innerGenerator">The router or provider.</param>
    /// <param name="budgets">Where budgets are kept.</param>
    /// <param name="options">The budgets and rules.</param>
    public SpendBudgetMediaGenerator(IMediaGenerator innerGenerator, ISpendBudgets budgets, SpendBudgetOptions options)
        : base(innerGenerator)
    {
        ArgumentNullException.ThrowIfNull(budgets);
        ArgumentNullException.ThrowIfNull(options);
        Budgets = budgets;
        _budgets = [.. options.Budgets];
        _unknownMaximums = [.. options.UnknownPriceMaximums];
        _time = options.TimeProvider ?? TimeProvider.System;
    }

    /// <summary>Gets where budgets are kept.</summary>
    public ISpendBudgets Budgets { get; }

    /// <inheritdoc/>
    public override async Task<Result<GenerationJob>> SubmitAsync(GenerationQuote quote, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(quote);
        var key = string.IsNullOrWhiteSpace(quote.IdempotencyKey) ? Providers.IdempotencyKeys.NewKey() : quote.IdempotencyKey;
        quote = quote with { IdempotencyKey = key };
        var now = _time.GetUtcNow();
        var lines = new List<BudgetLine>();
        foreach (var budget in _budgets)
        {
            var scope = budget.Scope is { } pick ? pick(quote) : "*";
            if (scope is null || !Applies(budget, quote.Price))
            {
                continue;
            }

            var amount = AmountIn(quote.Price, budget.Cap.Unit) ?? _unknownMaximums.Cast<Money?>().FirstOrDefault(m => m!.Value.Unit == budget.Cap.Unit);
            if (amount is null)
            {
                var usage = await Budgets.GetUsageAsync(budget.Name, scope, budget.PeriodStart(now), budget.Cap, cancellationToken).ConfigureAwait(false);
                return new BudgetExceededError(
                    $"Refused before sending: the price of this {quote.Provider} request is unknown ({quote.Price.Basis}), and budget '{budget.Name}' (scope {scope}) cannot count it; {usage.Remaining} is left of {budget.Cap} this {budget.Period.ToString().ToLowerInvariant()}. State a maximum for unknown prices in {budget.Cap.Unit} (SpendBudgetOptions.UnknownPriceMaximums) to allow it.",
                    budget.Name,
                    scope,
                    null,
                    usage.Remaining);
            }

            lines.Add(new BudgetLine(budget.Name, scope, budget.PeriodStart(now), budget.Cap, amount.Value));
        }

        if (lines.Count == 0)
        {
            return await base.SubmitAsync(quote, cancellationToken).ConfigureAwait(false);
        }

        var reservation = await Budgets.ReserveAsync(key, lines, cancellationToken).ConfigureAwait(false);
        if (!reservation.IsReserved)
        {
            var line = reservation.Refused!;
            var remaining = reservation.Usage?.Remaining ?? Money.Zero(line.Cap.Unit);
            return new BudgetExceededError(
                $"Refused before sending: budget '{line.Budget}' (scope {line.Scope}) has {remaining} left of {line.Cap} for the period from {line.PeriodStart:yyyy-MM-dd HH:mm}Z, and this {quote.Provider} request needs {line.Amount}.",
                line.Budget,
                line.Scope,
                line.Amount,
                remaining);
        }

        Result<GenerationJob> submitted;
        try
        {
            submitted = await base.SubmitAsync(quote, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // The submit may have been sent: the reservation stays (never under-counted).
            throw;
        }

        if (submitted.TryGetValue(out var job))
        {
            if (job.Charge is not null || job.IsTerminal)
            {
                await Budgets.SettleAsync(key, job.Charge, CancellationToken.None).ConfigureAwait(false);
            }
        }
        else if (submitted.Error!.RejectedBeforeBilling)
        {
            await Budgets.ReleaseAsync(key, CancellationToken.None).ConfigureAwait(false);
        }

        return submitted;
    }

    /// <inheritdoc/>
    public override async Task<Result<GenerationJob>> GetJobAsync(JobHandle handle, CancellationToken cancellationToken = default)
    {
        var polled = await base.GetJobAsync(handle, cancellationToken).ConfigureAwait(false);
        if (polled.TryGetValue(out var job) && (job.Charge is not null || job.IsTerminal)
            && (handle.IdempotencyKey ?? job.Handle.IdempotencyKey) is { Length: > 0 } key)
        {
            await Budgets.SettleAsync(key, job.Charge, CancellationToken.None).ConfigureAwait(false);
        }

        return polled;
    }

    /// <inheritdoc/>
    public override object? GetService(Type serviceType, object? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(serviceType);
        return serviceKey is null && serviceType == typeof(ISpendBudgets) ? Budgets : base.GetService(serviceType, serviceKey);
    }

    private static bool Applies(SpendBudget budget, PriceQuote price) =>
        !budget.Cap.Unit.IsCredits || price.Amount is not { } amount || amount.Unit == budget.Cap.Unit || !amount.Unit.IsCredits;

    private static Money? AmountIn(PriceQuote price, MoneyUnit unit) =>
        price.Amount is { } amount && amount.Unit == unit ? amount
        : unit == MoneyUnit.Usd && price.Usd is { } usd ? usd
        : null;
}

/// <summary>Adds <see cref="SpendBudgetMediaGenerator"/> to a pipeline.</summary>
public static class SpendBudgetMediaGeneratorBuilderExtensions
{
    /// <summary>Keeps spend within budgets; see <see cref="SpendBudgetMediaGenerator"/>.</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="budgets">Where budgets are kept (<see cref="InMemorySpendBudgets"/> for one process).</param>
    /// <param name="configure">Adds the budgets and the unknown-price maximums.</param>
    /// <returns>The builder.</returns>
    public static MediaGeneratorBuilder UseSpendBudgets(this MediaGeneratorBuilder builder, ISpendBudgets budgets, Action<SpendBudgetOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(budgets);
        ArgumentNullException.ThrowIfNull(configure);
        var options = new SpendBudgetOptions();
        configure(options);
        return builder.Use(inner => new SpendBudgetMediaGenerator(inner, budgets, options));
    }
}
