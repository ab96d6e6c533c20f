using MediaGen;
using MediaGen.Routing;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the router over every provider added to the builder.</summary>
public static class MediaGenRouterBuilderExtensions
{
    /// <summary>
    /// Registers <see cref="MediaRouter"/> as the unkeyed <see cref="IMediaGenerator"/> (and as itself), routing across
    /// every provider registered with <see cref="MediaGenBuilder.AddProvider"/>. Credit rates come from
    /// <see cref="MediaGenOptions.UsdPerCredit"/> unless <paramref name="configure"/> sets them.
    /// </summary>
    /// <param name="builder">The builder.</param>
    /// <param name="configure">Configures the router.</param>
    /// <returns>The builder.</returns>
    public static MediaGenBuilder UseRouter(this MediaGenBuilder builder, Action<RouterOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.TryAddSingleton(sp =>
        {
            var options = new RouterOptions
            {
                ExchangeRates = sp.GetRequiredService<ExchangeRates>(),
                TimeProvider = sp.GetService<TimeProvider>(),
                LoggerFactory = sp.GetService<Microsoft.Extensions.Logging.ILoggerFactory>(),
            };
            configure?.Invoke(options);
            var providers = sp.GetServices<IMediaGeneratorRegistration>()
                .Select(r => sp.GetRequiredKeyedService<IMediaGenerator>(r.Name));
            return new MediaRouter(providers, options);
        });
        builder.Services.TryAddSingleton<IMediaGenerator>(sp => sp.GetRequiredService<MediaRouter>());
        return builder;
    }
}
