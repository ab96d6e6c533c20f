using System.Net;
using System.Text;

namespace MediaGen.Apiframe.Tests.TestSupport;

/// <summary>Answers requests from a queue of canned responses (or one responder) and records what was sent.</summary>
internal sealed class StubHandler : HttpMessageHandler
{
    private readonly Queue<Func<HttpRequestMessage, HttpResponseMessage>> _queue = new();
    private readonly Func<HttpRequestMessage, HttpResponseMessage>? _fallback;

    public StubHandler(Func<HttpRequestMessage, HttpResponseMessage>? fallback = null) => _fallback = fallback;

    public List<(HttpMethod Method, Uri Uri, Dictionary<string, string> Headers, string? Body)> Requests { get; } = [];

    public StubHandler Enqueue(HttpStatusCode status, string body, string contentType = "application/json", Action<HttpResponseMessage>? configure = null)
    {
        _queue.Enqueue(_ => { var r = Json(status, body, contentType); configure?.Invoke(r); return r; });
        return this;
    }

    public StubHandler Throw(Exception ex)
    {
        _queue.Enqueue(_ => throw ex);
        return this;
    }

    public static HttpResponseMessage Json(HttpStatusCode status, string body, string contentType = "application/json") =>
        new(status) { Content = new StringContent(body, Encoding.UTF8, contentType) };

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var headers = request.Headers.ToDictionary(h => h.Key, h => string.Join(",", h.Value), StringComparer.OrdinalIgnoreCase);
        var body = request.Content is null ? null : await request.Content.ReadAsStringAsync(cancellationToken);
        Requests.Add((request.Method, request.RequestUri!, headers, body));
        var responder = _queue.Count > 0 ? _queue.Dequeue() : _fallback ?? throw new InvalidOperationException($"No canned response for {request.Method} {request.RequestUri}.");
        return responder(request);
    }
}
