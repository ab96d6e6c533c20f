using System.CommandLine;
using System.Text.Json;
using MediaGen.Routing;

namespace MediaGen.Cli;

/// <summary>The <c>mediagen</c> command line: models, quote, generate, status and sandbox.</summary>
internal static class CliApp
{
    /// <summary>The command's name, as help and errors print it (the tool's ToolCommandName).</summary>
    public const string CommandName = "mediagen";

    public static async Task<int> RunAsync(string[] args, CliContext context, CancellationToken cancellationToken = default)
    {
        var o = new CliOptions();
        // Not a RootCommand: that one is named after the executable (MediaGen.Cli, under `dotnet run` and the tool shim alike),
        // and help, usage and errors must name the command people type.
        var root = new Command(CommandName, "mediagen — quote, generate and track images and videos across MeiGen, VeoGen Studio and Apiframe. With no API keys set it uses built-in sandbox emulators.")
        {
            new System.CommandLine.Help.HelpOption { Action = new System.CommandLine.Help.HelpAction { MaxWidth = context.Width } },
            new VersionOption(),
        };
        root.Subcommands.Add(ModelsCommand(o, context));
        root.Subcommands.Add(QuoteCommand(o, context));
        root.Subcommands.Add(GenerateCommand(o, context));
        root.Subcommands.Add(StatusCommand(o, context));
        root.Subcommands.Add(SandboxCommand(context));
        root.Subcommands.Add(Commands.JobsCommand.Create(o, context));
        root.Subcommands.Add(Commands.SpendCommand.Create(o, context));
        root.Subcommands.Add(Commands.ResumeCommand.Create(o, context, WaitOptionsFor));
        var parse = root.Parse(args is [] ? ["--help"] : args);
        var config = new InvocationConfiguration { Output = context.Out, Error = context.Error, EnableDefaultExceptionHandler = false };
        if (parse.Errors.Count > 0)
        {
            return await ParseFailedAsync(context, parse, o).ConfigureAwait(false);
        }

        try
        {
            return await parse.InvokeAsync(config, cancellationToken).ConfigureAwait(false);
        }
        catch (CliUsageException ex)
        {
            return await FailAsync(context, parse.GetValue(o.Json), "usage", ex.Message, ExitCodes.InvalidSettings).ConfigureAwait(false);
        }
        catch (CliInvalidSettingsException ex)
        {
            return await ReportErrorAsync(context, parse.GetValue(o.Json), ex.Error).ConfigureAwait(false);
        }
        catch (JobWaitCanceledException ex)
        {
            return await FailAsync(context, parse.GetValue(o.Json), "canceled", $"stopped waiting; the job goes on — resume with: mediagen status {ex.Handle} --wait", ExitCodes.Canceled, ex.Handle).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return await FailAsync(context, parse.GetValue(o.Json), "canceled", "canceled.", ExitCodes.Canceled).ConfigureAwait(false);
        }
        catch (MediaDownloadException ex)
        {
            return await FailAsync(context, parse.GetValue(o.Json), "download", ex.Message, ExitCodes.Failure, ex.Job).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Reports what could not be parsed the way every other error is reported (<c>mediagen: …</c>, exit 2, one JSON document
    /// with <c>--json</c>), and where the usage is, instead of the whole help text.
    /// </summary>
    private static async Task<int> ParseFailedAsync(CliContext context, ParseResult parse, CliOptions o)
    {
        var path = string.Join(' ', parse.CommandResult.Command.Parents().Reverse().Append(parse.CommandResult.Command).Select(c => c.Name));
        // "Required command was not provided" says nothing when a mistyped command is named next to it.
        var errors = parse.Errors.Count > 1 ? parse.Errors.Where(e => !e.Message.StartsWith("Required command", StringComparison.Ordinal)).ToList() : [.. parse.Errors];
        var message = $"{string.Join(" ", (errors.Count > 0 ? errors : parse.Errors).Select(e => e.Message.TrimEnd('.') + "."))} See: {path} --help";
        return await FailAsync(context, parse.Tokens.Any(t => t.Value == o.Json.Name), "usage", message, ExitCodes.InvalidSettings).ConfigureAwait(false);
    }

    private static IEnumerable<Command> Parents(this Command command)
    {
        for (var parent = command.Parents.OfType<Command>().FirstOrDefault(); parent is not null; parent = parent.Parents.OfType<Command>().FirstOrDefault())
        {
            yield return parent;
        }
    }

    private static Command ModelsCommand(CliOptions o, CliContext context)
    {
        var provider = new Option<string[]>("--provider", "-p") { Description = "Only this vendor (repeatable)." };
        var command = new Command("models", "List canonical models × vendors with each vendor's own slug, kind and price.");
        command.Options.Add(provider);
        o.AddCommon(command);
        command.SetAction(async (parse, ct) =>
        {
            await using var setup = await VendorSetup.CreateAsync(context, parse.GetValue(o.SandboxFlag), parse.GetValue(o.UsdPerCredit) ?? [], ct).ConfigureAwait(false);
            var only = parse.GetValue(provider) is { Length: > 0 } p ? new HashSet<string>(p, StringComparer.OrdinalIgnoreCase) : null;
            var rows = await ModelRows.ListAsync(setup.Router, only, ct).ConfigureAwait(false);
            if (parse.GetValue(o.Json))
            {
                await context.Out.WriteLineAsync(CliJson.Write(w =>
                {
                    w.WriteStartObject();
                    w.WriteStartArray("models");
                    foreach (var r in rows)
                    {
                        w.WriteStartObject();
                        w.WriteString("model", r.Model);
                        w.WriteString("provider", r.Provider);
                        w.WriteString("native", r.Native);
                        w.WriteString("kind", r.Kind.ToString().ToLowerInvariant());
                        WritePrice(w, r.Price);
                        w.WriteEndObject();
                    }

                    w.WriteEndArray();
                    w.WriteEndObject();
                })).ConfigureAwait(false);
            }
            else
            {
                var table = new CliTable().Column("model").Column("provider").Column("native slug").Column("kind").Column("price");
                foreach (var r in rows)
                {
                    table.Row(r.Model, r.Provider, r.Native == r.Model ? "=" : r.Native, r.Kind.ToString().ToLowerInvariant(), r.PriceCell());
                }

                table.Footer("native slug \"=\": the vendor's id is the model's name. Prices are for the model's default settings; `mediagen quote` prices a request.");
                table.Write(context);
            }

            return ExitCodes.Success;
        });
        return command;
    }

    private static Command QuoteCommand(CliOptions o, CliContext context)
    {
        var command = new Command("quote", "Compare what one request costs at every vendor that serves the model, cheapest first.");
        o.AddSettings(command);
        o.AddCommon(command);
        command.SetAction(async (parse, ct) =>
        {
            await using var setup = await VendorSetup.CreateAsync(context, parse.GetValue(o.SandboxFlag), parse.GetValue(o.UsdPerCredit) ?? [], ct).ConfigureAwait(false);
            var request = o.BuildRequest(parse, "price quote");
            request.Routing ??= new RoutingPreferences();
            request.Routing.Strategy = RoutingStrategy.Cheapest;
            var all = await setup.Router.QuoteAllAsync(request, ct).ConfigureAwait(false);
            if (all.Quotes.Count == 0 && all.Unavailable is [{ Error: InvalidRequestError invalid, Provider: MediaRouter.ProviderName }])
            {
                return await ReportErrorAsync(context, parse.GetValue(o.Json), invalid).ConfigureAwait(false);
            }

            if (parse.GetValue(o.Json))
            {
                await context.Out.WriteLineAsync(CliJson.Write(w =>
                {
                    w.WriteStartObject();
                    w.WriteStartArray("quotes");
                    foreach (var q in all.Quotes)
                    {
                        w.WriteStartObject();
                        w.WriteString("provider", q.Provider);
                        w.WriteString("model", q.Quote.Model.Value);
                        if (q.Quote.Price.Amount is { } amount)
                        {
                            w.WriteNumber("amount", amount.Amount);
                            w.WriteString("unit", CliJson.Unit(amount.Unit));
                        }
                        else
                        {
                            w.WriteNull("amount");
                            w.WriteString("unit", CliJson.Unit(setup.Router.GetService<IMediaGenerator>(q.Provider)?.GetMetadata().BillingUnit ?? MoneyUnit.Usd));
                        }

                        if (q.Usd is { } usd)
                        {
                            w.WriteNumber("usd", usd.Amount);
                        }
                        else
                        {
                            w.WriteNull("usd");
                        }

                        w.WriteString("basis", q.Quote.Price.Basis);
                        w.WriteString("source", q.Quote.Price.Source.ToString().ToLowerInvariant());
                        w.WritePropertyName("translation");
                        q.Quote.Translation.WriteJson(w);
                        w.WriteEndObject();
                    }

                    w.WriteEndArray();
                    w.WriteStartArray("unavailable");
                    foreach (var u in all.Unavailable)
                    {
                        w.WriteStartObject();
                        w.WriteString("provider", u.Provider);
                        w.WriteString("reason", u.Reason);
                        w.WriteEndObject();
                    }

                    w.WriteEndArray();
                    w.WriteEndObject();
                })).ConfigureAwait(false);
            }
            else
            {
                var table = new CliTable().Column("provider").Column("model").Column("price").Column("USD").Column("source");
                foreach (var q in all.Quotes)
                {
                    var price = q.Quote.Price;
                    var basis = price.AsOf is { } asOf ? $"{price.Basis} (as of {asOf:yyyy-MM-dd})" : price.Basis;
                    CliCell usd = q.Usd is { } u ? CliTable.Amount(u)
                        : price.Amount is { Unit.IsCredits: true } credits ? new CliCell("unknown", CliTable.NoUsdRate(credits.Unit))
                        : "—";
                    table.Row(q.Provider, q.Quote.Model.Value, new CliCell(price.Amount is { } a ? CliTable.Amount(a) : "unknown", basis), usd, price.Source.ToString().ToLowerInvariant());
                }

                foreach (var (provider, line) in all.Quotes.SelectMany(q => q.Quote.Translation.Describe().Select(l => (q.Provider, l))))
                {
                    table.Footer(line, $"  {provider}: "); // ✓ documented, ? undocumented field, ✗ not sent
                }

                foreach (var u in all.Unavailable)
                {
                    table.Footer($"unavailable — {u.Reason}", $"  {u.Provider}: ");
                }

                table.Write(context);
            }

            return all.Quotes.Count > 0 ? ExitCodes.Success : ExitCodes.NoVendor;
        });
        return command;
    }

    private static Command GenerateCommand(CliOptions o, CliContext context)
    {
        var prompt = new Argument<string>("prompt") { Description = "What to generate." };
        var outDir = new Option<string>("--out") { Description = "Where outputs are saved (default ./mediagen-out)." };
        var noWait = new Option<bool>("--no-wait") { Description = "Submit and print the job handle without waiting." };
        var idempotencyKey = new Option<string>("--idempotency-key") { Description = "The request's key: a re-run with the same key adopts the job instead of paying again." };
        var store = StoreSetup.CreateOption();
        var command = new Command("generate", "Generate an image or video (routed across vendors), wait, download every output and print the charge.");
        command.Arguments.Add(prompt);
        command.Options.Add(outDir);
        command.Options.Add(noWait);
        command.Options.Add(idempotencyKey);
        command.Options.Add(store);
        o.AddSettings(command);
        o.AddCommon(command);
        command.SetAction(async (parse, ct) =>
        {
            var json = parse.GetValue(o.Json);
            await using var setup = await VendorSetup.CreateAsync(context, parse.GetValue(o.SandboxFlag), parse.GetValue(o.UsdPerCredit) ?? [], ct).ConfigureAwait(false);
            var request = o.BuildRequest(parse, parse.GetValue(prompt) ?? string.Empty);
            request.IdempotencyKey = StoreSetup.RequestKey(parse.GetValue(idempotencyKey)) ?? request.IdempotencyKey;
            using var generator = StoreSetup.Wrap(setup.Router, await StoreSetup.OpenAsync(context, parse.GetValue(store), ct).ConfigureAwait(false), context);
            var progress = new CliProgress(context, json, setup.Router);
            if (parse.GetValue(noWait))
            {
                var submitted = await generator.SubmitAsync(request, ct).ConfigureAwait(false);
                if (!submitted.TryGetValue(out var accepted))
                {
                    return await ReportErrorAsync(context, json, submitted.Error).ConfigureAwait(false);
                }

                progress.Accepted(accepted);

                await WriteJobAsync(context, json, accepted, [], "accepted").ConfigureAwait(false);
                return ExitCodes.Success;
            }

            var result = await generator.GenerateAsync(request, WaitOptionsFor(context, setup), progress, ct).ConfigureAwait(false);
            if (!result.TryGetValue(out var job))
            {
                return await ReportErrorAsync(context, json, result.Error).ConfigureAwait(false);
            }

            var files = await DownloadAsync(context, setup, job, parse.GetValue(outDir) ?? Path.Combine(context.WorkingDirectory, "mediagen-out"), ct).ConfigureAwait(false);

            await WriteJobAsync(context, json, job, files, null).ConfigureAwait(false);
            if (job.Status != GenerationStatus.Succeeded)
            {
                if (!json)
                {
                    await context.Error.WriteLineAsync($"mediagen: job {job.Handle} {CliJson.Status(job.Status)}: {job.Failure?.Message ?? "no reason given"}").ConfigureAwait(false);
                }

                return ExitCodes.JobFailed;
            }

            return ExitCodes.Success;
        });
        return command;
    }

    private static Command StatusCommand(CliOptions o, CliContext context)
    {
        var jobArgument = new Argument<string>("job") { Description = "The job handle, e.g. meigen:550e8400-…" };
        var wait = new Option<bool>("--wait") { Description = "Wait for the job to end." };
        var outDir = new Option<string>("--out") { Description = "Download the outputs of a succeeded job into this directory." };
        var store = StoreSetup.CreateOption();
        var command = new Command("status", "Show one job by its handle, optionally waiting for it and downloading its outputs: finishes what an interrupted generate started.");
        command.Arguments.Add(jobArgument);
        command.Options.Add(wait);
        command.Options.Add(outDir);
        command.Options.Add(store);
        o.AddCommon(command);
        command.SetAction(async (parse, ct) =>
        {
            var json = parse.GetValue(o.Json);
            if (!JobHandle.TryParse(parse.GetValue(jobArgument), out var handle))
            {
                throw new CliUsageException($"'{parse.GetValue(jobArgument)}' is not a job handle; expected provider:jobId, e.g. meigen:550e8400-e29b-41d4-a716-446655440000.");
            }

            await using var setup = await VendorSetup.CreateAsync(context, parse.GetValue(o.SandboxFlag), parse.GetValue(o.UsdPerCredit) ?? [], ct).ConfigureAwait(false);

            // A job this machine's generate submitted is in the store, with its model, kind, submit time, quote and the charge the
            // submit reported: poll by that handle and record what the polls say. A job from elsewhere is only read.
            var jobStore = await StoreSetup.OpenAsync(context, parse.GetValue(store), ct).ConfigureAwait(false);
            var stored = await jobStore.FindByHandleAsync(handle, ct).ConfigureAwait(false);
            using var generator = stored is null ? null : StoreSetup.Wrap(setup.Router, jobStore, context);
            IMediaGenerator poller = generator ?? setup.Router;
            handle = stored?.Handle ?? handle;
            var result = parse.GetValue(wait)
                ? await poller.WaitForCompletionAsync(handle, WaitOptionsFor(context, setup), new CliProgress(context, json, setup.Router), ct).ConfigureAwait(false)
                : await poller.GetJobAsync(handle, ct).ConfigureAwait(false);
            if (!result.TryGetValue(out var job))
            {
                return await ReportErrorAsync(context, json, result.Error).ConfigureAwait(false);
            }

            job = WithStored(job, stored);
            var files = parse.GetValue(outDir) is { } dir ? await DownloadAsync(context, setup, job, dir, ct).ConfigureAwait(false) : [];
            await WriteJobAsync(context, json, job, files, null).ConfigureAwait(false);
            return job.Status is GenerationStatus.Failed or GenerationStatus.Canceled ? ExitCodes.JobFailed : ExitCodes.Success;
        });
        return command;
    }

    /// <summary>Fills what a poll does not say (the model, the quote, the charge the submit reported) from the job's record.</summary>
    private static GenerationJob WithStored(GenerationJob job, StoredJob? stored)
    {
        if (stored is null)
        {
            return job;
        }

        return job with
        {
            Handle = job.Handle.Model is null && stored.Handle is { Model: not null } known && known.Equals(job.Handle) ? known : job.Handle,
            Quote = job.Quote ?? stored.Quote,
            Charge = job.Charge ?? stored.Charge,
        };
    }

    /// <summary>Downloads a succeeded job's outputs into <paramref name="directory"/> (relative to the working directory); nothing otherwise.</summary>
    private static async Task<List<string?>> DownloadAsync(CliContext context, VendorSetup setup, GenerationJob job, string directory, CancellationToken ct)
    {
        var files = new List<string?>();
        if (job.Status != GenerationStatus.Succeeded)
        {
            return files;
        }

        var dir = Path.GetFullPath(directory, context.WorkingDirectory);
        for (var i = 0; i < job.Outputs.Count; i++)
        {
            var output = job.Outputs[i];
            var path = Path.Combine(dir, $"{job.Handle.Provider}-{Safe(job.Handle.VendorJobId)}-{i}{Extension(output)}");
            await output.DownloadToFileAsync(setup.DownloadClient, path, MediaDownloadOptions.ForJob(setup.Router, job.Handle), ct).ConfigureAwait(false);
            files.Add(path);
        }

        return files;
    }

    private static Command SandboxCommand(CliContext context)
    {
        var port = new Option<int>("--port") { Description = "Port on 127.0.0.1 (default: any free port)." };
        var fault = new Option<string[]>("--fault") { Description = "Switch a fault on at start: VENDOR=KIND or VENDOR=KIND:N for the next N requests (repeatable), e.g. meigen=outage. Kinds: " + string.Join(", ", FaultSwitchKinds.All.Select(k => k.Name)) + ".", AllowMultipleArgumentsPerToken = false };
        var listen = new Option<string>("--listen") { Description = "Address to listen on (default: 127.0.0.1, this machine only)." };
        var command = new Command("sandbox", "Serve the MeiGen, VeoGen and Apiframe emulators on 127.0.0.1 until stopped (Ctrl+C or SIGTERM), with a web console at / (live requests, billing, fault switches).");
        command.Options.Add(port);
        command.Options.Add(fault);
        command.Options.Add(listen);
        command.SetAction(async (parse, ct) =>
        {
            var requested = parse.GetValue(port);
            if (requested is < 0 or > 65535)
            {
                throw new CliUsageException($"--port must be 0–65535; got {requested}.");
            }

            System.Net.IPAddress? address = null;
            if (parse.GetValue(listen) is { Length: > 0 } text && !System.Net.IPAddress.TryParse(text, out address))
            {
                throw new CliUsageException($"--listen takes an IP address such as 127.0.0.1 or 0.0.0.0; got '{text}'.");
            }

            return await Sandbox.ServeAsync(context, requested, address, parse.GetValue(fault) ?? [], ct).ConfigureAwait(false);
        });
        return command;
    }

    private static WaitOptions WaitOptionsFor(CliContext context, VendorSetup setup)
    {
        var options = new WaitOptions { TimeProvider = context.TimeProvider };
        if (setup.Sandbox is not null)
        {
            // Sandbox jobs finish on their first poll; don't make a demo wait for a real model's typical time.
            options.FirstPollDelay = TimeSpan.FromMilliseconds(500);
            options.PollInterval = TimeSpan.FromMilliseconds(500);
        }

        StoreSetup.ApplyPollInterval(context, options);
        return context.ConfigureWait?.Invoke(options) ?? options;
    }

    private static async Task WriteJobAsync(CliContext context, bool json, GenerationJob job, List<string?> files, string? note)
    {
        if (json)
        {
            await context.Out.WriteLineAsync(CliJson.Write(w =>
            {
                w.WriteStartObject();
                w.WriteString("job", job.Handle.ToString());
                w.WriteString("provider", job.Handle.Provider);
                w.WriteString("model", job.Handle.Model?.Value);
                w.WriteString("status", CliJson.Status(job.Status));
                w.WriteStartArray("outputs");
                for (var i = 0; i < job.Outputs.Count; i++)
                {
                    w.WriteStartObject();
                    w.WriteString("url", job.Outputs[i].Url.ToString());
                    w.WriteString("file", i < files.Count ? files[i] : null);
                    w.WriteString("kind", job.Outputs[i].Kind.ToString().ToLowerInvariant());
                    w.WriteEndObject();
                }

                w.WriteEndArray();
                CliJson.Money(w, "charged", job.Charge);
                CliJson.Money(w, "quoted", job.Quote?.Amount);
                if (job.Failure is { } failure)
                {
                    w.WriteStartObject("failure");
                    w.WriteString("reason", JsonNamingPolicy.CamelCase.ConvertName(failure.Reason.ToString()));
                    w.WriteString("message", failure.Message);
                    w.WriteEndObject();
                }

                w.WriteStartArray("attempts");
                foreach (var a in job.Attempts)
                {
                    w.WriteStartObject();
                    w.WriteString("provider", a.Provider);
                    w.WriteString("outcome", JsonNamingPolicy.CamelCase.ConvertName(a.Outcome.ToString()));
                    w.WriteString("reason", a.Reason);
                    w.WriteEndObject();
                }

                w.WriteEndArray();
                w.WriteEndObject();
            })).ConfigureAwait(false);
            return;
        }

        await context.Out.WriteLineAsync($"job {job.Handle} {note ?? CliJson.Status(job.Status)}{(job.Handle.Model is { } model ? $" ({model})" : string.Empty)}").ConfigureAwait(false);
        for (var i = 0; i < files.Count; i++)
        {
            await context.Out.WriteLineAsync($"  saved {files[i]}").ConfigureAwait(false);
        }

        if (files.Count == 0)
        {
            foreach (var output in job.Outputs)
            {
                await context.Out.WriteLineAsync($"  {output.Kind.ToString().ToLowerInvariant()}: {output.Url}").ConfigureAwait(false);
            }
        }

        var charge = job.Charge is { } c ? c.ToString() : job.Quote?.Amount is { } q ? $"{q} (quoted; the vendor did not report a charge)" : "unknown";
        await context.Out.WriteLineAsync($"  charged: {charge}").ConfigureAwait(false);
        foreach (var a in job.Attempts.Where(a => a.Outcome != RouteOutcome.Accepted))
        {
            await context.Out.WriteLineAsync($"  {a.Provider}: {a.Outcome.ToString().ToLowerInvariant()} — {a.Reason}").ConfigureAwait(false);
        }
    }

    private static async Task<int> ReportErrorAsync(CliContext context, bool json, MediaGenError error)
    {
        // A route that failed only because every vendor lacked funds is, to the user, "insufficient funds".
        if (error is NoRouteError && error.Attempts.Where(a => a.Outcome == RouteOutcome.Failed).ToList() is { Count: > 0 } failed
            && failed.All(a => a.Error is InsufficientFundsError))
        {
            return await FailAsync(context, json, CliJson.Kind(ErrorKind.InsufficientFunds), error.Message, ExitCodes.InsufficientFunds).ConfigureAwait(false);
        }

        var handle = error switch
        {
            OutcomeUnknownError u => u.Handle,
            TimedOutError t => t.Handle,
            _ => null,
        };
        var message = error switch
        {
            // The message already names the key (every OutcomeUnknownError's does; --json also gives it as idempotencyKey): add only the command.
            OutcomeUnknownError { Handle: { } h } => $"{error.Message} Resume with: mediagen status {h} --wait",
            TimedOutError t => $"{error.Message} Resume with: mediagen status {t.Handle} --wait",
            _ => error.Message,
        };
        return await FailAsync(context, json, CliJson.Kind(error.Kind), message, ExitCodes.For(error), handle, (error as InvalidRequestError)?.Errors, (error as OutcomeUnknownError)?.IdempotencyKey).ConfigureAwait(false);
    }

    private static async Task<int> FailAsync(CliContext context, bool json, string kind, string message, int exitCode, JobHandle? handle = null, IEnumerable<FieldError>? fields = null, string? idempotencyKey = null)
    {
        if (json)
        {
            await context.Out.WriteLineAsync(CliJson.Write(w =>
            {
                w.WriteStartObject();
                CliJson.Error(w, kind, message, handle, fields, idempotencyKey);
                w.WriteEndObject();
            })).ConfigureAwait(false);
        }

        await context.Error.WriteLineAsync($"mediagen: {message.ReplaceLineEndings(" ")}").ConfigureAwait(false);
        return exitCode;
    }

    private static void WritePrice(Utf8JsonWriter w, PriceQuote? price)
    {
        if (price?.Amount is not { } amount)
        {
            w.WriteNull("price");
            return;
        }

        w.WriteStartObject("price");
        w.WriteNumber("amount", amount.Amount);
        w.WriteString("unit", CliJson.Unit(amount.Unit));
        w.WriteString("basis", price.Basis);
        w.WriteEndObject();
    }

    private static string Safe(string id) => string.Concat(id.Select(ch => char.IsLetterOrDigit(ch) || ch is '-' or '_' ? ch : '_'));

    private static string Extension(GenerationOutput output) => output.ContentType switch
    {
        "image/png" => ".png",
        "image/jpeg" => ".jpg",
        "image/webp" => ".webp",
        "video/mp4" => ".mp4",
        "audio/mpeg" => ".mp3",
        _ => Path.GetExtension(output.Url.AbsolutePath) is { Length: > 1 and < 6 } ext ? ext : output.Kind == MediaKind.Video ? ".mp4" : ".bin",
    };
}
