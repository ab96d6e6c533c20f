using System.Globalization;
using MediaGen.Providers;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace MediaGen.MeiGen.Internal;

/// <summary>
/// Validates <see cref="MeiGenOptions"/>: the DataAnnotations on the options (this class's source-generated
/// <c>Validate</c>), plus <see cref="Check"/> for what attributes cannot say. <see cref="Schema"/> is what the core binds
/// and validates with, at start under DI and in <see cref="MeiGenProvider.Create"/>; messages name the configuration key.
/// </summary>
[OptionsValidator]
internal sealed partial class MeiGenOptionsValidator : IValidateOptions<MeiGenOptions>
{
    /// <summary>How MeiGen's options are bound (the source-generated binder) and validated.</summary>
    public static ProviderOptionsSchema<MeiGenOptions> Schema { get; } = new()
    {
        DisplayName = "MeiGen",
        SectionName = MeiGenOptions.SectionName,
        Bind = static (section, options) => section.Bind(options),
        Validator = new MeiGenOptionsValidator(),
        Check = Check,
        PriceOverrides = static options => options.PriceOverrides,
        PriceUnit = MoneyUnit.Credits(MeiGenProvider.Name),
        RenamedKeys = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
        {
            ["GenerateRequestsPerMinute"] = nameof(MeiGenOptions.RequestsPerMinute),
            ["RefreshFromModelsEndpoint"] = nameof(MeiGenOptions.UseLiveCatalog),
            ["ModelsCacheDuration"] = nameof(MeiGenOptions.LiveCatalogLifetime),
        },
    };

    /// <summary>The rules the attributes cannot state.</summary>
    private static IEnumerable<OptionsProblem> Check(MeiGenOptions options)
    {
        if (options.LiveCatalogLifetime < TimeSpan.Zero)
        {
            yield return new(nameof(options.LiveCatalogLifetime), string.Create(CultureInfo.InvariantCulture, $"must not be negative; got {options.LiveCatalogLifetime}."));
        }
    }
}
