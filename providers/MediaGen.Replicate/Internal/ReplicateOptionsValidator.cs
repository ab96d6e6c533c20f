using System.Globalization;
using MediaGen.Providers;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace MediaGen.Replicate.Internal;

/// <summary>
/// Validates <see cref="ReplicateOptions"/>: the DataAnnotations (this class's source-generated <c>Validate</c>) plus
/// <see cref="Check"/> for what attributes cannot say. <see cref="Schema"/> is what the core binds and validates with.
/// </summary>
[OptionsValidator]
internal sealed partial class ReplicateOptionsValidator : IValidateOptions<ReplicateOptions>
{
    /// <summary>How Replicate's options are bound (the source-generated binder) and validated.</summary>
    public static ProviderOptionsSchema<ReplicateOptions> Schema { get; } = new()
    {
        DisplayName = "Replicate",
        SectionName = ReplicateOptions.SectionName,
        Bind = static (section, options) => section.Bind(options),
        Validator = new ReplicateOptionsValidator(),
        Check = Check,
        CheckConfiguration = CheckConfiguration,
        PriceOverrides = static options => options.PriceOverrides,
        PriceUnit = MoneyUnit.Usd,
    };

    private static IEnumerable<OptionsProblem> Check(ReplicateOptions options)
    {
        if (options.ImageCancelAfter < ReplicateTranslator.MinimumCancelAfter)
        {
            yield return new(nameof(options.ImageCancelAfter), Invariant($"must be at least 5 seconds (Replicate's minimum Cancel-After); got {options.ImageCancelAfter}."));
        }

        if (options.VideoCancelAfter < ReplicateTranslator.MinimumCancelAfter)
        {
            yield return new(nameof(options.VideoCancelAfter), Invariant($"must be at least 5 seconds (Replicate's minimum Cancel-After); got {options.VideoCancelAfter}."));
        }

        if (options.WebhookTolerance <= TimeSpan.Zero)
        {
            yield return new(nameof(options.WebhookTolerance), Invariant($"must be positive; got {options.WebhookTolerance}."));
        }

        if (options.ReconciliationClockSkew < TimeSpan.Zero)
        {
            yield return new(nameof(options.ReconciliationClockSkew), Invariant($"must not be negative; got {options.ReconciliationClockSkew}."));
        }

        if (options.WebhookSigningSecret is { } secret && !string.IsNullOrWhiteSpace(secret) && ReplicateWebhookReceiver.DecodeSecret(secret) is null)
        {
            yield return new(nameof(options.WebhookSigningSecret), "must be the whsec_… key of GET /v1/webhooks/default/secret (base64 after 'whsec_').");
        }
    }

    /// <summary>An override without its price would price the model at $0: a missing price is never taken for a free one.</summary>
    private static IEnumerable<OptionsProblem> CheckConfiguration(IConfigurationSection section)
    {
        foreach (var model in section.GetSection(nameof(ReplicateOptions.PriceOverrides)).GetChildren())
        {
            if (model.Value is null
                && !model.GetSection("PriceUsd").Exists()
                && !model.GetSection("Price").Exists()
                && !model.GetSection("Rates").Exists())
            {
                yield return new($"{nameof(ReplicateOptions.PriceOverrides)}:{model.Key}:PriceUsd", "is required: the price in US dollars (per image, or per second with PerSecond = true).");
            }
        }
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
