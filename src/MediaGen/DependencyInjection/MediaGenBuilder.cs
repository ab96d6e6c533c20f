using Microsoft.Extensions.DependencyInjection;
using MediaGen.Http;
using MediaGen.Telemetry;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace MediaGen;

/// <summary>Returned by <c>services.AddMediaGen()</c>; providers and the router extend it (<c>.AddMeiGen(...)</c>).</summary>
public sealed class MediaGenBuilder
{
    internal MediaGenBuilder(IServiceCollection services) => Services = services;

    /// <summary>Gets the service collection.</summary>
    public IServiceCollection Services { get; }

    /// <summary>
    /// Registers a provider: as a keyed <see cref="IMediaGenerator"/> under its name (for direct access) and in the
    /// set of all providers the router draws from. Registering the same name twice replaces the first.
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
        Services.AddKeyedSingleton<IMediaGenerator>(key, (sp, _) => factory(sp).WithTelemetry(
            sp.GetService<ILoggerFactory>(),
            new MediaGenTelemetryOptions { EnableSensitiveData = sp.GetService<IOptions<MediaGenOptions>>()?.Value.EnableSensitiveData ?? false },
            sp.GetService<TimeProvider>()));
        // One registration per name (TryAddEnumerable would dedupe by implementation type and keep only the first provider).
        if (!Services.Any(d => d.ServiceType == typeof(IMediaGeneratorRegistration) && d.ImplementationInstance is MediaGeneratorRegistration r && r.Name == key))
        {
            Services.AddSingleton<IMediaGeneratorRegistration>(new MediaGeneratorRegistration(key));
        }
        return this;
    }

    /// <summary>
    /// Registers the named <see cref="HttpClient"/> a provider talks through (<c>MediaGen.{name}</c>) so every
    /// provider shares one HTTP setup: the resilience handler and timeouts are attached here, once.
    /// </summary>
    /// <param name="name">The provider name.</param>
    /// <returns>The HTTP client builder, for provider-specific additions.</returns>
    public IHttpClientBuilder AddProviderHttpClient(string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        var clientName = HttpClientName(name);
        Services.AddOptions<MediaGenHttpOptions>(clientName).ValidateOnStart();
        Services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<MediaGenHttpOptions>, MediaGenHttpOptionsValidator>());
        return Services.AddHttpClient(clientName, client => client.Timeout = Timeout.InfiniteTimeSpan)
            .AddHttpMessageHandler(sp => new MediaGenResilienceHandler(
                sp.GetRequiredService<IOptionsMonitor<MediaGenHttpOptions>>().Get(clientName),
                sp.GetService<TimeProvider>()));
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
internal sealed class MediaGenHttpOptionsValidator : IValidateOptions<MediaGenHttpOptions>
{
    public ValidateOptionsResult Validate(string? name, MediaGenHttpOptions options)
    {
        var provider = name is not null && name.StartsWith("MediaGen.", StringComparison.Ordinal) ? name["MediaGen.".Length..] : name ?? "provider";
        var problems = options.Validate($"{MediaGenOptions.SectionName}:{provider}:Http");
        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }
}
