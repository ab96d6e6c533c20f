using Microsoft.Extensions.Options;

namespace MediaGen.Apiframe.Internal;

/// <summary>Validates <see cref="ApiframeOptions"/>, naming the configuration key of every bad value.</summary>
internal sealed class ApiframeOptionsValidator : IValidateOptions<ApiframeOptions>
{
    public ValidateOptionsResult Validate(string? name, ApiframeOptions options)
    {
        var failures = Collect(options);
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    internal static List<string> Collect(ApiframeOptions options)
    {
        const string S = ApiframeOptions.SectionName;
        var failures = new List<string>();
        if (string.IsNullOrWhiteSpace(options.ApiKey))
        {
            failures.Add($"{S}:ApiKey is required: an Apiframe v2 API key (afk_…) from the dashboard.");
        }
        else if (!options.ApiKey.StartsWith("afk_", StringComparison.Ordinal))
        {
            // Never echo the key itself.
            failures.Add($"{S}:ApiKey must start with 'afk_' (every Apiframe v2 key does); keys of the legacy v1 API (api.apiframe.pro) do not work here.");
        }

        if (options.BaseAddress is null || !options.BaseAddress.IsAbsoluteUri
            || (options.BaseAddress.Scheme != Uri.UriSchemeHttps && !(options.BaseAddress.Scheme == Uri.UriSchemeHttp && options.BaseAddress.IsLoopback)))
        {
            failures.Add($"{S}:BaseAddress must be an absolute https URL (http only for loopback); got '{options.BaseAddress}'.");
        }

        if (options.MaxConcurrentJobs is < 1)
        {
            failures.Add($"{S}:MaxConcurrentJobs must be at least 1 (or absent to read it from GET /v2/me); got {options.MaxConcurrentJobs}.");
        }

        if (options.ConcurrencyQueueLimit < 0)
        {
            failures.Add($"{S}:ConcurrencyQueueLimit must not be negative; got {options.ConcurrencyQueueLimit}.");
        }

        if (options.ConcurrencyPermitLifetime <= TimeSpan.Zero)
        {
            failures.Add($"{S}:ConcurrencyPermitLifetime must be positive; got {options.ConcurrencyPermitLifetime}.");
        }

        if (options.WebhookDedupeCapacity < 1)
        {
            failures.Add($"{S}:WebhookDedupeCapacity must be at least 1; got {options.WebhookDedupeCapacity}.");
        }

        failures.AddRange(options.PriceOverrides.Validate($"{S}:PriceOverrides"));

        return failures;
    }
}
