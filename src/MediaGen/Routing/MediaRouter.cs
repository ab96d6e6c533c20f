using System.Threading.RateLimiting;
using System.Diagnostics;
using MediaGen.Providers;
using MediaGen.Telemetry;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Polly;
using Polly.CircuitBreaker;

namespace MediaGen.Routing;

/// <summary>
/// Routes one request across vendors: resolves the canonical model to each vendor's slug, quotes it at every candidate
/// (each vendor validates, translates and prices it once, concurrently), orders the quotes by strategy, and submits the
/// ranked quotes themselves, failing over only on failures rejected before billing. Outcome-unknown never fails over
/// unless the caller allows duplicate spend. Itself an <see cref="IMediaGenerator"/>: its quote carries the whole
/// ranked route, jobs it returns carry the attempt trail, and it offers <see cref="IJobResubmitPolicy"/> so
/// <see cref="MediaGeneratorExtensions.GenerateAsync"/> resubmits failed jobs when allowed. The router does not dispose
/// its providers (whoever created them does; under DI, the service provider).
/// </summary>
public sealed class MediaRouter : IMediaGenerator, IModelList, IJobResubmitPolicy
{
    /// <summary>The router's provider name.</summary>
    public const string ProviderName = "router";

    private static readonly ProviderMetadata RouterMetadata = new() { Name = ProviderName, DisplayName = "MediaGen router", BillingUnit = MoneyUnit.Usd };
    private static readonly IReadOnlySet<string> NoneExcluded = new HashSet<string>();

    private readonly IMediaGenerator[] _providers;
    private readonly string[] _names;
    private readonly Dictionary<string, IMediaGenerator> _byName;
    private readonly Dictionary<string, ProviderCircuit> _circuits;
    private readonly Dictionary<string, ProviderHealth> _health;
    private readonly RouterOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private int _disposed;
    private readonly (string Provider, ProviderModelMappings? Mappings)[] _contributedMappings;
    private MergedCatalog? _catalog;

    // Keys whose submit may have been accepted somewhere (outcome unknown): a resubmission with the same key must go
    // to that vendor only, the one that can dedupe or find it. Bounded; in-process (use the ledger across processes).
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, string> _pinnedKeys = new(StringComparer.Ordinal);
    private const int MaxPinnedKeys = 100_000;

    /// <summary>Creates a router over providers.</summary>
    /// <param name="providers">The providers, in registration order (the router does not dispose them).</param>
    /// <param name="options">The options.</param>
    public MediaRouter(IEnumerable<IMediaGenerator> providers, RouterOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(providers);
        _providers = [.. providers];
        _options = options ?? new RouterOptions();
        _time = _options.TimeProvider ?? TimeProvider.System;
        _logger = _options.LoggerFactory?.CreateLogger("MediaGen.Router") ?? NullLogger.Instance;
        _names = [.. _providers.Select(p => p.GetMetadata().Name)];
        _byName = new Dictionary<string, IMediaGenerator>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < _providers.Length; i++)
        {
            if (!_byName.TryAdd(_names[i], _providers[i]))
            {
                throw new ArgumentException($"Two providers are named '{_names[i]}'.", nameof(providers));
            }
        }

        _circuits = _names.ToDictionary(n => n, _ => new ProviderCircuit(_options, _time), StringComparer.OrdinalIgnoreCase);
        _health = _names.ToDictionary(n => n, _ => new ProviderHealth(_time), StringComparer.OrdinalIgnoreCase);
        _contributedMappings = [.. _providers.Select((p, i) => (_names[i], p.GetService(typeof(ProviderModelMappings)) as ProviderModelMappings))];
        _notAllowed = [.. _names.Select(n => new RouteUnavailable(n, "not in this request's allowed providers"))];
    }

    /// <summary>Per provider, the (immutable) answer for a request whose allowed providers leave it out.</summary>
    private readonly RouteUnavailable[] _notAllowed;

    /// <summary>Gets the providers the router routes to.</summary>
    public IReadOnlyList<IMediaGenerator> Providers => _providers;

    /// <summary>Gets the options.</summary>
    public RouterOptions Options => _options;

    /// <summary>
    /// Gets the catalog the router resolves canonical slugs with: the mappings each provider contributes
    /// (<see cref="ProviderModelMappings"/>), with the edits made to <see cref="RouterOptions.Catalog"/> applied on top.
    /// Read-only; it follows later edits to the options' catalog.
    /// </summary>
    public ModelCatalog Catalog
    {
        get
        {
            var user = _options.Catalog;
            if (_catalog is { } cached && ReferenceEquals(cached.User, user) && cached.Version == user?.Version)
            {
                return cached.Merged;
            }

            var merged = new MergedCatalog(user, user?.Version, ModelCatalog.Merge(_contributedMappings, user));
            _catalog = merged;
            return merged.Merged;
        }
    }

    /// <summary>Gets whether a vendor's circuit is open (it receives no submits until the break ends).</summary>
    /// <param name="provider">The vendor.</param>
    /// <returns>Whether the circuit is open.</returns>
    public bool IsCircuitOpen(string provider) => _circuits.TryGetValue(provider, out var c) && c.IsOpen;

    /// <summary>Lists every vendor's models (vendor ids, with the vendor's capabilities).</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The models.</returns>
    public async ValueTask<IReadOnlyList<ModelCapabilities>> GetModelsAsync(CancellationToken cancellationToken = default)
    {
        ThrowIfDisposed();
        var all = new List<ModelCapabilities>();
        foreach (var p in _providers)
        {
            all.AddRange(await p.GetModelsAsync(cancellationToken).ConfigureAwait(false));
        }

        return all;
    }

    /// <summary>
    /// Quotes the request at every vendor and returns the quote the strategy ranks first; it carries the whole ranked
    /// route, so submitting it to this router tries the candidates in order without preparing anything again.
    /// </summary>
    /// <param name="request">The request.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The best quote, the invalid-request error when the request is wrong at every vendor, or <see cref="NoRouteError"/>.</returns>
    public async ValueTask<Result<GenerationQuote>> QuoteAsync(GenerationRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        ThrowIfDisposed();
        var all = await QuoteCandidatesAsync(request, NoneExcluded, cancellationToken).ConfigureAwait(false); // no task when the vendors quote synchronously
        if (all.Unavailable is [{ Provider: ProviderName, Error: InvalidRequestError invalid }])
        {
            return invalid; // wrong at every vendor (empty prompt, bad URL…): say which field, not "no route"
        }

        if (all.Quotes.Count == 0 && RefusedEverywhere(request, all.Unavailable) is { } refused)
        {
            return refused; // every vendor that serves the model refuses the same field: the request must change, not the route
        }

        if (all.Quotes.Count == 0)
        {
            return new NoRouteError(
                NoRouteMessage(request, all.Unavailable.Select(u => $"{u.Provider}: {u.Reason}")),
                [.. all.Unavailable.Select(u => Skipped(u, request.IdempotencyKey))]);
        }

        var plan = new RoutePlan(request, all.Quotes, all.Unavailable, [], NoneExcluded, request.Routing?.MaxCostUsd, 0m);
        return PlanQuote(all.Quotes[0].Quote, plan, request.IdempotencyKey);
    }

    /// <summary>
    /// Quotes the request at every vendor that serves the model (concurrently), each validated, translated and priced
    /// once by that vendor, ranked by the strategy (for <see cref="RoutingStrategy.Cheapest"/>: USD where known, unknown
    /// last); vendors that cannot serve it are listed with the reason. Each <see cref="RouteQuote.Quote"/> can be
    /// submitted to this router (or its vendor) as is.
    /// </summary>
    /// <param name="request">The request.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The comparison.</returns>
    public Task<RouteQuotes> QuoteAllAsync(GenerationRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        ThrowIfDisposed();
        return QuoteCandidatesAsync(request, NoneExcluded, cancellationToken).AsTask();
    }

    /// <summary>
    /// Submits a quote: one from <see cref="QuoteAsync"/> tries its ranked candidates in order, failing over on failures
    /// rejected before billing; one a vendor made (a <see cref="RouteQuote.Quote"/>) goes to that vendor only. The job
    /// carries the attempt trail and the submitted candidate's quote (with its USD value); errors carry the trail in
    /// <see cref="MediaGenError.Attempts"/>.
    /// </summary>
    /// <param name="quote">The quote.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The accepted job or the error.</returns>
    public Task<Result<GenerationJob>> SubmitAsync(GenerationQuote quote, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(quote);
        ThrowIfDisposed();
        RoutePlan plan;
        if (QuotePayloads.TryGetPayload<RoutePlan>(quote, this, out var routed))
        {
            plan = routed;
        }
        else if (_byName.ContainsKey(quote.Provider))
        {
            var price = quote.Price.WithUsd(_options.ExchangeRates);
            plan = new RoutePlan(quote.Request, [new RouteQuote(quote.Provider, quote with { Price = price }, price.Usd)], [], [], NoneExcluded, quote.Request.Routing?.MaxCostUsd, 0m);
        }
        else
        {
            return Task.FromResult<Result<GenerationJob>>(QuotePayloads.ForeignQuote(quote, ProviderName));
        }

        // The route's own task is returned: no state machine around it.
        var key = string.IsNullOrWhiteSpace(quote.IdempotencyKey) ? IdempotencyKeys.NewKey() : quote.IdempotencyKey;
        return RouteAsync(plan, key, cancellationToken);
    }

    /// <inheritdoc/>
    public Task<Result<GenerationJob>> GetJobAsync(JobHandle handle, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(handle);
        ThrowIfDisposed();
        return _byName.TryGetValue(handle.Provider, out var provider)
            ? provider.GetJobAsync(handle, cancellationToken)
            : Task.FromResult<Result<GenerationJob>>(new NotFoundError($"No provider named '{handle.Provider}' is configured, so job {handle} cannot be looked up. Configure {handle.Provider} to resume it.", handle.Provider));
    }

    /// <summary>Whether a failed job of this router quote could go elsewhere (the request or the router allows resubmitting).</summary>
    /// <param name="submitted">The router quote being submitted.</param>
    /// <returns>False when resubmitting is off for it, so nothing needs keeping while its job waits.</returns>
    bool IJobResubmitPolicy.MayResubmit(GenerationQuote submitted) =>
        submitted is not null && QuotePayloads.TryGetPayload<RoutePlan>(submitted, this, out var plan)
        && (plan.Request.Routing?.ResubmitOnJobFailure ?? _options.ResubmitOnJobFailure);

    /// <summary>
    /// After a routed job failed for a non-policy reason, and when <see cref="RoutingPreferences.ResubmitOnJobFailure"/>
    /// or <see cref="RouterOptions.ResubmitOnJobFailure"/> allows it: quotes the request at the vendors not yet tried,
    /// within what is left of the cost ceiling, keeping the idempotency key and the trail.
    /// </summary>
    /// <param name="submitted">The router quote that was submitted.</param>
    /// <param name="failed">The failed job.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The next router quote, or null when the failed job is the answer.</returns>
    async ValueTask<GenerationQuote?> IJobResubmitPolicy.GetResubmitQuoteAsync(GenerationQuote submitted, GenerationJob failed, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(submitted);
        ArgumentNullException.ThrowIfNull(failed);
        ThrowIfDisposed();
        if (!QuotePayloads.TryGetPayload<RoutePlan>(submitted, this, out var plan))
        {
            return null;
        }

        var request = plan.Request;
        var resubmit = request.Routing?.ResubmitOnJobFailure ?? _options.ResubmitOnJobFailure;
        if (failed.Status != GenerationStatus.Failed || !resubmit || failed.Failure?.Reason == FailureReason.ContentPolicy)
        {
            return null;
        }

        var provider = failed.Handle.Provider;
        var key = failed.Handle.IdempotencyKey ?? submitted.IdempotencyKey;
        var spentUsd = plan.SpentUsd + (failed.Charge is { } charge ? _options.ExchangeRates.ToUsd(charge)?.Amount ?? 0m : 0m);
        var trail = new List<RouteAttempt>(failed.Attempts)
        {
            new(provider, failed.Handle.Model ?? request.Model, RouteOutcome.JobFailed, $"job {failed.Handle} failed: {failed.Failure?.Message}; resubmitting elsewhere") { IdempotencyKey = key },
        };
        var excluded = new HashSet<string>(plan.Excluded, StringComparer.OrdinalIgnoreCase) { provider };
        var all = excluded.Count >= _providers.Length
            ? new RouteQuotes([], [])
            : await QuoteCandidatesAsync(request, excluded, cancellationToken).ConfigureAwait(false);
        var next = new RoutePlan(request, all.Quotes, all.Unavailable, trail, excluded, request.Routing?.MaxCostUsd - spentUsd, spentUsd);
        return PlanQuote(all.Quotes.Count > 0 ? all.Quotes[0].Quote : submitted, next, key);
    }

    /// <inheritdoc/>
    public object? GetService(Type serviceType, object? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(serviceType);
        if (serviceKey is string name && _byName.TryGetValue(name, out var provider))
        {
            return serviceType == typeof(IMediaGenerator) ? provider : provider.GetService(serviceType);
        }

        if (serviceKey is not null)
        {
            return null;
        }

        return serviceType == typeof(ProviderMetadata) ? RouterMetadata : serviceType.IsInstanceOfType(this) ? this : null;
    }

    /// <summary>Stops the router: every later call throws <see cref="ObjectDisposedException"/>. The providers are not disposed.</summary>
    public void Dispose()
    {
        Interlocked.Exchange(ref _disposed, 1);
        GC.SuppressFinalize(this);
    }

    private void ThrowIfDisposed() => ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);

    private GenerationQuote PlanQuote(GenerationQuote basis, RoutePlan plan, string? idempotencyKey) =>
        basis with { Payload = new QuotePayload(this, plan), Request = plan.Request, IdempotencyKey = idempotencyKey }; // one copy (what QuotePayloads.WithPayload and a second `with` made)

    private static RouteAttempt Skipped(RouteUnavailable u, string? idempotencyKey = null) =>
        new(u.Provider, default, RouteOutcome.Skipped, u.Reason) { Error = u.Error, IdempotencyKey = idempotencyKey };

    /// <summary>
    /// The invalid-request error to return when every vendor that serves the model refused the request over the same
    /// field(s), or null. Vendors that do not serve the model (or are not allowed) do not count; any other reason (a vendor
    /// that could not be asked, a missing key) means another attempt might succeed, so the answer stays "no route".
    /// </summary>
    private static InvalidRequestError? RefusedEverywhere(GenerationRequest request, IReadOnlyList<RouteUnavailable> unavailable)
    {
        List<(string Provider, InvalidRequestError Error)>? refusals = null;
        foreach (var entry in unavailable)
        {
            switch (entry.Error)
            {
                case InvalidRequestError { Errors: [{ Field: nameof(GenerationRequest.Model) }] }:
                case null when entry.Provider != ProviderName:
                    continue; // does not serve this model, has no mapping for it, or is not allowed for this request
                case InvalidRequestError invalid:
                    (refusals ??= []).Add((entry.Provider, invalid));
                    continue;
                default:
                    return null;
            }
        }

        if (refusals is null)
        {
            return null;
        }

        var common = refusals[0].Error.Errors.Select(e => e.Field)
            .Where(field => refusals.TrueForAll(r => r.Error.Errors.Any(e => e.Field == field)))
            .Distinct(StringComparer.Ordinal)
            .ToList();
        if (common.Count == 0)
        {
            return null;
        }

        var errors = common.ConvertAll(field => new FieldError(
            field,
            string.Join("; ", refusals.Select(r => $"{r.Provider}: {string.Join(", ", r.Error.Errors.Where(e => e.Field == field).Select(e => e.Message))}"))));
        var error = new InvalidRequestError(errors, ProviderName);
        var vendors = string.Join(", ", refusals.Select(r => r.Provider));
        return error with
        {
            Message = $"Every vendor that serves '{request.Model}' ({vendors}) refuses {string.Join(" and ", common)}: {string.Join("; ", errors.Select(e => e.Message))}. Change the request; trying again elsewhere cannot help.",
        };
    }

    private static string NoRouteMessage(GenerationRequest request, IEnumerable<string> reasons) =>
        $"No vendor could take '{request.Model}': {string.Join("; ", reasons)}.";

    private async ValueTask<RouteQuotes> QuoteCandidatesAsync(GenerationRequest request, IReadOnlySet<string> excluded, CancellationToken cancellationToken)
    {
        var quotes = new List<RouteQuote>();
        var unavailable = new List<RouteUnavailable>();
        if (RequestValidator.ValidateBasics(request) is { } invalid)
        {
            unavailable.Add(new RouteUnavailable(ProviderName, invalid.Message, invalid));
            return new RouteQuotes(quotes, unavailable);
        }

        var allowed = request.Routing?.AllowedProviders is { Count: > 0 } list ? list : null;
        var catalog = Catalog;
        var canonical = catalog.IsCanonical(request.Model);

        // One slot per provider, in registration order, so the concurrent answers are listed in a stable order.
        // Value tasks: a vendor that quotes synchronously (or is not asked) costs no task object.
        var slots = new List<ValueTask<(RouteQuote? Quote, RouteUnavailable? Unavailable)>>(_providers.Length);
        for (var i = 0; i < _providers.Length; i++)
        {
            var name = _names[i];
            if (excluded.Contains(name))
            {
                continue;
            }

            if (allowed is not null && Position(allowed, name) == int.MaxValue)
            {
                slots.Add(new((null, _notAllowed[i]))); // the same answer every time: made once per provider
                continue;
            }

            var vendorRequest = request;
            if (canonical)
            {
                var mapping = catalog.Resolve(request.Model, name, request.Tier);
                if (mapping is null)
                {
                    slots.Add(new((null, new RouteUnavailable(name, $"{name} has no model mapped to '{request.Model}'{(request.Tier is { } t ? $" at tier {t}" : string.Empty)}"))));
                    continue;
                }

                // The one copy per vendor: the vendor's own slug (and no tier when the slug carries it); the other
                // settings are shared with the request, not copied.
                vendorRequest = request.ForVendor(mapping.VendorModel, mapping.TierInSlug);
            }

#pragma warning disable CA2012 // kept in its slot and consumed exactly once below (awaited, or turned into a task for WhenAll)
            slots.Add(QuoteOneAsync(_providers[i], name, vendorRequest, canonical, request.Model, cancellationToken));
#pragma warning restore CA2012
        }

        var pending = 0;
        foreach (var slot in slots)
        {
            pending += slot.IsCompleted ? 0 : 1;
        }

        // One vendor still answering (AllowedProviders pins one, or one serves the model): its answer is awaited alone,
        // in its place; several are awaited together.
        (RouteQuote? Quote, RouteUnavailable? Unavailable)[]? answers = null;
        if (pending > 1)
        {
            var tasks = new Task<(RouteQuote? Quote, RouteUnavailable? Unavailable)>[slots.Count];
            for (var i = 0; i < tasks.Length; i++)
            {
                tasks[i] = slots[i].AsTask();
            }

            answers = await Task.WhenAll(tasks).ConfigureAwait(false);
        }

        for (var i = 0; i < slots.Count; i++)
        {
            var (quote, skipped) = answers is not null ? answers[i] : await slots[i].ConfigureAwait(false);
            if (quote is not null)
            {
                quotes.Add(quote);
            }
            else
            {
                unavailable.Add(skipped!);
            }
        }

        return new RouteQuotes(Rank(quotes, request.Routing), unavailable);
    }

    private async ValueTask<(RouteQuote? Quote, RouteUnavailable? Unavailable)> QuoteOneAsync(IMediaGenerator provider, string name, GenerationRequest vendorRequest, bool canonical, ModelId requested, CancellationToken cancellationToken)
    {
        Result<GenerationQuote> quoted;
        try
        {
            quoted = await provider.QuoteAsync(vendorRequest, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is HttpRequestException or TimeoutException or InvalidOperationException and not ObjectDisposedException)
        {
            return (null, new RouteUnavailable(name, $"{name} could not be asked: {ex.Message}"));
        }

        if (!quoted.TryGetValue(out var quote))
        {
            var error = quoted.Error;
            var reason = !canonical && error is InvalidRequestError { Errors: [{ Field: "Model" }] } ? $"{name} does not serve '{requested}'" : error.Message;
            return (null, new RouteUnavailable(name, reason, error));
        }

        var price = quote.Price.WithUsd(_options.ExchangeRates);
        return (new RouteQuote(name, quote with { Price = price }, price.Usd), null);
    }

    private async Task<Result<GenerationJob>> RouteAsync(RoutePlan plan, string key, CancellationToken cancellationToken)
    {
        var request = plan.Request;
        // The activity's name is built only when someone listens.
        using var activity = MediaGenTelemetry.ActivitySource.HasListeners() ? MediaGenTelemetry.ActivitySource.StartActivity($"route {request.Model}", ActivityKind.Internal) : null;
        activity?.SetTag(MediaGenTelemetry.OperationName, "generate_content");
        activity?.SetTag(MediaGenTelemetry.RequestModel, request.Model.Value);
        // Room for the trail so far, every vendor left out and one attempt per candidate (more only when some are retried).
        var attempts = new List<RouteAttempt>(plan.Trail.Count + plan.Unavailable.Count + plan.Candidates.Count);
        attempts.AddRange(plan.Trail);
        foreach (var u in plan.Unavailable)
        {
            attempts.Add(Skipped(u, key));
        }

        var ceiling = plan.Ceiling;
        var allowDuplicate = request.Routing?.AllowDuplicateSpend ?? _options.AllowDuplicateSpend;
        var failOverOnProof = request.Routing?.FailOverOnNotAcceptedProof ?? _options.FailOverOnNotAcceptedProof;
        _pinnedKeys.TryGetValue(key, out var pinnedTo);
        IReadOnlyList<RouteQuote> round = plan.Candidates;
        var waited = TimeSpan.Zero; // the router's own waits so far (the vendors' answers, however slow, are not counted)

        // Vendors to try again after a wait (refused before billing while unavailable or rate limited, a failed probe, or
        // an unknown outcome at a vendor that dedupes by the key), each with when it is due; the back-off doubles per round.
        var pending = new List<(RouteQuote Candidate, DateTimeOffset Due, bool RateLimited)>();
        var deferred = new List<RouteQuote>();
        var backoff = FirstRetryBackoff;
        var reprobeWithin = TimeSpan.Zero;
        MediaGenError? unknown = null;

        // Vendors that answered a submit of this request with a refusal before billing while unavailable (a brownout):
        // they do work, so waiting for them is preferred to a vendor that loses answers, for the whole wait budget.
        // Made on the first such refusal (the usual route has none). No lambda here captures a local: a capture would cost
        // a closure object on every route.
        HashSet<string>? answering = null;
        while (true)
        {
            var queue = new List<(RouteQuote Candidate, bool Recheck)>(round.Count);
            foreach (var c in round)
            {
                queue.Add((c, false));
            }

            List<RouteQuote>? lastResort = null;
            for (var q = 0; ; q++)
            {
                if (q == queue.Count)
                {
                    if (lastResort is not { Count: > 0 })
                    {
                        break;
                    }

                    // A vendor that lost answers to submits recently is tried only when no other vendor can be tried
                    // again within the wait budget: a vendor that refused before billing (a brownout's 503 proven not
                    // accepted, a failed probe, a 429) may serve after a short wait, while an unknown outcome pins the key.
                    if (NextDue(pending) is { } due && MayWaitUntil(due, waited)
                        && (waited + (due - _time.GetUtcNow()) <= MaxLastResortDeferral || AnyOf(pending, answering)))
                    {
                        deferred.AddRange(lastResort);
                        lastResort.Clear();
                        break;
                    }

                    foreach (var c in lastResort)
                    {
                        queue.Add((c, true));
                    }

                    lastResort.Clear();
                }

                var (candidate, recheck) = queue[q];
                var name = candidate.Provider;
                if (pinnedTo is not null && !allowDuplicate && !string.Equals(pinnedTo, name, StringComparison.OrdinalIgnoreCase))
                {
                    attempts.Add(new RouteAttempt(name, candidate.Quote.Model, RouteOutcome.Skipped, $"idempotency key {key} may already have a job at {pinnedTo} (an earlier submit's outcome was unknown); only {pinnedTo} can dedupe or find it") { IdempotencyKey = key });
                    continue;
                }

                // Each attempt is made once, with its outcome (not a blank one copied with the outcome filled in).

                // The ceiling is checked on the quote that is sent: its payload was priced at exactly this.
                if (ceiling is { } max)
                {
                    if (candidate.Usd is not { } usd)
                    {
                        attempts.Add(Tried(candidate, key, RouteOutcome.Skipped, $"its USD price is unknown ({candidate.Quote.Price.Basis}), so the {Money.Usd(max)} ceiling cannot be honoured"));
                        continue;
                    }

                    if (usd.Amount > max)
                    {
                        attempts.Add(Tried(candidate, key, RouteOutcome.Skipped, $"{usd} is over the {Money.Usd(max)} ceiling"));
                        continue;
                    }
                }

                // A vendor another instance found down is skipped as an open circuit here would be.
                if (_options.SharedCircuits is { } shared && await shared.GetOpenUntilAsync(name, cancellationToken).ConfigureAwait(false) is { } openUntil && openUntil > _time.GetUtcNow())
                {
                    attempts.Add(Tried(candidate, key, RouteOutcome.Skipped, $"circuit open at {name} (reported by another instance until {openUntil:u})"));
                    Retry(pending, candidate, openUntil, false);
                    continue;
                }

                // A vendor whose last submit ended outcome unknown (it answers, maybe even its probe, but loses answers
                // to submits) is tried last, after the others and their second probes, not skipped: each unknown there pins a key.
                if (!recheck && _options.ProbeBeforeSubmit && _health[name].LeftUnknownRecently && !string.Equals(pinnedTo, name, StringComparison.OrdinalIgnoreCase))
                {
                    (lastResort ??= []).Add(candidate);
                    continue;
                }

                // Probe before paying: without fresh evidence of health, one shared free read first; a failing probe
                // fails over without sending the submit (nothing can be charged there). When every other candidate is
                // tried and none served, a vendor whose probe failed is probed once more, and again after each wait.
                if (await ProbeAsync(name, recheck, reprobeWithin, cancellationToken).ConfigureAwait(false) is { } down)
                {
                    attempts.Add(Tried(candidate, key, RouteOutcome.Skipped, $"{name} failed its health probe ({down.Message}), so no submit was sent there (refused before billing)", down));
                    if (!recheck)
                    {
                        queue.Add((candidate, true));
                    }
                    else
                    {
                        Retry(pending, candidate, _time.GetUtcNow() + backoff, false);
                    }

                    continue;
                }

                // A vendor with no submit accepted lately takes one at a time until one is (a passing probe proves only
                // that reads are answered); a request that waited for that trial and finds the vendor losing answers now
                // tries it last, like the others.
                ProviderHealth.SubmitEntry entry;
                try
                {
                    entry = _options.ProbeBeforeSubmit ? await _health[name].EnterSubmitAsync(_options.ProbeFreshness, cancellationToken).ConfigureAwait(false) : default;
                }
                catch (OperationCanceledException) when (unknown is not null && cancellationToken.IsCancellationRequested)
                {
                    return Stopped(unknown, attempts, activity); // an earlier submit may have been accepted: say so, with the key
                }

                using var entered = entry;
                if (entry.Waited && !recheck && _health[name].LeftUnknownRecently && !string.Equals(pinnedTo, name, StringComparison.OrdinalIgnoreCase))
                {
                    (lastResort ??= []).Add(candidate);
                    continue;
                }

                // The circuit decides (an open circuit throws without calling the vendor; after the break it lets one probe through).
                var circuit = _circuits[name];
                var wasOpen = circuit.IsOpen;
                RateLimitLease? lease = null;
                if (_options.RateLimiters.TryGetValue(name, out var limiter))
                {
                    lease = await limiter.AcquireAsync(1, cancellationToken).ConfigureAwait(false);
                    if (!lease.IsAcquired)
                    {
                        var free = lease.TryGetMetadata(MetadataName.RetryAfter, out var after) && after > TimeSpan.Zero ? after : RateLimitWaitOf(name, null);
                        Retry(pending, candidate, _time.GetUtcNow() + free, true);
                        lease.Dispose();
                        attempts.Add(Tried(candidate, key, RouteOutcome.Skipped, $"{name} is over the router's rate limit"));
                        continue;
                    }
                }

                Result<GenerationJob> result;
                using (lease)
                {
                    try
                    {
                        var sent = string.Equals(candidate.Quote.IdempotencyKey, key, StringComparison.Ordinal) ? candidate.Quote : candidate.Quote with { IdempotencyKey = key };

                        // The outcome is awaited here, not in a wrapper of the circuit's: one state machine fewer per route.
                        var context = ResilienceContextPool.Shared.Get(cancellationToken);
                        try
                        {
                            var outcome = await circuit.ExecuteOutcomeAsync(_byName[name], sent, context).ConfigureAwait(false);
                            outcome.ThrowIfException();
                            result = outcome.Result;
                        }
                        finally
                        {
                            ResilienceContextPool.Shared.Return(context);
                        }
                    }
                    catch (BrokenCircuitException)
                    {
                        attempts.Add(Tried(candidate, key, RouteOutcome.Skipped, $"circuit open after repeated failures at {name}"));
                        Retry(pending, candidate, _time.GetUtcNow() + backoff, false);
                        continue;
                    }
                }

                if (!wasOpen && circuit.IsOpen && _options.SharedCircuits is { } report)
                {
                    await report.ReportOpenAsync(name, _time.GetUtcNow() + _options.CircuitBreakDuration, result.TryGetError(out var opened) ? opened.Message : "circuit opened", CancellationToken.None).ConfigureAwait(false);
                }

                if (result.TryGetValue(out var job))
                {
                    _health[name].Succeeded();
                    _pinnedKeys.TryRemove(key, out _);
                    attempts.Add(Tried(candidate, key, RouteOutcome.Accepted, $"accepted as {job.Handle}"));
                    activity?.SetTag(MediaGenTelemetry.ProviderName, name);
                    activity?.SetTag(MediaGenTelemetry.ResponseId, job.Handle.VendorJobId);
                    activity?.SetTag(MediaGenTelemetry.Attempts, attempts.Count);
                    return job with { Attempts = attempts, Quote = candidate.Quote.Price };
                }

                var error = result.Error;
                if (error is OutcomeUnknownError)
                {
                    _health[name].LeftUnknown(); // the next requests try the other vendors first, and probe before paying here
                }
                else if (error is ProviderUnavailableError or RateLimitedError)
                {
                    _health[name].Suspect(); // the next request probes before paying here
                }

                if (error.NotAcceptedProof is { } proof && !failOverOnProof && !allowDuplicate)
                {
                    // The stricter rule: the vendor's proof of "not accepted" is not enough to send the request elsewhere.
                    error = new OutcomeUnknownError(
                        $"{error.Message} The router does not fail over on a vendor's proof of 'not accepted' (FailOverOnNotAcceptedProof is off): resubmit with idempotency key {key} at {name} only.",
                        name,
                        key)
                    {
                        StatusCode = error.StatusCode,
                        VendorMessage = error.VendorMessage,
                        NotAcceptedProof = proof,
                    };
                }

                // The trail keeps the key with each vendor it was sent to, so a late commit there can be recognised by it.
                attempts.Add(Tried(candidate, key, RouteOutcome.Failed, error.Message, error));
                if (!error.RejectedBeforeBilling && _pinnedKeys.Count < MaxPinnedKeys)
                {
                    _pinnedKeys.TryAdd(key, name);
                }

                if (error is ContentRejectedError)
                {
                    Log.RouteStopped(_logger, name, error.Kind);
                    activity?.SetTag(MediaGenTelemetry.ErrorType, error.Kind.ToString());
                    activity?.SetStatus(ActivityStatusCode.Error, error.Kind.ToString());
                    return error with { Attempts = attempts };
                }

                if (!error.RejectedBeforeBilling && !allowDuplicate)
                {
                    // Outcome unknown: only this vendor may be sent the key again. One that dedupes by it (the same key
                    // returns the same job, never a second) is asked again with it after a wait, when the error carries no
                    // handle to resume instead; nothing goes to any other vendor.
                    Log.RouteStopped(_logger, name, error.Kind);
                    unknown = error;
                    pinnedTo = name;
                    if (error is OutcomeUnknownError { Handle: null } && DedupesByKey(name))
                    {
                        Retry(pending, candidate, _time.GetUtcNow() + backoff, false);
                        continue;
                    }

                    return Stopped(error, attempts, activity);
                }

                if (error is RateLimitedError rateLimited && error.RejectedBeforeBilling)
                {
                    Retry(pending, candidate, _time.GetUtcNow() + RateLimitWaitOf(name, rateLimited.RetryAfter), true);
                }
                else if (error is ProviderUnavailableError unavailable && error.RejectedBeforeBilling)
                {
                    // Refused before billing while unavailable (a 503 the vendor refuses with, or proved not accepted):
                    // nothing was charged, so the same vendor may serve after a short wait.
                    var wait = unavailable.RetryAfter is { } asked && asked > backoff ? asked : backoff;
                    (answering ??= new HashSet<string>(StringComparer.OrdinalIgnoreCase)).Add(name);
                    Retry(pending, candidate, _time.GetUtcNow() + wait, false);
                }

                Log.RouteFailover(_logger, name, error.Kind);
                MediaGenTelemetry.RecordFailover(name, error.Kind);
            }

            // Nobody served it this round. When a vendor may serve after a wait (it refused before billing while
            // unavailable or rate limited, its probe failed, or it dedupes the key of an unknown outcome), wait until the
            // first is due (the back-off it asked for, the one it documents, or the router's doubling back-off) and try
            // those again, within RouterOptions.MaxRateLimitWait in all; a vendor that could serve was tried at once above.
            if (pinnedTo is not null && !allowDuplicate)
            {
                for (var i = pending.Count - 1; i >= 0; i--)
                {
                    if (!string.Equals(pending[i].Candidate.Provider, pinnedTo, StringComparison.OrdinalIgnoreCase))
                    {
                        pending.RemoveAt(i);
                    }
                }

                for (var i = deferred.Count - 1; i >= 0; i--)
                {
                    if (!string.Equals(deferred[i].Provider, pinnedTo, StringComparison.OrdinalIgnoreCase))
                    {
                        deferred.RemoveAt(i);
                    }
                }
            }

            if (NextDue(pending) is not { } next || !MayWaitUntil(next, waited))
            {
                if (deferred.Count > 0)
                {
                    // Nothing else can be waited for: the vendors tried last are tried now.
                    round = [.. deferred];
                    deferred.Clear();
                    pending.Clear();
                    continue;
                }

                break;
            }

            var wake = new List<(RouteQuote Candidate, DateTimeOffset Due, bool RateLimited)>(pending.Count);
            RouteQuote? limitedBy = null;
            foreach (var p in pending)
            {
                if (p.Due <= next)
                {
                    wake.Add(p);
                    limitedBy ??= p.RateLimited ? p.Candidate : null;
                }
            }

            var delay = next - _time.GetUtcNow();
            if (limitedBy is not null)
            {
                var display = _byName[limitedBy.Provider].GetService<ProviderMetadata>()?.DisplayName ?? limitedBy.Provider;
                _options.OnRateLimitWait?.Invoke(new RateLimitWait(limitedBy.Provider, display, delay, key));
            }

            if (delay > TimeSpan.Zero)
            {
                try
                {
                    await Task.Delay(delay, _time, cancellationToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (unknown is not null && cancellationToken.IsCancellationRequested)
                {
                    return Stopped(unknown, attempts, activity); // an earlier submit may have been accepted: say so, with the key
                }
            }

            waited += delay > TimeSpan.Zero ? delay : TimeSpan.Zero;
            for (var i = pending.Count - 1; i >= 0; i--)
            {
                if (pending[i].Due <= next)
                {
                    pending.RemoveAt(i);
                }
            }

            var woken = new List<RouteQuote>();
            foreach (var c in plan.Candidates)
            {
                if (Wakes(wake, deferred, c.Provider))
                {
                    woken.Add(c);
                }
            }

            round = woken;
            deferred.Clear();
            reprobeWithin = delay > TimeSpan.Zero ? delay : backoff;
            backoff = backoff * 2 > MaxRetryBackoff ? MaxRetryBackoff : backoff * 2;
        }

        if (unknown is not null)
        {
            return Stopped(unknown, attempts, activity);
        }

        activity?.SetTag(MediaGenTelemetry.ErrorType, nameof(ErrorKind.NoRoute));
        activity?.SetStatus(ActivityStatusCode.Error, nameof(ErrorKind.NoRoute));

        return new NoRouteError(NoRouteMessage(request, attempts.Where(a => a.Outcome != RouteOutcome.JobFailed).Select(a => $"{a.Provider}: {a.Reason}")), attempts);
    }

    /// <summary>The first back-off before a vendor that refused before billing (or whose probe failed) is tried again.</summary>
    private static readonly TimeSpan FirstRetryBackoff = TimeSpan.FromSeconds(1);

    /// <summary>
    /// How long, at most, a vendor that lost answers recently is left for after the others when none of them answered a
    /// submit of the request (their probes failed, or they rate limited it); one that did may be waited for the whole budget.
    /// </summary>
    private static readonly TimeSpan MaxLastResortDeferral = TimeSpan.FromSeconds(30);

    /// <summary>The longest back-off between two tries of the same vendor (the back-off doubles per round up to it).</summary>
    private static readonly TimeSpan MaxRetryBackoff = TimeSpan.FromSeconds(30);

    /// <summary>An attempt at a candidate: its model, the price it was quoted at and the key it was (or would have been) sent with.</summary>
    private static RouteAttempt Tried(RouteQuote candidate, string key, RouteOutcome outcome, string reason, MediaGenError? error = null) =>
        new(candidate.Provider, candidate.Quote.Model, outcome, reason) { Quote = candidate.Quote.Price, IdempotencyKey = key, Error = error };

    private static Result<GenerationJob> Stopped(MediaGenError error, List<RouteAttempt> attempts, Activity? activity)
    {
        activity?.SetTag(MediaGenTelemetry.ErrorType, error.Kind.ToString());
        activity?.SetStatus(ActivityStatusCode.Error, error.Kind.ToString());
        return error with { Attempts = attempts };
    }

    /// <summary>Notes that <paramref name="candidate"/> may be tried again at <paramref name="due"/> (once per vendor: the earliest).</summary>
    private static void Retry(List<(RouteQuote Candidate, DateTimeOffset Due, bool RateLimited)> pending, RouteQuote candidate, DateTimeOffset due, bool rateLimited)
    {
        var i = pending.Count - 1;
        while (i >= 0 && !string.Equals(pending[i].Candidate.Provider, candidate.Provider, StringComparison.OrdinalIgnoreCase))
        {
            i--;
        }

        if (i < 0)
        {
            pending.Add((candidate, due, rateLimited));
        }
        else if (due < pending[i].Due)
        {
            pending[i] = (candidate, due, rateLimited);
        }
    }

    private static DateTimeOffset? NextDue(List<(RouteQuote Candidate, DateTimeOffset Due, bool RateLimited)> pending)
    {
        DateTimeOffset? first = null;
        foreach (var p in pending)
        {
            if (first is not { } f || p.Due < f)
            {
                first = p.Due;
            }
        }

        return first;
    }

    /// <summary>Whether one of the vendors due again is one that refused a submit before billing while unavailable (a brownout).</summary>
    private static bool AnyOf(List<(RouteQuote Candidate, DateTimeOffset Due, bool RateLimited)> pending, HashSet<string>? answering)
    {
        if (answering is null)
        {
            return false;
        }

        foreach (var p in pending)
        {
            if (answering.Contains(p.Candidate.Provider))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Whether a candidate is tried in the next round: it is due again (names compared ignoring case) or was deferred (the same name).</summary>
    private static bool Wakes(List<(RouteQuote Candidate, DateTimeOffset Due, bool RateLimited)> wake, List<RouteQuote> deferred, string provider)
    {
        foreach (var p in wake)
        {
            if (string.Equals(p.Candidate.Provider, provider, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        foreach (var d in deferred)
        {
            if (d.Provider == provider)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Whether the router, having waited <paramref name="waited"/> for this request, may wait until <paramref name="due"/> (<see cref="RouterOptions.MaxRateLimitWait"/> in all).</summary>
    private bool MayWaitUntil(DateTimeOffset due, TimeSpan waited) =>
        _options.MaxRateLimitWait > TimeSpan.Zero && waited + (due - _time.GetUtcNow()) <= _options.MaxRateLimitWait;

    /// <summary>Whether a vendor dedupes submits by the idempotency key (its metadata says so): resending the same key cannot charge twice.</summary>
    private bool DedupesByKey(string name) => _byName[name].GetService<ProviderMetadata>()?.DedupesByIdempotencyKey == true;

    private List<RouteQuote> Rank(List<RouteQuote> quotes, RoutingPreferences? preferences)
    {
        var strategy = preferences?.Strategy ?? _options.Strategy;
        if (quotes.Count <= 1 && strategy != RoutingStrategy.Custom)
        {
            return quotes; // nothing to order (the usual case when a request pins one vendor)
        }

        switch (strategy)
        {
            case RoutingStrategy.Cheapest:
                return [.. quotes.OrderBy(q => q.Usd is null ? 1 : 0).ThenBy(q => q.Usd?.Amount ?? decimal.MaxValue)];
            case RoutingStrategy.Fastest:
                return [.. quotes.OrderBy(q => q.Quote.Capabilities.TypicalGenerationTime)];
            case RoutingStrategy.Custom when _options.CustomOrder is { } custom:
                return [.. custom(quotes)];
            case RoutingStrategy.Custom:
                throw new InvalidOperationException("RoutingStrategy.Custom needs RouterOptions.CustomOrder.");
            default:
                var preference = preferences?.Preference is { Count: > 0 } p ? p : _options.Preference;
                return [.. quotes.OrderBy(q => Position(preference, q.Provider))];
        }
    }

    private static int Position(IList<string> preference, string provider)
    {
        for (var i = 0; i < preference.Count; i++)
        {
            if (string.Equals(preference[i], provider, StringComparison.OrdinalIgnoreCase))
            {
                return i;
            }
        }

        return int.MaxValue;
    }

    /// <summary>
    /// A router quote's payload: the ranked candidates (each a vendor quote ready to send), the vendors left out and
    /// why, the trail so far, and what a resubmission after a failed job must respect.
    /// </summary>
    /// <summary>How long to wait before retrying a vendor that rate limited a submit: what it asked, else what it documents, else 10 s.</summary>
    private TimeSpan RateLimitWaitOf(string name, TimeSpan? asked) =>
        asked is { } wait && wait > TimeSpan.Zero ? wait
        : _byName[name].GetService<ProviderMetadata>()?.Pacing.RateLimitBackoff ?? FallbackRateLimitWait;

    private static readonly TimeSpan FallbackRateLimitWait = TimeSpan.FromSeconds(10);

    /// <summary>Probes a vendor before paying there (<see cref="RouterOptions.ProbeBeforeSubmit"/>): null when it may be sent the submit.</summary>
    private async Task<MediaGenError?> ProbeAsync(string name, bool recheck, TimeSpan reuseWithin, CancellationToken cancellationToken)
    {
        if (!_options.ProbeBeforeSubmit || _byName[name].GetService<ProviderProbe>() is not { } probe)
        {
            return null;
        }

        var down = await _health[name].CheckAsync(probe, _options.ProbeFreshness, recheck, reuseWithin, cancellationToken).ConfigureAwait(false);
        if (down is not null)
        {
            Log.RouteSkipped(_logger, name, down.Message); // the health probe failed
        }

        return down;
    }

    internal sealed record RoutePlan(
        GenerationRequest Request,
        IReadOnlyList<RouteQuote> Candidates,
        IReadOnlyList<RouteUnavailable> Unavailable,
        IReadOnlyList<RouteAttempt> Trail,
        IReadOnlySet<string> Excluded,
        decimal? Ceiling,
        decimal SpentUsd);

    private sealed record MergedCatalog(ModelCatalog? User, int? Version, ModelCatalog Merged);
}
