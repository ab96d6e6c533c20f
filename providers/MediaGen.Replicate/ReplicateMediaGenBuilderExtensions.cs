using MediaGen;
using MediaGen.Replicate;
using MediaGen.Replicate.Internal;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the Replicate provider on a <see cref="MediaGenBuilder"/>.</summary>
public static class ReplicateMediaGenBuilderExtensions
{
    /// <summary>
    /// Adds the Replicate provider (keyed <c>replicate</c>), talking through the named client <c>MediaGen.replicate</c>, with
    /// options configured in code. The options are validated at start, and messages name the configuration key
    /// (<c>MediaGen:Replicate:ApiKey</c>, …).
    /// </summary>
    /// <param name="builder">The MediaGen builder.</param>
    /// <param name="configure">Configures the options.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> or <paramref name="configure"/> is null.</exception>
    public static MediaGenBuilder AddReplicate(this MediaGenBuilder builder, Action<ReplicateOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        return Add(builder, null, configure);
    }

    /// <summary>
    /// Adds the Replicate provider with options read from configuration: the <c>MediaGen:Replicate</c> section (or a section
    /// of another name holding the same keys), the <c>MediaGen</c> section, or the configuration root. Invalid or
    /// unreadable values fail at start with messages naming the key.
    /// </summary>
    /// <param name="builder">The MediaGen builder.</param>
    /// <param name="configuration">The <c>MediaGen:Replicate</c> or <c>MediaGen</c> section, or the configuration root.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> or <paramref name="configuration"/> is null.</exception>
    public static MediaGenBuilder AddReplicate(this MediaGenBuilder builder, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        return Add(builder, configuration, null);
    }

    /// <summary>
    /// Adds the Replicate provider with options read from configuration (see <see cref="AddReplicate(MediaGenBuilder, IConfiguration)"/>),
    /// then <paramref name="configure"/> (e.g. a rate limiter shared by a fleet).
    /// </summary>
    /// <param name="builder">The MediaGen builder.</param>
    /// <param name="configuration">The <c>MediaGen:Replicate</c> or <c>MediaGen</c> section, or the configuration root.</param>
    /// <param name="configure">Further configuration applied after binding.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    public static MediaGenBuilder AddReplicate(this MediaGenBuilder builder, IConfiguration configuration, Action<ReplicateOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(configure);
        return Add(builder, configuration, configure);
    }

    private static MediaGenBuilder Add(MediaGenBuilder builder, IConfiguration? configuration, Action<ReplicateOptions>? configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.AddProvider(ReplicateProvider.Name, ReplicateOptionsValidator.Schema, configuration, configure, static (sp, options, http) => ReplicateProvider.CreateCore(
            options,
            http,
            sp.GetService<TimeProvider>(),
            sp.GetService<ILoggerFactory>()?.CreateLogger("MediaGen.Replicate"),
            ownsHttpClient: true)); // the container disposes the provider, the provider this client
    }
}
