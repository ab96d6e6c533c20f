using System.Collections.Concurrent;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Threading.RateLimiting;
using MediaGen.Providers;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace MediaGen.MeiGen.Internal;

/// <summary>A MeiGen model as resolved for one quote, with the live price layer the catalog had at that moment.</summary>
internal sealed record MeiGenResolvedModel(MeiGenModel Model, PriceLayer? Live);

/// <summary>The MeiGen provider: <c>POST /api/generate/v2</c>, <c>GET /api/generate/v2/status/{id}</c>, <c>GET /api/models</c>.</summary>
internal sealed partial class MeiGenGenerator : VendorGenerator<MeiGenResolvedModel, MeiGenTranslation>
{
    private const int RememberedCharges = 4096;
    private static readonly TimeSpan FailedRefreshRetry = TimeSpan.FromMinutes(1);

    // Header values are never changed once made, so every request shares them (two objects fewer per request).
    private static readonly MediaTypeWithQualityHeaderValue AcceptJson = new("application/json");

    private static readonly VendorDescriptor Descriptor = new()
    {
        Pacing = MeiGenPacing.Documented,
        CanonicalModels = MeiGenCanonicalModels.Mappings,
        Name = MeiGenProvider.Name,
        DisplayName = "MeiGen",
        DedupesByIdempotencyKey = true,
    };

    private readonly MeiGenOptions _options;
    private readonly HttpClient _http;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Uri _base;
    private readonly AuthenticationHeaderValue _authorization; // shared by every request, like AcceptJson
    private readonly RateLimiter? _limiter;
    private readonly SemaphoreSlim _catalogGate;
    private readonly PriceBook _prices;
    private readonly ConcurrentDictionary<string, decimal> _charges = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<string> _chargeOrder = new();
    private CatalogState? _catalog;

    public MeiGenGenerator(MeiGenOptions options, HttpClient http, bool ownsHttp, TimeProvider time, ILogger? logger)
        : base(Descriptor, BaseOf(options))
    {
        _options = options;
        _http = ownsHttp ? Own(http) : http;
        _time = time;
        _logger = logger ?? NullLogger.Instance;
        _authorization = new AuthenticationHeaderValue("Bearer", options.ApiKey!);
        _base = BaseOf(options);
        if (options.RateLimiter is { } shared)
        {
            _limiter = shared;
        }
        else if (options.RequestsPerMinute > 0)
        {
            _limiter = Own(new SlidingWindowLogRateLimiter(options.RequestsPerMinute, TimeSpan.FromMinutes(1), time));
        }

        if (_limiter is not null)
        {
            OfferService(_limiter);
        }

        _catalogGate = Own(new SemaphoreSlim(1, 1));
        _prices = MeiGenPrices.Book(options.PriceOverrides);

        // The router's probe before paying (RouterOptions.ProbeBeforeSubmit): the public, unbilled models read.
        OfferService(Routing.ProviderProbe.Http(MeiGenProvider.Name, "GET /api/models", _http, () => NewRequest(HttpMethod.Get, "models", null), time));
        OfferOptions(options, o => o.Clone());
    }

    protected override async ValueTask<IReadOnlyList<ModelCapabilities>> ListModelsAsync(CancellationToken cancellationToken)
    {
        var catalog = await GetCatalogAsync(cancellationToken).ConfigureAwait(false);
        return catalog.Capabilities;
    }

    protected override async ValueTask<Result<MeiGenResolvedModel>> ResolveModelAsync(GenerationRequest request, CancellationToken cancellationToken)
    {
        if (MeiGenCatalog.IsRetired(request.Model))
        {
            return new InvalidRequestError(nameof(request.Model), MeiGenCatalog.RetiredRhartMessage, MeiGenProvider.Name);
        }

        // The only call before validation is the public, unbilled and cached GET /api/models.
        var catalog = await GetCatalogAsync(cancellationToken).ConfigureAwait(false);
        if (MeiGenCatalog.Find(catalog.Models, request.Model) is not { } model)
        {
            var known = string.Join(", ", catalog.Models.Select(m => m.Id.Value));
            return new InvalidRequestError(nameof(request.Model), $"'{request.Model}' is not a MeiGen model; MeiGen serves: {known}.", MeiGenProvider.Name);
        }

        return new MeiGenResolvedModel(model, catalog.Live);
    }

    protected override ModelCapabilities CapabilitiesOf(MeiGenResolvedModel model) => model.Model.Capabilities;

    protected override IEnumerable<FieldError> ValidateVendorRules(GenerationRequest request, MeiGenResolvedModel model) =>
        MeiGenTranslator.ValidateVendorRules(request, model.Model);

    protected override VendorTranslation<MeiGenTranslation> Translate(GenerationRequest request, MeiGenResolvedModel model)
    {
        var translation = MeiGenTranslator.Translate(request, model.Model);
        return new(translation, translation.Report);
    }

    protected override ValueTask<PriceQuote> PriceAsync(GenerationRequest request, MeiGenResolvedModel model, MeiGenTranslation payload, CancellationToken cancellationToken) =>
        ValueTask.FromResult(_prices.WithLive(model.Live).Quote(payload.Pricing));

    /// <summary>Polls once: <c>GET /api/generate/v2/status/{id}</c>, mapped by <see cref="MeiGenJobMapper"/>.</summary>
    protected override async Task<Result<GenerationJob>> PollAsync(JobHandle handle, CancellationToken cancellationToken)
    {
        try
        {
            using var request = NewRequest(HttpMethod.Get, $"generate/v2/status/{Uri.EscapeDataString(handle.VendorJobId)}", null);
            using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
            using var body = await HttpResponseReader.ReadBodyUtf8Async(response, cancellationToken: cancellationToken).ConfigureAwait(false);
            var status = (int)response.StatusCode;
            if (!response.IsSuccessStatusCode)
            {
                var error = MeiGenErrors.Read(response, body.Text, _time);
                return status == 404
                    ? new NotFoundError($"MeiGen has no job {handle.VendorJobId} (HTTP 404{(error.VendorMessage is null ? string.Empty : $": \"{error.VendorMessage}\"")}). Check the handle; jobs belong to the API key's account.", MeiGenProvider.Name)
                    {
                        StatusCode = 404,
                        VendorMessage = error.VendorMessage,
                    }
                    : MeiGenErrors.Map(error, StatusOf(handle), call: VendorCall.Read);
            }

            if (body.Truncated || !HttpResponseReader.IsJson(response))
            {
                return MeiGenJobMapper.Unreadable(handle, status, body.Truncated ? "an oversized body" : $"a {response.Content.Headers.ContentType?.MediaType ?? "non-JSON"} body instead of JSON: {HttpResponseReader.Excerpt(body.Text)}");
            }

            MeiGenGenerationResponse? parsed;
            try
            {
                parsed = JsonSerializer.Deserialize(body.Utf8, MeiGenJsonContext.Default.MeiGenGenerationResponse);
            }
            catch (JsonException ex)
            {
                return MeiGenJobMapper.Unreadable(handle, status, $"JSON it could not read ({ex.Message})");
            }

            return parsed is null ? MeiGenJobMapper.Unreadable(handle, status, "an empty JSON body") : MapJob(parsed, handle, submitted: false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception ex) when (IsTransportFailure(ex))
        {
            return new ProviderUnavailableError(
                $"Could not get {StatusOf(handle)} from MeiGen ({(ex as HttpRequestException)?.HttpRequestError.ToString() ?? (ex is OperationCanceledException or Polly.Timeout.TimeoutRejectedException ? "timed out" : ex.GetType().Name)}); the job is unaffected, poll again later.",
                MeiGenProvider.Name,
                true);
        }
    }

    /// <summary>What a poll reads, for its error messages (built only when one is needed: a poll that works makes no message).</summary>
    private static string StatusOf(JobHandle handle) => $"the status of job {handle.VendorJobId}";

    /// <summary>Maps a status-shaped answer with the charge this generator remembers from the job's submit.</summary>
    private Result<GenerationJob> MapJob(MeiGenGenerationResponse response, JobHandle handle, bool submitted, GenerationQuote? sent = null) =>
        MeiGenJobMapper.Map(response, handle, submitted, _time.GetUtcNow(), _charges.TryGetValue(handle.VendorJobId, out var credits) ? credits : null, sent?.Price, sent?.Translation);

    private static Uri BaseOf(MeiGenOptions options)
    {
        var address = options.BaseAddress.AbsoluteUri;
        return new Uri(address.EndsWith('/') ? address : address + "/");
    }

    private async ValueTask<CatalogState> GetCatalogAsync(CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        if (!_options.UseLiveCatalog)
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
                _catalog = new CatalogState(live.Models, live.Prices.ToLayer(PriceSource.Live), now + _options.LiveCatalogLifetime);
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
        request.Headers.Authorization = _authorization;
        request.Headers.Accept.Add(AcceptJson);
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

    /// <summary>What a submit sends: the quoted model, translation and price.</summary>
    private sealed record Prepared(MeiGenModel Model, MeiGenTranslation Translation, PriceQuote Price);

    private sealed record CatalogState(IReadOnlyList<MeiGenModel> Models, PriceLayer? Live, DateTimeOffset ExpiresAt)
    {
        /// <summary>Gets the models' capabilities, listed once per catalog (every wait looks its model up here).</summary>
        public IReadOnlyList<ModelCapabilities> Capabilities { get; } = [.. Models.Select(m => m.Capabilities)];
    }
}
