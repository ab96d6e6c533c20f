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
/// Routes one request across vendors: resolves the canonical model to each vendor's slug, re-validates,
/// re-translates and re-prices at every candidate, orders them by strategy, and fails over only on failures
/// rejected before billing. Outcome-unknown never fails over unless the caller allows duplicate spend. Itself an
/// <see cref="IMediaGenerator"/>; jobs it returns carry the attempt trail.
/// </summary>
public sealed class MediaRouter : IMediaGenerator
{
    /// <summary>The router's provider name.</summary>
    public const string ProviderName = "router";

    private readonly IMediaGenerator[] _providers;
    private readonly Dictionary<string, IMediaGenerator> _byName;
    private readonly Dictionary<string, ProviderCircuit> _circuits;
    private readonly RouterOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly (string Provider, ProviderModelMappings? Mappings)[] _contributedMappings;
    private MergedCatalog? _catalog;

    // Keys whose submit may have been accepted somewhere (outcome unknown): a resubmission with the same key must go
    // to that vendor only, the one that can dedupe or find it. Bounded; in-process (use the ledger across processes).
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, string> _pinnedKeys = new(StringComparer.Ordinal);
    private const int MaxPinnedKeys = 100_000;

    /// <summary>Creates a router over providers.</summary>
    /// <param name="providers">The providers, in registration order.</param>
    /// <param name="options">The options.</param>
    public MediaRouter(IEnumerable<IMediaGenerator> providers, RouterOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(providers);
        _providers = [.. providers];
        _options = options ?? new RouterOptions();
        _time = _options.TimeProvider ?? TimeProvider.System;
        _logger = _options.LoggerFactory?.CreateLogger("MediaGen.Router") ?? NullLogger.Instance;
        _byName = new Dictionary<string, IMediaGenerator>(StringComparer.OrdinalIgnoreCase);
        foreach (var p in _providers)
        {
            if (!_byName.TryAdd(p.Metadata.Name, p))
            {
                throw new ArgumentException($"Two providers are named '{p.Metadata.Name}'.", nameof(providers));
            }
        }

        _circuits = _providers.ToDictionary(p => p.Metadata.Name, p => new ProviderCircuit(_options, _time), StringComparer.OrdinalIgnoreCase);
        _contributedMappings = [.. _providers.Select(p => (p.Metadata.Name, p.GetService(typeof(ProviderModelMappings)) as ProviderModelMappings))];
    }

    /// <inheritdoc/>
    public ProviderMetadata Metadata { get; } = new() { Name = ProviderName, DisplayName = "MediaGen router", BillingUnit = MoneyUnit.Usd };

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
        var all = new List<ModelCapabilities>();
        foreach (var p in _providers)
        {
            all.AddRange(await p.GetModelsAsync(cancellationToken).ConfigureAwait(false));
        }

        return all;
    }

    /// <summary>Quotes the request at the vendor the strategy ranks first.</summary>
    /// <param name="request">The request.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The best quote, or <see cref="NoRouteError"/>.</returns>
    public async ValueTask<Result<GenerationQuote>> QuoteAsync(GenerationRequest request, CancellationToken cancellationToken = default)
    {
        var all = await QuoteAllAsync(request, cancellationToken).ConfigureAwait(false);
        if (all.Unavailable is [{ Provider: ProviderName, Error: InvalidRequestError invalid }])
        {
            return invalid;
        }

        return all.Quotes.Count > 0
            ? all.Quotes[0].Quote
            : new NoRouteError(NoRouteMessage(request, all.Unavailable.Select(u => $"{u.Provider}: {u.Reason}")), all.Unavailable.Select(Skipped).ToList());
    }

    /// <summary>
    /// Quotes the request at every vendor that serves the model, each re-validated and re-translated for that vendor,
    /// ranked by the strategy (for <see cref="RoutingStrategy.Cheapest"/>: USD where known, unknown last); vendors
    /// that cannot serve it are listed with the reason.
    /// </summary>
    /// <param name="request">The request.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The comparison.</returns>
    public async Task<RouteQuotes> QuoteAllAsync(GenerationRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
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
        foreach (var provider in _providers)
        {
            var name = provider.Metadata.Name;
            if (allowed is not null && Position(allowed, name) == int.MaxValue)
            {
                unavailable.Add(new RouteUnavailable(name, "not in this request's allowed providers"));
                continue;
            }

            var vendorRequest = request.Clone();
            if (canonical)
            {
                var mapping = catalog.Resolve(request.Model, name, request.Tier);
                if (mapping is null)
                {
                    unavailable.Add(new RouteUnavailable(name, $"{name} has no model mapped to '{request.Model}'{(request.Tier is { } t ? $" at tier {t}" : string.Empty)}"));
                    continue;
                }

                vendorRequest.Model = mapping.VendorModel;
                if (mapping.TierInSlug)
                {
                    vendorRequest.Tier = null;
                }
            }

            Result<GenerationQuote> quoted;
            try
            {
                quoted = await provider.QuoteAsync(vendorRequest, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is HttpRequestException or TimeoutException or InvalidOperationException)
            {
                unavailable.Add(new RouteUnavailable(name, $"{name} could not be asked: {ex.Message}"));
                continue;
            }

            if (!quoted.TryGetValue(out var quote))
            {
                var error = quoted.Error;
                var reason = !canonical && error is InvalidRequestError { Errors: [{ Field: "Model" }] } ? $"{name} does not serve '{request.Model}'" : error.Message;
                unavailable.Add(new RouteUnavailable(name, reason, error));
                continue;
            }

            var price = quote.Price.WithUsd(_options.ExchangeRates);
            quotes.Add(new RouteQuote(name, quote with { Price = price }, price.Usd));
        }

        return new RouteQuotes(Rank(quotes, request.Routing), unavailable);
    }

    /// <summary>
    /// Submits to the best vendor, failing over on failures rejected before billing. The job carries the attempt trail;
    /// errors carry it in <see cref="MediaGenError.Attempts"/>.
    /// </summary>
    /// <param name="request">The request.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The accepted job or the error.</returns>
    public Task<Result<GenerationJob>> SubmitAsync(GenerationRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        return SubmitCoreAsync(WithKey(request), [], [], cancellationToken);
    }

    /// <inheritdoc/>
    public Task<Result<GenerationJob>> GetJobAsync(JobHandle handle, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(handle);
        return _byName.TryGetValue(handle.Provider, out var provider)
            ? provider.GetJobAsync(handle, cancellationToken)
            : Task.FromResult<Result<GenerationJob>>(new NotFoundError($"No provider named '{handle.Provider}' is configured, so job {handle} cannot be looked up. Configure {handle.Provider} to resume it.", handle.Provider));
    }

    /// <summary>
    /// Submits, waits, and — when <see cref="RoutingPreferences.ResubmitOnJobFailure"/> or the router option allows —
    /// resubmits to the next vendor after an accepted job fails for a non-policy reason, within the cost ceiling.
    /// </summary>
    /// <param name="request">The request.</param>
    /// <param name="options">How to wait.</param>
    /// <param name="progress">Receives job updates (the submitted job first).</param>
    /// <param name="cancellationToken">Stops waiting (jobs are not canceled at the vendor).</param>
    /// <returns>The ended job with the full attempt trail, or the error.</returns>
    public async Task<Result<GenerationJob>> GenerateAsync(GenerationRequest request, WaitOptions? options = null, IProgress<GenerationJob>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var keyed = WithKey(request);
        var resubmit = request.Routing?.ResubmitOnJobFailure ?? _options.ResubmitOnJobFailure;
        var ceiling = request.Routing?.MaxCostUsd;
        var excluded = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var trail = new List<RouteAttempt>();
        var spentUsd = 0m;
        GenerationJob? lastFailed = null;
        while (true)
        {
            var routed = request.Routing is { } r ? r.Clone() : new RoutingPreferences();
            if (ceiling is { } max)
            {
                routed.MaxCostUsd = max - spentUsd;
            }

            var attemptRequest = keyed.Clone();
            attemptRequest.Routing = routed;
            var submitted = await SubmitCoreAsync(attemptRequest, excluded, trail, cancellationToken).ConfigureAwait(false);
            if (!submitted.TryGetValue(out var job))
            {
                // After a failed job, "nowhere else to go" is not the story: the job failed. Return it with the trail.
                return lastFailed is not null && submitted.Error is NoRouteError noRoute
                    ? lastFailed with { Attempts = noRoute.Attempts }
                    : submitted;
            }

            await MediaGeneratorExtensions.RecordSubmittedAsync(options, job).ConfigureAwait(false);
            progress?.Report(job);
            if (job.IsTerminal)
            {
                MediaGenTelemetry.RecordEnded(job, (options?.TimeProvider ?? _time).GetUtcNow());
            }

            var waited = job.IsTerminal ? job : await this.WaitForCompletionAsync(job.Handle, options, progress, cancellationToken).ConfigureAwait(false);
            if (!waited.TryGetValue(out var final))
            {
                return waited.Error with { Attempts = job.Attempts };
            }

            await MediaGeneratorExtensions.RecordFinishedAsync(options, final).ConfigureAwait(false);

            final = final with { Quote = final.Quote ?? job.Quote, Charge = final.Charge ?? job.Charge, Translation = final.Translation ?? job.Translation, Attempts = job.Attempts };
            if (final.Status != GenerationStatus.Failed || !resubmit || final.Failure?.Reason == FailureReason.ContentPolicy)
            {
                return final;
            }

            lastFailed = final;
            var provider = final.Handle.Provider;
            spentUsd += final.Charge is { } charge ? _options.ExchangeRates.ToUsd(charge)?.Amount ?? 0m : 0m;
            trail.Clear();
            trail.AddRange(job.Attempts);
            trail.Add(new RouteAttempt(provider, final.Handle.Model ?? request.Model, RouteOutcome.JobFailed, $"job {final.Handle} failed: {final.Failure?.Message}; resubmitting elsewhere") { IdempotencyKey = keyed.IdempotencyKey });
            excluded.Add(provider);
            if (excluded.Count >= _providers.Length)
            {
                return final with { Attempts = [.. trail] };
            }
        }
    }

    /// <inheritdoc/>
    public object? GetService(Type serviceType, object? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(serviceType);
        if (serviceKey is string name && _byName.TryGetValue(name, out var provider))
        {
            return serviceType == typeof(IMediaGenerator) ? provider : provider.GetService(serviceType);
        }

        return serviceKey is null && serviceType.IsInstanceOfType(this) ? this : null;
    }

    private static GenerationRequest WithKey(GenerationRequest request)
    {
        // Only an absent key is minted: a blank one the caller set is validated (and refused) like at a provider.
        if (request.IdempotencyKey is not null)
        {
            return request;
        }

        var keyed = request.Clone();
        keyed.IdempotencyKey = IdempotencyKeys.NewKey();
        return keyed;
    }

    private static RouteAttempt Skipped(RouteUnavailable u) => new(u.Provider, default, RouteOutcome.Skipped, u.Reason) { Error = u.Error };

    private static string NoRouteMessage(GenerationRequest request, IEnumerable<string> reasons) =>
        $"No vendor could take '{request.Model}': {string.Join("; ", reasons)}.";

    private async Task<Result<GenerationJob>> SubmitCoreAsync(GenerationRequest request, HashSet<string> excluded, List<RouteAttempt> priorTrail, CancellationToken cancellationToken)
    {
        var key = request.IdempotencyKey!;
        using var activity = MediaGenTelemetry.ActivitySource.StartActivity($"route {request.Model}", ActivityKind.Internal);
        activity?.SetTag(MediaGenTelemetry.OperationName, "generate_content");
        activity?.SetTag(MediaGenTelemetry.RequestModel, request.Model.Value);
        var attempts = new List<RouteAttempt>(priorTrail);
        var all = await QuoteAllAsync(request, cancellationToken).ConfigureAwait(false);
        if (all.Unavailable is [{ Provider: ProviderName, Error: InvalidRequestError invalid }])
        {
            return invalid; // wrong at every vendor (empty prompt, bad URL…): say which field, not "no route"
        }

        foreach (var u in all.Unavailable)
        {
            if (!excluded.Contains(u.Provider))
            {
                attempts.Add(Skipped(u) with { IdempotencyKey = key });
            }
        }

        var ceiling = request.Routing?.MaxCostUsd;
        var allowDuplicate = request.Routing?.AllowDuplicateSpend ?? _options.AllowDuplicateSpend;
        _pinnedKeys.TryGetValue(key, out var pinnedTo);
        foreach (var candidate in all.Quotes)
        {
            var name = candidate.Provider;
            if (excluded.Contains(name))
            {
                continue;
            }

            if (pinnedTo is not null && !allowDuplicate && !string.Equals(pinnedTo, name, StringComparison.OrdinalIgnoreCase))
            {
                attempts.Add(new RouteAttempt(name, candidate.Quote.Model, RouteOutcome.Skipped, $"idempotency key {key} may already have a job at {pinnedTo} (an earlier submit's outcome was unknown); only {pinnedTo} can dedupe or find it") { IdempotencyKey = key });
                continue;
            }

            var attempt = new RouteAttempt(name, candidate.Quote.Model, RouteOutcome.Skipped) { Quote = candidate.Quote.Price, IdempotencyKey = key };
            if (ceiling is { } max)
            {
                if (candidate.Usd is not { } usd)
                {
                    attempts.Add(attempt with { Reason = $"its USD price is unknown ({candidate.Quote.Price.Basis}), so the {Money.Usd(max)} ceiling cannot be honoured" });
                    continue;
                }

                if (usd.Amount > max)
                {
                    attempts.Add(attempt with { Reason = $"{usd} is over the {Money.Usd(max)} ceiling" });
                    continue;
                }
            }

            // The circuit decides (an open circuit throws without calling the vendor; after the break it lets one probe through).
            var circuit = _circuits[name];
            RateLimitLease? lease = null;
            if (_options.RateLimiters.TryGetValue(name, out var limiter))
            {
                lease = await limiter.AcquireAsync(1, cancellationToken).ConfigureAwait(false);
                if (!lease.IsAcquired)
                {
                    lease.Dispose();
                    attempts.Add(attempt with { Reason = $"{name} is over the router's rate limit" });
                    continue;
                }
            }

            Result<GenerationJob> result;
            using (lease)
            {
                var vendorRequest = request.Clone();
                vendorRequest.Model = candidate.Quote.Model;
                if (Catalog.Resolve(request.Model, name, request.Tier) is { TierInSlug: true })
                {
                    vendorRequest.Tier = null;
                }

                try
                {
                    result = await circuit.ExecuteAsync(_byName[name], vendorRequest, cancellationToken).ConfigureAwait(false);
                }
                catch (BrokenCircuitException)
                {
                    attempts.Add(attempt with { Reason = $"circuit open after repeated failures at {name}" });
                    continue;
                }
            }

            if (result.TryGetValue(out var job))
            {
                _pinnedKeys.TryRemove(key, out _);
                attempts.Add(attempt with { Outcome = RouteOutcome.Accepted, Reason = $"accepted as {job.Handle}" });
                activity?.SetTag(MediaGenTelemetry.ProviderName, name);
                activity?.SetTag(MediaGenTelemetry.ResponseId, job.Handle.VendorJobId);
                activity?.SetTag("mediagen.attempts", attempts.Count);
                return job with { Attempts = attempts, Quote = job.Quote ?? candidate.Quote.Price };
            }

            var error = result.Error;
            attempts.Add(attempt with { Outcome = RouteOutcome.Failed, Reason = error.Message, Error = error });
            if (!error.RejectedBeforeBilling && _pinnedKeys.Count < MaxPinnedKeys)
            {
                _pinnedKeys.TryAdd(key, name);
            }

            if (error is ContentRejectedError || (!error.RejectedBeforeBilling && !allowDuplicate))
            {
                Log.RouteStopped(_logger, name, error.Kind);
                activity?.SetTag(MediaGenTelemetry.ErrorType, error.Kind.ToString());
                activity?.SetStatus(ActivityStatusCode.Error, error.Kind.ToString());
                return error with { Attempts = attempts };
            }

            Log.RouteFailover(_logger, name, error.Kind);
            MediaGenTelemetry.RecordFailover(name, error.Kind);
        }

        activity?.SetTag(MediaGenTelemetry.ErrorType, nameof(ErrorKind.NoRoute));
        activity?.SetStatus(ActivityStatusCode.Error, nameof(ErrorKind.NoRoute));

        return new NoRouteError(NoRouteMessage(request, attempts.Where(a => a.Outcome != RouteOutcome.JobFailed).Select(a => $"{a.Provider}: {a.Reason}")), attempts);
    }

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

    private sealed record MergedCatalog(ModelCatalog? User, int? Version, ModelCatalog Merged);
}
