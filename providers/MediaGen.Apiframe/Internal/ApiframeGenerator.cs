using MediaGen.Http;
using MediaGen.Providers;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace MediaGen.Apiframe.Internal;

/// <summary>The Apiframe v2 provider. Thread-safe.</summary>
internal sealed class ApiframeGenerator : VendorGenerator<ApiframeModel, TranslatedRequest>
{
    private static readonly VendorDescriptor Descriptor = new()
    {
        Pacing = ApiframePacing.Documented,
        CanonicalModels = ApiframeCanonicalModels.Mappings,
        Name = ApiframeProvider.Name,
        DisplayName = "Apiframe",
        DedupesByIdempotencyKey = true,
        PushesWebhooks = true,

        // The docs: poll every 2–3 s for images (A3).
        RecommendedPollInterval = TimeSpan.FromSeconds(3),
    };

    private readonly ApiframeOptions _options;
    private readonly TimeProvider _time;
    private readonly ApiframeApi _api;
    private readonly ILogger _logger;
    private readonly PriceBook _prices;
    private ApiframeWebhookReceiver? _receiver;

    /// <summary>Creates the generator.</summary>
    /// <param name="options">The options (a copy the generator keeps).</param>
    /// <param name="http">The HTTP client, or null for one the generator creates (and disposes).</param>
    /// <param name="time">The clock.</param>
    /// <param name="updates">Where verified webhook updates are published, when configured.</param>
    /// <param name="ownsHttp">Whether <paramref name="http"/> is disposed with the generator (DI made it for this provider).</param>
    /// <param name="logger">Where submit outcomes are logged, or null.</param>
    public ApiframeGenerator(ApiframeOptions options, HttpClient? http, TimeProvider? time, JobUpdateHub? updates = null, bool ownsHttp = false, ILogger? logger = null)
        : base(Descriptor, Endpoint(options))
    {
        _options = options;
        _time = time ?? TimeProvider.System;
        _logger = logger ?? NullLogger.Instance;
        var client = http ?? MediaGenHttp.CreateClient(timeProvider: _time); // the same resilience and timeouts as the DI client
        if (http is null || ownsHttp)
        {
            Own(client);
        }

        _api = new ApiframeApi(client, options, _time);
        Client = new ApiframeClient(_api);
        Gate = Own(new ApiframeConcurrencyGate(options, _time, Client.GetAccountAsync));
        _prices = ApiframePrices.Book(options.PriceOverrides);
        Updates = updates;
        OfferService(Client);

        // The router's probe before paying (RouterOptions.ProbeBeforeSubmit): the free account read.
        OfferService(new Routing.ProviderProbe("GET /v2/me", async ct => (await Client.GetAccountAsync(ct).ConfigureAwait(false)).TryGetError(out var down) ? down : null));
        OfferOptions(options, o => o.Clone());
    }

    public ApiframeClient Client { get; }

    internal ApiframeConcurrencyGate Gate { get; }

    internal ApiframeOptions Options => _options;

    internal TimeProvider Time => _time;

    internal JobUpdateHub? Updates { get; }

    protected override ValueTask<IReadOnlyList<ModelCapabilities>> ListModelsAsync(CancellationToken cancellationToken) =>
        ValueTask.FromResult(ApiframeCatalog.All);

    protected override ValueTask<Result<ApiframeModel>> ResolveModelAsync(GenerationRequest request, CancellationToken cancellationToken) =>
        ValueTask.FromResult<Result<ApiframeModel>>(ApiframeCatalog.Find(request.Model) is { } model
            ? model
            : new InvalidRequestError(nameof(request.Model), $"'{request.Model}' is not an Apiframe model; known: {string.Join(", ", ApiframeCatalog.All.Select(m => m.Id))}.", ApiframeProvider.Name));

    protected override ModelCapabilities CapabilitiesOf(ApiframeModel model) => model.Capabilities;

    protected override IEnumerable<FieldError> ValidateVendorRules(GenerationRequest request, ApiframeModel model) => ApiframeTranslator.ValidateVendorRules(request, model);

    protected override VendorTranslation<TranslatedRequest> Translate(GenerationRequest request, ApiframeModel model)
    {
        var translated = ApiframeTranslator.Translate(request, model);
        return new(translated, translated.Report);
    }

    protected override ValueTask<PriceQuote> PriceAsync(GenerationRequest request, ApiframeModel model, TranslatedRequest payload, CancellationToken cancellationToken) =>
        ValueTask.FromResult(_prices.Quote(ApiframePrices.KeyOf(model, payload.Parameters)));

    protected override async Task<Result<GenerationJob>> SendAsync(VendorSubmission<ApiframeModel, TranslatedRequest> submission, CancellationToken cancellationToken)
    {
        var model = submission.Model;
        var key = submission.IdempotencyKey;
        var acquired = await Gate.AcquireAsync(cancellationToken).ConfigureAwait(false);
        if (!acquired.TryGetValue(out var permit))
        {
            return acquired.Error!;
        }

        using (permit)
        {
            var submittedAt = _time.GetUtcNow();
            var sent = await _api.SubmitAsync(model.SubmitPath, submission.Payload.Body, key, submission.Quote.Price, cancellationToken).ConfigureAwait(false);
            if (!sent.TryGetValue(out var accepted))
            {
                if (sent.Error is OutcomeUnknownError unknown)
                {
                    Log.OutcomeUnknown(_logger, key, unknown.Message);
                }

                return sent.Error;
            }

            if (accepted.Attempts > 1)
            {
                Log.Recovered(_logger, key, accepted.JobId, accepted.Attempts);
            }
            else
            {
                Log.Accepted(_logger, accepted.JobId, key);
            }

            permit.Attach(accepted.JobId);
            var handle = new JobHandle(ApiframeProvider.Name, accepted.JobId)
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
                RawRepresentation = accepted,
                Quote = submission.Quote.Price, // the sent quote's price and report, set here: the job is made once
                Translation = submission.Quote.Translation,
            };
        }
    }

    protected override async Task<Result<GenerationJob>> PollAsync(JobHandle handle, CancellationToken cancellationToken)
    {
        var got = await _api.GetAsync($"v2/jobs/{Uri.EscapeDataString(handle.VendorJobId)}", ApiframeJsonContext.Default.JobDto, "GET /v2/jobs/{id}", MapPolled, handle, cancellationToken).ConfigureAwait(false);
        if (!got.TryGetValue(out var job))
        {
            return got.Error is NotFoundError nf ? nf with { Message = $"Apiframe has no job '{handle.VendorJobId}' (HTTP 404). Check the handle; results are kept 3 months." } : got.Error!;
        }

        Observe(job);
        return job;
    }

    /// <summary>Maps a polled job while its body is readable (its text is made only for the message of a job that cannot be read).</summary>
    private static Result<GenerationJob> MapPolled(JobDto dto, ResponseBody body, JobHandle handle) =>
        ApiframeJobMapper.TryMap(ApiframeJobMapper.From(dto), handle, dto, out var problem) is { } job
            ? job
            : new ProviderUnavailableError($"Apiframe answered GET /v2/jobs/{handle.VendorJobId} with a job MediaGen cannot read: {problem}. Retry later; if it persists the API may have changed.", ApiframeProvider.Name)
            {
                StatusCode = 200,
                VendorMessage = HttpResponseReader.Excerpt(body.Text),
            };

    protected override object? GetVendorService(Type serviceType) =>
        serviceType == typeof(ApiframeWebhookReceiver) && Updates is { } hub
            ? LazyInitializer.EnsureInitialized(ref _receiver, () => new ApiframeWebhookReceiver(this, hub))
            : null;

    /// <summary>Frees the job's concurrency slot once it has ended (from a poll or a verified webhook).</summary>
    internal void Observe(GenerationJob job)
    {
        if (job.IsTerminal)
        {
            Gate.Release(job.Handle.VendorJobId);
        }
    }

    private static Uri Endpoint(ApiframeOptions options)
    {
        var address = options.BaseAddress.AbsoluteUri;
        return new Uri(address.EndsWith('/') ? address : address + "/");
    }
}
