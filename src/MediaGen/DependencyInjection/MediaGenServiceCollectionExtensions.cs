using MediaGen;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers MediaGen in a service collection.</summary>
public static class MediaGenServiceCollectionExtensions
{
    /// <summary>
    /// Adds the MediaGen core (options validated at start, exchange rates, the job update hub, the clock) and returns
    /// a builder for providers.
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="configure">Configures the options.</param>
    /// <returns>The builder.</returns>
    public static MediaGenBuilder AddMediaGen(this IServiceCollection services, Action<MediaGenOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var options = services.AddOptions<MediaGenOptions>();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        options.ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<MediaGenOptions>, MediaGenOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<JobUpdateHub>();
        services.TryAddSingleton(sp => sp.GetRequiredService<IOptions<MediaGenOptions>>().Value.CreateExchangeRates());
        return new MediaGenBuilder(services);
    }

    /// <summary>
    /// Adds the MediaGen core with options bound from configuration (the <c>MediaGen</c> section), and each provider's
    /// HTTP resilience settings from <c>MediaGen:{Provider}:Http</c> (<see cref="MediaGen.Http.MediaGenHttpOptions"/>).
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="configuration">The <c>MediaGen</c> configuration section.</param>
    /// <returns>The builder.</returns>
    public static MediaGenBuilder AddMediaGen(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var builder = services.AddMediaGen();
        services.AddOptions<MediaGenOptions>().Bind(configuration);
        services.AddSingleton(new MediaGenHttpConfiguration(configuration));
        services.AddSingleton<IConfigureOptions<MediaGen.Http.MediaGenHttpOptions>>(sp => sp.GetRequiredService<MediaGenHttpConfiguration>());
        return builder;
    }
}
