using System.Globalization;

namespace MediaGen;

/// <summary>How <see cref="IJobStore.GetSpendAsync"/> sums spend, written once so every store answers alike.</summary>
public static class JobSpend
{
    /// <summary>
    /// Sums the accepted attempts (those with a handle) of <paramref name="jobs"/> accepted within the query's period: per
    /// group and billing unit (the quote's unit, else the charge's, else the provider's credits), the known quotes and the
    /// reported charges in that unit and in US dollars, counting what is unknown instead of reading it as 0.
    /// </summary>
    /// <param name="jobs">The jobs (any superset of the period's; attempts outside it are skipped).</param>
    /// <param name="query">The period and the grouping.</param>
    /// <returns>One line per group and unit, ordered by group then unit code (ordinal).</returns>
    public static IReadOnlyList<SpendLine> Aggregate(IEnumerable<StoredJob> jobs, SpendQuery query)
    {
        ArgumentNullException.ThrowIfNull(jobs);
        ArgumentNullException.ThrowIfNull(query);
        var attempts = jobs
            .SelectMany(j => j.Attempts)
            .Where(a => a.Handle is not null && (query.Since is not { } since || a.At >= since) && (query.Until is not { } until || a.At < until));
        return attempts
            .GroupBy(a => (Group: GroupOf(a, query.By), Unit: UnitOf(a)))
            .OrderBy(g => g.Key.Group, StringComparer.Ordinal)
            .ThenBy(g => g.Key.Unit.Code, StringComparer.Ordinal)
            .Select(g => Line(g.Key.Group, g.Key.Unit, [.. g]))
            .ToList();
    }

    /// <summary>
    /// A charge in US dollars: itself when it is in USD; 0 when it is 0; else converted at its quote's own rate
    /// (<see cref="PriceQuote.Usd"/> ÷ <see cref="PriceQuote.Amount"/>, same unit, non-zero); else null.
    /// </summary>
    /// <param name="quote">The attempt's quote.</param>
    /// <param name="charge">The reported charge.</param>
    /// <returns>The USD amount, or null when no rate is known.</returns>
    public static Money? ChargeUsd(PriceQuote? quote, Money charge)
    {
        if (charge.Unit == MoneyUnit.Usd)
        {
            return charge;
        }

        if (charge.Amount == 0m)
        {
            return Money.Usd(0m);
        }

        return quote is { Amount: { } amount, Usd: { } usd } && amount.Unit == charge.Unit && amount.Amount != 0m
            ? Money.Usd(charge.Amount * usd.Amount / amount.Amount)
            : null;
    }

    private static string GroupOf(StoredAttempt attempt, SpendGrouping by) => by switch
    {
        SpendGrouping.Model => $"{attempt.Provider}/{attempt.Model?.Value ?? attempt.Handle?.Model?.Value ?? "?"}",
        SpendGrouping.Day => attempt.At.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        _ => attempt.Provider,
    };

    private static MoneyUnit UnitOf(StoredAttempt attempt) =>
        attempt.Quote?.Amount?.Unit ?? attempt.Charge?.Unit ?? MoneyUnit.Credits(attempt.Provider);

    private static SpendLine Line(string group, MoneyUnit unit, List<StoredAttempt> attempts)
    {
        decimal quoted = 0m, quotedUsd = 0m, charged = 0m, chargedUsd = 0m;
        int unknownPrice = 0, quotedUsdMissing = 0, uncharged = 0, chargedUsdMissing = 0;
        foreach (var a in attempts)
        {
            if (a.Quote?.Amount is { } amount && amount.Unit == unit)
            {
                quoted += amount.Amount;
                if (a.Quote.Usd is { } usd)
                {
                    quotedUsd += usd.Amount;
                }
                else
                {
                    quotedUsdMissing++;
                }
            }
            else
            {
                unknownPrice++;
            }

            if (a.Charge is not { } charge || charge.Unit != unit)
            {
                uncharged++;
                continue;
            }

            charged += charge.Amount;
            if (ChargeUsd(a.Quote, charge) is { } inUsd)
            {
                chargedUsd += inUsd.Amount;
            }
            else
            {
                chargedUsdMissing++;
            }
        }

        return new SpendLine
        {
            Group = group,
            Unit = unit,
            Jobs = attempts.Count,
            Quoted = new Money(quoted, unit),
            QuotedUsd = Money.Usd(quotedUsd),
            UnknownPrice = unknownPrice,
            QuotedUsdMissing = quotedUsdMissing,
            Charged = new Money(charged, unit),
            ChargedUsd = Money.Usd(chargedUsd),
            Uncharged = uncharged,
            ChargedUsdMissing = chargedUsdMissing,
        };
    }
}
