using System.Collections.Concurrent;
using System.Globalization;
using System.Text.RegularExpressions;
using MediaGen.Testing;

namespace MediaGen.Reliability.Tests.Faults;

/// <summary>A fault injected into the first submit attempt of one logical request.</summary>
public enum InjectedFault
{
    /// <summary>Served normally.</summary>
    None,

    /// <summary>The connection is dropped before the emulator's handler runs: nothing is accepted or charged.</summary>
    DropBeforeHandler,

    /// <summary>The handler runs (the job is accepted and charged), then the connection is dropped without a response.</summary>
    DropAfterHandler,

    /// <summary>HTTP 500 without running the handler.</summary>
    Status500,

    /// <summary>HTTP 502 without running the handler.</summary>
    Status502,

    /// <summary>HTTP 503 without running the handler.</summary>
    Status503,

    /// <summary>HTTP 429 with <c>Retry-After: 1</c> (within what the pipeline waits out).</summary>
    RateLimitedShort,

    /// <summary>HTTP 429 with <c>Retry-After: 120</c> (longer than the pipeline waits: surfaces to the caller).</summary>
    RateLimitedLong,

    /// <summary>
    /// The request is held (before the handler) for a virtual day, far past the 5 s attempt timeout: the client gives up
    /// and the vendor never processes it. (A vendor that processed the request but whose answer was lost is
    /// <see cref="DropAfterHandler"/>.)
    /// </summary>
    SlowPastAttemptTimeout,
}

/// <summary>
/// Decides, from a seed, which fault each logical request's first submit attempt meets, and installs the rules on an
/// emulator host. The rules recognise a request by the unique index in its prompt, so which request meets which fault
/// does not depend on the order in which concurrent submits arrive.
/// </summary>
public sealed partial class FaultPlan
{
    // Weights out of 100.
    private static readonly (InjectedFault Fault, int Weight)[] Mix =
    [
        (InjectedFault.None, 30),
        (InjectedFault.DropBeforeHandler, 10),
        (InjectedFault.DropAfterHandler, 12),
        (InjectedFault.Status500, 7),
        (InjectedFault.Status502, 7),
        (InjectedFault.Status503, 7),
        (InjectedFault.RateLimitedShort, 10),
        (InjectedFault.RateLimitedLong, 7),
        (InjectedFault.SlowPastAttemptTimeout, 10),
    ];

    /// <summary>How long a slow-response fault holds the request: longer than any test advances the clock.</summary>
    public static readonly TimeSpan SlowFaultLatency = TimeSpan.FromDays(1);

    private readonly InjectedFault[] _faults;
    private readonly ConcurrentDictionary<int, byte> _fired = new();

    private FaultPlan(InjectedFault[] faults) => _faults = faults;

    /// <summary>Gets the fault of each request, by index.</summary>
    public IReadOnlyList<InjectedFault> Faults => _faults;

    /// <summary>Gets how many first attempts met their fault (each fires once).</summary>
    public int FiredCount => _fired.Count;

    /// <summary>Draws <paramref name="count"/> faults from the mix with a seeded generator.</summary>
    public static FaultPlan Create(int count, int seed)
    {
        var random = new Random(seed);
        var faults = new InjectedFault[count];
        for (var i = 0; i < count; i++)
        {
            var roll = random.Next(100);
            foreach (var (fault, weight) in Mix)
            {
                if (roll < weight)
                {
                    faults[i] = fault;
                    break;
                }

                roll -= weight;
            }
        }

        return new FaultPlan(faults);
    }

    /// <summary>Installs one rule per fault kind on the host; each fires once per logical request, on its first submit attempt.</summary>
    public void Install(FaultInjector faults, string submitPath)
    {
        var retryShort = new Dictionary<string, string> { ["Retry-After"] = "1" };
        var retryLong = new Dictionary<string, string> { ["Retry-After"] = "120" };
        Rule(InjectedFault.DropBeforeHandler).DropConnectionBeforeHandler();
        Rule(InjectedFault.DropAfterHandler).DropConnectionAfterHandler();
        Rule(InjectedFault.Status500).RespondWith(500, """{"error":"Internal Server Error"}""");
        Rule(InjectedFault.Status502).RespondWithWrongContentType(502);
        Rule(InjectedFault.Status503).RespondWith(503, """{"message":"Service Unavailable"}""");
        Rule(InjectedFault.RateLimitedShort).RespondWith(429, """{"error":"Too many requests"}""", retryShort);
        Rule(InjectedFault.RateLimitedLong).RespondWith(429, """{"error":"Too many requests"}""", retryLong);
        Rule(InjectedFault.SlowPastAttemptTimeout).Delay(SlowFaultLatency);

        FaultRuleBuilder Rule(InjectedFault kind) => faults
            .OnRequest(r => r.Method == "POST" && string.Equals(r.Path, submitPath, StringComparison.OrdinalIgnoreCase)
                && IndexOf(r.Body) is int index && index < _faults.Length && _faults[index] == kind && _fired.TryAdd(index, 0), $"first submit of a request planned for {kind}")
            .Always();
    }

    /// <summary>The request index written in a prompt by <see cref="Support.Vendor.NewRequest"/>.</summary>
    public static int? IndexOf(string body)
    {
        var match = IndexPattern().Match(body);
        return match.Success ? int.Parse(match.Groups[1].ValueSpan, CultureInfo.InvariantCulture) : null;
    }

    [GeneratedRegex(@"request #(\d{5})\.")]
    private static partial Regex IndexPattern();
}
