using System.Collections.Concurrent;
using System.Text.Json;
using MediaGen.Providers;

namespace MediaGen.VeoGen.Internal;

/// <summary>A request ready to send: the model, the translation and the price.</summary>
internal sealed record Prepared(VeoGenModel Model, Translation Translation, PriceQuote Price);

/// <summary>A cached answer of <c>GET /models/{slug}</c> (or why it failed).</summary>
internal sealed record LiveEntry(ModelWire? Wire, PriceRule? Price, DateTimeOffset FetchedAt, string? Problem, bool NotFound);

/// <summary>The VeoGen Studio provider. Thread-safe; one instance per configuration.</summary>
internal sealed partial class VeoGenGenerator : IMediaGenerator
{
    public const string Provider = VeoGenApi.Provider;

    private static readonly TimeSpan FailedLookupLifetime = TimeSpan.FromMinutes(1);

    private readonly VeoGenOptions _options;
    private readonly VeoGenApi _api;
    private readonly TimeProvider _time;
    private readonly Dictionary<string, VeoGenModel> _snapshot;
    private readonly ConcurrentDictionary<string, LiveEntry> _live = new(StringComparer.OrdinalIgnoreCase);

    public VeoGenGenerator(VeoGenOptions options, VeoGenApi api)
    {
        _options = options;
        _api = api;
        _time = api.Time;
        _snapshot = VeoGenCatalog.Snapshot.ToDictionary(m => m.Slug, StringComparer.OrdinalIgnoreCase);
        Client = new VeoGenClient(this);
        Metadata = new ProviderMetadata
        {
            Name = Provider,
            DisplayName = "VeoGen Studio",
            BillingUnit = MoneyUnit.Usd,
            DedupesByIdempotencyKey = false,
            PushesWebhooks = false,
            RecommendedPollInterval = TimeSpan.FromSeconds(3),
            Endpoint = api.BaseAddress,
        };
    }

    public ProviderMetadata Metadata { get; }

    public VeoGenClient Client { get; }

    internal VeoGenApi Api => _api;

    public ValueTask<IReadOnlyList<ModelCapabilities>> GetModelsAsync(CancellationToken cancellationToken = default)
    {
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

    public async ValueTask<Result<GenerationQuote>> QuoteAsync(GenerationRequest request, CancellationToken cancellationToken = default)
    {
        var prepared = await PrepareAsync(request, cancellationToken).ConfigureAwait(false);
        return prepared.Map(p => new GenerationQuote
        {
            Provider = Provider,
            Model = p.Model.Capabilities.Id,
            Capabilities = p.Model.Capabilities,
            Translation = p.Translation.Report,
            Price = p.Price,
        });
    }

    public async Task<Result<GenerationJob>> GetJobAsync(JobHandle handle, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(handle);
        if (handle.Provider != Provider)
        {
            return new InvalidRequestError("Handle", $"'{handle}' belongs to {handle.Provider}, not {Provider}.", Provider);
        }

        var operation = $"the status of {handle}";
        var got = await _api.GetAsync("generations/" + Uri.EscapeDataString(handle.VendorJobId), operation, cancellationToken).ConfigureAwait(false);
        if (!got.TryGetValue(out var response))
        {
            return got.Error is NotFoundError notFound
                ? notFound with { Message = $"VeoGen has no generation '{handle.VendorJobId}' (HTTP 404): {notFound.VendorMessage}. Check the handle, or the job was deleted." }
                : got.Error;
        }

        var envelope = VeoGenApi.Deserialize(response, VeoGenJsonContext.Default.GenerationEnvelope, out var problem);
        var job = envelope is null ? null : VeoGenJobMapper.Map(envelope.Data, handle, handle.Kind ?? KindOf(handle.Model), out problem);
        if (job is null)
        {
            return new ProviderUnavailableError($"VeoGen answered {operation} with an unreadable body: {problem}. The job is unaffected; poll again later.", Provider)
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

    public object? GetService(Type serviceType, object? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(serviceType);
        if (serviceKey is not null && !(serviceKey is string key && string.Equals(key, Provider, StringComparison.OrdinalIgnoreCase)))
        {
            return null;
        }

        if (serviceType == typeof(VeoGenClient))
        {
            return Client;
        }

        if (serviceType == typeof(VeoGenOptions))
        {
            return _options.Copy();
        }

        if (serviceType == typeof(MediaGen.Routing.ProviderModelMappings))
        {
            return VeoGenCanonicalModels.Mappings;
        }

        return serviceType.IsInstanceOfType(this) ? this : null;
    }

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

    internal async ValueTask<Result<Prepared>> PrepareAsync(GenerationRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.Model.IsEmpty)
        {
            return new InvalidRequestError(RequestValidator.ValidateBasics(request)!.Errors, Provider);
        }

        var resolved = await ResolveModelAsync(request.Model, cancellationToken).ConfigureAwait(false);
        if (!resolved.TryGetValue(out var model))
        {
            return resolved.Error;
        }

        var prepared = Build(request, model);
        if (!prepared.TryGetValue(out var first)
            || first.Price.IsKnown
            || !_options.UseLivePrices
            || _options.PriceOverrides.ContainsKey(model.Slug)
            || !model.Price.LacksDataFor(first.Translation.Resolution)
            || model.LivePrice is not null
            || FreshLive(model.Slug) is not null)
        {
            return prepared;
        }

        // The docs do not give this price: ask the models endpoint once (cached), then price again.
        var entry = await FetchLiveAsync(model.Slug, cancellationToken).ConfigureAwait(false);
        if (entry.Wire is not { } wire)
        {
            return first with { Price = first.Price with { Basis = $"{first.Price.Basis} (the models endpoint did not supply it: {entry.Problem})" } };
        }

        return Build(request, Merge(_snapshot.GetValueOrDefault(model.Slug), wire, entry.Price));
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

    private Result<Prepared> Build(GenerationRequest request, VeoGenModel model)
    {
        var errors = new List<FieldError>();
        if (RequestValidator.Validate(request, VeoGenTranslator.ValidationView(model, request), Provider) is { } invalid)
        {
            errors.AddRange(invalid.Errors);
        }

        errors.AddRange(VeoGenTranslator.VendorRules(model, request));
        if (errors.Count > 0)
        {
            return new InvalidRequestError(errors, Provider);
        }

        var translation = VeoGenTranslator.Translate(request, model, Provider);
        if (translation.Report.ToStrictError(request.Strict) is { } strict)
        {
            return strict;
        }

        return new Prepared(model, translation, Price(model, translation));
    }

    private PriceQuote Price(VeoGenModel model, Translation translation)
    {
        if (_options.PriceOverrides.TryGetValue(model.Slug, out var manual))
        {
            var rule = PriceRule.Flat(manual.PriceUsd, manual.PerSecond, new PriceProvenance(PriceSource.Override, null, $"VeoGenOptions.PriceOverrides[{model.Slug}]"), manual.ResolutionMultipliers);
            return rule.Quote(model, translation.Resolution, translation.DurationSeconds, translation.ReferenceVideo);
        }

        var quote = model.Price.Quote(model, translation.Resolution, translation.DurationSeconds, translation.ReferenceVideo);
        if (!quote.IsKnown && model.LivePrice is { } live && model.Price.LacksDataFor(translation.Resolution))
        {
            var liveQuote = live.Quote(model, translation.Resolution, translation.DurationSeconds, translation.ReferenceVideo);
            return liveQuote.IsKnown ? liveQuote : quote with { Basis = $"{quote.Basis}; models endpoint: {liveQuote.Basis}" };
        }

        return quote;
    }

    private async ValueTask<Result<VeoGenModel>> ResolveModelAsync(ModelId id, CancellationToken cancellationToken)
    {
        var slug = id.Value;
        if (_snapshot.TryGetValue(slug, out var known))
        {
            return FreshLive(slug) is { Wire: { } wire } entry ? Merge(known, wire, entry.Price) : known;
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
        _time.GetUtcNow() - entry.FetchedAt < (entry.Wire is null ? FailedLookupLifetime : _options.LivePriceLifetime);

    private async ValueTask<LiveEntry> FetchLiveAsync(string slug, CancellationToken cancellationToken)
    {
        var path = "models/" + Uri.EscapeDataString(slug);
        var got = await _api.GetAsync(path, $"the models endpoint for '{slug}'", cancellationToken).ConfigureAwait(false);
        var now = _time.GetUtcNow();
        LiveEntry entry;
        if (!got.TryGetValue(out var response))
        {
            entry = new LiveEntry(null, null, now, got.Error.VendorMessage ?? got.Error.Message, got.Error is NotFoundError);
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
                var price = wire.PriceUsd is { } usd
                    ? new PriceRule
                    {
                        BaseUsd = usd,
                        PerSecond = wire.MultiplyByDuration,
                        ResolutionMultipliers = wire.ResolutionMultipliers is { } m ? new Dictionary<string, decimal>(m, StringComparer.OrdinalIgnoreCase) : new Dictionary<string, decimal>(StringComparer.OrdinalIgnoreCase),
                        Provenance = provenance,
                    }
                    : PriceRule.Unknown($"the models endpoint gives no price_usd for {slug}");
                entry = new LiveEntry(wire, price, now, null, false);
            }
        }

        _live[slug] = entry;
        return entry;
    }

    /// <summary>Combines the snapshot (documented) with what the models endpoint says; the endpoint's non-empty lists win.</summary>
    private static VeoGenModel Merge(VeoGenModel? snapshot, ModelWire wire, PriceRule? livePrice)
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

        var price = snapshot?.Price ?? PriceRule.Unknown($"the docs publish no price for {slug}");
        return new VeoGenModel(caps, fields, price, snapshot?.AllowedImageCounts) { LivePrice = livePrice };
    }

    private MediaKind? KindOf(ModelId? model) =>
        model is { } m && _snapshot.TryGetValue(m.Value, out var known) ? known.Capabilities.Kind : null;
}
