using MediaGen.Http;
using MediaGen.Providers;

namespace MediaGen.Apiframe.Internal;

/// <summary>The Apiframe v2 provider. Thread-safe.</summary>
internal sealed class ApiframeGenerator : IMediaGenerator, IDisposable
{
    public const string Provider = "apiframe";

    private readonly ApiframeOptions _options;
    private readonly TimeProvider _time;
    private readonly ApiframeApi _api;
    private readonly PriceTable _prices;
    private readonly bool _ownsHttp;
    private readonly HttpClient _http;
    private ApiframeWebhookReceiver? _receiver;

    public ApiframeGenerator(ApiframeOptions options, HttpClient? http, TimeProvider? time, JobUpdateHub? updates = null)
    {
        _options = options;
        _time = time ?? TimeProvider.System;
        _ownsHttp = http is null;
        _http = http ?? MediaGenHttp.CreateClient(timeProvider: _time); // the same resilience and timeouts as the DI client
        _api = new ApiframeApi(_http, options, _time);
        Client = new ApiframeClient(_api);
        Gate = new ConcurrencyGate(options, _time, Client.GetAccountAsync);
        _prices = new PriceTable(options.PriceOverrides);
        Updates = updates;
        Metadata = new ProviderMetadata
        {
            Name = Provider,
            DisplayName = "Apiframe",
            BillingUnit = MoneyUnit.Credits(Provider),
            DedupesByIdempotencyKey = true,
            PushesWebhooks = true,

            // The docs: poll every 2–3 s for images (A3).
            RecommendedPollInterval = TimeSpan.FromSeconds(3),
            Endpoint = _api.Resolve(string.Empty),
        };
    }

    public ProviderMetadata Metadata { get; }

    public ApiframeClient Client { get; }

    internal ConcurrencyGate Gate { get; }

    internal ApiframeOptions Options => _options;

    internal TimeProvider Time => _time;

    internal JobUpdateHub? Updates { get; }

    public ValueTask<IReadOnlyList<ModelCapabilities>> GetModelsAsync(CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(ModelCatalog.All);

    public ValueTask<Result<GenerationQuote>> QuoteAsync(GenerationRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var prepared = Prepare(request);
        if (!prepared.TryGetValue(out var p))
        {
            return ValueTask.FromResult(Result.Failure<GenerationQuote>(prepared.Error));
        }

        return ValueTask.FromResult<Result<GenerationQuote>>(new GenerationQuote
        {
            Provider = Provider,
            Model = p.Translated.Model.Id,
            Capabilities = p.Translated.Model.Capabilities,
            Translation = p.Translated.Report,
            Price = p.Price,
        });
    }

    public async Task<Result<GenerationJob>> SubmitAsync(GenerationRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var prepared = Prepare(request);
        if (!prepared.TryGetValue(out var p))
        {
            return prepared.Error;
        }

        var model = p.Translated.Model;
        var key = IdempotencyKeys.For(request);
        var acquired = await Gate.AcquireAsync(cancellationToken).ConfigureAwait(false);
        if (!acquired.TryGetValue(out var permit))
        {
            return acquired.Error;
        }

        using (permit)
        {
            var submittedAt = _time.GetUtcNow();
            var sent = await _api.SubmitAsync(model.SubmitPath, p.Translated.Body, key, p.Price, cancellationToken).ConfigureAwait(false);
            if (!sent.TryGetValue(out var accepted))
            {
                return sent.Error;
            }

            permit.Attach(accepted.JobId);
            var handle = new JobHandle(Provider, accepted.JobId)
            {
                Model = model.Id,
                IdempotencyKey = key,
                SubmittedAt = submittedAt,
                Kind = model.Kind,
            };
            var status = ApiframeJobMapper.SubmittedStatus(accepted.Status);
            return new GenerationJob
            {
                Handle = handle,
                Status = status,
                Progress = 0,
                Quote = p.Price,
                Translation = p.Translated.Report,
                RawRepresentation = accepted,
            };
        }
    }

    public async Task<Result<GenerationJob>> GetJobAsync(JobHandle handle, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(handle);
        if (handle.Provider != Provider)
        {
            return new NotFoundError($"Job {handle} belongs to '{handle.Provider}', not apiframe; ask that provider (or the router).", Provider);
        }

        var got = await _api.GetAsync($"v2/jobs/{Uri.EscapeDataString(handle.VendorJobId)}", ApiframeJsonContext.Default.JobDto, "GET /v2/jobs/{id}", cancellationToken).ConfigureAwait(false);
        if (!got.TryGetValue(out var value))
        {
            return got.Error is NotFoundError nf ? nf with { Message = $"Apiframe has no job '{handle.VendorJobId}' (HTTP 404). Check the handle; results are kept 3 months." } : got.Error;
        }

        var (dto, raw) = value;
        var job = ApiframeJobMapper.TryMap(ApiframeJobMapper.From(dto), handle, dto, out var problem);
        if (job is null)
        {
            return new ProviderUnavailableError($"Apiframe answered GET /v2/jobs/{handle.VendorJobId} with a job MediaGen cannot read: {problem}. Retry later; if it persists the API may have changed.", Provider)
            {
                StatusCode = 200,
                VendorMessage = HttpResponseReader.Excerpt(raw),
            };
        }

        Observe(job);
        return job;
    }

    public object? GetService(Type serviceType, object? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(serviceType);
        if (serviceKey is not null && !(serviceKey is string s && string.Equals(s, Provider, StringComparison.OrdinalIgnoreCase)))
        {
            return null;
        }

        if (serviceType == typeof(ApiframeClient))
        {
            return Client;
        }

        if (serviceType == typeof(ApiframeOptions))
        {
            return _options.Clone();
        }

        if (serviceType == typeof(ApiframeWebhookReceiver))
        {
            return Updates is { } hub ? LazyInitializer.EnsureInitialized(ref _receiver, () => new ApiframeWebhookReceiver(this, hub)) : null;
        }

        if (serviceType == typeof(MediaGen.Routing.ProviderModelMappings))
        {
            return ApiframeCanonicalModels.Mappings;
        }

        return serviceType.IsInstanceOfType(this) ? this : null;
    }

    /// <summary>Frees the job's concurrency slot once it has ended (from a poll or a verified webhook).</summary>
    internal void Observe(GenerationJob job)
    {
        if (job.IsTerminal)
        {
            Gate.Release(job.Handle.VendorJobId);
        }
    }

    public void Dispose()
    {
        Gate.Dispose();
        if (_ownsHttp)
        {
            _http.Dispose();
        }
    }

    private Result<Prepared> Prepare(GenerationRequest request)
    {
        var model = request.Model.IsEmpty ? null : ModelCatalog.Find(request.Model);
        if (model is null)
        {
            var basics = RequestValidator.ValidateBasics(request);
            var errors = new List<FieldError>(basics?.Errors ?? []);
            if (!request.Model.IsEmpty)
            {
                errors.Insert(0, new(nameof(request.Model), $"'{request.Model}' is not an Apiframe model; known: {string.Join(", ", ModelCatalog.All.Select(m => m.Id))}."));
            }

            return new InvalidRequestError(errors, Provider);
        }

        var invalid = RequestValidator.Validate(request, model.Capabilities, Provider);
        var all = new List<FieldError>(invalid?.Errors ?? []);
        all.AddRange(RequestTranslator.ValidateVendorRules(request, model));
        if (all.Count > 0)
        {
            return new InvalidRequestError(all, Provider);
        }

        var translated = RequestTranslator.Translate(request, model);
        if (translated.Report.ToStrictError(request.Strict) is { } strict)
        {
            return strict;
        }

        return new Prepared(translated, _prices.Quote(model, translated.Parameters));
    }

    private sealed record Prepared(TranslatedRequest Translated, PriceQuote Price);
}
