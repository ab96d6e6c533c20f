using MediaGen.Http;
using MediaGen.VeoGen.Internal;
using Microsoft.Extensions.Logging;

namespace MediaGen.VeoGen;

/// <summary>Creates the VeoGen Studio provider (US dollars; <c>veogen</c> in handles and provider options).</summary>
public static class VeoGenProvider
{
    /// <summary>The provider name used in handles (<c>veogen:…</c>) and provider options (<c>"veogen": {…}</c>).</summary>
    public const string Name = "veogen";

    /// <summary>Creates the provider. The options are copied: later changes to them have no effect.</summary>
    /// <param name="options">The options; <see cref="VeoGenOptions.ApiKey"/> is required.</param>
    /// <param name="httpClient">The HTTP client (not disposed by the provider); when null, one with MediaGen's shared resilience handler, which the provider owns and disposes.</param>
    /// <param name="timeProvider">The clock for submit times, the reconciliation window and the default rate limiter.</param>
    /// <returns>The provider.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is null.</exception>
    /// <exception cref="ArgumentException">The options are invalid (the message names every bad setting).</exception>
    public static IMediaGenerator Create(VeoGenOptions options, HttpClient? httpClient = null, TimeProvider? timeProvider = null) =>
        CreateCore(options, httpClient, timeProvider, null, ownsHttpClient: httpClient is null);

    /// <summary>Creates the provider; it disposes <paramref name="httpClient"/> with itself when <paramref name="ownsHttpClient"/> (DI hands it the client it made for it).</summary>
    internal static IMediaGenerator CreateCore(VeoGenOptions options, HttpClient? httpClient, TimeProvider? timeProvider, ILogger? logger, bool ownsHttpClient)
    {
        ArgumentNullException.ThrowIfNull(options);
        var copy = options.Clone();
        VeoGenOptionsValidator.Schema.ThrowIfInvalid(copy, nameof(options));
        var time = timeProvider ?? TimeProvider.System;
        var limiter = copy.RateLimiter ?? new MediaGen.Providers.SlidingWindowLogRateLimiter(copy.RequestsPerMinute, TimeSpan.FromMinutes(1), time);
        var http = httpClient ?? MediaGenHttp.CreateClient(timeProvider: time);
        var api = new VeoGenApi(http, copy.BaseAddress, copy.ApiKey!, limiter, time)
        {
            // The budget is shared by submits and polls: polls leave the documented headroom to submits.
            SubmitReserve = Internal.VeoGenPacing.Documented.SubmitReserve(copy.RequestsPerMinute),
        };

        // What the provider created (or DI made for it) is disposed with it; a caller's client or limiter is not.
        return new VeoGenGenerator(copy, api, limiter, ownsHttpClient || httpClient is null ? http : null, ownsLimiter: copy.RateLimiter is null, logger);
    }
}
