using MediaGen.VeoGen.Internal;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace MediaGen.VeoGen;

/// <summary>Registers the VeoGen Studio provider on a <see cref="MediaGenBuilder"/>.</summary>
public static class VeoGenMediaGenBuilderExtensions
{
    /// <summary>
    /// Adds the VeoGen provider (keyed <c>veogen</c>), talking through the named client <c>MediaGen.veogen</c>. The
    /// options are validated at start, and messages name the configuration key (<c>MediaGen:VeoGen:ApiKey</c>, …).
    /// </summary>
    /// <param name="builder">The MediaGen builder.</param>
    /// <param name="configure">Configures the options.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> or <paramref name="configure"/> is null.</exception>
    public static MediaGenBuilder AddVeoGen(this MediaGenBuilder builder, Action<VeoGenOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);
        return Register(builder, configure, new VeoGenOptionsValidator(VeoGenOptions.SectionName));
    }

    /// <summary>
    /// Adds the VeoGen provider with options read from configuration: the <c>MediaGen:VeoGen</c> section itself, the
    /// <c>MediaGen</c> section, or a configuration root that contains them. Unparsable values are reported at start by their key.
    /// </summary>
    /// <param name="builder">The MediaGen builder.</param>
    /// <param name="configuration">The <c>MediaGen:VeoGen</c> or <c>MediaGen</c> section, or the configuration root.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> or <paramref name="configuration"/> is null.</exception>
    public static MediaGenBuilder AddVeoGen(this MediaGenBuilder builder, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configuration);
        var section = configuration switch
        {
            IConfigurationSection { Key: "VeoGen" } own => own,
            IConfigurationSection { Key: "MediaGen" } parent => parent.GetSection("VeoGen"),
            _ => configuration.GetSection(VeoGenOptions.SectionName),
        };
        var prefix = section is IConfigurationSection s ? s.Path : VeoGenOptions.SectionName;
        return Register(builder, options => VeoGenConfiguration.Bind(section, options), new VeoGenOptionsValidator(prefix, section));
    }

    private static MediaGenBuilder Register(MediaGenBuilder builder, Action<VeoGenOptions> configure, VeoGenOptionsValidator validator)
    {
        var services = builder.Services;
        builder.AddProviderHttpClient(VeoGenProvider.Name);
        services.AddOptions<VeoGenOptions>().Configure(configure).ValidateOnStart();
        services.RemoveAll<IValidateOptions<VeoGenOptions>>();
        services.AddSingleton<IValidateOptions<VeoGenOptions>>(validator);
        builder.AddProvider(VeoGenProvider.Name, sp => VeoGenProvider.CreateCore(
            sp.GetRequiredService<IOptions<VeoGenOptions>>().Value,
            sp.GetRequiredService<IHttpClientFactory>().CreateClient(MediaGenBuilder.HttpClientName(VeoGenProvider.Name)),
            sp.GetService<TimeProvider>(),
            ownsHttpClient: true)); // the container disposes the provider, the provider this client
        return builder;
    }
}
