using System.Runtime.InteropServices;
using MediaGen.Cli;

using var cts = new CancellationTokenSource();

// The first Ctrl+C or SIGTERM stops waiting (the job is kept and its handle printed) and ends the command cleanly;
// a second one ends the process. SIGTERM is what timeout, systemd, Docker and CI send.
void Stop(PosixSignalContext signal)
{
    if (!cts.IsCancellationRequested)
    {
        signal.Cancel = true;
        cts.Cancel();
    }
}

using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
using var sigterm = OperatingSystem.IsWindows() ? null : PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);

return await CliApp.RunAsync(args, CliContext.FromProcess(), cts.Token).ConfigureAwait(false);
