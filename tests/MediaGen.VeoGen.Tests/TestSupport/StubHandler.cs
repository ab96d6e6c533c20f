using System.Net;
using System.Text;

namespace MediaGen.VeoGen.Tests.TestSupport;

/// <summary>An HttpMessageHandler that answers from a script and records every request (method, URL, auth, body).</summary>
internal sealed class StubHandler : HttpMessageHandler
{
    private readonly Queue<Func<HttpRequestMessage, HttpResponseMessage>> _script = new();

    public List<(HttpMethod Method, Uri Url, string? Authorization, string? Body)> Requests { get; } = [];

    public Func<HttpRequestMessage, HttpResponseMessage>? Fallback { get; set; }

    public StubHandler Respond(int status, string body, string contentType = "application/json", Action<HttpResponseMessage>? configure = null)
    {
        _script.Enqueue(_ =>
        {
            var response = new HttpResponseMessage((HttpStatusCode)status) { Content = new StringContent(body, Encoding.UTF8, contentType) };
            configure?.Invoke(response);
            return response;
        });
        return this;
    }

    public StubHandler Throw(Exception exception)
    {
        _script.Enqueue(_ => throw exception);
        return this;
    }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var body = request.Content is null ? null : await request.Content.ReadAsStringAsync(cancellationToken);
        Requests.Add((request.Method, request.RequestUri!, request.Headers.Authorization?.ToString(), body));
        if (_script.TryDequeue(out var next))
        {
            return next(request);
        }

        return Fallback?.Invoke(request) ?? throw new InvalidOperationException($"Unscripted request {request.Method} {request.RequestUri}.");
    }
}
