using System.CommandLine;
using System.Text.Json;
using MediaGen.Routing;
using Spectre.Console;

namespace MediaGen.Cli;

/// <summary>The <c>mediagen</c> command line: models, quote, generate, status and sandbox.</summary>
internal static class CliApp
{
    public static async Task<int> RunAsync(string[] args, CliContext context, CancellationToken cancellationToken = default)
    {
        var o = new CliOptions();
        var root = new RootCommand("mediagen — quote, generate and track images and videos across MeiGen, VeoGen Studio and Apiframe. With no API keys set it uses built-in sandbox emulators.");
        root.Subcommands.Add(ModelsCommand(o, context));
        root.Subcommands.Add(QuoteCommand(o, context));
        root.Subcommands.Add(GenerateCommand(o, context));
        root.Subcommands.Add(StatusCommand(o, context));
        root.Subcommands.Add(SandboxCommand(context));
        root.Subcommands.Add(Commands.JobsCommand.Create(o, context));
        root.Subcommands.Add(Commands.SpendCommand.Create(o, context));
        root.Subcommands.Add(Commands.ResumeCommand.Create(o, context, WaitOptionsFor));
        var parse = root.Parse(args);
        var config = new InvocationConfiguration { Output = context.Out, Error = context.Error, EnableDefaultExceptionHandler = false };
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
            return await FailAsync(context, parse.GetValue(o.Json), "download", ex.Message, ExitCodes.Failure).ConfigureAwait(false);
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
                var table = new Table().AddColumns("model", "provider", "native slug", "kind", "price (default settings)");
                foreach (var r in rows)
                {
                    table.AddRow(Markup.Escape(r.Model), r.Provider, Markup.Escape(r.Native), r.Kind.ToString().ToLowerInvariant(), Markup.Escape(r.Price?.ToString() ?? "—"));
                }

                Console(context).Write(table);
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
                var table = new Table().AddColumns("provider", "model", "price", "USD", "basis", "source");
                foreach (var q in all.Quotes)
                {
                    table.AddRow(q.Provider, Markup.Escape(q.Quote.Model.Value), Markup.Escape(q.Quote.Price.Amount?.ToString() ?? "unknown"), Markup.Escape(q.Usd?.ToString() ?? "unknown"), Markup.Escape(q.Quote.Price.Basis), q.Quote.Price.Source.ToString().ToLowerInvariant());
                }

                Console(context).Write(table);
                foreach (var (provider, line) in all.Quotes.SelectMany(q => q.Quote.Translation.Describe().Select(l => (q.Provider, l))))
                {
                    await context.Out.WriteLineAsync($"  {provider}: {line}").ConfigureAwait(false); // ✓ documented, ? undocumented field, ✗ not sent
                }

                foreach (var u in all.Unavailable)
                {
                    await context.Out.WriteLineAsync($"  {u.Provider}: unavailable — {u.Reason}").ConfigureAwait(false);
                }
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
            var progress = new CliProgress(context, json);
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

            var files = new List<string?>();
            if (job.Status == GenerationStatus.Succeeded)
            {
                var dir = Path.GetFullPath(parse.GetValue(outDir) ?? Path.Combine(context.WorkingDirectory, "mediagen-out"), context.WorkingDirectory);
                for (var i = 0; i < job.Outputs.Count; i++)
                {
                    var output = job.Outputs[i];
                    var path = Path.Combine(dir, $"{job.Handle.Provider}-{Safe(job.Handle.VendorJobId)}-{i}{Extension(output)}");
                    await output.DownloadToFileAsync(setup.DownloadClient, path, cancellationToken: ct).ConfigureAwait(false);
                    files.Add(path);
                }
            }

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
        var command = new Command("status", "Show one job by its handle, optionally waiting for it.");
        command.Arguments.Add(jobArgument);
        command.Options.Add(wait);
        o.AddCommon(command);
        command.SetAction(async (parse, ct) =>
        {
            var json = parse.GetValue(o.Json);
            if (!JobHandle.TryParse(parse.GetValue(jobArgument), out var handle))
            {
                throw new CliUsageException($"'{parse.GetValue(jobArgument)}' is not a job handle; expected provider:jobId, e.g. meigen:550e8400-e29b-41d4-a716-446655440000.");
            }

            await using var setup = await VendorSetup.CreateAsync(context, parse.GetValue(o.SandboxFlag), parse.GetValue(o.UsdPerCredit) ?? [], ct).ConfigureAwait(false);
            var result = parse.GetValue(wait)
                ? await setup.Router.WaitForCompletionAsync(handle, WaitOptionsFor(context, setup), new CliProgress(context, json), ct).ConfigureAwait(false)
                : await setup.Router.GetJobAsync(handle, ct).ConfigureAwait(false);
            if (!result.TryGetValue(out var job))
            {
                return await ReportErrorAsync(context, json, result.Error).ConfigureAwait(false);
            }

            await WriteJobAsync(context, json, job, [], null).ConfigureAwait(false);
            return job.Status is GenerationStatus.Failed or GenerationStatus.Canceled ? ExitCodes.JobFailed : ExitCodes.Success;
        });
        return command;
    }

    private static Command SandboxCommand(CliContext context)
    {
        var port = new Option<int>("--port") { Description = "Port on 127.0.0.1 (default: any free port)." };
        var command = new Command("sandbox", "Serve the MeiGen, VeoGen and Apiframe emulators on 127.0.0.1 until stopped (Ctrl+C or SIGTERM).");
        command.Options.Add(port);
        command.SetAction(async (parse, ct) =>
        {
            var requested = parse.GetValue(port);
            if (requested is < 0 or > 65535)
            {
                throw new CliUsageException($"--port must be 0–65535; got {requested}.");
            }

            return await Sandbox.ServeAsync(context, requested, ct).ConfigureAwait(false);
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

        await context.Out.WriteLineAsync($"job {job.Handle} {note ?? CliJson.Status(job.Status)} ({job.Handle.Model})").ConfigureAwait(false);
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
            OutcomeUnknownError u => $"{error.Message} (idempotency key {u.IdempotencyKey}{(u.Handle is null ? string.Empty : $"; resume with: mediagen status {u.Handle} --wait")})",
            TimedOutError t => $"{error.Message} Resume with: mediagen status {t.Handle} --wait",
            _ => error.Message,
        };
        return await FailAsync(context, json, CliJson.Kind(error.Kind), message, ExitCodes.For(error), handle, (error as InvalidRequestError)?.Errors).ConfigureAwait(false);
    }

    private static async Task<int> FailAsync(CliContext context, bool json, string kind, string message, int exitCode, JobHandle? handle = null, IEnumerable<FieldError>? fields = null)
    {
        if (json)
        {
            await context.Out.WriteLineAsync(CliJson.Write(w =>
            {
                w.WriteStartObject();
                CliJson.Error(w, kind, message, handle, fields);
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

    private static IAnsiConsole Console(CliContext context) =>
        AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(context.Out), Interactive = InteractionSupport.No });

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
