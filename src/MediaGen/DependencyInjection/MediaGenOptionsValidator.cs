using Microsoft.Extensions.Options;

namespace MediaGen;

/// <summary>Validates <see cref="MediaGenOptions"/> at start, naming the configuration key of every bad value.</summary>
internal sealed class MediaGenOptionsValidator : IValidateOptions<MediaGenOptions>
{
    public ValidateOptionsResult Validate(string? name, MediaGenOptions options)
    {
        var failures = new List<string>();
        foreach (var (provider, rate) in options.UsdPerCredit)
        {
            if (rate <= 0)
            {
                failures.Add($"{MediaGenOptions.SectionName}:UsdPerCredit:{provider} must be a positive USD amount per credit; got {rate}. Remove the entry if the rate is unknown.");
            }
        }

        if (options.ImageDeadline <= TimeSpan.Zero)
        {
            failures.Add($"{MediaGenOptions.SectionName}:ImageDeadline must be positive; got {options.ImageDeadline}.");
        }

        if (options.VideoDeadline <= TimeSpan.Zero)
        {
            failures.Add($"{MediaGenOptions.SectionName}:VideoDeadline must be positive; got {options.VideoDeadline}.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
