using System.Globalization;
using MediaGen.Apiframe.Internal;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace MediaGen.Apiframe;

/// <summary>Registers the Apiframe provider with <c>services.AddMediaGen()</c>.</summary>
public static class ApiframeMediaGenBuilderExtensions
{
    /// <summary>
    /// Adds the Apiframe provider (keyed <see cref="IMediaGenerator"/> <c>apiframe</c>), its named HTTP client
    /// (<c>MediaGen.apiframe</c>) and its <see cref="ApiframeWebhookReceiver"/>, publishing into the shared
    /// <see cref="JobUpdateHub"/>. Options are validated at start.
    /// </summary>
    /// <param name="builder">The MediaGen builder.</param>
    /// <param name="configure">Configures the options.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    public static MediaGenBuilder AddApiframe(this MediaGenBuilder builder, Action<ApiframeOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);
        builder.Services.AddOptions<ApiframeOptions>().Configure(configure).ValidateOnStart();
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ApiframeOptions>, ApiframeOptionsValidator>());
        builder.AddProviderHttpClient(ApiframeProvider.Name);
        builder.AddProvider(ApiframeProvider.Name, sp =>
        {
            var options = sp.GetRequiredService<IOptions<ApiframeOptions>>().Value;
            var http = sp.GetRequiredService<IHttpClientFactory>().CreateClient(MediaGenBuilder.HttpClientName(ApiframeProvider.Name));
            return ApiframeProvider.CreateCore(options, http, sp.GetService<TimeProvider>(), sp.GetService<JobUpdateHub>(), ownsHttpClient: true); // the container disposes the provider, the provider this client
        });
        builder.Services.TryAddSingleton(sp =>
            sp.GetRequiredKeyedService<IMediaGenerator>(ApiframeProvider.Name).GetService(typeof(ApiframeWebhookReceiver)) as ApiframeWebhookReceiver
            ?? new ApiframeWebhookReceiver(sp.GetRequiredService<IOptions<ApiframeOptions>>().Value, sp.GetService<JobUpdateHub>()));
        return builder;
    }

    /// <summary>
    /// Adds the Apiframe provider with options read from a configuration section (by convention <c>MediaGen:Apiframe</c>):
    /// <c>ApiKey</c>, <c>BaseAddress</c>, <c>MaxConcurrentJobs</c>, <c>LimitConcurrency</c>, <c>ConcurrencyQueueLimit</c>, <c>ConcurrencyPermitLifetime</c>,
    /// <c>WebhookDedupeCapacity</c> and <c>PriceOverrides:&lt;model&gt;</c>.
    /// Unreadable values fail at start with a message naming the key, and so do the removed <c>MaxSubmitAttempts</c>,
    /// <c>SubmitRetryBaseDelay</c> and <c>SubmitRetryMaxDelay</c> (submit retries are the shared pipeline's:
    /// <c>MediaGen:Apiframe:Http</c>).
    /// </summary>
    /// <param name="builder">The MediaGen builder.</param>
    /// <param name="section">The configuration section.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    public static MediaGenBuilder AddApiframe(this MediaGenBuilder builder, IConfiguration section)
    {
        ArgumentNullException.ThrowIfNull(section);
        var errors = new List<string>();
        builder.AddApiframe(options => Bind(section, options, errors));
        builder.Services.AddSingleton<IValidateOptions<ApiframeOptions>>(new BindingErrors(errors));
        return builder;
    }

    // Bound by hand: AOT-safe, and a value that does not parse is reported with its key instead of thrown.
    internal static void Bind(IConfiguration section, ApiframeOptions options, List<string> errors)
    {
        var path = section is IConfigurationSection s ? s.Path : ApiframeOptions.SectionName;
        errors.Clear();
        if (section["ApiKey"] is { } key)
        {
            options.ApiKey = key;
        }

        if (section["BaseAddress"] is { } address)
        {
            if (Uri.TryCreate(address, UriKind.Absolute, out var uri))
            {
                options.BaseAddress = uri;
            }
            else
            {
                errors.Add($"{path}:BaseAddress is not an absolute URL: '{address}'.");
            }
        }

        foreach (var removed in (string[])["MaxSubmitAttempts", "SubmitRetryBaseDelay", "SubmitRetryMaxDelay"])
        {
            if (section[removed] is not null)
            {
                // Silently ignoring it would leave a cap the user believes in (say 1: "never resend") unapplied.
                errors.Add($"{path}:{removed} is no longer read: Apiframe submits are resent by the shared HTTP pipeline. Remove it; the POST cap per submit is {path}:Http:MaxSubmitAttempts (1–10, default 3) and the back-off is {path}:Http:BaseDelay.");
            }
        }

        Int("MaxConcurrentJobs", v => options.MaxConcurrentJobs = v);
        Int("ConcurrencyQueueLimit", v => options.ConcurrencyQueueLimit = v);
        Int("WebhookDedupeCapacity", v => options.WebhookDedupeCapacity = v);
        Time("ConcurrencyPermitLifetime", v => options.ConcurrencyPermitLifetime = v);
        if (section["LimitConcurrency"] is { } limit)
        {
            if (bool.TryParse(limit, out var b))
            {
                options.LimitConcurrency = b;
            }
            else
            {
                errors.Add($"{path}:LimitConcurrency must be true or false; got '{limit}'.");
            }
        }

        options.PriceOverrides.Bind(section.GetSection("PriceOverrides"), $"{path}:PriceOverrides", MoneyUnit.Credits(ApiframeProvider.Name), errors);

        void Time(string name, Action<TimeSpan> set)
        {
            if (section[name] is not { } text)
            {
                return;
            }

            if (TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out var v))
            {
                set(v);
            }
            else
            {
                errors.Add($"{path}:{name} must be a time span such as 00:00:30; got '{text}'.");
            }
        }

        void Int(string name, Action<int> set)
        {
            if (section[name] is not { } text)
            {
                return;
            }

            if (int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var v))
            {
                set(v);
            }
            else
            {
                errors.Add($"{path}:{name} must be a whole number; got '{text}'.");
            }
        }
    }

    private sealed class BindingErrors(List<string> errors) : IValidateOptions<ApiframeOptions>
    {
        public ValidateOptionsResult Validate(string? name, ApiframeOptions options) =>
            errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
