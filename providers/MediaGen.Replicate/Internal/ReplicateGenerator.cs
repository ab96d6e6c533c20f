using System.Text.Json;
using System.Threading.RateLimiting;
using MediaGen.Providers;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace MediaGen.Replicate.Internal;

/// <summary>A request ready to send: the model, the translation and the price.</summary>
internal sealed record Prepared(ReplicateModel Model, Translation Translation, PriceQuote Price);

/// <summary>The Replicate provider. Thread-safe; one instance per configuration.</summary>
internal sealed partial class ReplicateGenerator : VendorGenerator<ReplicateModel, Translation>
{
    internal const string Provider = ReplicateProvider.Name;

    private static readonly VendorDescriptor Descriptor = new()
    {
        CanonicalModels = ReplicateCanonicalModels.Mappings,
        Name = Provider,
        DisplayName = "Replicate",
        BillingUnit = MoneyUnit.Usd,
        DedupesByIdempotencyKey = false, // no idempotency key on the hosted API (§1.9)
        PushesWebhooks = true,
        RecommendedPollInterval = TimeSpan.FromSeconds(2),
    };

    private readonly ReplicateOptions _options;
    private readonly ReplicateApi _api;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Dictionary<string, ReplicateModel> _snapshot;
    private readonly PriceBook _prices;

    /// <summary>Creates the generator over its API.</summary>
    /// <param name="options">The options (a copy the generator keeps).</param>
    /// <param name="api">The HTTP side.</param>
    /// <param name="limiter">The limiter every request takes a permit from.</param>
    /// <param name="ownedHttp">The HTTP client the provider created for itself (disposed with it), or null.</param>
    /// <param name="ownsLimiter">Whether the provider created <paramref name="limiter"/>.</param>
    /// <param name="logger">Where submit outcomes are logged, or null.</param>
    public ReplicateGenerator(ReplicateOptions options, ReplicateApi api, RateLimiter limiter, HttpClient? ownedHttp, bool ownsLimiter, ILogger? logger = null)
        : base(Descriptor, api.BaseAddress)
    {
        _options = options;
        _api = api;
        _time = api.Time;
        _logger = logger ?? NullLogger.Instance;
        _snapshot = ReplicateCatalog.Snapshot.ToDictionary(m => m.Slug, StringComparer.OrdinalIgnoreCase);
        _prices = ReplicatePrices.Book(options.PriceOverrides);
        if (ownedHttp is not null)
        {
            Own(ownedHttp);
        }

        if (ownsLimiter)
        {
            Own(limiter);
        }

        Client = new ReplicateClient(this);
        OfferService(Client);
        OfferService(limiter);
        OfferOptions(options, o => o.Clone());
    }

    public ReplicateClient Client { get; }

    internal ReplicateApi Api => _api;

    internal ReplicateOptions Options => _options;

    protected override ValueTask<IReadOnlyList<ModelCapabilities>> ListModelsAsync(CancellationToken cancellationToken) =>
        ValueTask.FromResult<IReadOnlyList<ModelCapabilities>>([.. ReplicateCatalog.Snapshot.Select(m => m.Capabilities)]);

    protected override ModelCapabilities CapabilitiesOf(ReplicateModel model) => model.Capabilities;

    protected override ModelCapabilities ValidationCapabilities(ReplicateModel model, GenerationRequest request) => ReplicateTranslator.ValidationView(model, request);

    protected override IEnumerable<FieldError> ValidateVendorRules(GenerationRequest request, ReplicateModel model) => ReplicateTranslator.ValidateVendorRules(request, model);

    protected override VendorTranslation<Translation> Translate(GenerationRequest request, ReplicateModel model)
    {
        var translation = ReplicateTranslator.Translate(request, model, _options);
        return new(translation, translation.Report);
    }

    protected override ValueTask<PriceQuote> PriceAsync(GenerationRequest request, ReplicateModel model, Translation payload, CancellationToken cancellationToken)
    {
        var price = ReplicatePrices.WithProvenance(_prices.Quote(ReplicatePrices.KeyOf(model, payload.Resolution, payload.DurationSeconds, payload.Images)), model.Capabilities.Id);
        return ValueTask.FromResult(price with { Basis = $"{price.Basis}; {ReplicatePrices.RetentionNote}" });
    }

    protected override ValueTask<Result<ReplicateModel>> ResolveModelAsync(GenerationRequest request, CancellationToken cancellationToken)
    {
        var slug = request.Model.Value;
        return ValueTask.FromResult<Result<ReplicateModel>>(_snapshot.TryGetValue(slug, out var model)
            ? model
            : new InvalidRequestError(
                nameof(GenerationRequest.Model),
                $"'{slug}' is not a Replicate model MediaGen describes (owner/name of an official model); known: {string.Join(", ", _snapshot.Keys)}.",
                Provider));
    }

    protected override async Task<Result<GenerationJob>> PollAsync(JobHandle handle, CancellationToken cancellationToken)
    {
        var operation = $"the status of {handle}";
        var got = await _api.SendAsync(HttpMethod.Get, "predictions/" + Uri.EscapeDataString(handle.VendorJobId), operation, cancellationToken).ConfigureAwait(false);
        if (!got.TryGetValue(out var response))
        {
            return got.Error is NotFoundError notFound
                ? notFound with { Message = $"Replicate has no prediction '{handle.VendorJobId}' (HTTP 404): {notFound.VendorMessage}. Check the handle." }
                : got.Error!;
        }

        var wire = ReplicateApi.Deserialize(response, ReplicateJsonContext.Default.PredictionWire, out var problem);
        var job = wire is null ? null : ReplicateJobMapper.Map(wire, handle, handle.Kind ?? KindOf(handle.Model), out problem);
        if (job is null)
        {
            return new ProviderUnavailableError($"Replicate answered {operation} with an unreadable body: {problem}. The prediction is unaffected; poll again later.", Provider)
            {
                StatusCode = response.Status,
                VendorMessage = HttpResponseReader.Excerpt(response.Body),
            };
        }

        return job with
        {
            PollAfter = response.RetryAfter ?? job.PollAfter,
            RawRepresentation = Raw(response.Body),
        };
    }

    /// <summary>Publishes nothing itself; lets the webhook receiver know the job kinds it maps (by model).</summary>
    internal MediaKind? KindOf(ModelId? model) =>
        model is { } m && _snapshot.TryGetValue(m.Value, out var known) ? known.Capabilities.Kind : null;

    internal static JsonElement? Raw(string body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            return document.RootElement.Clone();
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
