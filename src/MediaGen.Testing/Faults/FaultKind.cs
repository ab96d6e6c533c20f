namespace MediaGen.Testing;

/// <summary>What a <see cref="FaultRule"/> does to a matching request.</summary>
public enum FaultKind
{
    /// <summary>Responds with a status code, body and headers; the emulator's handler does not run.</summary>
    Respond,

    /// <summary>Waits before the handler runs, on the host's clock or in real time.</summary>
    Latency,

    /// <summary>Drops the connection before the handler runs: the request is never processed (nothing is charged).</summary>
    DropBeforeHandler,

    /// <summary>Runs the handler (the job is accepted and charged), then drops the connection without sending the response.</summary>
    DropAfterHandler,

    /// <summary>Runs the handler, then replaces its body with invalid JSON, keeping status and headers.</summary>
    MalformedBody,

    /// <summary>Runs the handler, then sends only the first half of its body with a matching Content-Length.</summary>
    TruncatedBody,

    /// <summary>Responds with a non-JSON content type (by default an HTML error page); the handler does not run.</summary>
    WrongContentType,
}
