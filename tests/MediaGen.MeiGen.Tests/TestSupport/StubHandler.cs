using System.Net;
using System.Text;

namespace MediaGen.MeiGen.Tests.TestSupport;

/// <summary>A recorded request: method, path (after the host), headers and body.</summary>
public sealed record StubRequest(HttpMethod Method, string Path, string? Authorization, string Body);

/// <summary>
/// Answers requests from scripted responders by method and path (a trailing <c>*</c> matches a prefix; first match that
/// has answers left), records every
/// request, and answers <c>GET /api/models</c> with 404 unless scripted (so the snapshot is used).
/// </summary>
public sealed class StubHandler : HttpMessageHandler
{
    private readonly List<(HttpMethod Method, string Path, Queue<Func<HttpRequestMessage, HttpResponseMessage>> Answers, Func<HttpRequestMessage, HttpResponseMessage>? Always)> _routes = [];
    private readonly Lock _lock = new();

    public List<StubRequest> Requests { get; } = [];

    public IEnumerable<StubRequest> Posts => Requests.Where(r => r.Method == HttpMethod.Post);

    public static HttpResponseMessage Json(int status, string json, params (string Name, string Value)[] headers)
    {
        var response = new HttpResponseMessage((HttpStatusCode)status) { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        foreach (var (name, value) in headers)
        {
            response.Headers.TryAddWithoutValidation(name, value);
        }

        return response;
    }

    public StubHandler On(HttpMethod method, string path, params Func<HttpRequestMessage, HttpResponseMessage>[] answers)
    {
        _routes.Add((method, path, new Queue<Func<HttpRequestMessage, HttpResponseMessage>>(answers), null));
        return this;
    }

    public StubHandler OnJson(HttpMethod method, string path, int status, string json, params (string Name, string Value)[] headers) =>
        On(method, path, _ => Json(status, json, headers));

    public StubHandler Always(HttpMethod method, string path, Func<HttpRequestMessage, HttpResponseMessage> answer)
    {
        _routes.Add((method, path, new Queue<Func<HttpRequestMessage, HttpResponseMessage>>(), answer));
        return this;
    }

    public StubHandler AlwaysJson(HttpMethod method, string path, int status, string json) => Always(method, path, _ => Json(status, json));

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var body = request.Content is null ? string.Empty : await request.Content.ReadAsStringAsync(cancellationToken);
        var path = request.RequestUri!.AbsolutePath;
        Func<HttpRequestMessage, HttpResponseMessage>? answer = null;
        lock (_lock)
        {
            Requests.Add(new StubRequest(request.Method, path, request.Headers.Authorization?.ToString(), body));
            foreach (var route in _routes)
            {
                var matches = route.Path.EndsWith('*')
                    ? path.StartsWith(route.Path[..^1], StringComparison.Ordinal)
                    : string.Equals(route.Path, path, StringComparison.Ordinal);
                if (route.Method != request.Method || !matches)
                {
                    continue;
                }

                if (route.Answers.TryDequeue(out var next))
                {
                    answer = next;
                    break;
                }

                if (route.Always is not null)
                {
                    answer = route.Always;
                    break;
                }
            }
        }

        if (answer is null)
        {
            return path.EndsWith("/models", StringComparison.Ordinal)
                ? Json(404, "{\"error\":\"not scripted\"}")
                : throw new InvalidOperationException($"No scripted answer for {request.Method} {path}.");
        }

        return answer(request);
    }
}
