using MediaGen.Testing;
using MediaGen.Testing.Emulators.Apiframe;
using MediaGen.Testing.Emulators.MeiGen;
using MediaGen.Testing.Emulators;

namespace MediaGen.Cli;

/// <summary>The three vendor emulators served in-process on 127.0.0.1, for the CLI's sandbox mode.</summary>
internal sealed class Sandbox : IAsyncDisposable
{
    private Sandbox(EmulatorHost host) => Host = host;

    public EmulatorHost Host { get; }

    /// <summary>Gets MeiGen's base URL in the form <c>MEIGEN_BASE_URL</c> takes (ends in <c>/api</c>).</summary>
    public Uri MeiGenBaseUrl => new(Host.BaseAddress, "api/");

    /// <summary>Gets VeoGen's base URL in the form <c>VEOGEN_BASE_URL</c> takes (ends in <c>/api/v1</c>).</summary>
    public Uri VeoGenBaseUrl => new(Host.BaseAddress, "api/v1/");

    /// <summary>Gets Apiframe's base URL (the host root).</summary>
    public Uri ApiframeBaseUrl => Host.BaseAddress;

    /// <summary>A key the MeiGen emulator accepts (any <c>meigen_sk_…</c>).</summary>
    public const string MeiGenKey = "meigen_sk_sandbox000000000000000000000000";

    /// <summary>The key the VeoGen emulator accepts by default.</summary>
    public const string VeoGenKey = VeoGenEmulator.DefaultApiKey;

    /// <summary>The key the Apiframe emulator accepts by default.</summary>
    public const string ApiframeKey = ApiframeEmulatorOptions.DefaultApiKey;

    public static async Task<Sandbox> StartAsync(int port, CancellationToken cancellationToken)
    {
        var host = await EmulatorHost.StartAsync(
            [new MeiGenEmulator(), new VeoGenEmulator(), new ApiframeEmulator()],
            new EmulatorHostOptions { Port = port },
            cancellationToken).ConfigureAwait(false);
        host.Jobs.Default = JobScript.CompleteAfterPolls(1);
        return new Sandbox(host);
    }

    public ValueTask DisposeAsync() => Host.DisposeAsync();
}
