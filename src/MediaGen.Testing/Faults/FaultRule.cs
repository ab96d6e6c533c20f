namespace MediaGen.Testing;

/// <summary>One fault-injection rule of a <see cref="FaultInjector"/>: which requests it matches, what it does and how many times.</summary>
/// <remarks>Create rules with <see cref="FaultInjector.On(HttpMethod?, string)"/> and its siblings. Thread-safe.</remarks>
public sealed class FaultRule
{
    private readonly Func<RecordedRequest, bool> _matches;
    private int _fired;

    internal FaultRule(string description, Func<RecordedRequest, bool> matches, int? limit, FaultKind kind)
    {
        Description = description;
        _matches = matches;
        Limit = limit;
        Kind = kind;
    }

    /// <summary>Gets a description of the requests the rule matches, such as <c>POST /api/generate/v2</c>.</summary>
    public string Description { get; }

    /// <summary>Gets what the rule does.</summary>
    public FaultKind Kind { get; }

    /// <summary>Gets how many times the rule fires, or <see langword="null"/> for always.</summary>
    public int? Limit { get; }

    /// <summary>Gets how many times the rule has fired.</summary>
    public int FiredCount => Volatile.Read(ref _fired);

    /// <summary>Gets a value indicating whether the rule has fired as many times as its <see cref="Limit"/>.</summary>
    public bool IsExhausted => Limit is int limit && FiredCount >= limit;

    /// <summary>Gets the status code sent by <see cref="FaultKind.Respond"/> and <see cref="FaultKind.WrongContentType"/>.</summary>
    public int StatusCode { get; internal init; }

    /// <summary>Gets the body sent by <see cref="FaultKind.Respond"/>, <see cref="FaultKind.WrongContentType"/> and <see cref="FaultKind.MalformedBody"/>.</summary>
    public string? Body { get; internal init; }

    /// <summary>Gets the content type sent by <see cref="FaultKind.Respond"/> and <see cref="FaultKind.WrongContentType"/>.</summary>
    public string? ContentType { get; internal init; }

    /// <summary>Gets the extra response headers sent by <see cref="FaultKind.Respond"/> and <see cref="FaultKind.WrongContentType"/>.</summary>
    public IReadOnlyDictionary<string, string> Headers { get; internal init; } = new Dictionary<string, string>();

    /// <summary>Gets the delay of a <see cref="FaultKind.Latency"/> rule.</summary>
    public TimeSpan Latency { get; internal init; }

    /// <summary>Gets a value indicating whether a <see cref="FaultKind.Latency"/> rule waits in real time instead of on the host's clock.</summary>
    public bool UsesRealTime { get; internal init; }

    /// <inheritdoc/>
    public override string ToString() =>
        $"{Description} → {Kind} ({FiredCount}/{(Limit is int l ? l.ToString(System.Globalization.CultureInfo.InvariantCulture) : "∞")})";

    /// <summary>Fires the rule if it matches and is not exhausted. Called under the injector's lock.</summary>
    internal bool TryFire(RecordedRequest request)
    {
        if (IsExhausted || !_matches(request))
        {
            return false;
        }

        Interlocked.Increment(ref _fired);
        return true;
    }
}
