using System.Net;
using System.Net.Http.Headers;
using System.Text;
using MediaGen.Testing;

namespace MediaGen.Testing.Tests.Http;

public class StubHttpHandlerTests
{
    [Fact]
    public async Task SendAsync_RouteQueueAndFallback_AnswerInThatOrder()
    {
        var stub = new StubHttpHandler(_ => StubHttpHandler.Json(418, "{}"))
            .On(HttpMethod.Get, "/jobs/*", 200, """{"route":1}""")
            .Enqueue(503, """{"queued":1}""");
        using var http = new HttpClient(stub);

        using var routed = await http.GetAsync(new Uri("https://vendor.test/jobs/42"));
        using var routeUsedUp = await http.GetAsync(new Uri("https://vendor.test/jobs/42"));
        using var fallback = await http.GetAsync(new Uri("https://vendor.test/jobs/42"));

        Assert.Equal(HttpStatusCode.OK, routed.StatusCode);
        Assert.Equal((HttpStatusCode.ServiceUnavailable, """{"queued":1}"""), (routeUsedUp.StatusCode, await routeUsedUp.Content.ReadAsStringAsync()));
        Assert.Equal((HttpStatusCode)418, fallback.StatusCode);
    }

    [Fact]
    public async Task SendAsync_AlwaysRoute_AnswersEveryMatchingRequestAfterOneShotAnswers()
    {
        var stub = new StubHttpHandler()
            .On(HttpMethod.Post, "/submit", 500, "{}")
            .Always(HttpMethod.Post, "/submit", 202, """{"id":"j"}""");
        using var http = new HttpClient(stub);

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 3; i++)
        {
            using var response = await http.PostAsync(new Uri("https://vendor.test/submit"), new StringContent("{}"));
            statuses.Add(response.StatusCode);
        }

        Assert.Equal([HttpStatusCode.InternalServerError, HttpStatusCode.Accepted, HttpStatusCode.Accepted], statuses);
    }

    [Fact]
    public async Task SendAsync_NothingScripted_ThrowsNamingTheRequest()
    {
        using var http = new HttpClient(new StubHttpHandler());

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => http.GetAsync(new Uri("https://vendor.test/v2/me")));

        Assert.Contains("GET https://vendor.test/v2/me", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SendAsync_Always_RecordsMethodUriHeadersAndBodyAndSetsRequestMessage()
    {
        var stub = new StubHttpHandler().Enqueue(HttpStatusCode.Created, "{}", configure: r => r.Headers.Add("X-Trace", "t-1"));
        using var http = new HttpClient(stub);
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri("https://vendor.test/api/v1/generations?x=1"))
        {
            Content = new StringContent("""{"prompt":"a cat"}""", Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", "sk-1");
        request.Headers.Add("Idempotency-Key", "k-1");

        using var response = await http.SendAsync(request);

        var recorded = Assert.Single(stub.Requests);
        Assert.Equal((HttpMethod.Post, "/api/v1/generations", "?x=1"), (recorded.Method, recorded.Path, recorded.Uri.Query));
        Assert.Equal("Bearer sk-1", recorded.Authorization);
        Assert.Equal("k-1", recorded.Headers["idempotency-key"]);
        Assert.StartsWith("application/json", recorded.Header("Content-Type"), StringComparison.Ordinal);
        Assert.Equal("""{"prompt":"a cat"}""", recorded.Body);
        Assert.Same(request, response.RequestMessage);
        Assert.Equal("t-1", response.Headers.GetValues("X-Trace").Single());
    }

    [Fact]
    public async Task Throw_Queued_SurfacesTheExceptionToTheCaller()
    {
        var stub = new StubHttpHandler().Throw(new HttpRequestException("connection reset")).Enqueue(200, "{}");
        using var http = new HttpClient(stub);

        await Assert.ThrowsAsync<HttpRequestException>(() => http.GetAsync(new Uri("https://vendor.test/a")));
        using var next = await http.GetAsync(new Uri("https://vendor.test/a"));

        Assert.Equal(HttpStatusCode.OK, next.StatusCode);
        Assert.Equal(string.Empty, stub.Requests[0].Body);
    }

    [Fact]
    public async Task Response_RawBytesAndContentType_AreSentAsGiven()
    {
        byte[] invalidUtf8 = [0xFF, 0xFE, 0xC3];
        using var http = new HttpClient(new StubHttpHandler(_ => StubHttpHandler.Response(200, invalidUtf8, "text/html", new Dictionary<string, string> { ["Retry-After"] = "3" })));

        using var response = await http.GetAsync(new Uri("https://vendor.test/a"));

        Assert.Equal(invalidUtf8, await response.Content.ReadAsByteArrayAsync());
        Assert.Equal("text/html", response.Content.Headers.ContentType!.MediaType);
        Assert.Equal(TimeSpan.FromSeconds(3), response.Headers.RetryAfter!.Delta);
    }
}
