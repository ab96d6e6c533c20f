using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using MediaGen.Http;
using MediaGen.Telemetry;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace MediaGen;

/// <summary>Returned by <c>services.AddMediaGen()</c>; providers and the router extend it (<c>.AddMeiGen(...)</c>).</summary>
public sealed partial class MediaGenBuilder
{
    internal MediaGenBuilder(IServiceCollection services) => Services = services;

    /// <summary>Gets the service collection.</summary>
    public IServiceCollection Services { get; }

    /// <summary>
    /// Registers a provider: as a keyed <see cref="IMediaGenerator"/> under its name (for direct access) and in the
    /// set of all providers the router draws from. Registering the same name twice replaces the first. The container
    /// disposes the provider (and what it owns) when it is disposed.
    /// </summary>
    /// <param name="name">The provider name, e.g. <c>meigen</c>.</param>
    /// <param name="factory">Creates the provider.</param>
    /// <returns>This builder.</returns>
    public MediaGenBuilder AddProvider(string name, Func<IServiceProvider, IMediaGenerator> factory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(factory);
        var key = name.ToLowerInvariant();
        Services.RemoveAllKeyed<IMediaGenerator>(key);
        // One composition path, the builder's: telemetry outside logging (so log records carry the span's trace id).
        // The container owns what it creates: disposing the service provider disposes the outer layer, which disposes
        // the provider, which disposes the HttpClient and limiters it owns.
        Services.AddKeyedSingleton<IMediaGenerator>(key, (sp, _) =>
        {
            var sensitive = sp.GetService<IOptions<MediaGenOptions>>()?.Value.EnableSensitiveData ?? false;
            return factory(sp).AsBuilder()
                .UseTelemetry(o => o.EnableSensitiveData = sensitive)
                .UseLogging(configure: o => o.EnableSensitiveData = sensitive)
                .Build(sp);
        });
        // One registration per name (TryAddEnumerable would dedupe by implementation type and keep only the first provider).
        if (!Services.Any(d => d.ServiceType == typeof(IMediaGeneratorRegistration) && d.ImplementationInstance is MediaGeneratorRegistration r && r.Name == key))
        {
            Services.AddSingleton<IMediaGeneratorRegistration>(new MediaGeneratorRegistration(key));
        }
        return this;
    }

    /// <summary>
    /// Registers the named <see cref="HttpClient"/> a provider talks through (<c>MediaGen.{name}</c>) so every
    /// provider shares one HTTP setup: MediaGen's resilience pipeline (retries, timeouts, the submit POST cap) is attached
    /// here, once, with Microsoft.Extensions.Http.Resilience's <c>AddResilienceHandler</c>.
    /// </summary>
    /// <param name="name">The provider name.</param>
    /// <returns>The HTTP client builder, for provider-specific additions.</returns>
    public IHttpClientBuilder AddProviderHttpClient(string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        var clientName = HttpClientName(name);
        Services.AddOptions<MediaGenHttpOptions>(clientName).ValidateOnStart();
        Services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<MediaGenHttpOptions>, MediaGenHttpOptionsValidator>());
        var client = Services.AddHttpClient(clientName, client => client.Timeout = Timeout.InfiniteTimeSpan);
        client.AddResilienceHandler(MediaGenResilience.PipelineName, (pipeline, context) =>
        {
            context.EnableReloads<MediaGenHttpOptions>(clientName);
            MediaGenResilience.Configure(pipeline, context.GetOptions<MediaGenHttpOptions>(clientName), context.ServiceProvider.GetService<TimeProvider>());
        });
        return client;
    }

    /// <summary>Gets the name of a provider's <see cref="HttpClient"/> in <see cref="IHttpClientFactory"/>.</summary>
    /// <param name="provider">The provider name.</param>
    /// <returns><c>MediaGen.{provider}</c>.</returns>
    public static string HttpClientName(string provider) => "MediaGen." + provider.ToLowerInvariant();
}

/// <summary>Names a registered provider so the router can find every keyed <see cref="IMediaGenerator"/>.</summary>
public interface IMediaGeneratorRegistration
{
    /// <summary>Gets the provider name (the service key).</summary>
    string Name { get; }
}

internal sealed record MediaGeneratorRegistration(string Name) : IMediaGeneratorRegistration;

/// <summary>Validates each provider's HTTP settings at start, naming the configuration key.</summary>
internal sealed class MediaGenHttpOptionsValidator(IEnumerable<MediaGenHttpConfiguration> configurations) : IValidateOptions<MediaGenHttpOptions>
{
    public ValidateOptionsResult Validate(string? name, MediaGenHttpOptions options)
    {
        var provider = MediaGenHttpConfiguration.ProviderOf(name) ?? name ?? "provider";
        var path = configurations.Select(c => c.PathOf(provider)).FirstOrDefault(p => p is not null) ?? $"{MediaGenOptions.SectionName}:{provider}:Http";
        var problems = options.Validate(path);
        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }
}

/// <summary>
/// Binds each provider's <see cref="MediaGenHttpOptions"/> (named <c>MediaGen.{provider}</c>) from <c>{provider}:Http</c> under
/// the <c>MediaGen</c> section given to <c>AddMediaGen(configuration)</c>, e.g. <c>MediaGen:MeiGen:Http:MaxRetries</c>.
/// </summary>
internal sealed class MediaGenHttpConfiguration(IConfiguration mediaGen) : IConfigureNamedOptions<MediaGenHttpOptions>
{
    public void Configure(string? name, MediaGenHttpOptions options)
    {
        // The provider's section as the configuration spells it, so a value the binder cannot convert is reported at
        // 'MediaGen:MeiGen:Http:BaseDelay', not at the lower-case client name.
        if (ProviderOf(name) is { } provider && Find(provider)?.GetSection("Http") is { } section && section.Exists())
        {
            section.Bind(options);
        }
    }

    public void Configure(MediaGenHttpOptions options) => Configure(Options.DefaultName, options);

    /// <summary>Gets the configuration path of a provider's HTTP settings as the configuration spells it (<c>MediaGen:MeiGen:Http</c>), when present.</summary>
    public string? PathOf(string provider) => Find(provider) is { } child ? child.Path + ":Http" : null;

    private IConfigurationSection? Find(string provider) =>
        mediaGen.GetChildren().FirstOrDefault(c => string.Equals(c.Key, provider, StringComparison.OrdinalIgnoreCase));

    public static string? ProviderOf(string? clientName) =>
        clientName is not null && clientName.StartsWith("MediaGen.", StringComparison.Ordinal) ? clientName["MediaGen.".Length..] : null;
}
