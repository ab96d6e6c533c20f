using System.Runtime.CompilerServices;
using MediaGen.Providers;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace MediaGen;

/// <summary>The one registration every vendor's <c>Add{Vendor}</c> goes through.</summary>
public sealed partial class MediaGenBuilder
{
    /// <summary>
    /// Registers a provider with options: bound from <paramref name="configuration"/> (when given) by the provider's
    /// source-generated binder, then <paramref name="configure"/> (when given), validated at start by
    /// <paramref name="schema"/> with messages naming the real configuration path (<c>MediaGen:MeiGen:ApiKey …</c>);
    /// its named <see cref="HttpClient"/> (<see cref="AddProviderHttpClient"/>); and the provider itself
    /// (<see cref="AddProvider(string, Func{IServiceProvider, IMediaGenerator})"/>), created from the validated options.
    /// </summary>
    /// <remarks>
    /// <paramref name="configuration"/> may be the provider's section (<c>MediaGen:MeiGen</c>, or any section of another
    /// name), its parent <c>MediaGen</c> section or the configuration root (see <see cref="ProviderOptionsSchema{TOptions}.SectionName"/>).
    /// Calling this again for the same options type adds the new binding and configuration on top; messages name the last section.
    /// </remarks>
    /// <typeparam name="TOptions">The provider's options.</typeparam>
    /// <param name="name">The provider name, e.g. <c>meigen</c>.</param>
    /// <param name="schema">How the options are bound and validated.</param>
    /// <param name="configuration">The configuration to bind from, or null.</param>
    /// <param name="configure">Configuration in code, applied after binding, or null.</param>
    /// <param name="factory">Creates the provider from the services, the validated options and its named HTTP client (which the provider should own).</param>
    /// <returns>This builder.</returns>
    public MediaGenBuilder AddProvider<TOptions>(
        string name,
        ProviderOptionsSchema<TOptions> schema,
        IConfiguration? configuration,
        Action<TOptions>? configure,
        Func<IServiceProvider, TOptions, HttpClient, IMediaGenerator> factory)
        where TOptions : class, new()
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(schema);
        ArgumentNullException.ThrowIfNull(factory);
        var options = Services.AddOptions<TOptions>();
        var path = schema.SectionName;
        if (configuration is not null)
        {
            var section = schema.Resolve(configuration);
            path = section.Path;
            Services.AddSingleton<IConfigureOptions<TOptions>>(new BindFromSection<TOptions>(schema, section));
        }

        if (configure is not null)
        {
            options.Configure(configure);
        }

        options.ValidateOnStart();
        for (var i = Services.Count - 1; i >= 0; i--)
        {
            if (Services[i].ServiceType == typeof(IValidateOptions<TOptions>) && Services[i].ImplementationInstance is ValidateBySchema<TOptions>)
            {
                Services.RemoveAt(i);
            }
        }

        Services.AddSingleton<IValidateOptions<TOptions>>(new ValidateBySchema<TOptions>(schema, path));
        AddProviderHttpClient(name);
        return AddProvider(name, sp => factory(
            sp,
            sp.GetRequiredService<IOptions<TOptions>>().Value,
            sp.GetRequiredService<IHttpClientFactory>().CreateClient(HttpClientName(name))));
    }

    /// <summary>What binding a given options instance could not apply, reported when that instance is validated.</summary>
    private static class BindingProblems<TOptions>
        where TOptions : class
    {
        public static readonly ConditionalWeakTable<TOptions, List<string>> Table = new();
    }

    private sealed class BindFromSection<TOptions>(ProviderOptionsSchema<TOptions> schema, IConfigurationSection section) : IConfigureOptions<TOptions>
        where TOptions : class, new()
    {
        public void Configure(TOptions options)
        {
            var problems = schema.BindFrom(section, options);
            if (problems.Count > 0)
            {
                BindingProblems<TOptions>.Table.GetOrCreateValue(options).AddRange(problems);
            }
        }
    }

    private sealed class ValidateBySchema<TOptions>(ProviderOptionsSchema<TOptions> schema, string path) : IValidateOptions<TOptions>
        where TOptions : class, new()
    {
        public ValidateOptionsResult Validate(string? name, TOptions options)
        {
            if (name is not null && name != Options.DefaultName)
            {
                return ValidateOptionsResult.Skip;
            }

            var failures = new List<string>();
            if (BindingProblems<TOptions>.Table.TryGetValue(options, out var binding))
            {
                failures.AddRange(binding);
            }

            failures.AddRange(schema.Validate(options, path));
            return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
        }
    }
}
