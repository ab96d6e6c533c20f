using MediaGen.Apiframe.Internal;
using Microsoft.Extensions.Logging;

namespace MediaGen.Apiframe;

/// <summary>Creates the Apiframe (API v2) provider.</summary>
public static class ApiframeProvider
{
    /// <summary>The provider name used in handles (<c>apiframe:&lt;jobId&gt;</c>), credits units and provider options.</summary>
    public const string Name = "apiframe";

    /// <summary>Creates the provider. The options are validated and copied (later changes are ignored).</summary>
    /// <param name="options">The options; <see cref="ApiframeOptions.ApiKey"/> is required.</param>
    /// <param name="httpClient">The HTTP client to send through (its own base address is ignored), or null for one with MediaGen's shared resilience handler and timeouts (<c>MediaGenHttp.CreateClient</c>), as in DI.</param>
    /// <param name="timeProvider">The clock for timestamps and retry delays; the default is <see cref="TimeProvider.System"/>.</param>
    /// <returns>The provider.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is null.</exception>
    /// <exception cref="ArgumentException">The options are invalid; the message names each configuration key.</exception>
    public static IMediaGenerator Create(ApiframeOptions options, HttpClient? httpClient = null, TimeProvider? timeProvider = null) =>
        CreateCore(options, httpClient, timeProvider, null, null, ownsHttpClient: false);

    /// <summary>
    /// Creates the webhook receiver of a provider made by <see cref="Create"/>: it publishes into <paramref name="updates"/>
    /// and frees the provider's concurrency slot of each job a verified delivery reports ended.
    /// </summary>
    /// <param name="generator">The Apiframe provider.</param>
    /// <param name="updates">Where verified updates are published (pass the same hub in <see cref="WaitOptions.Updates"/>).</param>
    /// <returns>The receiver.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="generator"/> is not an Apiframe provider.</exception>
    public static ApiframeWebhookReceiver CreateWebhookReceiver(IMediaGenerator generator, JobUpdateHub updates)
    {
        ArgumentNullException.ThrowIfNull(generator);
        ArgumentNullException.ThrowIfNull(updates);
        var apiframe = generator.GetService(typeof(ApiframeGenerator), Name) as ApiframeGenerator
            ?? throw new ArgumentException("The generator is not an Apiframe provider (create it with ApiframeProvider.Create or AddApiframe).", nameof(generator));
        return new ApiframeWebhookReceiver(apiframe, updates);
    }

    /// <summary>Creates the provider; it disposes <paramref name="httpClient"/> with itself when <paramref name="ownsHttpClient"/> (DI hands it the client it made for it).</summary>
    internal static ApiframeGenerator CreateCore(ApiframeOptions options, HttpClient? httpClient, TimeProvider? timeProvider, JobUpdateHub? updates, ILogger? logger, bool ownsHttpClient)
    {
        ArgumentNullException.ThrowIfNull(options);
        var copy = options.Clone();
        ApiframeOptionsValidator.Schema.ThrowIfInvalid(copy, nameof(options));
        return new ApiframeGenerator(copy, httpClient, timeProvider, updates, ownsHttpClient, logger);
    }
}
