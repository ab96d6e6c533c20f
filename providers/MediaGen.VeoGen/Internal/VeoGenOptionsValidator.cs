using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace MediaGen.VeoGen.Internal;

/// <summary>
/// Validates <see cref="VeoGenOptions"/> at start (and in <see cref="VeoGenProvider.Create"/>), naming the
/// configuration key of every bad value; with a configuration section it also names values that could not be parsed.
/// </summary>
internal sealed class VeoGenOptionsValidator(string prefix, IConfiguration? section = null) : IValidateOptions<VeoGenOptions>
{
    public ValidateOptionsResult Validate(string? name, VeoGenOptions options)
    {
        var failures = Check(options, prefix);
        if (section is not null)
        {
            failures.AddRange(VeoGenConfiguration.ParseErrors(section, prefix));
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    public static List<string> Check(VeoGenOptions options, string prefix)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        if (string.IsNullOrWhiteSpace(options.ApiKey))
        {
            failures.Add($"{prefix}:ApiKey is required: a VeoGen API token (VeoGen Settings → API Tokens).");
        }

        if (options.BaseAddress is not { IsAbsoluteUri: true } address || (address.Scheme != Uri.UriSchemeHttps && address.Scheme != Uri.UriSchemeHttp))
        {
            failures.Add($"{prefix}:BaseAddress must be an absolute https URL such as {VeoGenOptions.DefaultBaseAddress}; got '{options.BaseAddress}'.");
        }

        if (options.RequestsPerMinute <= 0)
        {
            failures.Add($"{prefix}:RequestsPerMinute must be positive (VeoGen allows {VeoGenOptions.DefaultRequestsPerMinute}); got {options.RequestsPerMinute}.");
        }

        if (options.LivePriceLifetime <= TimeSpan.Zero)
        {
            failures.Add($"{prefix}:LivePriceLifetime must be positive; got {options.LivePriceLifetime}.");
        }

        if (options.ReconciliationClockSkew < TimeSpan.Zero)
        {
            failures.Add($"{prefix}:ReconciliationClockSkew must not be negative; got {options.ReconciliationClockSkew}.");
        }

        if (options.ReconciliationPageSize is < 1 or > 100)
        {
            failures.Add($"{prefix}:ReconciliationPageSize must be 1–100 (VeoGen's maximum is 100); got {options.ReconciliationPageSize}.");
        }

        if (options.ReconciliationMaxPages < 1)
        {
            failures.Add($"{prefix}:ReconciliationMaxPages must be at least 1; got {options.ReconciliationMaxPages}.");
        }

        failures.AddRange(options.PriceOverrides.Validate($"{prefix}:PriceOverrides"));

        return failures;
    }
}
