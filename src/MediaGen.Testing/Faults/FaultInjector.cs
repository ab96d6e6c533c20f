namespace MediaGen.Testing;

/// <summary>
/// Injects faults into an <see cref="EmulatorHost"/>'s requests, per route. Thread-safe.
/// </summary>
/// <remarks>
/// Rules are consulted in the order they were added; the first one that matches a request and is not exhausted fires
/// (once per request) and counts towards its limit. So <c>On(POST, p).Times(2).RespondWith(503)</c> followed by
/// <c>On(POST, p).Once().DropConnectionAfterHandler()</c> gives two 503s, one dropped connection, then normal responses.
/// Paths are compared case-insensitively, without the query string.
/// </remarks>
public sealed class FaultInjector
{
    private readonly Lock _lock = new();
    private readonly List<FaultRule> _rules = [];

    /// <summary>Gets a snapshot of the rules, in the order they are consulted.</summary>
    public IReadOnlyList<FaultRule> Rules
    {
        get
        {
            lock (_lock)
            {
                return [.. _rules];
            }
        }
    }

    /// <summary>Gets how many times any rule has fired.</summary>
    public int TotalFired
    {
        get
        {
            lock (_lock)
            {
                return _rules.Sum(r => r.FiredCount);
            }
        }
    }

    /// <summary>Starts a rule for requests to exactly <paramref name="path"/>.</summary>
    /// <param name="method">The HTTP method, or <see langword="null"/> for any.</param>
    /// <param name="path">The path, such as <c>/api/generate/v2</c> (without query string).</param>
    /// <returns>A builder; finish it with one of its terminal methods.</returns>
    /// <exception cref="ArgumentException"><paramref name="path"/> is null or empty.</exception>
    public FaultRuleBuilder On(HttpMethod? method, string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        return new FaultRuleBuilder(this, $"{method?.Method ?? "*"} {path}",
            r => MethodMatches(method, r) && string.Equals(r.Path, path, StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>Starts a rule for requests whose path starts with <paramref name="pathPrefix"/>.</summary>
    /// <param name="method">The HTTP method, or <see langword="null"/> for any.</param>
    /// <param name="pathPrefix">The path prefix, such as <c>/api/</c>.</param>
    /// <returns>A builder; finish it with one of its terminal methods.</returns>
    /// <exception cref="ArgumentException"><paramref name="pathPrefix"/> is null or empty.</exception>
    public FaultRuleBuilder OnPrefix(HttpMethod? method, string pathPrefix)
    {
        ArgumentException.ThrowIfNullOrEmpty(pathPrefix);
        return new FaultRuleBuilder(this, $"{method?.Method ?? "*"} {pathPrefix}*",
            r => MethodMatches(method, r) && r.Path.StartsWith(pathPrefix, StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>Starts a rule for the paid submits (POSTs) of one emulator, whatever their path (<see cref="IEmulatedApi.IsPaidSubmit"/>), such as Replicate's per-model creates.</summary>
    /// <param name="emulator">The emulator.</param>
    /// <returns>A builder; finish it with one of its terminal methods.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="emulator"/> is <see langword="null"/>.</exception>
    public FaultRuleBuilder OnPaidSubmit(IEmulatedApi emulator)
    {
        ArgumentNullException.ThrowIfNull(emulator);
        return new FaultRuleBuilder(this, $"POST paid submit of {emulator.Name}",
            r => MethodMatches(HttpMethod.Post, r) && emulator.IsPaidSubmit(r.Path));
    }

    /// <summary>Starts a rule for requests matching a predicate (which can inspect headers and body).</summary>
    /// <param name="predicate">The test on the recorded request.</param>
    /// <param name="description">A description for diagnostics.</param>
    /// <returns>A builder; finish it with one of its terminal methods.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="predicate"/> is <see langword="null"/>.</exception>
    public FaultRuleBuilder OnRequest(Func<RecordedRequest, bool> predicate, string description = "predicate")
    {
        ArgumentNullException.ThrowIfNull(predicate);
        ArgumentNullException.ThrowIfNull(description);
        return new FaultRuleBuilder(this, description, predicate);
    }

    /// <summary>Starts a rule for every request.</summary>
    /// <returns>A builder; finish it with one of its terminal methods.</returns>
    public FaultRuleBuilder OnAny() => new(this, "* *", static _ => true);

    /// <summary>Removes every rule.</summary>
    public void Clear()
    {
        lock (_lock)
        {
            _rules.Clear();
        }
    }

    internal FaultRule Add(FaultRule rule)
    {
        lock (_lock)
        {
            _rules.Add(rule);
        }

        return rule;
    }

    /// <summary>Finds and fires the rule for a request, or returns <see langword="null"/> to serve it normally.</summary>
    internal FaultRule? TryConsume(RecordedRequest request)
    {
        lock (_lock)
        {
            foreach (FaultRule rule in _rules)
            {
                if (rule.TryFire(request))
                {
                    return rule;
                }
            }

            return null;
        }
    }

    private static bool MethodMatches(HttpMethod? method, RecordedRequest request) =>
        method is null || string.Equals(method.Method, request.Method, StringComparison.OrdinalIgnoreCase);
}
