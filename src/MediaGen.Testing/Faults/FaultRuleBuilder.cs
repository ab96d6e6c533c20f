namespace MediaGen.Testing;

/// <summary>
/// Builds a <see cref="FaultRule"/> fluently: choose how many times with <see cref="Once"/>, <see cref="Times"/> or
/// <see cref="Always"/> (the default is once), then what happens with one of the terminal methods, which adds the rule
/// to the injector and returns it.
/// </summary>
/// <example><c>host.Faults.On(HttpMethod.Post, "/api/generate/v2").Times(2).RespondWith(503, "{}", new Dictionary&lt;string, string&gt; { ["Retry-After"] = "1" });</c></example>
public sealed class FaultRuleBuilder
{
    /// <summary>The HTML page <see cref="RespondWithWrongContentType"/> sends by default.</summary>
    public const string DefaultHtmlErrorPage =
        "<!DOCTYPE html>\n<html><head><title>502 Bad Gateway</title></head>\n<body><h1>502 Bad Gateway</h1><p>The upstream server returned an invalid response.</p><hr><center>nginx</center></body></html>\n";

    /// <summary>The invalid JSON <see cref="WithMalformedBody"/> sends by default.</summary>
    public const string DefaultMalformedJson = "{\"id\": \"job_, \"status\": <<not json>>";

    private readonly FaultInjector _injector;
    private readonly string _description;
    private readonly Func<RecordedRequest, bool> _matches;
    private int? _limit = 1;

    internal FaultRuleBuilder(FaultInjector injector, string description, Func<RecordedRequest, bool> matches)
    {
        _injector = injector;
        _description = description;
        _matches = matches;
    }

    /// <summary>Makes the rule fire once (the default).</summary>
    /// <returns>This builder.</returns>
    public FaultRuleBuilder Once() => Times(1);

    /// <summary>Makes the rule fire for the next <paramref name="count"/> matching requests.</summary>
    /// <param name="count">The number of times; at least 1.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="count"/> is less than 1.</exception>
    public FaultRuleBuilder Times(int count)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        _limit = count;
        return this;
    }

    /// <summary>Makes the rule fire for every matching request until <see cref="FaultInjector.Clear"/>.</summary>
    /// <returns>This builder.</returns>
    public FaultRuleBuilder Always()
    {
        _limit = null;
        return this;
    }

    /// <summary>Responds with a status code, body and headers without running the handler.</summary>
    /// <param name="statusCode">The status code, such as 503 or 429.</param>
    /// <param name="body">The body; none when <see langword="null"/>.</param>
    /// <param name="headers">Extra response headers, such as <c>Retry-After</c>.</param>
    /// <param name="contentType">The content type of <paramref name="body"/>. The default is <c>application/json</c>.</param>
    /// <returns>The rule, already added.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="statusCode"/> is outside 100–599.</exception>
    public FaultRule RespondWith(int statusCode, string? body = null, IReadOnlyDictionary<string, string>? headers = null, string contentType = "application/json")
    {
        ValidateStatus(statusCode);
        return Add(FaultKind.Respond, statusCode, body, headers, contentType);
    }

    /// <summary>Delays the request before the handler runs, on the host's <see cref="EmulatorHost.TimeProvider"/>.</summary>
    /// <param name="latency">The delay.</param>
    /// <returns>The rule, already added.</returns>
    /// <remarks>With a <see cref="FakeClock"/> host the request waits until the test advances the clock (or drives it with
    /// <see cref="FakeClock.DriveAsync(Task, TimeSpan?)"/>). The wait ends early if the client disconnects or the host stops.</remarks>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="latency"/> is negative.</exception>
    public FaultRule Delay(TimeSpan latency)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(latency, TimeSpan.Zero);
        return _injector.Add(new FaultRule(_description, _matches, _limit, FaultKind.Latency) { Latency = latency });
    }

    /// <summary>Delays the request before the handler runs, in real time whatever the host's clock.</summary>
    /// <param name="latency">The delay; keep it short (it slows the test down by that much).</param>
    /// <returns>The rule, already added.</returns>
    /// <remarks>For attempt-timeout tests where the client's timeout runs on the real clock (for example
    /// <see cref="HttpClient.Timeout"/>), while the host's emulated jobs run on a fake one.</remarks>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="latency"/> is negative.</exception>
    public FaultRule DelayInRealTime(TimeSpan latency)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(latency, TimeSpan.Zero);
        return _injector.Add(new FaultRule(_description, _matches, _limit, FaultKind.Latency) { Latency = latency, UsesRealTime = true });
    }

    /// <summary>Drops the connection before the handler runs: the request is never processed, so nothing is charged.</summary>
    /// <returns>The rule, already added.</returns>
    /// <remarks>The request body has been read in full when the connection is aborted; the client sees an
    /// <see cref="HttpRequestException"/>.</remarks>
    public FaultRule DropConnectionBeforeHandler() => Add(FaultKind.DropBeforeHandler);

    /// <summary>Runs the handler (the job is accepted and charged), buffers its response, then aborts the connection without sending it.</summary>
    /// <returns>The rule, already added.</returns>
    /// <remarks>The client sees an <see cref="HttpRequestException"/> although the vendor did the work: the case idempotency
    /// keys exist for.</remarks>
    public FaultRule DropConnectionAfterHandler() => Add(FaultKind.DropAfterHandler);

    /// <summary>Runs the handler, then replaces its body with invalid JSON, keeping its status code and headers.</summary>
    /// <param name="body">The replacement body. The default is <see cref="DefaultMalformedJson"/>.</param>
    /// <returns>The rule, already added.</returns>
    public FaultRule WithMalformedBody(string? body = null) => Add(FaultKind.MalformedBody, body: body ?? DefaultMalformedJson);

    /// <summary>Runs the handler, then sends only the first half of its body, with a Content-Length matching the cut.</summary>
    /// <returns>The rule, already added.</returns>
    /// <remarks>The client reads the response without a transport error; only parsing the incomplete JSON fails.</remarks>
    public FaultRule WithTruncatedBody() => Add(FaultKind.TruncatedBody);

    /// <summary>Responds with a non-JSON content type, as a gateway or CDN error page does; the handler does not run.</summary>
    /// <param name="statusCode">The status code. The default is 502.</param>
    /// <param name="contentType">The content type. The default is <c>text/html; charset=utf-8</c>.</param>
    /// <param name="body">The body. The default is <see cref="DefaultHtmlErrorPage"/>.</param>
    /// <returns>The rule, already added.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="statusCode"/> is outside 100–599.</exception>
    public FaultRule RespondWithWrongContentType(int statusCode = 502, string contentType = "text/html; charset=utf-8", string? body = null)
    {
        ValidateStatus(statusCode);
        return Add(FaultKind.WrongContentType, statusCode, body ?? DefaultHtmlErrorPage, null, contentType);
    }

    private FaultRule Add(FaultKind kind, int statusCode = 0, string? body = null, IReadOnlyDictionary<string, string>? headers = null, string? contentType = null) =>
        _injector.Add(new FaultRule(_description, _matches, _limit, kind)
        {
            StatusCode = statusCode,
            Body = body,
            Headers = headers is null ? new Dictionary<string, string>() : new Dictionary<string, string>(headers, StringComparer.OrdinalIgnoreCase),
            ContentType = contentType,
        });

    private static void ValidateStatus(int statusCode)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(statusCode, 100);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(statusCode, 599);
    }
}
