using System.Net;
using System.Net.Http.Headers;

namespace MediaGen.Benchmarks.Infrastructure;

/// <summary>An in-memory transport that answers every request with the same JSON body (no sockets, no server).</summary>
public sealed class CannedHandler(byte[] body, HttpStatusCode status = HttpStatusCode.OK) : HttpMessageHandler
{
    private static readonly MediaTypeHeaderValue Json = new("application/json") { CharSet = "utf-8" };

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var content = new ByteArrayContent(body);
        content.Headers.ContentType = Json;
        return Task.FromResult(new HttpResponseMessage(status) { Content = content, RequestMessage = request });
    }
}
