using MediaGen.Providers;

namespace MediaGen.Routing;

/// <summary>
/// A vendor's health probe: one cheap read that costs nothing (a catalog, models or account GET), which
/// <see cref="MediaRouter"/> makes before it pays for a submit at a vendor it has no fresh evidence of health for
/// (<see cref="RouterOptions.ProbeBeforeSubmit"/>). A failing probe (an error status, a page that is not JSON, a timeout,
/// a 429) means the vendor is not taking work: the router fails over without sending it the submit, so nothing can be
/// charged there. A vendor offers it through <see cref="IMediaGenerator.GetService"/>; a vendor without one is never probed.
/// </summary>
public sealed class ProviderProbe
{
    private readonly Func<CancellationToken, Task<MediaGenError?>> _probe;

    /// <summary>Creates a probe.</summary>
    /// <param name="operation">The read, for messages (<c>GET /api/models</c>).</param>
    /// <param name="probe">Makes the read once: null when the vendor answered it well, else the error. It must never bill.</param>
    public ProviderProbe(string operation, Func<CancellationToken, Task<MediaGenError?>> probe)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(operation);
        ArgumentNullException.ThrowIfNull(probe);
        Operation = operation;
        _probe = probe;
    }

    /// <summary>Gets the read, for messages (<c>GET /api/models</c>).</summary>
    public string Operation { get; }

    /// <summary>
    /// Creates a probe that sends one GET over the vendor's client: healthy when the answer is a 2xx JSON body within the
    /// size limit; anything else (an error status, an HTML page, a body cut off, a transport failure or timeout) is
    /// <see cref="ProviderUnavailableError"/> (or <see cref="RateLimitedError"/> for a 429).
    /// </summary>
    /// <param name="provider">The vendor's name.</param>
    /// <param name="operation">The read, for messages.</param>
    /// <param name="http">The vendor's client (its resilience pipeline retries and times the read out).</param>
    /// <param name="newRequest">Builds the GET, with the vendor's credentials.</param>
    /// <param name="time">The clock, for <c>Retry-After</c> dates.</param>
    /// <returns>The probe.</returns>
    public static ProviderProbe Http(string provider, string operation, HttpClient http, Func<HttpRequestMessage> newRequest, TimeProvider? time = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(provider);
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(newRequest);
        return new ProviderProbe(operation, async cancellationToken =>
        {
            try
            {
                using var request = newRequest();
                using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
                var (body, truncated) = await HttpResponseReader.ReadBodyAsync(response, cancellationToken: cancellationToken).ConfigureAwait(false);
                var status = (int)response.StatusCode;
                if (status == 429)
                {
                    return new RateLimitedError($"{provider} rate limited {operation} (HTTP 429).", provider, HttpResponseReader.GetRetryAfter(response, time));
                }

                if (!response.IsSuccessStatusCode)
                {
                    return new ProviderUnavailableError($"{provider} answered {operation} with HTTP {status}: {HttpResponseReader.Excerpt(body)}", provider, RetryAfter: HttpResponseReader.GetRetryAfter(response, time)) { StatusCode = status };
                }

                return truncated || !HttpResponseReader.IsJson(response)
                    ? new ProviderUnavailableError($"{provider} answered {operation} with HTTP {status} but {(truncated ? "a body over the size limit" : $"content type {response.Content.Headers.ContentType?.MediaType}, not JSON")}.", provider) { StatusCode = status }
                    : null;
            }
            catch (Exception ex) when (SubmitEngine.IsTransportFailure(ex, cancellationToken))
            {
                return new ProviderUnavailableError($"{provider} could not be reached for {operation} ({ex.GetType().Name}: {ex.Message}).", provider);
            }
        });
    }

    /// <summary>Makes the read once.</summary>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>Null when the vendor answered it well, else why not.</returns>
    public Task<MediaGenError?> ProbeAsync(CancellationToken cancellationToken = default) => _probe(cancellationToken);
}
