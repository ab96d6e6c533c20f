using MediaGen.MeiGen.Internal;
using Microsoft.Extensions.Logging;

namespace MediaGen.MeiGen;

/// <summary>Creates the MeiGen provider (billing in MeiGen credits).</summary>
public static class MeiGenProvider
{
    /// <summary>The provider name used in job handles (<c>meigen:{id}</c>), credit units and provider options.</summary>
    public const string Name = "meigen";

    /// <summary>Creates the provider outside dependency injection.</summary>
    /// <param name="options">The options; copied, later changes are ignored.</param>
    /// <param name="httpClient">The HTTP client to use (not disposed by the provider); when null the provider creates and owns one.</param>
    /// <param name="timeProvider">The clock; defaults to <see cref="TimeProvider.System"/>.</param>
    /// <returns>The provider.</returns>
    /// <exception cref="ArgumentException">The options are invalid (the message names each setting).</exception>
    public static IMediaGenerator Create(MeiGenOptions options, HttpClient? httpClient = null, TimeProvider? timeProvider = null) =>
        Create(options, httpClient, timeProvider, null);

    internal static IMediaGenerator Create(MeiGenOptions options, HttpClient? httpClient, TimeProvider? timeProvider, ILogger? logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        var copy = options.Clone();
        var failures = MeiGenOptionsValidation.Validate(copy, nameof(MeiGenOptions));
        if (failures.Count > 0)
        {
            throw new ArgumentException("Invalid MeiGen options: " + string.Join(" ", failures), nameof(options));
        }

        return new MeiGenGenerator(copy, httpClient ?? new HttpClient(), httpClient is null, timeProvider ?? TimeProvider.System, logger);
    }
}
