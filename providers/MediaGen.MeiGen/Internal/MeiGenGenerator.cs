using System.Collections.Concurrent;
using System.Net.Http.Headers;
using System.Threading.RateLimiting;
using MediaGen.Providers;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace MediaGen.MeiGen.Internal;

/// <summary>The MeiGen provider: <c>POST /api/generate/v2</c>, <c>GET /api/generate/v2/status/{id}</c>, <c>GET /api/models</c>.</summary>
internal sealed partial class MeiGenGenerator : IMediaGenerator, IDisposable
{
    private const int RememberedCharges = 4096;
    private static readonly TimeSpan FailedRefreshRetry = TimeSpan.FromMinutes(1);

    private readonly MeiGenOptions _options;
    private readonly HttpClient _http;
    private readonly bool _ownsHttp;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Uri _base;
    private readonly string _apiKey;
    private readonly RateLimiter? _limiter;
    private readonly bool _ownsLimiter;
    private readonly SemaphoreSlim _catalogGate = new(1, 1);
    private readonly ConcurrentDictionary<string, decimal> _charges = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<string> _chargeOrder = new();
    private CatalogState? _catalog;

    public MeiGenGenerator(MeiGenOptions options, HttpClient http, bool ownsHttp, TimeProvider time, ILogger? logger)
    {
        _options = options;
        _http = http;
        _ownsHttp = ownsHttp;
        _time = time;
        _logger = logger ?? NullLogger.Instance;
        _apiKey = options.ApiKey!;
        var address = options.BaseAddress.AbsoluteUri;
        _base = new Uri(address.EndsWith('/') ? address : address + "/");
        if (options.GenerateRateLimiter is { } shared)
        {
            _limiter = shared;
        }
        else if (options.GenerateRequestsPerMinute > 0)
        {
            _limiter = new MediaGen.Providers.SlidingWindowLogRateLimiter(options.GenerateRequestsPerMinute, TimeSpan.FromMinutes(1), time);
            _ownsLimiter = true;
        }

        Metadata = new ProviderMetadata
        {
            Name = MeiGenProvider.Name,
            DisplayName = "MeiGen",
            BillingUnit = MoneyUnit.Credits(MeiGenProvider.Name),
            DedupesByIdempotencyKey = true,
            PushesWebhooks = false,
            RecommendedPollInterval = TimeSpan.FromSeconds(3),
            Endpoint = _base,
        };
    }

    public ProviderMetadata Metadata { get; }

    public async ValueTask<IReadOnlyList<ModelCapabilities>> GetModelsAsync(CancellationToken cancellationToken = default)
    {
        var catalog = await GetCatalogAsync(cancellationToken).ConfigureAwait(false);
        return catalog.Capabilities;
    }

    public async ValueTask<Result<GenerationQuote>> QuoteAsync(GenerationRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var prepared = await PrepareAsync(request, IdempotencyKeys.For(request), cancellationToken).ConfigureAwait(false);
        if (!prepared.TryGetValue(out var p))
        {
            return prepared.Error;
        }

        return new GenerationQuote
        {
            Provider = MeiGenProvider.Name,
            Model = p.Model.Id,
            Capabilities = p.Model.Capabilities,
            Translation = p.Translation.Report,
            Price = p.Price,
        };
    }

    public object? GetService(Type serviceType, object? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(serviceType);
        if (serviceKey is not null && !(serviceKey is string key && key.Equals(MeiGenProvider.Name, StringComparison.OrdinalIgnoreCase)))
        {
            return null;
        }

        if (serviceType.IsInstanceOfType(this))
        {
            return this;
        }

        if (serviceType == typeof(MeiGenOptions))
        {
            return _options.Clone();
        }

        if (serviceType == typeof(RateLimiter))
        {
            return _limiter;
        }

        if (serviceType == typeof(MediaGen.Routing.ProviderModelMappings))
        {
            return MeiGenCanonicalModels.Mappings;
        }

        return serviceType == typeof(ProviderMetadata) ? Metadata : null;
    }

    public void Dispose()
    {
        if (_ownsHttp)
        {
            _http.Dispose();
        }

        if (_ownsLimiter)
        {
            _limiter?.Dispose();
        }

        _catalogGate.Dispose();
    }

    /// <summary>Validates (MeiGen's rules on top of the generic ones), translates, applies strict mode and prices.</summary>
    private async ValueTask<Result<Prepared>> PrepareAsync(GenerationRequest request, string idempotencyKey, CancellationToken cancellationToken)
    {
        var errors = new List<FieldError>();
        if (request.Model.IsEmpty || MeiGenCatalog.IsRetired(request.Model))
        {
            if (RequestValidator.ValidateBasics(request) is { } basics)
            {
                errors.AddRange(basics.Errors);
            }

            if (!request.Model.IsEmpty)
            {
                errors.Add(new FieldError(nameof(request.Model), MeiGenCatalog.RetiredRhartMessage));
            }

            return new InvalidRequestError(errors, MeiGenProvider.Name);
        }

        // The only call before validation is the public, unbilled and cached GET /api/models.
        var catalog = await GetCatalogAsync(cancellationToken).ConfigureAwait(false);
        if (MeiGenCatalog.Find(catalog.Models, request.Model) is not { } model)
        {
            var known = string.Join(", ", catalog.Models.Select(m => m.Id.Value));
            errors.Add(new FieldError(nameof(request.Model), $"'{request.Model}' is not a MeiGen model; MeiGen serves: {known}."));
            errors.AddRange(RequestValidator.ValidateBasics(request)?.Errors ?? []);
            return new InvalidRequestError(errors, MeiGenProvider.Name);
        }

        if (RequestValidator.Validate(request, model.Capabilities, MeiGenProvider.Name) is { } invalid)
        {
            errors.AddRange(invalid.Errors);
        }

        MeiGenRequestRules.Check(request, model, errors);
        if (errors.Count > 0)
        {
            return new InvalidRequestError(errors, MeiGenProvider.Name);
        }

        var translation = MeiGenTranslator.Translate(request, model, idempotencyKey);
        if (translation.Report.ToStrictError(request.Strict) is { } strict)
        {
            return strict;
        }

        var price = MeiGenPricing.Quote(model, translation.Pricing, [_options.Prices.Table, .. catalog.Live is { } live ? [live] : Array.Empty<MeiGenPriceTable>(), MeiGenPriceTable.Snapshot]);
        return new Prepared(model, translation, price);
    }

    private async ValueTask<CatalogState> GetCatalogAsync(CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        if (!_options.RefreshFromModelsEndpoint)
        {
            return _catalog ??= new CatalogState(MeiGenCatalog.Snapshot, null, DateTimeOffset.MaxValue);
        }

        if (_catalog is { } cached && cached.ExpiresAt > now)
        {
            return cached;
        }

        await _catalogGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            now = _time.GetUtcNow();
            if (_catalog is { } fresh && fresh.ExpiresAt > now)
            {
                return fresh;
            }

            var (live, failure) = await FetchModelsAsync(cancellationToken).ConfigureAwait(false);
            if (live is not null)
            {
                _catalog = new CatalogState(live.Models, live.Prices, now + _options.ModelsCacheDuration);
            }
            else
            {
                Log.ModelsRefreshFailed(_logger, failure ?? "unknown");

                // Keep the last good answer if there is one; retry the endpoint in a minute, not on every call.
                _catalog = (_catalog ?? new CatalogState(MeiGenCatalog.Snapshot, null, now)) with { ExpiresAt = now + FailedRefreshRetry };
            }

            return _catalog;
        }
        finally
        {
            _catalogGate.Release();
        }
    }

    private async Task<(MeiGenLiveCatalog? Catalog, string? Failure)> FetchModelsAsync(CancellationToken cancellationToken)
    {
        try
        {
            using var request = NewRequest(HttpMethod.Get, "models", null);
            using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
            var (body, truncated) = await HttpResponseReader.ReadBodyAsync(response, cancellationToken: cancellationToken).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                return (null, $"HTTP {(int)response.StatusCode}");
            }

            if (truncated || !HttpResponseReader.IsJson(response))
            {
                return (null, truncated ? "body too large" : $"content type {response.Content.Headers.ContentType?.MediaType}");
            }

            var live = MeiGenModelsParser.Parse(body, MeiGenCatalog.Snapshot, DateOnly.FromDateTime(_time.GetUtcNow().UtcDateTime));
            return live is null ? (null, "not the documented { models: [...] } shape") : (live, null);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception ex) when (IsTransportFailure(ex))
        {
            return (null, ex.GetType().Name);
        }
    }

    /// <summary>
    /// Whether an exception from sending is a transport failure (including the shared resilience pipeline's
    /// timeouts and open circuits) rather than a bug.
    /// </summary>
    private static bool IsTransportFailure(Exception ex) =>
        ex is HttpRequestException or OperationCanceledException or IOException or TimeoutException or Polly.ExecutionRejectedException;

    private HttpRequestMessage NewRequest(HttpMethod method, string relativePath, HttpContent? content)
    {
        var request = new HttpRequestMessage(method, new Uri(_base, relativePath)) { Content = content };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _apiKey);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        return request;
    }

    private void RememberCharge(string jobId, decimal credits)
    {
        if (_charges.TryAdd(jobId, credits))
        {
            _chargeOrder.Enqueue(jobId);
            while (_chargeOrder.Count > RememberedCharges && _chargeOrder.TryDequeue(out var old))
            {
                _charges.TryRemove(old, out _);
            }
        }
    }

    private sealed record Prepared(MeiGenModel Model, MeiGenTranslation Translation, PriceQuote Price);

    private sealed record CatalogState(IReadOnlyList<MeiGenModel> Models, MeiGenPriceTable? Live, DateTimeOffset ExpiresAt)
    {
        /// <summary>Gets the models' capabilities, listed once per catalog (every wait looks its model up here).</summary>
        public IReadOnlyList<ModelCapabilities> Capabilities { get; } = [.. Models.Select(m => m.Capabilities)];
    }
}
