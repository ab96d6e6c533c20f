using System.CommandLine;

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

            await context.Out.WriteLineAsync($"{grouping.ToString().ToLowerInvariant(),-28} {"jobs",5} {"quoted",-24} {"quoted USD",-12} {"charged",-24} {"charged USD",-12} notes").ConfigureAwait(false);
            foreach (var l in lines)
            {
                var notes = string.Join("; ", new[]
                {
                    l.UnknownPrice > 0 ? $"{l.UnknownPrice} unknown price" : null,
                    l.Uncharged > 0 ? $"{l.Uncharged} not charged yet" : null,
                    l.QuotedUsdMissing + l.ChargedUsdMissing > 0 ? "no USD rate for some (set --usd-per-credit)" : null,
                }.OfType<string>());
                await context.Out.WriteLineAsync($"{l.Group,-28} {l.Jobs,5} {l.Quoted,-24} {l.QuotedUsd,-12} {l.Charged,-24} {l.ChargedUsd,-12} {notes}").ConfigureAwait(false);
            }

            if (lines.Count == 0)
            {
                await context.Out.WriteLineAsync("(no spend in the period)").ConfigureAwait(false);
            }

            return ExitCodes.Success;
        });
        return command;
    }
}
