using MediaGen.Testing.Internal;
using Microsoft.Extensions.Logging;

namespace MediaGen.Testing;

/// <summary>What an <see cref="IVendorEmulator"/> gets from its <see cref="EmulatorHost"/>: shared state, the clock, a logger and media publishing.</summary>
public sealed class EmulatorContext
{
    private readonly HostState _state;

    internal EmulatorContext(string emulatorName, HostState state, ILogger logger)
    {
        EmulatorName = emulatorName;
        _state = state;
        Logger = logger;
    }

    /// <summary>Gets the name of the emulator this context belongs to.</summary>
    public string EmulatorName { get; }

    /// <summary>Gets the host's fault injector (the host applies it before handlers run; emulators rarely need it).</summary>
    public FaultInjector Faults => _state.Faults;

    /// <summary>Gets the host's billing ledger: record every accepted job with <see cref="BillingLedger.Accept"/>.</summary>
    public BillingLedger Ledger => _state.Ledger;

    /// <summary>Gets the host's clock. Use it for every timestamp and delay.</summary>
    public TimeProvider TimeProvider => _state.TimeProvider;

    /// <summary>Gets the host's job scripts: create a <see cref="ScriptedJob"/> per accepted job and poll it on status requests.</summary>
    public JobScripts Jobs => _state.Jobs;

    /// <summary>Gets a logger whose category names the emulator.</summary>
    public ILogger Logger { get; }

    /// <summary>Gets the host's base address, such as <c>http://127.0.0.1:54321/</c>.</summary>
    /// <exception cref="InvalidOperationException">The host has not started yet (for example inside <see cref="IVendorEmulator.Map"/>).</exception>
    public Uri BaseAddress => _state.BaseAddress ?? throw new InvalidOperationException("The base address is available once the emulator host has started (read it in request handlers, not in Map).");

    /// <summary>Serves <paramref name="bytes"/> at <c>GET /_media/{name}</c> on the host and returns its absolute URL.</summary>
    /// <param name="name">The file name, such as <c>job_42-0.png</c>; publishing the same name again replaces the content.</param>
    /// <param name="bytes">The content.</param>
    /// <param name="contentType">The content type, such as <see cref="SandboxImage.ContentType"/>.</param>
    /// <returns>The absolute URL of the media on the host.</returns>
    /// <exception cref="ArgumentException"><paramref name="name"/> or <paramref name="contentType"/> is null or empty, or <paramref name="name"/> contains <c>/</c>.</exception>
    /// <exception cref="ArgumentNullException"><paramref name="bytes"/> is <see langword="null"/>.</exception>
    /// <exception cref="InvalidOperationException">The host has not started yet.</exception>
    public Uri PublishMedia(string name, byte[] bytes, string contentType) => _state.PublishMedia(name, bytes, contentType);
}
