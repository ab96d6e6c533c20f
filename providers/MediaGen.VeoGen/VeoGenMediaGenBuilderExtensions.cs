using MediaGen;
using MediaGen.VeoGen;
using MediaGen.VeoGen.Internal;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the VeoGen Studio provider on a <see cref="MediaGenBuilder"/>.</summary>
public static class VeoGenMediaGenBuilderExtensions
{
    /// <summary>
    /// Adds the VeoGen provider (keyed <c>veogen</c>), talking through the named client <c>MediaGen.veogen</c>, with
    /// options configured in code. The options are validated at start, and messages name the configuration key
    /// (<c>MediaGen:VeoGen:ApiKey</c>, …).
    /// </summary>
    /// <param name="builder">The MediaGen builder.</param>
    /// <param name="configure">Configures the options.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> or <paramref name="configure"/> is null.</exception>
    public static MediaGenBuilder AddVeoGen(this MediaGenBuilder builder, Action<VeoGenOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        return Add(builder, null, configure);
    }

    /// <summary>
    /// Adds the VeoGen provider with options read from configuration: the <c>MediaGen:VeoGen</c> section (or a section
    /// of another name holding the same keys), the <c>MediaGen</c> section, or the configuration root. Invalid or
    /// unreadable values, and the renamed keys <c>UseLivePrices</c> and <c>LivePriceLifetime</c>, fail at start with
    /// messages naming the key.
    /// </summary>
    /// <param name="builder">The MediaGen builder.</param>
    /// <param name="configuration">The <c>MediaGen:VeoGen</c> or <c>MediaGen</c> section, or the configuration root.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> or <paramref name="configuration"/> is null.</exception>
    public static MediaGenBuilder AddVeoGen(this MediaGenBuilder builder, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        return Add(builder, configuration, null);
    }

    /// <summary>
    /// Adds the VeoGen provider with options read from configuration (see <see cref="AddVeoGen(MediaGenBuilder, IConfiguration)"/>),
    /// then <paramref name="configure"/> (e.g. a rate limiter shared by a fleet).
    /// </summary>
    /// <param name="builder">The MediaGen builder.</param>
    /// <param name="configuration">The <c>MediaGen:VeoGen</c> or <c>MediaGen</c> section, or the configuration root.</param>
    /// <param name="configure">Further configuration applied after binding.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    public static MediaGenBuilder AddVeoGen(this MediaGenBuilder builder, IConfiguration configuration, Action<VeoGenOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(configure);
        return Add(builder, configuration, configure);
    }

    private static MediaGenBuilder Add(MediaGenBuilder builder, IConfiguration? configuration, Action<VeoGenOptions>? configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.AddProvider(VeoGenProvider.Name, VeoGenOptionsValidator.Schema, configuration, configure, static (sp, options, http) => VeoGenProvider.CreateCore(
            options,
            http,
            sp.GetService<TimeProvider>(),
            sp.GetService<ILoggerFactory>()?.CreateLogger("MediaGen.VeoGen"),
            ownsHttpClient: true)); // the container disposes the provider, the provider this client
    }
}
