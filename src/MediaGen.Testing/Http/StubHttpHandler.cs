using System.Net;
using System.Text;

namespace MediaGen.Testing;

/// <summary>
/// An in-memory transport for testing code that takes an <see cref="HttpClient"/>: canned answers by route or in
/// order, every request recorded, no network. Pass it as <c>new HttpClient(stub)</c>.
/// </summary>
/// <remarks>
/// <para>
/// A request is answered by the first route (<see cref="On(HttpMethod, string, Func{HttpRequestMessage, HttpResponseMessage}[])"/>,
/// <see cref="Always(HttpMethod, string, Func{HttpRequestMessage, HttpResponseMessage})"/>) whose method and path match and
/// that has an answer left, else by the next queued answer (<see cref="Enqueue(Func{HttpRequestMessage, HttpResponseMessage})"/>),
/// else by <see cref="Fallback"/>; with none of them it throws <see cref="InvalidOperationException"/>, so an unexpected
/// request fails the test. A route path matches the request's <see cref="Uri.AbsolutePath"/> exactly, or as a prefix
/// when it ends with <c>*</c>.
/// </para>
/// <para>Every answer gets <see cref="HttpResponseMessage.RequestMessage"/> set, as a real handler does. All members are thread-safe.</para>
/// </remarks>
/// <example>
/// <code>
/// var stub = new StubHttpHandler()
///     .On(HttpMethod.Post, "/api/generate/v2", 200, """{"generationId":"42"}""")
///     .Enqueue(503, """{"error":"busy"}""");
/// using var http = new HttpClient(stub);
/// </code>
/// </example>
public sealed class StubHttpHandler : HttpMessageHandler
{
    private const string JsonContentType = "application/json";

    private readonly Lock _lock = new();
    private readonly List<Route> _routes = [];
    private readonly Queue<Func<HttpRequestMessage, HttpResponseMessage>> _queue = new();
    private readonly List<StubHttpRequest> _requests = [];

    /// <summary>Initializes a new instance of the <see cref="StubHttpHandler"/> class with no answers.</summary>
    public StubHttpHandler()
    {
    }

    /// <summary>Initializes a new instance of the <see cref="StubHttpHandler"/> class that answers every request not otherwise scripted with <paramref name="fallback"/>.</summary>
    /// <param name="fallback">The answer of last resort.</param>
    public StubHttpHandler(Func<HttpRequestMessage, HttpResponseMessage> fallback) => Fallback = fallback;

    /// <summary>Gets or sets the answer for a request no route and no queued answer takes; <see langword="null"/> throws instead.</summary>
    public Func<HttpRequestMessage, HttpResponseMessage>? Fallback { get; set; }

    /// <summary>Gets a snapshot of every request received, in order.</summary>
    public IReadOnlyList<StubHttpRequest> Requests
    {
        get
        {
            lock (_lock)
            {
                return [.. _requests];
            }
        }
    }

    /// <summary>Builds a JSON response.</summary>
    /// <param name="status">The status code.</param>
    /// <param name="json">The body.</param>
    /// <param name="headers">Response headers to add.</param>
    /// <returns>The response.</returns>
    public static HttpResponseMessage Json(int status, string json, params (string Name, string Value)[] headers)
    {
        var response = new HttpResponseMessage((HttpStatusCode)status) { Content = new StringContent(json, Encoding.UTF8, JsonContentType) };
        foreach (var (name, value) in headers)
        {
            response.Headers.TryAddWithoutValidation(name, value);
        }

        return response;
    }

    /// <summary>Builds a JSON response.</summary>
    /// <param name="status">The status code.</param>
    /// <param name="json">The body.</param>
    /// <param name="headers">Response headers to add.</param>
    /// <returns>The response.</returns>
    public static HttpResponseMessage Json(HttpStatusCode status, string json, params (string Name, string Value)[] headers) => Json((int)status, json, headers);

    /// <summary>Builds a response with raw bytes (for bodies that are not valid text, or not JSON).</summary>
    /// <param name="status">The status code.</param>
    /// <param name="body">The body bytes.</param>
    /// <param name="contentType">The content type, sent as given; <see langword="null"/> for none.</param>
    /// <param name="headers">Response headers to add.</param>
    /// <returns>The response.</returns>
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

    /// <summary>Queues an answer for the next request no route takes.</summary>
    /// <param name="responder">Builds the answer (it may throw, to simulate a transport failure).</param>
    /// <returns>This handler.</returns>
    public StubHttpHandler Enqueue(Func<HttpRequestMessage, HttpResponseMessage> responder)
    {
        ArgumentNullException.ThrowIfNull(responder);
        lock (_lock)
        {
            _queue.Enqueue(responder);
        }

        return this;
    }

    /// <summary>Queues a canned answer for the next request no route takes.</summary>
    /// <param name="status">The status code.</param>
    /// <param name="body">The body.</param>
    /// <param name="contentType">The content type (its charset is UTF-8).</param>
    /// <param name="configure">Adjusts the response, for example to add headers.</param>
    /// <returns>This handler.</returns>
    public StubHttpHandler Enqueue(int status, string body, string contentType = JsonContentType, Action<HttpResponseMessage>? configure = null) =>
        Enqueue(_ =>
        {
            var response = new HttpResponseMessage((HttpStatusCode)status) { Content = new StringContent(body, Encoding.UTF8, contentType) };
            configure?.Invoke(response);
            return response;
        });

    /// <summary>Queues a canned answer for the next request no route takes.</summary>
    /// <param name="status">The status code.</param>
    /// <param name="body">The body.</param>
    /// <param name="contentType">The content type (its charset is UTF-8).</param>
    /// <param name="configure">Adjusts the response, for example to add headers.</param>
    /// <returns>This handler.</returns>
    public StubHttpHandler Enqueue(HttpStatusCode status, string body, string contentType = JsonContentType, Action<HttpResponseMessage>? configure = null) =>
        Enqueue((int)status, body, contentType, configure);

    /// <summary>Queues a transport failure: the next request no route takes throws <paramref name="exception"/>.</summary>
    /// <param name="exception">The exception, such as an <see cref="HttpRequestException"/>.</param>
    /// <returns>This handler.</returns>
    public StubHttpHandler Throw(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        return Enqueue(_ => throw exception);
    }

    /// <summary>Adds a route whose answers are used once each, in order.</summary>
    /// <param name="method">The HTTP method.</param>
    /// <param name="path">The path, such as <c>/api/generate/v2</c>; a trailing <c>*</c> matches a prefix.</param>
    /// <param name="responders">The answers.</param>
    /// <returns>This handler.</returns>
    public StubHttpHandler On(HttpMethod method, string path, params Func<HttpRequestMessage, HttpResponseMessage>[] responders) =>
        AddRoute(method, path, responders, always: null);

    /// <summary>Adds a route that answers once with canned JSON.</summary>
    /// <param name="method">The HTTP method.</param>
    /// <param name="path">The path; a trailing <c>*</c> matches a prefix.</param>
    /// <param name="status">The status code.</param>
    /// <param name="json">The body.</param>
    /// <param name="headers">Response headers to add.</param>
    /// <returns>This handler.</returns>
    public StubHttpHandler On(HttpMethod method, string path, int status, string json, params (string Name, string Value)[] headers) =>
        On(method, path, _ => Json(status, json, headers));

    /// <summary>Adds a route that answers every matching request (after the earlier routes' answers are used up).</summary>
    /// <param name="method">The HTTP method.</param>
    /// <param name="path">The path; a trailing <c>*</c> matches a prefix.</param>
    /// <param name="responder">The answer.</param>
    /// <returns>This handler.</returns>
    public StubHttpHandler Always(HttpMethod method, string path, Func<HttpRequestMessage, HttpResponseMessage> responder)
    {
        ArgumentNullException.ThrowIfNull(responder);
        return AddRoute(method, path, [], responder);
    }

    /// <summary>Adds a route that answers every matching request with canned JSON.</summary>
    /// <param name="method">The HTTP method.</param>
    /// <param name="path">The path; a trailing <c>*</c> matches a prefix.</param>
    /// <param name="status">The status code.</param>
    /// <param name="json">The body.</param>
    /// <returns>This handler.</returns>
    public StubHttpHandler Always(HttpMethod method, string path, int status, string json) => Always(method, path, _ => Json(status, json));

    /// <inheritdoc/>
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        string body = request.Content is null ? string.Empty : await request.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var header in request.Headers.Concat(request.Content?.Headers ?? Enumerable.Empty<KeyValuePair<string, IEnumerable<string>>>()))
        {
            headers[header.Key] = string.Join(",", header.Value);
        }

        Uri uri = request.RequestUri ?? throw new InvalidOperationException("The request has no URI.");
        Func<HttpRequestMessage, HttpResponseMessage>? answer;
        lock (_lock)
        {
            _requests.Add(new StubHttpRequest(request.Method, uri, headers, body));
            answer = Take(request.Method, uri.AbsolutePath) ?? (_queue.TryDequeue(out var next) ? next : Fallback);
        }

        if (answer is null)
        {
            throw new InvalidOperationException($"StubHttpHandler: no scripted answer for {request.Method} {uri}.");
        }

        HttpResponseMessage response = answer(request);
        response.RequestMessage ??= request;
        return response;
    }

    private StubHttpHandler AddRoute(HttpMethod method, string path, Func<HttpRequestMessage, HttpResponseMessage>[] responders, Func<HttpRequestMessage, HttpResponseMessage>? always)
    {
        ArgumentNullException.ThrowIfNull(method);
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(responders);
        lock (_lock)
        {
            _routes.Add(new Route(method, path, new Queue<Func<HttpRequestMessage, HttpResponseMessage>>(responders), always));
        }

        return this;
    }

    private Func<HttpRequestMessage, HttpResponseMessage>? Take(HttpMethod method, string path)
    {
        foreach (Route route in _routes)
        {
            bool matches = route.Path.EndsWith('*')
                ? path.StartsWith(route.Path[..^1], StringComparison.Ordinal)
                : string.Equals(route.Path, path, StringComparison.Ordinal);
            if (route.Method != method || !matches)
            {
                continue;
            }

            if (route.Answers.TryDequeue(out var next))
            {
                return next;
            }

            if (route.Always is not null)
            {
                return route.Always;
            }
        }

        return null;
    }

    private sealed record Route(HttpMethod Method, string Path, Queue<Func<HttpRequestMessage, HttpResponseMessage>> Answers, Func<HttpRequestMessage, HttpResponseMessage>? Always);
}

/// <summary>A request a <see cref="StubHttpHandler"/> received.</summary>
/// <param name="Method">The HTTP method.</param>
/// <param name="Uri">The absolute request URI.</param>
/// <param name="Headers">The request and content headers; look-ups are case-insensitive and repeated values are joined with <c>,</c>.</param>
/// <param name="Body">The body as text; empty when there is none.</param>
public sealed record StubHttpRequest(HttpMethod Method, Uri Uri, IReadOnlyDictionary<string, string> Headers, string Body)
{
    /// <summary>Gets the path, such as <c>/api/generate/v2</c>.</summary>
    public string Path => Uri.AbsolutePath;

    /// <summary>Gets the <c>Authorization</c> header, or <see langword="null"/> when none was sent.</summary>
    public string? Authorization => Header("Authorization");

    /// <summary>Gets a header's value.</summary>
    /// <param name="name">The header name (case-insensitive).</param>
    /// <returns>The value, or <see langword="null"/> when the header is absent.</returns>
    public string? Header(string name) => Headers.TryGetValue(name, out string? value) ? value : null;

    /// <inheritdoc/>
    public override string ToString() => $"{Method} {Uri}";
}
