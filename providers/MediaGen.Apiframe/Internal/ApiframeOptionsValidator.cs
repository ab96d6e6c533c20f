using System.Globalization;
using MediaGen.Providers;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace MediaGen.Apiframe.Internal;

/// <summary>
/// Validates <see cref="ApiframeOptions"/>: the DataAnnotations on the options (this class's source-generated
/// <c>Validate</c>), plus <see cref="Check"/> for what attributes cannot say. <see cref="Schema"/> is what the core binds
/// and validates with, at start under DI and in <see cref="ApiframeProvider.Create"/>; messages name the configuration key.
/// </summary>
[OptionsValidator]
internal sealed partial class ApiframeOptionsValidator : IValidateOptions<ApiframeOptions>
{
    /// <summary>The submit-retry keys of earlier versions: submits are resent by the shared HTTP pipeline now.</summary>
    private static readonly string[] RemovedRetryKeys = ["MaxSubmitAttempts", "SubmitRetryBaseDelay", "SubmitRetryMaxDelay"];

    /// <summary>How Apiframe's options are bound (the source-generated binder) and validated.</summary>
    public static ProviderOptionsSchema<ApiframeOptions> Schema { get; } = new()
    {
        DisplayName = "Apiframe",
        SectionName = ApiframeOptions.SectionName,
        Bind = static (section, options) => section.Bind(options),
        Validator = new ApiframeOptionsValidator(),
        Check = Check,
        CheckConfiguration = CheckConfiguration,
        PriceOverrides = static options => options.PriceOverrides,
        PriceUnit = MoneyUnit.Credits(ApiframeProvider.Name),
    };

    /// <summary>The rules the attributes cannot state.</summary>
    private static IEnumerable<OptionsProblem> Check(ApiframeOptions options)
    {
        if (options.ConcurrencyPermitLifetime <= TimeSpan.Zero)
        {
            yield return new(nameof(options.ConcurrencyPermitLifetime), string.Create(CultureInfo.InvariantCulture, $"must be positive; got {options.ConcurrencyPermitLifetime}."));
        }
    }

    /// <summary>
    /// A removed retry key fails instead of being ignored: silently dropping it would leave a cap the user believes in
    /// (say 1: "never resend") unapplied.
    /// </summary>
    private static IEnumerable<OptionsProblem> CheckConfiguration(IConfigurationSection section)
    {
        foreach (var removed in RemovedRetryKeys)
        {
            if (section.GetSection(removed).Exists())
            {
                yield return new(removed, $"is no longer read: Apiframe submits are resent by the shared HTTP pipeline. Remove it; the POST cap per submit is {section.Path}:Http:MaxSubmitAttempts (1–10, default 3) and the back-off is {section.Path}:Http:BaseDelay.");
            }
        }
    }
}
