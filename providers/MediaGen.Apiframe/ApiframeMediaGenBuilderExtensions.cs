using MediaGen;
using MediaGen.Apiframe;
using MediaGen.Apiframe.Internal;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the Apiframe provider with <c>services.AddMediaGen()</c>.</summary>
public static class ApiframeMediaGenBuilderExtensions
{
    /// <summary>
    /// Adds the Apiframe provider (keyed <see cref="IMediaGenerator"/> <c>apiframe</c>), its named HTTP client
    /// (<c>MediaGen.apiframe</c>) and its <see cref="ApiframeWebhookReceiver"/>, publishing into the shared
    /// <see cref="JobUpdateHub"/>, with options configured in code. Options are validated at start (messages name
    /// <c>MediaGen:Apiframe:…</c>).
    /// </summary>
    /// <param name="builder">The MediaGen builder.</param>
    /// <param name="configure">Configures the options.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    public static MediaGenBuilder AddApiframe(this MediaGenBuilder builder, Action<ApiframeOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        return Add(builder, null, configure);
    }

    /// <summary>
    /// Adds the Apiframe provider with options read from configuration: the <c>MediaGen:Apiframe</c> section (or a
    /// section of another name holding the same keys), the <c>MediaGen</c> section, or the configuration root. Keys:
    /// <c>ApiKey</c>, <c>BaseAddress</c>, <c>MaxConcurrentJobs</c>, <c>LimitConcurrency</c>, <c>ConcurrencyQueueLimit</c>,
    /// <c>ConcurrencyPermitLifetime</c>, <c>WebhookDedupeCapacity</c> and <c>PriceOverrides:&lt;model&gt;</c>.
    /// Invalid or unreadable values fail at start with a message naming the key, and so do the removed
    /// <c>MaxSubmitAttempts</c>, <c>SubmitRetryBaseDelay</c> and <c>SubmitRetryMaxDelay</c> (submit retries are the shared
    /// pipeline's: <c>MediaGen:Apiframe:Http</c>).
    /// </summary>
    /// <param name="builder">The MediaGen builder.</param>
    /// <param name="configuration">The <c>MediaGen:Apiframe</c> section, its <c>MediaGen</c> parent or the root.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    public static MediaGenBuilder AddApiframe(this MediaGenBuilder builder, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        return Add(builder, configuration, null);
    }

    /// <summary>
    /// Adds the Apiframe provider with options read from configuration (see <see cref="AddApiframe(MediaGenBuilder, IConfiguration)"/>),
    /// then <paramref name="configure"/> (e.g. a concurrency limiter shared by the team's clients).
    /// </summary>
    /// <param name="builder">The MediaGen builder.</param>
    /// <param name="configuration">The <c>MediaGen:Apiframe</c> section, its <c>MediaGen</c> parent or the root.</param>
    /// <param name="configure">Further configuration applied after binding.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    public static MediaGenBuilder AddApiframe(this MediaGenBuilder builder, IConfiguration configuration, Action<ApiframeOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(configure);
        return Add(builder, configuration, configure);
    }

    private static MediaGenBuilder Add(MediaGenBuilder builder, IConfiguration? configuration, Action<ApiframeOptions>? configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.AddProvider(ApiframeProvider.Name, ApiframeOptionsValidator.Schema, configuration, configure, static (sp, options, http) => ApiframeProvider.CreateCore(
            options,
            http,
            sp.GetService<TimeProvider>(),
            sp.GetService<JobUpdateHub>(),
            sp.GetService<ILoggerFactory>()?.CreateLogger("MediaGen.Apiframe"),
            ownsHttpClient: true)); // the container disposes the provider, the provider this client
        builder.Services.TryAddSingleton(sp =>
            sp.GetRequiredKeyedService<IMediaGenerator>(ApiframeProvider.Name).GetService(typeof(ApiframeWebhookReceiver)) as ApiframeWebhookReceiver
            ?? new ApiframeWebhookReceiver(sp.GetRequiredService<IOptions<ApiframeOptions>>().Value, sp.GetService<JobUpdateHub>()));
        return builder;
    }
}
