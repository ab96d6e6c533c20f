using System.Globalization;
using MediaGen.Providers;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace MediaGen.VeoGen.Internal;

/// <summary>
/// Validates <see cref="VeoGenOptions"/>: the DataAnnotations on the options (this class's source-generated
/// <c>Validate</c>), plus <see cref="Check"/> for what attributes cannot say. <see cref="Schema"/> is what the core binds
/// and validates with, at start under DI and in <see cref="VeoGenProvider.Create"/>; messages name the configuration key.
/// </summary>
[OptionsValidator]
internal sealed partial class VeoGenOptionsValidator : IValidateOptions<VeoGenOptions>
{
    /// <summary>How VeoGen's options are bound (the source-generated binder) and validated.</summary>
    public static ProviderOptionsSchema<VeoGenOptions> Schema { get; } = new()
    {
        DisplayName = "VeoGen",
        SectionName = VeoGenOptions.SectionName,
        Bind = static (section, options) => section.Bind(options),
        Validator = new VeoGenOptionsValidator(),
        Check = Check,
        CheckConfiguration = CheckConfiguration,
        PriceOverrides = static options => options.PriceOverrides,
        PriceUnit = MoneyUnit.Usd,
        RenamedKeys = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
        {
            ["UseLivePrices"] = nameof(VeoGenOptions.UseLiveCatalog),
            ["LivePriceLifetime"] = nameof(VeoGenOptions.LiveCatalogLifetime),
        },
    };

    /// <summary>The rules the attributes cannot state.</summary>
    private static IEnumerable<OptionsProblem> Check(VeoGenOptions options)
    {
        if (options.LiveCatalogLifetime <= TimeSpan.Zero)
        {
            yield return new(nameof(options.LiveCatalogLifetime), Invariant($"must be positive; got {options.LiveCatalogLifetime}."));
        }

        if (options.ReconciliationClockSkew < TimeSpan.Zero)
        {
            yield return new(nameof(options.ReconciliationClockSkew), Invariant($"must not be negative; got {options.ReconciliationClockSkew}."));
        }
    }

    /// <summary>
    /// An override bound without its price (<c>PriceUsd</c>, <c>Price</c> or <c>Rates</c>) would price the model at $0: a
    /// missing price is never taken for a free one, so the key is required whenever an override section is configured.
    /// </summary>
    private static IEnumerable<OptionsProblem> CheckConfiguration(IConfigurationSection section)
    {
        foreach (var model in section.GetSection(nameof(VeoGenOptions.PriceOverrides)).GetChildren())
        {
            if (model.Value is null
                && !model.GetSection("PriceUsd").Exists()
                && !model.GetSection("Price").Exists()
                && !model.GetSection("Rates").Exists())
            {
                yield return new($"{nameof(VeoGenOptions.PriceOverrides)}:{model.Key}:PriceUsd", "is required: the price in US dollars (per generation, or per second with PerSecond = true).");
            }
        }
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
