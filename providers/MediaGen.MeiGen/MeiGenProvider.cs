using MediaGen.Http;
using MediaGen.MeiGen.Internal;
using Microsoft.Extensions.Logging;

namespace MediaGen.MeiGen;

/// <summary>Creates the MeiGen provider (billing in MeiGen credits).</summary>
public static class MeiGenProvider
{
    /// <summary>The provider name used in job handles (<c>meigen:{id}</c>), credit units and provider options.</summary>
    public const string Name = "meigen";

    /// <summary>Creates the provider outside dependency injection.</summary>
    /// <param name="options">The options; copied, later changes are ignored.</param>
    /// <param name="httpClient">The HTTP client to use (not disposed by the provider); when null the provider creates and owns one (disposing the provider disposes it) with the shared resilience pipeline (<see cref="MediaGenHttp.CreateClient"/>).</param>
    /// <param name="timeProvider">The clock; defaults to <see cref="TimeProvider.System"/>.</param>
    /// <returns>The provider.</returns>
    /// <exception cref="ArgumentException">The options are invalid (the message names each setting).</exception>
    public static IMediaGenerator Create(MeiGenOptions options, HttpClient? httpClient = null, TimeProvider? timeProvider = null) =>
        CreateCore(options, httpClient, timeProvider, null, ownsHttpClient: httpClient is null);

    /// <summary>Creates the provider; it disposes <paramref name="httpClient"/> with itself when <paramref name="ownsHttpClient"/> (DI hands it the client it made for it).</summary>
    internal static IMediaGenerator CreateCore(MeiGenOptions options, HttpClient? httpClient, TimeProvider? timeProvider, ILogger? logger, bool ownsHttpClient)
    {
        ArgumentNullException.ThrowIfNull(options);
        var copy = options.Clone();
        MeiGenOptionsValidator.Schema.ThrowIfInvalid(copy, nameof(options));

        var time = timeProvider ?? TimeProvider.System;

        // Without a client, the same resilience pipeline (attempt timeouts, GET retries, short-429 resend, circuit
        // breaker) as the DI path, on the same clock.
        return new MeiGenGenerator(copy, httpClient ?? MediaGenHttp.CreateClient(timeProvider: time), ownsHttpClient || httpClient is null, time, logger);
    }
}
