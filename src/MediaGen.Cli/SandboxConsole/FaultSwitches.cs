using MediaGen.Testing;

namespace MediaGen.Cli;

/// <summary>
/// One kind of fault a person can switch on for a vendor in the sandbox (console, JSON API or <c>--fault</c>).
/// A kind is either a request fault (a <see cref="FaultRule"/> on the requests it <see cref="Applies"/> to) or a job
/// fault (a <see cref="JobScript"/> for the vendor's next accepted jobs).
/// </summary>
/// <param name="Name">The name used by the API and <c>--fault vendor=NAME</c>, such as <c>outage</c>.</param>
/// <param name="Label">The button's text.</param>
/// <param name="Description">What a client sees.</param>
internal sealed record FaultSwitchKind(string Name, string Label, string Description)
{
    /// <summary>Gets which of the vendor's requests the fault hits (request faults only).</summary>
    public Func<RecordedRequest, bool> Applies { get; init; } = static _ => true;

    /// <summary>Gets the rule a request fault adds (it is consulted for every request the kind applies to).</summary>
    public Func<FaultRuleBuilder, FaultRule>? Rule { get; init; }

    /// <summary>Gets the script a job fault gives the vendor's next accepted jobs.</summary>
    public JobScript? Script { get; init; }
}

/// <summary>
/// The fault kinds the sandbox offers. To offer another, add one entry here: the console, the JSON API and
/// <c>--fault</c> all list this catalog, for every emulator the sandbox serves.
/// </summary>
internal static class FaultSwitchKinds
{
    public static readonly IReadOnlyList<FaultSwitchKind> All =
    [
        new("outage", "Outage (503)", "Every request is answered 503 Service Unavailable; nothing is accepted or charged.")
        {
            Rule = b => b.RespondWith(503, "{\"error\":{\"code\":\"service_unavailable\",\"message\":\"The sandbox simulates an outage.\"}}"),
        },
        new("submit-outage", "Submit outage (503)", "Submits (POST) are answered 503 Service Unavailable and not accepted; reads, including the look-up by idempotency key, still answer, so a client can learn nothing was charged.")
        {
            Applies = static r => string.Equals(r.Method, "POST", StringComparison.OrdinalIgnoreCase),
            Rule = b => b.RespondWith(503, "{\"error\":{\"code\":\"service_unavailable\",\"message\":\"The sandbox simulates an outage of submits.\"}}"),
        },
        new("rate-limit", "429 + Retry-After", "Every request is answered 429 Too Many Requests with Retry-After: 1; nothing is accepted or charged.")
        {
            Rule = b => b.RespondWith(429, "{\"error\":{\"code\":\"rate_limited\",\"message\":\"The sandbox simulates a rate limit.\"}}", new Dictionary<string, string> { ["Retry-After"] = "1" }),
        },
        new("slow", "Slow (5 s)", "Every request waits 5 seconds before it is served normally.")
        {
            Rule = b => b.Delay(TimeSpan.FromSeconds(5)),
        },
        new("drop-after-accept", "Drop after accept", "A submit (POST) is accepted and charged, then the connection drops before the answer is sent.")
        {
            Applies = static r => string.Equals(r.Method, "POST", StringComparison.OrdinalIgnoreCase),
            Rule = b => b.DropConnectionAfterHandler(),
        },
        new("unreadable-status", "Unreadable status", "Status reads (GET) are served, but their JSON body is replaced by unreadable text.")
        {
            Applies = static r => string.Equals(r.Method, "GET", StringComparison.OrdinalIgnoreCase),
            Rule = b => b.WithMalformedBody(),
        },
        new("content-policy", "Content policy", "Accepted jobs fail with the vendor's content-policy error (the vendor's refund rules apply).")
        {
            Script = JobScript.Fail(JobFailureKind.ContentPolicy, "The sandbox rejected the prompt under its content policy (simulated)."),
        },
    ];

    public static FaultSwitchKind? Find(string name) =>
        All.FirstOrDefault(k => string.Equals(k.Name, name, StringComparison.OrdinalIgnoreCase));
}

/// <summary>One switch that is on: a vendor, a kind, and how many more requests (or jobs) it hits.</summary>
/// <param name="Vendor">The emulator's name, such as <c>MeiGen</c>.</param>
/// <param name="Kind">The kind's name.</param>
/// <param name="Remaining">How many more times it fires, or <see langword="null"/> until switched off.</param>
/// <param name="Fired">How many times it has fired since it was switched on.</param>
internal sealed record ActiveFault(string Vendor, string Kind, int? Remaining, int Fired);

/// <summary>
/// The sandbox's fault switches: per emulator and kind, on for the next N requests (or jobs) or until off. Installs one
/// permanent rule per emulator and kind on the host, which fires only while its switch is on. Thread-safe.
/// </summary>
internal sealed class FaultSwitches
{
    private readonly Lock _lock = new();
    private readonly Dictionary<(string Vendor, string Kind), (int? Remaining, int Fired)> _on = [];
    private readonly string[] _vendors;
    private readonly Dictionary<FaultRule, string> _kindOf = [];
    private int _version;

    public FaultSwitches(EmulatorHost host)
    {
        ArgumentNullException.ThrowIfNull(host);
        _vendors = [.. host.Emulators.Select(e => e.Name)];
        foreach (string vendor in _vendors)
        {
            foreach (FaultSwitchKind kind in FaultSwitchKinds.All)
            {
                if (kind.Rule is { } rule)
                {
                    _kindOf[rule(host.Faults.OnRequest(
                        r => string.Equals(r.Emulator, vendor, StringComparison.Ordinal) && kind.Applies(r) && TryFire(vendor, kind.Name),
                        $"sandbox switch {vendor} {kind.Name}").Always())] = kind.Name;
                }

                if (kind.Script is { } script)
                {
                    host.Jobs.WhenEmulator(vendor, _ => TryFire(vendor, kind.Name), script);
                }
            }
        }
    }

    /// <summary>Gets the emulators' names, in the host's order.</summary>
    public IReadOnlyList<string> Vendors => _vendors;

    /// <summary>Gets a number that changes whenever a switch changes or fires.</summary>
    public int Version => Volatile.Read(ref _version);

    /// <summary>Gets the switches that are on.</summary>
    public IReadOnlyList<ActiveFault> Active
    {
        get
        {
            lock (_lock)
            {
                return [.. _on.Select(p => new ActiveFault(p.Key.Vendor, p.Key.Kind, p.Value.Remaining, p.Value.Fired))
                    .OrderBy(a => Array.IndexOf(_vendors, a.Vendor)).ThenBy(a => a.Kind, StringComparer.Ordinal)];
            }
        }
    }

    /// <summary>Names the switch that faulted a request (such as <c>outage</c>), or the fault's kind when another rule did.</summary>
    public string? FaultOf(RecordedRequest request) =>
        request.FaultRule is { } rule && _kindOf.TryGetValue(rule, out string? kind) ? kind : request.Fault?.ToString();

    /// <summary>Resolves a vendor name as a person types it (<c>meigen</c>) to the emulator's (<c>MeiGen</c>).</summary>
    public string? FindVendor(string name) =>
        _vendors.FirstOrDefault(v => string.Equals(v, name, StringComparison.OrdinalIgnoreCase));

    /// <summary>Switches a fault on for the next <paramref name="count"/> requests (or jobs), or until off when <see langword="null"/>.</summary>
    /// <returns>An error message, or <see langword="null"/> when the switch is on.</returns>
    public string? TurnOn(string vendor, string kind, int? count)
    {
        string? resolved = FindVendor(vendor);
        if (resolved is null)
        {
            return $"unknown vendor '{vendor}'; the sandbox serves {string.Join(", ", _vendors)}.";
        }

        FaultSwitchKind? found = FaultSwitchKinds.Find(kind);
        if (found is null)
        {
            return $"unknown fault '{kind}'; the kinds are {string.Join(", ", FaultSwitchKinds.All.Select(k => k.Name))}.";
        }

        if (count is < 1)
        {
            return $"the count must be at least 1 (or left out for 'until switched off'); got {count}.";
        }

        lock (_lock)
        {
            _on[(resolved, found.Name)] = (count, 0);
        }

        Interlocked.Increment(ref _version);
        return null;
    }

    /// <summary>Switches faults off: one kind of one vendor, every kind of one vendor (<paramref name="kind"/> null), or all (both null).</summary>
    /// <returns>How many switches were on.</returns>
    public int TurnOff(string? vendor, string? kind)
    {
        int removed;
        lock (_lock)
        {
            var keys = _on.Keys.Where(k =>
                (vendor is null || string.Equals(k.Vendor, vendor, StringComparison.OrdinalIgnoreCase))
                && (kind is null || string.Equals(k.Kind, kind, StringComparison.OrdinalIgnoreCase))).ToList();
            foreach (var key in keys)
            {
                _on.Remove(key);
            }

            removed = keys.Count;
        }

        Interlocked.Increment(ref _version);
        return removed;
    }

    /// <summary>Parses <c>vendor=kind</c> or <c>vendor=kind:N</c> (the <c>--fault</c> form) and switches it on.</summary>
    /// <returns>An error message, or <see langword="null"/>.</returns>
    public string? TurnOn(string spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        int eq = spec.IndexOf('=', StringComparison.Ordinal);
        if (eq <= 0 || eq == spec.Length - 1)
        {
            return $"--fault takes VENDOR=KIND or VENDOR=KIND:N (such as meigen=outage or veogen=rate-limit:3); got '{spec}'.";
        }

        string vendor = spec[..eq].Trim();
        string kind = spec[(eq + 1)..].Trim();
        int? count = null;
        int colon = kind.IndexOf(':', StringComparison.Ordinal);
        if (colon >= 0)
        {
            if (!int.TryParse(kind[(colon + 1)..], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int n) || n < 1)
            {
                return $"--fault {spec}: the count after ':' must be a whole number of at least 1.";
            }

            count = n;
            kind = kind[..colon];
        }

        return TurnOn(vendor, kind, count);
    }

    private bool TryFire(string vendor, string kind)
    {
        lock (_lock)
        {
            if (!_on.TryGetValue((vendor, kind), out var state))
            {
                return false;
            }

            if (state.Remaining is 1)
            {
                _on.Remove((vendor, kind));
            }
            else
            {
                _on[(vendor, kind)] = (state.Remaining - 1, state.Fired + 1);
            }
        }

        Interlocked.Increment(ref _version);
        return true;
    }
}
