using System.CommandLine;
using System.Globalization;

namespace MediaGen.Cli.Commands;

/// <summary><c>mediagen spend</c>: what accepted jobs were quoted and charged, per vendor, model or day.</summary>
internal static class SpendCommand
{
    public static Command Create(CliOptions o, CliContext context)
    {
        var store = StoreSetup.CreateOption();
        var since = new Option<string>("--since") { Description = "Only jobs accepted since: 30m, 12h, 7d (default) or an ISO date." };
        var by = new Option<string>("--by") { Description = "Group by vendor (default), model or day." };
        var command = new Command("spend", "Sum what jobs were quoted and what vendors charged, in credits and USD side by side.");
        command.Options.Add(store);
        command.Options.Add(since);
        command.Options.Add(by);
        command.Options.Add(o.Json);
        command.SetAction(async (parse, ct) =>
        {
            var grouping = (parse.GetValue(by) ?? "vendor").Trim().ToLowerInvariant() switch
            {
                "vendor" or "provider" => SpendGrouping.Vendor,
                "model" => SpendGrouping.Model,
                "day" => SpendGrouping.Day,
                var other => throw new CliUsageException($"--by takes vendor, model or day; got '{other}'."),
            };
            var jobStore = await StoreSetup.OpenAsync(context, parse.GetValue(store), ct).ConfigureAwait(false);
            var query = new SpendQuery { Since = JobsCommand.Since(parse.GetValue(since) ?? "7d", context), By = grouping };
            var lines = await jobStore.GetSpendAsync(query, ct).ConfigureAwait(false);
            if (parse.GetValue(o.Json))
            {
                await context.Out.WriteLineAsync(CliJson.Write(w =>
                {
                    w.WriteStartObject();
                    w.WriteString("by", grouping.ToString().ToLowerInvariant());
                    if (query.Since is { } s)
                    {
                        w.WriteString("since", s);
                    }

                    w.WriteStartArray("lines");
                    foreach (var l in lines)
                    {
                        w.WriteStartObject();
                        w.WriteString("group", l.Group);
                        w.WriteString("unit", CliJson.Unit(l.Unit));
                        w.WriteString("unitCode", l.Unit.Code);
                        w.WriteNumber("jobs", l.Jobs);
                        w.WriteNumber("quoted", l.Quoted.Amount);
                        w.WriteNumber("quotedUsd", l.QuotedUsd.Amount);
                        w.WriteNumber("charged", l.Charged.Amount);
                        w.WriteNumber("chargedUsd", l.ChargedUsd.Amount);
                        w.WriteNumber("unknownPrice", l.UnknownPrice);
                        w.WriteNumber("uncharged", l.Uncharged);
                        w.WriteNumber("quotedUsdMissing", l.QuotedUsdMissing);
                        w.WriteNumber("chargedUsdMissing", l.ChargedUsdMissing);
                        w.WriteEndObject();
                    }

                    w.WriteEndArray();
                    w.WriteEndObject();
                })).ConfigureAwait(false);
                return ExitCodes.Success;
            }

            if (lines.Count == 0)
            {
                await context.Out.WriteLineAsync("(no spend in the period)").ConfigureAwait(false);
                return ExitCodes.Success;
            }

            var table = new CliTable().Column(grouping.ToString().ToLowerInvariant()).Column("jobs").Column("quoted").Column("charged").Column("quoted USD").Column("charged USD");
            foreach (var l in lines)
            {
                // A day mixes vendors: name the credits' vendor in the group, so the amounts can stay short.
                var group = grouping == SpendGrouping.Day && l.Unit.IsCredits ? $"{l.Group} {l.Unit.CreditsProvider}" : l.Group;
                var noRate = l.Unit.IsCredits ? CliTable.NoUsdRate(l.Unit) : $"no USD rate for {l.Unit.Code}";
                table.Row(
                    group,
                    l.Jobs.ToString(CultureInfo.InvariantCulture),
                    new CliCell(CliTable.Amount(l.Quoted), l.UnknownPrice > 0 ? $"{l.UnknownPrice} job(s) had no known price and are not in the sum" : null),
                    new CliCell(CliTable.Amount(l.Charged), l.Uncharged > 0 ? $"{l.Uncharged} job(s) have no charge reported yet and are not in the sum" : null),
                    Usd(l.QuotedUsd, l.QuotedUsdMissing, l.Jobs - l.UnknownPrice, noRate),
                    Usd(l.ChargedUsd, l.ChargedUsdMissing, l.Jobs - l.Uncharged, noRate));
            }

            table.Write(context);
            return ExitCodes.Success;
        });
        return command;
    }

    /// <summary>A USD sum: <c>unknown</c> when no job in it had a rate, the partial sum with a note when some lacked one.</summary>
    private static CliCell Usd(Money sum, int missing, int counted, string noRate) =>
        counted <= 0 ? "—"
        : missing <= 0 ? CliTable.Amount(sum)
        : missing >= counted ? new CliCell("unknown", noRate)
        : new CliCell(CliTable.Amount(sum), $"{noRate} ({missing} job(s) are not in the USD sum)");
}
