using MediaGen.Cli;

using var cts = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    // First Ctrl+C stops waiting (the job is kept and its handle printed); a second one ends the process.
    if (!cts.IsCancellationRequested)
    {
        e.Cancel = true;
        cts.Cancel();
    }
};

return await CliApp.RunAsync(args, CliContext.FromProcess(), cts.Token).ConfigureAwait(false);
