using Microsoft.Extensions.Options;

namespace MediaGen.MeiGen.Internal;

/// <summary>Checks <see cref="MeiGenOptions"/>; every message names the setting by its configuration key.</summary>
internal static class MeiGenOptionsValidation
{
    public const string KeyPrefix = "meigen_sk_";

    public static List<string> Validate(MeiGenOptions options, string prefix)
    {
        var failures = new List<string>();
        if (string.IsNullOrWhiteSpace(options.ApiKey))
        {
            failures.Add($"{prefix}:ApiKey is required: a MeiGen API key (meigen_sk_…) from meigen.ai → Settings → API Keys.");
        }
        else if (!options.ApiKey.StartsWith(KeyPrefix, StringComparison.Ordinal))
        {
            failures.Add($"{prefix}:ApiKey does not look like a MeiGen API key: it must start with '{KeyPrefix}'.");
        }

        if (options.BaseAddress is not { IsAbsoluteUri: true } address
            || !(address.Scheme == Uri.UriSchemeHttps || (address.Scheme == Uri.UriSchemeHttp && address.IsLoopback)))
        {
            failures.Add($"{prefix}:BaseAddress must be an absolute https URL (http only for loopback); got '{options.BaseAddress}'. The default is {MeiGenOptions.DefaultBaseAddress}.");
        }

        if (options.GenerateRequestsPerMinute < 0)
        {
            failures.Add($"{prefix}:GenerateRequestsPerMinute must be 0 (off) or positive; got {options.GenerateRequestsPerMinute}. MeiGen allows {MeiGenOptions.DocumentedGenerateRequestsPerMinute} per minute.");
        }

        if (options.ModelsCacheDuration < TimeSpan.Zero)
        {
            failures.Add($"{prefix}:ModelsCacheDuration must not be negative; got {options.ModelsCacheDuration}.");
        }

        return failures;
    }
}

/// <summary>Validates <see cref="MeiGenOptions"/> at start (DI).</summary>
internal sealed class MeiGenOptionsValidator(MeiGenConfigurationPath path) : IValidateOptions<MeiGenOptions>
{
    public ValidateOptionsResult Validate(string? name, MeiGenOptions options)
    {
        var failures = MeiGenOptionsValidation.Validate(options, path.Path);
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}

/// <summary>The configuration path named in validation messages.</summary>
internal sealed record MeiGenConfigurationPath(string Path);
