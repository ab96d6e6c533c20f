using Microsoft.Extensions.Http.Resilience;

namespace MediaGen.Http;

/// <summary>Creates provider HTTP clients with the shared resilience pipeline when no <see cref="IHttpClientFactory"/> is used.</summary>
public static class MediaGenHttp
{
    /// <summary>
    /// Creates an <see cref="HttpClient"/> whose requests go through MediaGen's resilience pipeline, run by
    /// Microsoft.Extensions.Http.Resilience's <see cref="ResilienceHandler"/>: the same pipeline definition DI clients get
    /// from <see cref="MediaGenBuilder.AddProviderHttpClient"/>.
    /// </summary>
    /// <param name="options">The resilience settings (defaults when null).</param>
    /// <param name="timeProvider">The clock for delays, timeouts and <c>Retry-After</c> dates.</param>
    /// <param name="innerHandler">The transport (a new <see cref="SocketsHttpHandler"/> when null).</param>
    /// <returns>The client; its own timeout is infinite because the pipeline owns timeouts.</returns>
    public static HttpClient CreateClient(MediaGenHttpOptions? options = null, TimeProvider? timeProvider = null, HttpMessageHandler? innerHandler = null)
    {
        var handler = new ResilienceHandler(MediaGenResilience.Build(options ?? new MediaGenHttpOptions(), timeProvider))
        {
            InnerHandler = innerHandler ?? new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) },
        };
        return new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan };
    }
}
