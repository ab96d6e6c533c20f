using System.Runtime.InteropServices;
using MediaGen.Testing;
using MediaGen.Testing.Emulators;
using MediaGen.Testing.Emulators.Apiframe;
using MediaGen.Testing.Emulators.MeiGen;
using MediaGen.Testing.Emulators.Replicate;

namespace MediaGen.Cli;

/// <summary>The vendor emulators served in-process on 127.0.0.1, for the CLI's sandbox mode.</summary>
internal sealed class Sandbox : IAsyncDisposable
{
    /// <summary>How long stopping may take before the command returns anyway (the process ends, and Kestrel with it).</summary>
    private static readonly TimeSpan StopBudget = TimeSpan.FromSeconds(1.5);

    private Sandbox(EmulatorHost host, FaultSwitches faults)
    {
        Host = host;
        Faults = faults;
    }

    public EmulatorHost Host { get; }

    /// <summary>Gets the fault switches (console, JSON API and <c>--fault</c>).</summary>
    public FaultSwitches Faults { get; }

    /// <summary>Gets the console's address (the host root).</summary>
    public Uri ConsoleUrl => Host.BaseAddress;

    /// <summary>Gets MeiGen's base URL in the form <c>MEIGEN_BASE_URL</c> takes (ends in <c>/api</c>).</summary>
    public Uri MeiGenBaseUrl => new(Host.BaseAddress, "api/");

    /// <summary>Gets VeoGen's base URL in the form <c>VEOGEN_BASE_URL</c> takes (ends in <c>/api/v1</c>).</summary>
    public Uri VeoGenBaseUrl => new(Host.BaseAddress, "api/v1/");

    /// <summary>Gets Apiframe's base URL (the host root).</summary>
    public Uri ApiframeBaseUrl => Host.BaseAddress;

    /// <summary>Gets Replicate's base URL (ends in <c>/v1</c>, the API's documented base).</summary>
    public Uri ReplicateBaseUrl => new(Host.BaseAddress, "v1/");

    /// <summary>A key the MeiGen emulator accepts (as is any <c>meigen_sk_…</c>).</summary>
    public const string MeiGenKey = "meigen_sk_sandbox000000000000000000000000";

    /// <summary>A key the VeoGen emulator accepts (any non-empty bearer token, as the docs' placeholders are).</summary>
    public const string VeoGenKey = VeoGenEmulator.DefaultApiKey;

    /// <summary>A key the Apiframe emulator accepts (as is any <c>afk_…</c> key).</summary>
    public const string ApiframeKey = ApiframeEmulatorOptions.DefaultApiKey;

    /// <summary>A token the Replicate emulator accepts (as is any <c>r8_…</c> token).</summary>
    public const string ReplicateKey = ReplicateEmulator.DefaultApiKey;

    public static Task<Sandbox> StartAsync(int port, CancellationToken cancellationToken) =>
        StartAsync(port, address: null, console: false, cancellationToken);

    /// <summary>Starts the emulators, with the console at <c>/</c> when <paramref name="console"/> is set.</summary>
    /// <param name="port">The port; 0 for any free one.</param>
    /// <param name="address">The address to listen on; <see langword="null"/> for 127.0.0.1.</param>
    /// <param name="console">Whether to serve the console and its JSON API.</param>
    /// <param name="cancellationToken">A token to cancel the start.</param>
    public static async Task<Sandbox> StartAsync(int port, System.Net.IPAddress? address, bool console, CancellationToken cancellationToken)
    {
        ConsoleEndpoints? endpoints = console ? new ConsoleEndpoints() : null;
        var host = await EmulatorHost.StartAsync(
            [new MeiGenEmulator(), new VeoGenEmulator(), new ApiframeEmulator(), new ReplicateEmulator()],
            new EmulatorHostOptions { Port = port, Address = address, MapEndpoints = endpoints is null ? null : endpoints.Map },
            cancellationToken).ConfigureAwait(false);
        host.Jobs.Default = JobScript.CompleteAfterPolls(1);
        var faults = new FaultSwitches(host);
        endpoints?.Attach(host, faults);
        return new Sandbox(host, faults);
    }

    /// <summary>
    /// Serves the sandbox until <paramref name="cancellationToken"/> fires (Ctrl+C) or the process gets SIGTERM or
    /// SIGINT, then says what was still in flight and stops within 2 seconds. A second signal while stopping ends the
    /// process at once (the runtime's default handling), so neither <c>timeout</c> nor a user is ever left waiting.
    /// </summary>
    public static async Task<int> ServeAsync(CliContext context, int port, CancellationToken cancellationToken) =>
        await ServeAsync(context, port, null, [], cancellationToken).ConfigureAwait(false);

    /// <inheritdoc cref="ServeAsync(CliContext, int, CancellationToken)"/>
    /// <param name="context">The CLI's context.</param>
    /// <param name="port">The port; 0 for any free one.</param>
    /// <param name="address">The address to listen on; <see langword="null"/> for 127.0.0.1.</param>
    /// <param name="faults">Fault switches to turn on at start, each <c>vendor=kind</c> or <c>vendor=kind:N</c>.</param>
    /// <param name="cancellationToken">Stops the sandbox.</param>
    public static async Task<int> ServeAsync(CliContext context, int port, System.Net.IPAddress? address, IReadOnlyList<string> faults, CancellationToken cancellationToken)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        string? signal = null;
        void OnSignal(PosixSignalContext received)
        {
            if (stop.IsCancellationRequested)
            {
                return; // already stopping: leave this signal to the runtime, which ends the process.
            }

            received.Cancel = true;
            signal = received.Signal.ToString();
            stop.Cancel();
        }

        using var sigterm = TryRegister(PosixSignal.SIGTERM, OnSignal);
        using var sigint = TryRegister(PosixSignal.SIGINT, OnSignal);

        var sandbox = await StartAsync(port, address, console: true, cancellationToken).ConfigureAwait(false);
        try
        {
            foreach (string spec in faults)
            {
                if (sandbox.Faults.TurnOn(spec) is { } error)
                {
                    throw new CliUsageException(error);
                }
            }

            context.OnSandboxStarted?.Invoke(sandbox);
            await context.Out.WriteLineAsync($"MeiGen    MEIGEN_BASE_URL={sandbox.MeiGenBaseUrl.ToString().TrimEnd('/')}    MEIGEN_API_KEY={MeiGenKey}").ConfigureAwait(false);
            await context.Out.WriteLineAsync($"VeoGen    VEOGEN_BASE_URL={sandbox.VeoGenBaseUrl.ToString().TrimEnd('/')}    VEOGEN_API_KEY={VeoGenKey}").ConfigureAwait(false);
            await context.Out.WriteLineAsync($"Apiframe  APIFRAME_BASE_URL={sandbox.ApiframeBaseUrl.ToString().TrimEnd('/')}    APIFRAME_API_KEY={ApiframeKey}").ConfigureAwait(false);
            await context.Out.WriteLineAsync($"Replicate REPLICATE_BASE_URL={sandbox.ReplicateBaseUrl.ToString().TrimEnd('/')}    REPLICATE_API_TOKEN={ReplicateKey}").ConfigureAwait(false);
            await context.Out.WriteLineAsync($"Console   {sandbox.ConsoleUrl}    (live requests, jobs and billing, fault switches; JSON API under {ConsoleEndpoints.Prefix}/api/)").ConfigureAwait(false);
            await context.Out.FlushAsync(CancellationToken.None).ConfigureAwait(false);
            foreach (ActiveFault fault in sandbox.Faults.Active)
            {
                string times = fault.Remaining is int n ? $"for the next {n} request{(n == 1 ? string.Empty : "s")}" : "until switched off";
                await context.Error.WriteLineAsync($"mediagen: fault on: {fault.Vendor} {fault.Kind} {times}.").ConfigureAwait(false);
            }

            if (address is not null && !System.Net.IPAddress.IsLoopback(address))
            {
                await context.Error.WriteLineAsync($"mediagen: listening on {address}: other machines can reach the sandbox and its console.").ConfigureAwait(false);
            }

            await context.Error.WriteLineAsync("mediagen: sandbox running (any key of each vendor's documented form works; nothing is billed); press Ctrl+C or send SIGTERM to stop.").ConfigureAwait(false);
            await context.Error.FlushAsync(CancellationToken.None).ConfigureAwait(false);
            try
            {
                await Task.Delay(Timeout.InfiniteTimeSpan, context.TimeProvider, stop.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
            }

            await context.Error.WriteLineAsync(DescribeStop(signal, sandbox.Host)).ConfigureAwait(false);
            await context.Error.FlushAsync(CancellationToken.None).ConfigureAwait(false);
        }
        finally
        {
            // Bounded by real time, not the CLI's clock: this is how long a person or a supervisor waits.
            Task stopped = sandbox.DisposeAsync().AsTask();
            if (await Task.WhenAny(stopped, Task.Delay(StopBudget, TimeProvider.System, CancellationToken.None)).ConfigureAwait(false) == stopped)
            {
                await stopped.ConfigureAwait(false);
            }
        }

        return ExitCodes.Success;
    }

    public ValueTask DisposeAsync() => Host.DisposeAsync();

    /// <summary>The line printed on stopping: why, and every job a client had not yet seen finish.</summary>
    internal static string DescribeStop(string? signal, EmulatorHost host)
    {
        string why = signal is null ? "stopping the sandbox" : $"{signal} received: stopping the sandbox";
        var pending = host.Jobs.Jobs.Where(j => !j.Current.IsTerminal).ToList();
        if (pending.Count == 0)
        {
            return $"mediagen: {why}; nothing was in flight.";
        }

        var lines = pending.Select(j => $"  {j.Id}  {j.Current.State.ToString().ToLowerInvariant()}  \"{Shorten(j.Prompt ?? string.Empty, 50)}\"");
        string jobs = pending.Count == 1 ? "1 job was" : $"{pending.Count} jobs were";
        return $"mediagen: {why}; {jobs} still in flight (they end with it):{Environment.NewLine}{string.Join(Environment.NewLine, lines)}";
    }

    private static string Shorten(string text, int max) => text.Length <= max ? text : string.Concat(text.AsSpan(0, max - 1), "…");

    private static PosixSignalRegistration? TryRegister(PosixSignal signal, Action<PosixSignalContext> handler)
    {
        try
        {
            return PosixSignalRegistration.Create(signal, handler);
        }
        catch (PlatformNotSupportedException)
        {
            return null; // Ctrl+C still arrives through the command's cancellation token.
        }
    }
}
