using System.CommandLine;

namespace MediaGen.Cli.Commands;

/// <summary><c>mediagen resume</c>: finishes the store's unfinished jobs (after a crash or kill) without submitting anything.</summary>
internal static class ResumeCommand
{
    public static Command Create(CliOptions o, CliContext context, Func<CliContext, VendorSetup, WaitOptions> waitOptions)
    {
        var store = StoreSetup.CreateOption();
        var command = new Command("resume", "Wait for every unfinished job in the store (one another live mediagen is not already waiting for) and record how it ended. Nothing is resubmitted.");
        command.Options.Add(store);
        o.AddCommon(command);
        command.SetAction(async (parse, ct) =>
        {
            var json = parse.GetValue(o.Json);
            var jobStore = await StoreSetup.OpenAsync(context, parse.GetValue(store), ct).ConfigureAwait(false);

            // A mediagen on this machine that died (killed, crashed) cannot renew its leases: release them now rather than
            // waiting for them to lapse. Live processes keep theirs.
            foreach (var job in await jobStore.ListJobsAsync(new JobQuery { UnfinishedOnly = true, Limit = int.MaxValue }, ct).ConfigureAwait(false))
            {
                if (StoreSetup.IsDeadLocalOwner(job.LeaseOwner))
                {
                    await jobStore.ReleaseLeaseAsync(job.Key, job.LeaseOwner!, ct).ConfigureAwait(false);
                }
            }

            await using var setup = await VendorSetup.CreateAsync(context, parse.GetValue(o.SandboxFlag), parse.GetValue(o.UsdPerCredit) ?? [], ct).ConfigureAwait(false);
            using var generator = StoreSetup.Wrap(setup.Router, jobStore, context);
            var owner = ((JobStoreMediaGenerator)generator).Owner;
            var results = await jobStore.ResumeUnfinishedAsync(generator, new JobLease(owner, context.TimeProvider.GetUtcNow() + TimeSpan.FromMinutes(10)), waitOptions(context, setup), null, ct).ConfigureAwait(false);
            if (json)
            {
                await context.Out.WriteLineAsync(CliJson.Write(w =>
                {
                    w.WriteStartObject();
                    w.WriteStartArray("resumed");
                    foreach (var r in results)
                    {
                        w.WriteStartObject();
                        w.WriteString("job", r.Handle.ToString());
                        w.WriteString("outcome", r.Outcome.ToString().ToLowerInvariant());
                        w.WriteString("status", r.Result.TryGetValue(out var j) ? CliJson.Status(j.Status) : null);
                        CliJson.Money(w, "charge", r.Result.TryGetValue(out var c) ? c.Charge : null);
                        w.WriteString("error", r.Result.Error?.Message);
                        w.WriteEndObject();
                    }

                    w.WriteEndArray();
                    w.WriteEndObject();
                })).ConfigureAwait(false);
            }
            else
            {
                foreach (var r in results)
                {
                    var what = r.Result.TryGetValue(out var j) ? $"{CliJson.Status(j.Status)}, charge {JobsCommand.Text(j.Charge)}" : r.Result.Error?.Message;
                    await context.Out.WriteLineAsync($"{r.Handle}: {r.Outcome.ToString().ToLowerInvariant()} — {what}").ConfigureAwait(false);
                }

                await context.Out.WriteLineAsync($"resumed {results.Count} job(s); {results.Count(r => r.IsFinished)} finished.").ConfigureAwait(false);
            }

            return results.All(r => r.IsFinished) ? ExitCodes.Success : ExitCodes.Failure;
        });
        return command;
    }
}
