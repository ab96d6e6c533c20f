using System.Threading.RateLimiting;

namespace MediaGen.Routing;

/// <summary>Options of <see cref="MediaRouter"/>.</summary>
public sealed class RouterOptions
{
    /// <summary>Gets or sets the default strategy.</summary>
    /// <value>The default is <see cref="RoutingStrategy.Ordered"/>.</value>
    public RoutingStrategy Strategy { get; set; } = RoutingStrategy.Ordered;

    /// <summary>Gets or sets the default preference order of vendors.</summary>
    public IList<string> Preference { get; set; } = [];

    /// <summary>
    /// Gets or sets the user's additions and overrides to the canonical-slug mappings the providers contribute: the
    /// router resolves with the providers' mappings and then these edits, applied in order (so they win). Empty by
    /// default; see <see cref="MediaRouter.Catalog"/> for the merged result.
    /// </summary>
    public ModelCatalog Catalog { get; set; } = new();

    /// <summary>Gets or sets the credit → USD rates used to compare vendors.</summary>
    public ExchangeRates ExchangeRates { get; set; } = new();

    /// <summary>Gets or sets the ordering delegate for <see cref="RoutingStrategy.Custom"/>.</summary>
    public Func<IReadOnlyList<RouteQuote>, IEnumerable<RouteQuote>>? CustomOrder { get; set; }

    /// <summary>Gets or sets whether the router may fail over after an outcome-unknown submit (risking a second charge).</summary>
    /// <value>The default is false.</value>
    public bool AllowDuplicateSpend { get; set; }

    /// <summary>
    /// Gets or sets whether the router fails over after a submit the vendor's own records proved it did not accept
    /// (<see cref="MediaGenError.NotAcceptedProof"/>: MeiGen's request log answering <c>request_not_found</c>, Apiframe
    /// refusing a resend with the same key, VeoGen's generation list covering the attempt's window). Turn it off for the
    /// stricter rule: such a submit then stays outcome unknown at that vendor (no failover, the key pinned), trading
    /// availability for the residual risk of a late commit (docs/paying-once.md).
    /// </summary>
    /// <value>The default is true.</value>
    public bool FailOverOnNotAcceptedProof { get; set; } = true;

    /// <summary>
    /// Gets or sets whether the router probes a vendor before paying for a submit there: when it has no fresh evidence
    /// of the vendor's health (no accepted submit or passing probe within <see cref="ProbeFreshness"/>, or the last submit
    /// there met unavailability or an unknown outcome), it first makes the vendor's <see cref="ProviderProbe"/> (one free
    /// read, shared by every concurrent request). A failing probe (an error status, an HTML page, a timeout, a 429) marks
    /// the vendor down for <see cref="ProbeFreshness"/> (or its <c>Retry-After</c>, when longer), and the request fails over
    /// without sending it the submit: refused before billing, recorded in the attempt trail. When every candidate's probe
    /// failed, each is probed once more, and again after each back-off within <see cref="MaxRateLimitWait"/>, before the
    /// router gives up; nothing is sent to a vendor whose probe failed.
    /// A vendor whose last submit ended outcome unknown (within 10 minutes, none accepted since) is tried after the
    /// other candidates rather than first, and a vendor with no submit accepted within <see cref="ProbeFreshness"/> is
    /// sent one submit at a time until one is accepted (a trial: the others wait for it).
    /// A vendor that offers no probe is sent the submit as before.
    /// </summary>
    /// <value>The default is true.</value>
    public bool ProbeBeforeSubmit { get; set; } = true;

    /// <summary>Gets or sets how long a good exchange with a vendor (an accepted submit, a passing probe) counts as evidence of its health, and how long a failed probe keeps it down.</summary>
    /// <value>The default is 30 seconds.</value>
    public TimeSpan ProbeFreshness { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Gets or sets whether a job failing for a non-policy reason is resubmitted to the next vendor.</summary>
    /// <value>The default is false.</value>
    public bool ResubmitOnJobFailure { get; set; }

    /// <summary>Gets or sets how many failed submits within <see cref="CircuitSamplingDuration"/> open a vendor's circuit.</summary>
    /// <value>The default is 3.</value>
    public int CircuitMinimumThroughput { get; set; } = 3;

    /// <summary>Gets or sets the window over which failures are counted.</summary>
    /// <value>The default is 60 seconds.</value>
    public TimeSpan CircuitSamplingDuration { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Gets or sets how long an open circuit stays open before a probe is let through (longer when the vendor sent <c>Retry-After</c>).</summary>
    /// <value>The default is 30 seconds.</value>
    public TimeSpan CircuitBreakDuration { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Gets the per-vendor rate limiters consulted before each submit (replace one with a distributed limiter to
    /// share a budget across processes). A vendor without an entry is not limited by the router.
    /// </summary>
    public IDictionary<string, RateLimiter> RateLimiters { get; } = new Dictionary<string, RateLimiter>(StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// Gets or sets how long the router may wait, in all (its own waits; the vendors' answers are not counted), to try a
    /// request again when no vendor served it at once: a vendor that rate limited it (after the back-off it asked for,
    /// <c>Retry-After</c>, or documents, MeiGen: 10–30 s), refused it before billing while unavailable (a 503 it refuses
    /// with, or one its records prove was not accepted) or failed its probe (after a back-off of 1 s, doubling up to 30 s),
    /// and a vendor that dedupes by idempotency key after an unknown outcome there (the same key, to that vendor only;
    /// never elsewhere). A vendor that can serve is tried at once instead; one that lost answers to submits lately is tried
    /// only when nothing else can be waited for (after at most 30 s of waiting, unless a vendor answered the request's
    /// submit with a refusal). <see cref="TimeSpan.Zero"/> never waits: every vendor is tried once (a failed probe twice).
    /// </summary>
    /// <value>The default is 2 minutes.</value>
    public TimeSpan MaxRateLimitWait { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>Gets or sets what is told each time the router waits for a rate-limiting vendor (the CLI prints "MeiGen is rate limiting; retrying in 15 s").</summary>
    public Action<RateLimitWait>? OnRateLimitWait { get; set; }

    /// <summary>
    /// Gets or sets circuit state shared with other instances: a vendor one instance found down is skipped by every router
    /// sharing it until the reported time, and this router reports its own circuits when they open. None when null.
    /// </summary>
    public ISharedCircuitState? SharedCircuits { get; set; }

    /// <summary>Gets or sets where the router logs its decisions (skips, failovers, stops); none when null.</summary>
    public Microsoft.Extensions.Logging.ILoggerFactory? LoggerFactory { get; set; }

    /// <summary>Gets or sets the clock (circuit breakers and submission times).</summary>
    public TimeProvider? TimeProvider { get; set; }
}
