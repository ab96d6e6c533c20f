using Microsoft.Extensions.Hosting;

namespace MediaGen.Testing.Internal;

/// <summary>
/// The lifetime of a host embedded in another program (a test run, the CLI's sandbox): unlike the default console
/// lifetime it takes no SIGINT/SIGTERM handlers, so the embedding program alone decides when to stop. With the console
/// lifetime a SIGTERM stopped Kestrel behind the program's back and swallowed the signal, so the program never ended.
/// </summary>
internal sealed class EmbeddedHostLifetime : IHostLifetime
{
    public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
