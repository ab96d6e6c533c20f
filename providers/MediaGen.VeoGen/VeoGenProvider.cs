using MediaGen.Http;
using MediaGen.VeoGen.Internal;

namespace MediaGen.VeoGen;

/// <summary>Creates the VeoGen Studio provider (US dollars; <c>veogen</c> in handles and provider options).</summary>
public static class VeoGenProvider
{
    /// <summary>The provider name used in handles (<c>veogen:…</c>) and provider options (<c>"veogen": {…}</c>).</summary>
    public const string Name = VeoGenApi.Provider;

    /// <summary>Creates the provider. The options are copied: later changes to them have no effect.</summary>
    /// <param name="options">The options; <see cref="VeoGenOptions.ApiKey"/> is required.</param>
    /// <param name="httpClient">The HTTP client (from <c>IHttpClientFactory</c> in DI); when null, one with MediaGen's shared resilience handler.</param>
    /// <param name="timeProvider">The clock for submit times, the reconciliation window and the default rate limiter.</param>
    /// <returns>The provider.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is null.</exception>
    /// <exception cref="ArgumentException">The options are invalid (the message names every bad setting).</exception>
    public static IMediaGenerator Create(VeoGenOptions options, HttpClient? httpClient = null, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = VeoGenOptionsValidator.Check(options, VeoGenOptions.SectionName);
        if (failures.Count > 0)
        {
            throw new ArgumentException("Invalid VeoGen options: " + string.Join(" ", failures), nameof(options));
        }

        var copy = options.Copy();
        var time = timeProvider ?? TimeProvider.System;
        var limiter = copy.RateLimiter ?? new MediaGen.Providers.SlidingWindowLogRateLimiter(copy.RequestsPerMinute, TimeSpan.FromMinutes(1), time);
        var api = new VeoGenApi(httpClient ?? MediaGenHttp.CreateClient(timeProvider: time), copy.BaseAddress, copy.ApiKey!, limiter, time);
        return new VeoGenGenerator(copy, api);
    }
}
