using System.Net;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;

namespace MediaGen.Testing;

/// <summary>Options for <see cref="EmulatorHost.StartAsync(IEnumerable{IVendorEmulator}, EmulatorHostOptions?, CancellationToken)"/>.</summary>
public sealed class EmulatorHostOptions
{
    /// <summary>Gets or sets the TCP port to listen on, on 127.0.0.1.</summary>
    /// <value>The default is 0: an ephemeral port chosen by the operating system (see <see cref="EmulatorHost.BaseAddress"/>).</value>
    public int Port { get; set; }

    /// <summary>Gets or sets the clock used by emulated jobs, billing timestamps, request timestamps and latency faults.</summary>
    /// <value>The default is <see langword="null"/>, meaning <see cref="TimeProvider.System"/>. Use a <see cref="FakeClock"/> to script time.</value>
    public TimeProvider? TimeProvider { get; set; }

    /// <summary>Gets or sets a callback that configures logging; it runs after all providers are cleared.</summary>
    /// <value>The default is <see langword="null"/>: the host logs nothing.</value>
    public Action<ILoggingBuilder>? ConfigureLogging { get; set; }

    /// <summary>Gets or sets the address to listen on.</summary>
    /// <value>The default is <see langword="null"/>, meaning <see cref="IPAddress.Loopback"/> (127.0.0.1): nothing outside this machine can reach the host.</value>
    public IPAddress? Address { get; set; }

    /// <summary>Gets or sets a callback that maps further endpoints next to the emulators, such as a console; requests to them are neither recorded nor faulted.</summary>
    /// <value>The default is <see langword="null"/>: only the emulators' endpoints and the media endpoint are served.</value>
    /// <remarks>It runs once, before the host starts listening, after the emulators are mapped.</remarks>
    public Action<IEndpointRouteBuilder>? MapEndpoints { get; set; }
}
