using MediaGen.MeiGen.Internal;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace MediaGen.MeiGen;

/// <summary>Registers the MeiGen provider on a <see cref="MediaGenBuilder"/>.</summary>
public static class MeiGenMediaGenBuilderExtensions
{
    /// <summary>
    /// Adds the MeiGen provider (keyed <c>meigen</c>), its named HTTP client <c>MediaGen.meigen</c> and options validated at start.
    /// </summary>
    /// <param name="builder">The builder from <c>services.AddMediaGen()</c>.</param>
    /// <param name="configure">Configures the options.</param>
    /// <returns>The builder.</returns>
    public static MediaGenBuilder AddMeiGen(this MediaGenBuilder builder, Action<MeiGenOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);
        Register(builder, MeiGenOptions.SectionName).Configure(configure);
        return builder;
    }

    /// <summary>
    /// Adds the MeiGen provider with options read from the <c>MediaGen:MeiGen</c> configuration section
    /// (<c>ApiKey</c>, <c>BaseAddress</c>, <c>GenerateRequestsPerMinute</c>, <c>RefreshFromModelsEndpoint</c>,
    /// <c>ModelsCacheDuration</c>, <c>PriceOverrides:&lt;model&gt;</c>). Invalid values fail at start with messages naming the key.
    /// </summary>
    /// <param name="builder">The builder.</param>
    /// <param name="configuration">The <c>MediaGen:MeiGen</c> section.</param>
    /// <param name="configure">Further configuration applied after binding (e.g. a shared rate limiter), or null.</param>
    /// <returns>The builder.</returns>
    public static MediaGenBuilder AddMeiGen(this MediaGenBuilder builder, IConfiguration configuration, Action<MeiGenOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configuration);
        var path = configuration is IConfigurationSection { Path.Length: > 0 } section ? section.Path : MeiGenOptions.SectionName;
        var options = Register(builder, path);
        var bindErrors = new List<string>();
        options.Configure(o => Bind(configuration, o, path, bindErrors));
        if (configure is not null)
        {
            options.Configure(configure);
        }

        builder.Services.AddSingleton<IValidateOptions<MeiGenOptions>>(new BindErrorsValidator(bindErrors));
        return builder;
    }

    private static OptionsBuilder<MeiGenOptions> Register(MediaGenBuilder builder, string path)
    {
        builder.Services.TryAddSingleton(new MeiGenConfigurationPath(path));
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<MeiGenOptions>, MeiGenOptionsValidator>());
        builder.AddProviderHttpClient(MeiGenProvider.Name);
        builder.AddProvider(MeiGenProvider.Name, sp =>
        {
            var options = sp.GetRequiredService<IOptions<MeiGenOptions>>().Value;
            var http = sp.GetRequiredService<IHttpClientFactory>().CreateClient(MediaGenBuilder.HttpClientName(MeiGenProvider.Name));
            var time = sp.GetService<TimeProvider>() ?? TimeProvider.System;
            var logger = sp.GetService<ILoggerFactory>()?.CreateLogger("MediaGen.MeiGen");
            return MeiGenProvider.Create(options, http, time, logger, ownsHttpClient: true); // the container disposes the provider, the provider this client
        });
        return builder.Services.AddOptions<MeiGenOptions>().ValidateOnStart();
    }

    private static void Bind(IConfiguration section, MeiGenOptions options, string path, List<string> errors)
    {
        errors.Clear();
        if (section["ApiKey"] is { } key)
        {
            options.ApiKey = key;
        }

        if (section["BaseAddress"] is { Length: > 0 } address)
        {
            if (Uri.TryCreate(address, UriKind.Absolute, out var uri))
            {
                options.BaseAddress = uri;
            }
            else
            {
                errors.Add($"{path}:BaseAddress must be an absolute URL; got '{address}'.");
            }
        }

        if (section["GenerateRequestsPerMinute"] is { Length: > 0 } perMinute)
        {
            if (int.TryParse(perMinute, System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var value))
            {
                options.GenerateRequestsPerMinute = value;
            }
            else
            {
                errors.Add($"{path}:GenerateRequestsPerMinute must be a whole number; got '{perMinute}'.");
            }
        }

        if (section["RefreshFromModelsEndpoint"] is { Length: > 0 } refresh)
        {
            if (bool.TryParse(refresh, out var value))
            {
                options.RefreshFromModelsEndpoint = value;
            }
            else
            {
                errors.Add($"{path}:RefreshFromModelsEndpoint must be true or false; got '{refresh}'.");
            }
        }

        if (section["ModelsCacheDuration"] is { Length: > 0 } cache)
        {
            if (TimeSpan.TryParse(cache, System.Globalization.CultureInfo.InvariantCulture, out var value))
            {
                options.ModelsCacheDuration = value;
            }
            else
            {
                errors.Add($"{path}:ModelsCacheDuration must be a time span such as 00:05:00; got '{cache}'.");
            }
        }

        options.PriceOverrides.Bind(section.GetSection("PriceOverrides"), $"{path}:PriceOverrides", MoneyUnit.Credits(MeiGenProvider.Name), errors);
    }

    private sealed class BindErrorsValidator(List<string> errors) : IValidateOptions<MeiGenOptions>
    {
        public ValidateOptionsResult Validate(string? name, MeiGenOptions options) =>
            errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
