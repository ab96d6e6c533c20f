namespace MediaGen.Testing;

/// <summary>A request an <see cref="EmulatorHost"/> received, recorded in full (nothing is redacted: this is a test tool).</summary>
/// <param name="Method">The HTTP method, such as <c>POST</c>.</param>
/// <param name="Path">The path, such as <c>/api/generate/v2</c>.</param>
/// <param name="Query">The query string including its leading <c>?</c>, or empty.</param>
/// <param name="Headers">The request headers; look-ups are case-insensitive and repeated headers are joined with <c>", "</c>.</param>
/// <param name="Body">The request body decoded as UTF-8; empty when there is none.</param>
/// <param name="ReceivedAt">When the request arrived, on the host's <see cref="TimeProvider"/>.</param>
public sealed record RecordedRequest(
    string Method,
    string Path,
    string Query,
    IReadOnlyDictionary<string, string> Headers,
    string Body,
    DateTimeOffset ReceivedAt)
{
    /// <summary>Gets the path followed by the query string, such as <c>/api/jobs?id=42</c>.</summary>
    public string PathAndQuery => Path + Query;

    /// <summary>Gets the kind of fault injected into this request, or <see langword="null"/> when it was served normally.</summary>
    public FaultKind? Fault { get; init; }

    /// <summary>Gets the rule that injected <see cref="Fault"/>, or <see langword="null"/> when the request was served normally.</summary>
    public FaultRule? FaultRule { get; init; }

    /// <summary>Gets the name of the emulator whose endpoint the request reached (such as <c>MeiGen</c>), or <see langword="null"/> for the host's own endpoints and unknown paths.</summary>
    public string? Emulator { get; init; }

    /// <summary>Gets the status code sent, or <see langword="null"/> while the request is in flight or when the connection was dropped.</summary>
    public int? StatusCode { get; init; }

    /// <summary>Gets how long the host took to answer (real time), or <see langword="null"/> while the request is in flight.</summary>
    public TimeSpan? Duration { get; init; }

    /// <summary>Gets a header's value.</summary>
    /// <param name="name">The header name (case-insensitive).</param>
    /// <returns>The value, or <see langword="null"/> when the header is absent.</returns>
    public string? Header(string name) => Headers.TryGetValue(name, out string? value) ? value : null;

    /// <inheritdoc/>
    public override string ToString() => $"{Method} {PathAndQuery}";
}
