using MediaGen;
using MediaGen.MeiGen;
using MediaGen.MeiGen.Internal;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the MeiGen provider on a <see cref="MediaGenBuilder"/>.</summary>
public static class MeiGenMediaGenBuilderExtensions
{
    /// <summary>
    /// Adds the MeiGen provider (keyed <c>meigen</c>), its named HTTP client <c>MediaGen.meigen</c> and options
    /// configured in code, validated at start (messages name <c>MediaGen:MeiGen:…</c>).
    /// </summary>
    /// <param name="builder">The builder from <c>services.AddMediaGen()</c>.</param>
    /// <param name="configure">Configures the options.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    public static MediaGenBuilder AddMeiGen(this MediaGenBuilder builder, Action<MeiGenOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        return Add(builder, null, configure);
    }

    /// <summary>
    /// Adds the MeiGen provider with options read from configuration: the <c>MediaGen:MeiGen</c> section (or a section
    /// of another name holding the same keys), the <c>MediaGen</c> section, or the configuration root. Keys:
    /// <c>ApiKey</c>, <c>BaseAddress</c>, <c>RequestsPerMinute</c>, <c>UseLiveCatalog</c>, <c>LiveCatalogLifetime</c>,
    /// <c>PriceOverrides:&lt;model&gt;</c>.
    /// Invalid or unreadable values, and the renamed keys <c>GenerateRequestsPerMinute</c>, <c>RefreshFromModelsEndpoint</c>
    /// and <c>ModelsCacheDuration</c>, fail at start with messages naming the key.
    /// </summary>
    /// <param name="builder">The builder.</param>
    /// <param name="configuration">The <c>MediaGen:MeiGen</c> section, its <c>MediaGen</c> parent or the root.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    public static MediaGenBuilder AddMeiGen(this MediaGenBuilder builder, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        return Add(builder, configuration, null);
    }

    /// <summary>
    /// Adds the MeiGen provider with options read from configuration (see <see cref="AddMeiGen(MediaGenBuilder, IConfiguration)"/>),
    /// then <paramref name="configure"/> (e.g. a shared rate limiter).
    /// </summary>
    /// <param name="builder">The builder.</param>
    /// <param name="configuration">The <c>MediaGen:MeiGen</c> section, its <c>MediaGen</c> parent or the root.</param>
    /// <param name="configure">Further configuration applied after binding.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    public static MediaGenBuilder AddMeiGen(this MediaGenBuilder builder, IConfiguration configuration, Action<MeiGenOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(configure);
        return Add(builder, configuration, configure);
    }

    private static MediaGenBuilder Add(MediaGenBuilder builder, IConfiguration? configuration, Action<MeiGenOptions>? configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.AddProvider(MeiGenProvider.Name, MeiGenOptionsValidator.Schema, configuration, configure, static (sp, options, http) => MeiGenProvider.CreateCore(
            options,
            http,
            sp.GetService<TimeProvider>(),
            sp.GetService<ILoggerFactory>()?.CreateLogger("MediaGen.MeiGen"),
            ownsHttpClient: true)); // the container disposes the provider, the provider this client
    }
}
