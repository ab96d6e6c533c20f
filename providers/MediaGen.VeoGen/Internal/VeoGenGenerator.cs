using System.Collections.Concurrent;
using System.Threading.RateLimiting;
using MediaGen.Providers;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace MediaGen.VeoGen.Internal;

/// <summary>A request ready to send: the model, the translation and the price.</summary>
internal sealed record Prepared(VeoGenModel Model, Translation Translation, PriceQuote Price);

/// <summary>A cached answer of <c>GET /models/{slug}</c> (or why it failed).</summary>
internal sealed record LiveEntry(ModelWire? Wire, PriceLayer? Price, DateTimeOffset FetchedAt, string? Problem, bool NotFound);

/// <summary>The VeoGen Studio provider. Thread-safe; one instance per configuration.</summary>
internal sealed partial class VeoGenGenerator : VendorGenerator<VeoGenModel, Translation>
{
    // The name, unqualified for this partial class (the submit half uses it too); VeoGenProvider.Name is the one declaration.
    internal const string Provider = VeoGenProvider.Name;

    private static readonly TimeSpan FailedLookupLifetime = TimeSpan.FromMinutes(1);

    private static readonly VendorDescriptor Descriptor = new()
    {
        Pacing = VeoGenPacing.Documented,
        CanonicalModels = VeoGenCanonicalModels.Mappings,
        Name = Provider,
        DisplayName = "VeoGen Studio",
        BillingUnit = MoneyUnit.Usd,
    };

    private readonly VeoGenOptions _options;
    private readonly VeoGenApi _api;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Dictionary<string, VeoGenModel> _snapshot;
    private readonly PriceBook _prices;
    private readonly ConcurrentDictionary<string, LiveEntry> _live = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Creates the generator over its API.</summary>
    /// <param name="options">The options (a copy the generator keeps).</param>
    /// <param name="api">The HTTP side.</param>
    /// <param name="limiter">The limiter every request takes a permit from.</param>
    /// <param name="ownedHttp">The HTTP client the provider created for itself (disposed with it), or null.</param>
    /// <param name="ownsLimiter">Whether the provider created <paramref name="limiter"/> (then it is disposed with it).</param>
    /// <param name="logger">Where submit outcomes are logged, or null.</param>
    public VeoGenGenerator(VeoGenOptions options, VeoGenApi api, RateLimiter limiter, HttpClient? ownedHttp, bool ownsLimiter, ILogger? logger = null)
        : base(Descriptor, api.BaseAddress)
    {
        _options = options;
        _api = api;
        _time = api.Time;
        _logger = logger ?? NullLogger.Instance;
        _snapshot = VeoGenCatalog.Snapshot.ToDictionary(m => m.Slug, StringComparer.OrdinalIgnoreCase);
        _prices = VeoGenPrices.Book(options.PriceOverrides);
        if (ownedHttp is not null)
        {
            Own(ownedHttp);
        }

        if (ownsLimiter)
        {
            Own(limiter);
        }

        Client = new VeoGenClient(this);
        OfferService(Client);
        OfferService(limiter);

        // The router's probe before paying (RouterOptions.ProbeBeforeSubmit): the free account read.
        OfferService(new Routing.ProviderProbe("GET /api/v1/account", async ct => (await Client.GetAccountAsync(ct).ConfigureAwait(false)).TryGetError(out var down) ? down : null));
        OfferOptions(options, o => o.Clone());
    }

    public VeoGenClient Client { get; }

    internal VeoGenApi Api => _api;

    /// <summary>The documented models' capabilities, listed while nothing was fetched live (every wait looks its model up here).</summary>
    private static readonly IReadOnlyList<ModelCapabilities> SnapshotCapabilities =
        System.Array.AsReadOnly([.. VeoGenCatalog.Snapshot.Select(m => m.Capabilities)]);

    protected override ValueTask<IReadOnlyList<ModelCapabilities>> ListModelsAsync(CancellationToken cancellationToken)
    {
        if (_live.IsEmpty)
        {
            return ValueTask.FromResult(SnapshotCapabilities);
        }

        var models = new List<ModelCapabilities>();
        foreach (var model in VeoGenCatalog.Snapshot)
        {
            models.Add(FreshLive(model.Slug) is { Wire: { } wire } entry ? Merge(model, wire, entry.Price).Capabilities : model.Capabilities);
        }

        foreach (var (slug, entry) in _live)
        {
            if (!_snapshot.ContainsKey(slug) && entry.Wire is { } wire && IsFresh(entry))
            {
                models.Add(Merge(null, wire, entry.Price).Capabilities);
            }
        }

        return ValueTask.FromResult<IReadOnlyList<ModelCapabilities>>(models);
    }

    protected override ModelCapabilities CapabilitiesOf(VeoGenModel model) => model.Capabilities;

    protected override ModelCapabilities ValidationCapabilities(VeoGenModel model, GenerationRequest request) => VeoGenTranslator.ValidationView(model, request);

    protected override IEnumerable<FieldError> ValidateVendorRules(GenerationRequest request, VeoGenModel model) => VeoGenTranslator.ValidateVendorRules(request, model);

    protected override VendorTranslation<Translation> Translate(GenerationRequest request, VeoGenModel model)
    {
        var translation = VeoGenTranslator.Translate(request, model);
        return new(translation, translation.Report);
    }

    protected override async ValueTask<PriceQuote> PriceAsync(GenerationRequest request, VeoGenModel model, Translation payload, CancellationToken cancellationToken)
    {
        var key = VeoGenPrices.KeyOf(model, payload.Resolution, payload.DurationSeconds, payload.ReferenceVideo);
        var price = Price(model, key);
        if (!NeedsLivePrice(model, key, price))
        {
            return price;
        }

        if (model.LiveProblem is { } problem)
        {
            return price with { Basis = $"{price.Basis} (the models endpoint did not supply it: {problem})" };
        }

        if (FreshLive(model.Slug) is not null)
        {
            return price; // the endpoint was asked moments ago and could not say
        }

        // The translation sends a resolution the docs cannot price (set through provider options, say): ask the models
        // endpoint once (cached) and price this same payload on its answer.
        var entry = await FetchLiveAsync(model.Slug, cancellationToken).ConfigureAwait(false);
        return entry.Wire is { } wire
            ? Price(Merge(_snapshot.GetValueOrDefault(model.Slug), wire, entry.Price), key)
            : price with { Basis = $"{price.Basis} (the models endpoint did not supply it: {entry.Problem})" };
    }

    protected override async Task<Result<GenerationJob>> PollAsync(JobHandle handle, CancellationToken cancellationToken)
    {
        var operation = new ReadOperation(null, handle);
        var got = await _api.GetAsync("generations/" + Uri.EscapeDataString(handle.VendorJobId), operation, cancellationToken, statusRead: true).ConfigureAwait(false);
        if (!got.TryGetValue(out var response))
        {
            return got.Error is NotFoundError notFound
                ? notFound with { Message = $"VeoGen has no generation '{handle.VendorJobId}' (HTTP 404): {notFound.VendorMessage}. Check the handle, or the job was deleted." }
                : got.Error!;
        }

        var envelope = VeoGenApi.ReadGeneration(response, out var raw, out var problem);
        var job = envelope is null ? null : VeoGenJobMapper.Map(envelope.Data, handle, handle.Kind ?? KindOf(handle.Model), out problem, response.RetryAfter, raw);
        if (job is null)
        {
            return new ProviderUnavailableError($"VeoGen answered {operation} with an unreadable body: {problem}. The job is unaffected; poll again later.", Provider)
            {
                StatusCode = response.Status,
                VendorMessage = HttpResponseReader.Excerpt(response.Body),
            };
        }

        return job;
    }

    internal async ValueTask<Result<ModelCapabilities>> RefreshModelAsync(ModelId id, CancellationToken cancellationToken)
    {
        var slug = id.Value;
        var entry = await FetchLiveAsync(slug, cancellationToken).ConfigureAwait(false);
        if (entry.Wire is { } wire)
        {
            return Merge(_snapshot.GetValueOrDefault(slug), wire, entry.Price).Capabilities;
        }

        return entry.NotFound
            ? new NotFoundError($"VeoGen has no model '{slug}': {entry.Problem}", Provider) { StatusCode = 404 }
            : new ProviderUnavailableError($"VeoGen's models endpoint could not describe '{slug}': {entry.Problem}", Provider);
    }

    /// <summary>Whether the price is unknown only because the docs lack it, and the models endpoint may supply it.</summary>
    private bool NeedsLivePrice(VeoGenModel model, PriceKey key, PriceQuote price) =>
        !price.IsKnown && _options.UseLiveCatalog && model.LivePrice is null && _prices.LacksPriceFor(key);

    private PriceQuote Price(VeoGenModel model, PriceKey key) => _prices.WithLive(model.LivePrice).Quote(key);

    protected override async ValueTask<Result<VeoGenModel>> ResolveModelAsync(GenerationRequest request, CancellationToken cancellationToken)
    {
        var slug = request.Model.Value;
        if (_snapshot.TryGetValue(slug, out var known))
        {
            if (FreshLive(slug) is { } fresh)
            {
                return fresh.Wire is { } wire ? Merge(known, wire, fresh.Price) : known;
            }

            if (!_options.UseLiveCatalog || !_prices.LacksPriceFor(VeoGenPrices.KeyOf(known, request.Resolution?.Value, request.DurationSeconds, request.ReferenceVideos.Count > 0)))
            {
                return known;
            }

            // The docs publish no price for this model (at this resolution): describe it from the models endpoint (unbilled,
            // cached) before validating, so the request is validated, translated and priced once, on what the vendor says.
            var entry = await FetchLiveAsync(slug, cancellationToken).ConfigureAwait(false);
            return entry.Wire is { } described ? Merge(known, described, entry.Price) : known with { LiveProblem = entry.Problem };
        }

        var live = FreshLive(slug) ?? await FetchLiveAsync(slug, cancellationToken).ConfigureAwait(false);
        if (live.Wire is { } liveWire)
        {
            return Merge(null, liveWire, live.Price);
        }

        return new InvalidRequestError(
            nameof(GenerationRequest.Model),
            $"'{slug}' is not a VeoGen model ({live.Problem}); known: {string.Join(", ", _snapshot.Keys)}.",
            Provider);
    }

    private LiveEntry? FreshLive(string slug) => _live.TryGetValue(slug, out var entry) && IsFresh(entry) ? entry : null;

    private bool IsFresh(LiveEntry entry) =>
        _time.GetUtcNow() - entry.FetchedAt < (entry.Wire is null ? FailedLookupLifetime : _options.LiveCatalogLifetime);

    private async ValueTask<LiveEntry> FetchLiveAsync(string slug, CancellationToken cancellationToken)
    {
        var path = "models/" + Uri.EscapeDataString(slug);
        var got = await _api.GetAsync(path, $"the models endpoint for '{slug}'", cancellationToken).ConfigureAwait(false);
        var now = _time.GetUtcNow();
        LiveEntry entry;
        if (!got.TryGetValue(out var response))
        {
            entry = new LiveEntry(null, null, now, got.Error!.VendorMessage ?? got.Error.Message, got.Error is NotFoundError);
        }
        else
        {
            var envelope = VeoGenApi.Deserialize(response, VeoGenJsonContext.Default.ModelEnvelope, out var problem);
            var wire = envelope?.Data;
            if (wire is null)
            {
                entry = new LiveEntry(null, null, now, $"unreadable models answer: {problem ?? "no 'data'"}", false);
            }
            else
            {
                var provenance = new PriceProvenance(PriceSource.Live, DateOnly.FromDateTime(now.UtcDateTime), $"GET {new Uri(_api.BaseAddress, path)}");
                entry = new LiveEntry(wire, VeoGenPrices.Live(slug, wire, provenance), now, null, false);
            }
        }

        _live[slug] = entry;
        return entry;
    }

    /// <summary>Combines the snapshot (documented) with what the models endpoint says; the endpoint's non-empty lists win.</summary>
    private static VeoGenModel Merge(VeoGenModel? snapshot, ModelWire wire, PriceLayer? livePrice)
    {
        var slug = string.IsNullOrWhiteSpace(wire.Slug) ? snapshot?.Slug ?? "unknown" : wire.Slug.Trim();
        var kind = VeoGenJobMapper.ParseKind(wire.Type) ?? snapshot?.Capabilities.Kind ?? (wire.Durations is { Count: > 0 } ? MediaKind.Video : MediaKind.Image);
        var baseCaps = snapshot?.Capabilities ?? new ModelCapabilities
        {
            Id = slug,
            Kind = kind,
            MaxReferenceImages = VeoGenCatalog.MaxImageUrls,
            MaxPromptLength = VeoGenCatalog.MaxPromptLength,
            TypicalGenerationTime = kind == MediaKind.Video ? TimeSpan.FromSeconds(60) : TimeSpan.FromSeconds(10),
        };

        var ratios = (wire.AspectRatios ?? []).Select(r => AspectRatio.TryParse(r, out var ratio) ? ratio : default).Where(r => r.IsExplicit).ToList();
        var resolutions = (wire.Resolutions ?? []).Where(r => !string.IsNullOrWhiteSpace(r)).Select(r => new Resolution(r)).ToList();
        var durations = (wire.Durations ?? []).Where(d => d > 0).Distinct().ToArray();
        var caps = baseCaps with
        {
            DisplayName = wire.Label ?? baseCaps.DisplayName,
            AspectRatios = ratios.Count > 0 ? ratios : baseCaps.AspectRatios,
            Resolutions = resolutions.Count > 0 ? resolutions : baseCaps.Resolutions,
            Durations = durations.Length > 0 ? DurationOptions.OneOf(durations.Length == 1 ? durations[0] : null, durations) : baseCaps.Durations,
            Modes = wire.Modes is { Count: > 0 } modes ? modes : baseCaps.Modes,
            Styles = wire.Styles is { Count: > 0 } styles ? styles : baseCaps.Styles,
        };

        var fields = snapshot?.Fields ?? (kind == MediaKind.Video ? GatedFields.Duration : GatedFields.None);
        if (wire.SupportedParams is { Count: > 0 } supported)
        {
            var set = supported.ToHashSet(StringComparer.OrdinalIgnoreCase);
            fields = GatedFields.None;
            fields |= set.Contains("duration") ? GatedFields.Duration : GatedFields.None;
            fields |= set.Contains("mode") ? GatedFields.Mode : GatedFields.None;
            fields |= set.Contains("style") ? GatedFields.Style : GatedFields.None;
            fields |= set.Contains("video_urls") ? GatedFields.VideoUrls : GatedFields.None;
            fields |= set.Contains("audio_urls") ? GatedFields.AudioUrls : GatedFields.None;
            fields |= set.Contains("watermark") ? GatedFields.Watermark : GatedFields.None;
            fields |= set.Contains("private") ? GatedFields.Private : GatedFields.None;
            caps = caps with
            {
                MaxReferenceImages = set.Contains("image_urls") ? VeoGenCatalog.MaxImageUrls : 0,
                MaxReferenceVideos = set.Contains("video_urls") ? VeoGenCatalog.MaxMediaUrls : 0,
                MaxReferenceAudio = set.Contains("audio_urls") ? VeoGenCatalog.MaxMediaUrls : 0,
            };
        }

        return new VeoGenModel(caps, fields, snapshot?.AllowedImageCounts) { LivePrice = livePrice };
    }

    private MediaKind? KindOf(ModelId? model) =>
        model is { } m && _snapshot.TryGetValue(m.Value, out var known) ? known.Capabilities.Kind : null;
}
