using System.CommandLine;
using System.Globalization;
using System.Text.Json;

namespace MediaGen.Cli.Commands;

/// <summary><c>mediagen jobs</c>: the recent jobs in the store, with quote and charge.</summary>
internal static class JobsCommand
{
    public static Command Create(CliOptions o, CliContext context)
    {
        var store = StoreSetup.CreateOption();
        var unfinished = new Option<bool>("--unfinished") { Description = "Only jobs not finished (pending or running)." };
        var since = new Option<string>("--since") { Description = "Only jobs created since: 30m, 12h, 7d or an ISO date." };
        var limit = new Option<int?>("--limit") { Description = $"At most this many (default {JobQuery.DefaultLimit})." };
        var command = new Command("jobs", "List the jobs in the store, newest first: key, state, vendor, model, quote and charge.");
        command.Options.Add(store);
        command.Options.Add(unfinished);
        command.Options.Add(since);
        command.Options.Add(limit);
        command.Options.Add(o.Json);
        command.SetAction(async (parse, ct) =>
        {
            var jobStore = await StoreSetup.OpenAsync(context, parse.GetValue(store), ct).ConfigureAwait(false);
            var query = new JobQuery
            {
                UnfinishedOnly = parse.GetValue(unfinished),
                Since = Since(parse.GetValue(since), context),
                Limit = parse.GetValue(limit) is { } l ? (l >= 1 ? l : throw new CliUsageException($"--limit must be at least 1; got {l}.")) : JobQuery.DefaultLimit,
            };
            var jobs = await jobStore.ListJobsAsync(query, ct).ConfigureAwait(false);
            if (parse.GetValue(o.Json))
            {
                await context.Out.WriteLineAsync(CliJson.Write(w =>
                {
                    w.WriteStartObject();
                    w.WriteStartArray("jobs");
                    foreach (var job in jobs)
                    {
                        Write(w, job);
                    }

                    w.WriteEndArray();
                    w.WriteEndObject();
                })).ConfigureAwait(false);
                return ExitCodes.Success;
            }

            if (jobs.Count == 0)
            {
                await context.Out.WriteLineAsync("(no jobs)").ConfigureAwait(false);
                return ExitCodes.Success;
            }

            // The handle stays on one line (it is what `mediagen status` takes); the key, the prompt and the rest are in --json.
            var now = context.TimeProvider.GetUtcNow();
            var table = new CliTable().Column("created").Column("state").Column("job", noWrap: true).Column("charge");
            foreach (var job in jobs)
            {
                var quoted = job.Quote?.Amount is { } q ? q : (Money?)null;
                var charge = job.Charge is { } c
                    ? new CliCell(Short(c), quoted is { } qc && qc != c ? $"quoted {Short(qc)}, charged {Short(c)}" : null)
                    : new CliCell("—", quoted is { } qn ? $"quoted {Short(qn)}; no charge reported yet" : "no quote and no charge reported");
                table.Row(
                    CliTable.Ago(job.CreatedAt, now),
                    job.Note is { Length: > 0 } note ? new CliCell(State(job.State), note) : State(job.State),
                    job.Handle?.ToString() ?? job.Provider ?? "—",
                    charge);
            }

            table.Write(context);
            return ExitCodes.Success;
        });
        return command;
    }

    /// <summary>Parses <c>--since</c>: a span back from now (<c>30m</c>, <c>12h</c>, <c>7d</c>) or a date/time (UTC when unmarked).</summary>
    public static DateTimeOffset? Since(string? text, CliContext context)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        text = text.Trim();
        if (text.Length >= 2 && double.TryParse(text[..^1], NumberStyles.Float, CultureInfo.InvariantCulture, out var n) && n >= 0)
        {
            TimeSpan? span = char.ToLowerInvariant(text[^1]) switch
            {
                'm' => TimeSpan.FromMinutes(n),
                'h' => TimeSpan.FromHours(n),
                'd' => TimeSpan.FromDays(n),
                'w' => TimeSpan.FromDays(7 * n),
                _ => null,
            };
            if (span is { } s)
            {
                return context.TimeProvider.GetUtcNow() - s;
            }
        }

        return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at)
            ? at
            : throw new CliUsageException($"--since takes a span back from now (30m, 12h, 7d, 2w) or a date (2026-01-31); got '{text}'.");
    }

    public static string State(StoredJobState state) => state switch
    {
        StoredJobState.NotAccepted => "not-accepted",
        _ => state.ToString().ToLowerInvariant(),
    };

    public static string Text(Money? money) => money?.ToString() ?? "—";

    /// <summary>An amount in a row that already names the vendor: <c>5 credits</c>, <c>$0.08</c>.</summary>
    private static string Short(Money money) => CliTable.Amount(money);

    private static void Write(Utf8JsonWriter w, StoredJob job)
    {
        w.WriteStartObject();
        w.WriteString("key", job.Key);
        w.WriteString("state", State(job.State));
        w.WriteString("provider", job.Handle?.Provider ?? job.Provider);
        w.WriteString("model", job.Handle?.Model?.Value ?? job.Model?.Value);
        w.WriteString("job", job.Handle?.ToString());
        w.WriteString("status", job.Status is { } s ? CliJson.Status(s) : null);
        w.WriteString("prompt", job.Summary?.Prompt);
        CliJson.Money(w, "quote", job.Quote?.Amount);
        CliJson.Money(w, "quoteUsd", job.Quote?.Usd);
        CliJson.Money(w, "charge", job.Charge);
        CliJson.Money(w, "chargeUsd", job.Charge is { } c ? JobSpend.ChargeUsd(job.Quote, c) : null);
        w.WriteNumber("attempts", job.Attempts.Count);
        w.WriteStartArray("outputs");
        foreach (var output in job.Outputs)
        {
            w.WriteStringValue(output.Url.ToString());
        }

        w.WriteEndArray();
        w.WriteString("createdAt", job.CreatedAt);
        if (job.EndedAt is { } ended)
        {
            w.WriteString("endedAt", ended);
        }
        else
        {
            w.WriteNull("endedAt");
        }

        w.WriteString("note", job.Note);
        w.WriteString("leaseOwner", job.LeaseOwner);
        w.WriteEndObject();
    }
}
