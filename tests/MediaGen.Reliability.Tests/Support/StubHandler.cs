using System.Net;
using System.Net.Http.Headers;

namespace MediaGen.Reliability.Tests.Support;

/// <summary>An in-memory transport: answers every request from a function and counts the requests. No network.</summary>
public sealed class StubHandler(Func<HttpRequestMessage, HttpResponseMessage> answer) : HttpMessageHandler
{
    private int _requests;

    /// <summary>Gets how many requests were sent.</summary>
    public int Requests => Volatile.Read(ref _requests);

    /// <summary>Builds a response with raw bytes and an optional content type.</summary>
    public static HttpResponseMessage Response(int status, byte[] body, string? contentType, IReadOnlyDictionary<string, string>? headers = null)
    {
        var content = new ByteArrayContent(body);
        if (contentType is not null)
        {
            content.Headers.TryAddWithoutValidation("Content-Type", contentType);
        }

        var response = new HttpResponseMessage((HttpStatusCode)status) { Content = content };
        foreach (var (name, value) in headers ?? new Dictionary<string, string>())
        {
            response.Headers.TryAddWithoutValidation(name, value);
        }

        return response;
    }

    /// <summary>A JSON response.</summary>
    public static HttpResponseMessage Json(int status, string body) =>
        Response(status, System.Text.Encoding.UTF8.GetBytes(body), new MediaTypeHeaderValue("application/json").ToString());

    /// <inheritdoc/>
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _requests);
        var response = answer(request);
        response.RequestMessage = request;
        return Task.FromResult(response);
    }
}
