namespace MediaGen.Http;

/// <summary>
/// Marks requests for the shared resilience pipeline. Reads (GET, HEAD) are retried by default; a POST is retried only
/// when its provider marks it safe (the vendor dedupes by idempotency key), or when it provably never reached
/// the vendor, or when the vendor refused it with 429 before doing anything. However it is retried, one logical submit
/// makes at most <see cref="MediaGenHttpOptions.MaxSubmitAttempts"/> POSTs (see <see cref="SubmitAttempts"/>).
/// </summary>
public static class MediaGenHttpRequest
{
    /// <summary>The option that marks a non-idempotent request as safe to resend (the vendor dedupes it).</summary>
    public static readonly HttpRequestOptionsKey<bool> RetrySafe = new("MediaGen.RetrySafe");

    /// <summary>The option that marks a request as a submit (sized with the submit timeouts).</summary>
    public static readonly HttpRequestOptionsKey<bool> IsSubmit = new("MediaGen.IsSubmit");

    /// <summary>The option that carries the attempt budget of the logical submit a request belongs to.</summary>
    public static readonly HttpRequestOptionsKey<SubmitAttempts> Attempts = new("MediaGen.SubmitAttempts");

    /// <summary>Marks a request as a submit that the vendor dedupes or not (so resending it cannot charge twice).</summary>
    /// <param name="request">The request.</param>
    /// <param name="vendorDedupes">Whether the vendor dedupes this submit by an idempotency key it carries.</param>
    /// <returns>The request.</returns>
    public static HttpRequestMessage MarkSubmit(this HttpRequestMessage request, bool vendorDedupes)
    {
        ArgumentNullException.ThrowIfNull(request);
        request.Options.Set(IsSubmit, true);
        request.Options.Set(RetrySafe, vendorDedupes);
        return request;
    }

    /// <summary>
    /// Adds a header that carries a credential and declares it secret, so the core redacts its value wherever the vendor
    /// echoes it in a response body (see <see cref="Providers.HttpResponseReader.RedactCredentials"/>). The
    /// <c>Authorization</c> header is always treated as secret; use this for a vendor's own key header.
    /// </summary>
    /// <param name="request">The request.</param>
    /// <param name="name">The header name.</param>
    /// <param name="value">The credential.</param>
    /// <returns>The request.</returns>
    public static HttpRequestMessage AddSecretHeader(this HttpRequestMessage request, string name, string? value)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        request.Headers.TryAddWithoutValidation(name, value);
        IReadOnlyList<string> declared = request.Options.TryGetValue(SecretHeaders, out var existing) ? [.. existing, name] : OneName(name);
        request.Options.Set(SecretHeaders, declared);
        return request;
    }

    /// <summary>The one-name list for a request's only secret header, shared (a provider names the same header on every request).</summary>
    private static string[] OneName(string name)
    {
        var last = _lastOneName;
        if (last is null || !string.Equals(last[0], name, StringComparison.Ordinal))
        {
            _lastOneName = last = [name];
        }

        return last;
    }

    private static string[]? _lastOneName;

    /// <summary>The option listing the request's headers whose values are credentials (set by <see cref="AddSecretHeader"/>).</summary>
    internal static readonly HttpRequestOptionsKey<IReadOnlyList<string>> SecretHeaders = new("MediaGen.SecretHeaders");

    /// <summary>
    /// Marks a request as one POST of a logical submit and counts it against that submit's budget, which the pipeline's
    /// retries draw from too. Create one <see cref="SubmitAttempts"/> per logical submit and pass it with every request
    /// of that submit, the provider's own resends included.
    /// </summary>
    /// <param name="request">A new request of the submit.</param>
    /// <param name="vendorDedupes">Whether the vendor dedupes this submit by an idempotency key it carries.</param>
    /// <param name="attempts">The logical submit's budget.</param>
    /// <returns>The request.</returns>
    /// <exception cref="InvalidOperationException">The submit already made as many POSTs as it may (check <see cref="SubmitAttempts.CanSendAnother"/> first).</exception>
    public static HttpRequestMessage MarkSubmit(this HttpRequestMessage request, bool vendorDedupes, SubmitAttempts attempts)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(attempts);
        attempts.CountNewRequest();
        request.Options.Set(Attempts, attempts);
        return request.MarkSubmit(vendorDedupes);
    }

    /// <summary>
    /// Names the vendor's client-side rate limiter on a request, so the shared pipeline takes a permit from it for each
    /// resend it makes (a resend the limiter refuses is not made: the answer surfaces). The first send's permit is the
    /// provider's to take.
    /// </summary>
    /// <param name="request">The request.</param>
    /// <param name="limiter">The limiter, or null for none.</param>
    /// <returns>The same request.</returns>
    public static HttpRequestMessage WithRateLimiter(this HttpRequestMessage request, System.Threading.RateLimiting.RateLimiter? limiter)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (limiter is not null)
        {
            request.Options.Set(Limiter, limiter);
        }

        return request;
    }

    /// <summary>
    /// States the vendor's documented back-off after a 429 that names no <c>Retry-After</c> (MeiGen: 10–30 s). The shared
    /// pipeline waits it before a resend when it is within <see cref="MediaGenHttpOptions.MaxRetryAfter"/>; a longer one
    /// surfaces as rate limited, so the router can fail over at once or wait it out.
    /// </summary>
    /// <param name="request">The request.</param>
    /// <param name="backoff">The documented back-off, or null for none.</param>
    /// <returns>The same request.</returns>
    public static HttpRequestMessage WithRateLimitBackoff(this HttpRequestMessage request, TimeSpan? backoff)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (backoff is { } wait)
        {
            request.Options.Set(RateLimitBackoff, wait);
        }

        return request;
    }

    internal static readonly HttpRequestOptionsKey<System.Threading.RateLimiting.RateLimiter> Limiter = new("MediaGen.RateLimiter");

    internal static readonly HttpRequestOptionsKey<TimeSpan> RateLimitBackoff = new("MediaGen.RateLimitBackoff");

    internal static System.Threading.RateLimiting.RateLimiter? LimiterOf(HttpRequestMessage request) =>
        request.Options.TryGetValue(Limiter, out var limiter) ? limiter : null;

    internal static TimeSpan? RateLimitBackoffOf(HttpRequestMessage request) =>
        request.Options.TryGetValue(RateLimitBackoff, out var wait) ? wait : null;

    internal static bool IsRetrySafe(HttpRequestMessage request) =>
        request.Method == HttpMethod.Get || request.Method == HttpMethod.Head || request.Method == HttpMethod.Options
        || (request.Options.TryGetValue(RetrySafe, out var safe) && safe);

    internal static bool IsSubmitRequest(HttpRequestMessage request) =>
        request.Options.TryGetValue(IsSubmit, out var submit) ? submit : request.Method == HttpMethod.Post;

    internal static SubmitAttempts? AttemptsOf(HttpRequestMessage request) =>
        request.Options.TryGetValue(Attempts, out var attempts) ? attempts : null;
}
