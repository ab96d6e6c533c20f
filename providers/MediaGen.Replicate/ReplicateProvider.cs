using MediaGen.Http;
using MediaGen.Replicate.Internal;
using Microsoft.Extensions.Logging;

namespace MediaGen.Replicate;

/// <summary>Creates the Replicate provider (US dollars; <c>replicate</c> in handles and provider options).</summary>
public static class ReplicateProvider
{
    /// <summary>The provider name used in handles (<c>replicate:…</c>) and provider options (<c>"replicate": {…}</c>).</summary>
    public const string Name = "replicate";

    /// <summary>Creates the provider. The options are copied: later changes to them have no effect.</summary>
    /// <param name="options">The options; <see cref="ReplicateOptions.ApiKey"/> is required.</param>
    /// <param name="httpClient">The HTTP client (not disposed by the provider); when null, one with MediaGen's shared resilience handler, which the provider owns.</param>
    /// <param name="timeProvider">The clock for submit times, the reconciliation window, webhook timestamps and the default rate limiter.</param>
    /// <returns>The provider.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is null.</exception>
    /// <exception cref="ArgumentException">The options are invalid (the message names every bad setting).</exception>
    public static IMediaGenerator Create(ReplicateOptions options, HttpClient? httpClient = null, TimeProvider? timeProvider = null) =>
        CreateCore(options, httpClient, timeProvider, null, ownsHttpClient: httpClient is null);

    /// <summary>
    /// Creates the webhook receiver of a Replicate provider: it verifies deliveries with the provider's
    /// <see cref="ReplicateOptions.WebhookSigningSecret"/> against the provider's clock and publishes into <paramref name="updates"/>.
    /// </summary>
    /// <param name="generator">The Replicate provider.</param>
    /// <param name="updates">Where verified updates are published (pass the same hub in <see cref="WaitOptions.Updates"/>).</param>
    /// <param name="signingSecret">The <c>whsec_…</c> secret, when the options have none (see <see cref="ReplicateClient.GetWebhookSecretAsync"/>).</param>
    /// <returns>The receiver.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="generator"/> is not a Replicate provider, or no valid secret is known.</exception>
    public static ReplicateWebhookReceiver CreateWebhookReceiver(IMediaGenerator generator, JobUpdateHub updates, string? signingSecret = null)
    {
        ArgumentNullException.ThrowIfNull(generator);
        ArgumentNullException.ThrowIfNull(updates);
        var replicate = generator.GetService(typeof(ReplicateGenerator), Name) as ReplicateGenerator
            ?? throw new ArgumentException("The generator is not a Replicate provider (create it with ReplicateProvider.Create or AddReplicate).", nameof(generator));
        var options = replicate.Options;
        return new ReplicateWebhookReceiver(signingSecret ?? options.WebhookSigningSecret ?? string.Empty, updates, replicate.Api.Time)
        {
            Tolerance = options.WebhookTolerance,
            DedupeCapacity = options.WebhookDedupeCapacity,
        };
    }

    /// <summary>Creates the provider; it disposes <paramref name="httpClient"/> with itself when <paramref name="ownsHttpClient"/>.</summary>
    internal static IMediaGenerator CreateCore(ReplicateOptions options, HttpClient? httpClient, TimeProvider? timeProvider, ILogger? logger, bool ownsHttpClient)
    {
        ArgumentNullException.ThrowIfNull(options);
        var copy = options.Clone();
        ReplicateOptionsValidator.Schema.ThrowIfInvalid(copy, nameof(options));
        var time = timeProvider ?? TimeProvider.System;
        var limiter = copy.RateLimiter ?? new MediaGen.Providers.SlidingWindowLogRateLimiter(copy.RequestsPerMinute, TimeSpan.FromMinutes(1), time);
        var http = httpClient ?? MediaGenHttp.CreateClient(timeProvider: time);
        var api = new ReplicateApi(http, copy.BaseAddress, copy.ApiKey!, limiter, time);
        return new ReplicateGenerator(copy, api, limiter, ownsHttpClient || httpClient is null ? http : null, ownsLimiter: copy.RateLimiter is null, logger);
    }
}
