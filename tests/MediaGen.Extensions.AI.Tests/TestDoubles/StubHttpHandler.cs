using System.Net;

namespace MediaGen.Extensions.AI.Tests.TestDoubles;

/// <summary>Answers every request in memory (never the network) and records the URLs asked for.</summary>
internal sealed class StubHttpHandler(Func<Uri, HttpResponseMessage> respond) : HttpMessageHandler
{
    public List<Uri> Requested { get; } = [];

    public static StubHttpHandler Bytes(byte[] body, string mediaType = "image/png") => new(_ => new HttpResponseMessage(HttpStatusCode.OK)
    {
        Content = new ByteArrayContent(body) { Headers = { ContentType = new(mediaType) } },
    });

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        lock (Requested)
        {
            Requested.Add(request.RequestUri!);
        }

        return Task.FromResult(respond(request.RequestUri!));
    }
}
