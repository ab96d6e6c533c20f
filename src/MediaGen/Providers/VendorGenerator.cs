namespace MediaGen.Providers;

/// <summary>
/// The base of a vendor's <see cref="IMediaGenerator"/>: the core owns the pipeline, the vendor writes its facts.
/// <see cref="QuoteAsync"/> runs unknown model → basics → <see cref="RequestValidator"/> → the vendor's rules →
/// translation (with its report, refused in strict mode when anything changed) → price, and returns a
/// <see cref="GenerationQuote"/> carrying the prepared payload; <see cref="SubmitAsync"/> sends exactly that payload
/// with the idempotency key attached at send time. The base also checks that a handle belongs to this vendor, answers
/// <see cref="GetService"/> (metadata, an options copy, the vendor client, itself) and disposes what the vendor owns.
/// </summary>
/// <typeparam name="TModel">The vendor's model description (its catalog entry).</typeparam>
/// <typeparam name="TPayload">The vendor's prepared request (wire body and whatever its send needs).</typeparam>
public abstract class VendorGenerator<TModel, TPayload> : IMediaGenerator, IModelList
    where TModel : class
    where TPayload : class
{
    private readonly ProviderMetadata _metadata;
    private readonly Routing.ProviderModelMappings? _canonicalModels;
    private readonly List<IDisposable> _owned = [];
    private readonly List<object> _services = [];
    private readonly PipelineCounters _counters = new();
    private readonly PollingLearner _pollingLearner = new();
    private Type? _optionsType;
    private Func<object>? _copyOptions;
    private int _disposed;

    /// <summary>Creates the generator.</summary>
    /// <param name="descriptor">What the vendor is (its name, billing unit, what it offers for paying once and waiting).</param>
    /// <param name="endpoint">The base address the vendor is reached at, when it is an HTTP vendor.</param>
    protected VendorGenerator(VendorDescriptor descriptor, Uri? endpoint = null)
    {
        ArgumentNullException.ThrowIfNull(descriptor);
        _metadata = descriptor.ToMetadata(endpoint);
        _canonicalModels = descriptor.CanonicalModels;
        VendorName = _metadata.Name;
    }

    /// <summary>Gets the vendor's name (lower case), as in handles, errors and provider options.</summary>
    protected string VendorName { get; }

    /// <summary>Gets what this vendor is; answered for <c>GetService(typeof(ProviderMetadata))</c>.</summary>
    protected virtual ProviderMetadata Metadata => _metadata;

    /// <summary>Gets the canonical-slug mappings this vendor contributes to a router's catalog (by default the descriptor's).</summary>
    protected virtual Routing.ProviderModelMappings? CanonicalModels => _canonicalModels;

    /// <summary>Gets whether the generator was disposed (every call then throws <see cref="ObjectDisposedException"/>).</summary>
    protected bool IsDisposed => Volatile.Read(ref _disposed) != 0;

    /// <inheritdoc/>
    public async ValueTask<Result<GenerationQuote>> QuoteAsync(GenerationRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        ThrowIfDisposed();
        if (request.Model.IsEmpty)
        {
            return new InvalidRequestError(RequestValidator.ValidateBasics(request)!.Errors, VendorName);
        }

        var resolved = await ResolveModelAsync(request, cancellationToken).ConfigureAwait(false);
        if (!resolved.TryGetValue(out var model))
        {
            // An unknown model is named first, then every other basic mistake, so one answer lists them all.
            return resolved.Error is InvalidRequestError unknown
                ? new InvalidRequestError([.. unknown.Errors, .. RequestValidator.ValidateBasics(request)?.Errors ?? []], VendorName)
                : resolved.Error!;
        }

        var prepared = await PrepareAsync(request, model, cancellationToken).ConfigureAwait(false);
        if (!prepared.TryGetValue(out var ready))
        {
            return prepared.Error!;
        }

        var capabilities = CapabilitiesOf(ready.Model);
        return new GenerationQuote
        {
            Provider = VendorName,
            Model = capabilities.Id,
            Capabilities = capabilities,
            Translation = ready.Translation.Report,
            Price = ready.Price,
            Request = request,
            IdempotencyKey = request.IdempotencyKey,
            Payload = new QuotePayload(this, new PreparedPayload<TModel, TPayload>(ready.Model, ready.Translation.Payload)),
        };
    }

    /// <inheritdoc/>
    public async Task<Result<GenerationJob>> SubmitAsync(GenerationQuote quote, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(quote);
        ThrowIfDisposed();
        if (quote.Payload is not { Value: PreparedPayload<TModel, TPayload> prepared } payload || !ReferenceEquals(payload.Issuer, this))
        {
            return QuotePayloads.ForeignQuote(quote, VendorName);
        }

        var key = string.IsNullOrWhiteSpace(quote.IdempotencyKey) ? IdempotencyKeys.NewKey() : quote.IdempotencyKey;
        Interlocked.Increment(ref _counters.Sent);
        var sent = await SendAsync(new VendorSubmission<TModel, TPayload>(quote, prepared.Model, prepared.Payload, key), cancellationToken).ConfigureAwait(false);

        // The job reports the quote that was sent (with its USD value when the router ranked it) unless the vendor code
        // returned a job it already had (a deduplicated resubmit), which keeps its own. Its handle names the request's
        // variant (resolution, duration), which the polling learner keys on.
        if (!sent.TryGetValue(out var job))
        {
            return sent;
        }

        var variant = PollingLearner.VariantOf(quote.Request);
        var handle = variant is not null && job.Handle.Variant is null ? job.Handle.WithVariant(variant) : job.Handle;
        return job.Quote is not null && job.Translation is not null && ReferenceEquals(handle, job.Handle)
            ? job
            : job with { Handle = handle, Quote = job.Quote ?? quote.Price, Translation = job.Translation ?? quote.Translation };
    }

    /// <inheritdoc/>
    public Task<Result<GenerationJob>> GetJobAsync(JobHandle handle, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(handle);
        ThrowIfDisposed();
        if (!string.Equals(handle.Provider, VendorName, StringComparison.OrdinalIgnoreCase))
        {
            return Task.FromResult<Result<GenerationJob>>(new InvalidRequestError(
                "Handle",
                $"'{handle}' belongs to provider '{handle.Provider}', not {VendorName}: poll it with that provider (or through the router).",
                VendorName));
        }

        return PollAsync(handle, cancellationToken);
    }

    /// <summary>
    /// Gets a service: <see cref="ProviderMetadata"/>, a copy of the options (when offered), the vendor client and other
    /// offered services, this generator (also as <see cref="IModelList"/>), then <see cref="GetVendorService"/>. A key other
    /// than this vendor's name answers null.
    /// </summary>
    /// <param name="serviceType">The type asked for.</param>
    /// <param name="serviceKey">Null, or this vendor's name.</param>
    /// <returns>The service, or null.</returns>
    public object? GetService(Type serviceType, object? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(serviceType);
        if (serviceKey is not null && !(serviceKey is string key && string.Equals(key, VendorName, StringComparison.OrdinalIgnoreCase)))
        {
            return null;
        }

        if (serviceType == typeof(ProviderMetadata))
        {
            return Metadata;
        }

        if (serviceType == typeof(Routing.ProviderModelMappings))
        {
            return CanonicalModels;
        }

        if (serviceType == typeof(PollingLearner))
        {
            return _pollingLearner;
        }

        if (serviceType.IsInstanceOfType(this))
        {
            return this;
        }

        if (_optionsType is not null && serviceType == _optionsType)
        {
            return _copyOptions!();
        }

        if (serviceType == typeof(PipelineCounters))
        {
            return _counters;
        }

        foreach (var service in _services)
        {
            if (serviceType.IsInstanceOfType(service))
            {
                return service;
            }
        }

        return GetVendorService(serviceType);
    }

    /// <inheritdoc/>
    ValueTask<IReadOnlyList<ModelCapabilities>> IModelList.GetModelsAsync(CancellationToken cancellationToken)
    {
        ThrowIfDisposed();
        return ListModelsAsync(cancellationToken);
    }

    /// <summary>Disposes what the generator owns (see <see cref="Own"/>); every later call throws <see cref="ObjectDisposedException"/>.</summary>
    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    /// <summary>Lists the models the vendor serves.</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The models' capabilities.</returns>
    protected abstract ValueTask<IReadOnlyList<ModelCapabilities>> ListModelsAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Finds the request's model in the vendor's catalog. An unknown model is an <see cref="InvalidRequestError"/> naming
    /// <c>Model</c> (and what the vendor serves); the base adds the request's other basic mistakes to it.
    /// </summary>
    /// <param name="request">The request (its model is not empty).</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The model, or why the request cannot go to it.</returns>
    protected abstract ValueTask<Result<TModel>> ResolveModelAsync(GenerationRequest request, CancellationToken cancellationToken);

    /// <summary>Gets a model's capabilities, as quoted and listed.</summary>
    /// <param name="model">The model.</param>
    /// <returns>Its capabilities.</returns>
    protected abstract ModelCapabilities CapabilitiesOf(TModel model);

    /// <summary>Gets the capabilities the request is validated against (by default the model's own).</summary>
    /// <param name="model">The model.</param>
    /// <param name="request">The request.</param>
    /// <returns>The capabilities to validate against.</returns>
    protected virtual ModelCapabilities ValidationCapabilities(TModel model, GenerationRequest request) => CapabilitiesOf(model);

    /// <summary>Checks the vendor's own rules on top of <see cref="RequestValidator"/>; every returned error is reported at once.</summary>
    /// <param name="request">The request.</param>
    /// <param name="model">The model.</param>
    /// <returns>The field errors (none by default).</returns>
    protected virtual IEnumerable<FieldError> ValidateVendorRules(GenerationRequest request, TModel model) => [];

    /// <summary>
    /// Translates a valid request into the vendor's payload, reporting what happened to every setting
    /// (<see cref="ProviderOptionsMerge"/> merges the request's provider options). No idempotency key goes in here: it
    /// is attached when the payload is sent (<see cref="VendorSubmission{TModel, TPayload}.IdempotencyKey"/>).
    /// </summary>
    /// <param name="request">The request.</param>
    /// <param name="model">The model.</param>
    /// <returns>The payload and the report.</returns>
    protected abstract VendorTranslation<TPayload> Translate(GenerationRequest request, TModel model);

    /// <summary>
    /// Prices the translated payload (an unknown price is <see cref="PriceQuote.Unknown"/>, never 0). A vendor whose
    /// catalog can supply a missing price live asks for it here (or already when resolving the model), for this same payload.
    /// </summary>
    /// <param name="request">The request.</param>
    /// <param name="model">The model.</param>
    /// <param name="payload">The translated payload.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The price.</returns>
    protected abstract ValueTask<PriceQuote> PriceAsync(GenerationRequest request, TModel model, TPayload payload, CancellationToken cancellationToken);

    /// <summary>
    /// Sends a quoted payload once, paying once: the vendor's submit with the key, and how it settles an ambiguous
    /// outcome. When the job has no <see cref="GenerationJob.Quote"/> or <see cref="GenerationJob.Translation"/>, the base
    /// sets the quote's.
    /// </summary>
    /// <param name="submission">The quote, its model and payload, and the idempotency key to send.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The accepted job, or the error.</returns>
    protected abstract Task<Result<GenerationJob>> SendAsync(VendorSubmission<TModel, TPayload> submission, CancellationToken cancellationToken);

    /// <summary>Polls a job of this vendor once (the base has checked the handle is this vendor's).</summary>
    /// <param name="handle">The job.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The job's state, or the error.</returns>
    protected abstract Task<Result<GenerationJob>> PollAsync(JobHandle handle, CancellationToken cancellationToken);

    /// <summary>Answers a service the standard ones do not cover (null by default).</summary>
    /// <param name="serviceType">The type asked for.</param>
    /// <returns>The service, or null.</returns>
    protected virtual object? GetVendorService(Type serviceType) => null;

    /// <summary>Offers a copy of the vendor's options through <see cref="GetService"/> (a fresh copy per call, so callers cannot change the generator's).</summary>
    /// <typeparam name="TOptions">The options type.</typeparam>
    /// <param name="options">The generator's options.</param>
    /// <param name="copy">Copies them.</param>
    protected void OfferOptions<TOptions>(TOptions options, Func<TOptions, TOptions> copy)
        where TOptions : class
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(copy);
        _optionsType = typeof(TOptions);
        _copyOptions = () => copy(options);
    }

    /// <summary>Offers a service (the vendor client, a rate limiter) through <see cref="GetService"/> by its type.</summary>
    /// <param name="service">The service.</param>
    protected void OfferService(object service)
    {
        ArgumentNullException.ThrowIfNull(service);
        _services.Add(service);
    }

    /// <summary>Takes ownership of a resource the vendor created (its <see cref="HttpClient"/>, a rate limiter): it is disposed with the generator.</summary>
    /// <typeparam name="T">The resource type.</typeparam>
    /// <param name="resource">The resource.</param>
    /// <returns>The resource.</returns>
    protected T Own<T>(T resource)
        where T : IDisposable
    {
        ArgumentNullException.ThrowIfNull(resource);
        lock (_owned)
        {
            _owned.Add(resource);
        }

        return resource;
    }

    /// <summary>Throws <see cref="ObjectDisposedException"/> once the generator was disposed.</summary>
    protected void ThrowIfDisposed() => ObjectDisposedException.ThrowIf(IsDisposed, this);

    /// <summary>Disposes the owned resources, newest first, once.</summary>
    /// <param name="disposing">Whether this is <see cref="Dispose()"/> (not a finalizer).</param>
    protected virtual void Dispose(bool disposing)
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0 || !disposing)
        {
            return;
        }

        IDisposable[] owned;
        lock (_owned)
        {
            owned = [.. _owned];
            _owned.Clear();
        }

        for (var i = owned.Length - 1; i >= 0; i--)
        {
            owned[i].Dispose();
        }
    }

    private async ValueTask<Result<Prepared>> PrepareAsync(GenerationRequest request, TModel model, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _counters.Validated);
        var errors = new List<FieldError>();
        if (RequestValidator.Validate(request, ValidationCapabilities(model, request), VendorName) is { } invalid)
        {
            errors.AddRange(invalid.Errors);
        }

        errors.AddRange(ValidateVendorRules(request, model));
        if (errors.Count > 0)
        {
            return new InvalidRequestError(errors, VendorName);
        }

        Interlocked.Increment(ref _counters.Translated);
        var translation = Translate(request, model);
        if (translation.Report.ToStrictError(request) is { } strict)
        {
            return strict;
        }

        Interlocked.Increment(ref _counters.Priced);
        var price = await PriceAsync(request, model, translation.Payload, cancellationToken).ConfigureAwait(false);
        return new Prepared(model, translation, price);
    }

    private sealed record Prepared(TModel Model, VendorTranslation<TPayload> Translation, PriceQuote Price);
}

/// <summary>What a vendor is, as data; the generator's <see cref="ProviderMetadata"/> is built from it.</summary>
public sealed record VendorDescriptor
{
    /// <summary>Gets the vendor name used in handles, errors and provider options (lower-cased).</summary>
    public required string Name { get; init; }

    /// <summary>Gets a display name.</summary>
    public string? DisplayName { get; init; }

    /// <summary>Gets the unit the vendor bills in; null means credits named after the vendor.</summary>
    public MoneyUnit? BillingUnit { get; init; }

    /// <summary>Gets whether the vendor deduplicates submits by idempotency key.</summary>
    public bool DedupesByIdempotencyKey { get; init; }

    /// <summary>Gets whether the vendor pushes job events to a webhook.</summary>
    public bool PushesWebhooks { get; init; }

    /// <summary>Gets the vendor's recommended status-poll interval; null keeps <see cref="ProviderMetadata"/>'s default.</summary>
    public TimeSpan? RecommendedPollInterval { get; init; }

    /// <summary>Gets the vendor's documented pacing (back-off, poll floor, shared budget); null states none.</summary>
    public VendorPacing? Pacing { get; init; }

    /// <summary>
    /// Gets the canonical-slug mappings this vendor contributes to a router's catalog (answered for
    /// <c>GetService(typeof(ProviderModelMappings))</c>), or null when it contributes none.
    /// </summary>
    public Routing.ProviderModelMappings? CanonicalModels { get; init; }

    /// <summary>Builds the metadata.</summary>
    /// <param name="endpoint">The base address, when it is an HTTP vendor.</param>
    /// <returns>The metadata.</returns>
    public ProviderMetadata ToMetadata(Uri? endpoint = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(Name);
        var name = Name.ToLowerInvariant();
        var metadata = new ProviderMetadata
        {
            Name = name,
            DisplayName = DisplayName,
            BillingUnit = BillingUnit ?? MoneyUnit.Credits(name),
            DedupesByIdempotencyKey = DedupesByIdempotencyKey,
            PushesWebhooks = PushesWebhooks,
            Endpoint = endpoint,
            Pacing = Pacing ?? VendorPacing.None,
        };
        return RecommendedPollInterval is { } interval ? metadata with { RecommendedPollInterval = interval } : metadata;
    }
}

/// <summary>A translated request: the vendor payload and what translation did with every setting.</summary>
/// <typeparam name="TPayload">The payload type.</typeparam>
/// <param name="Payload">The payload.</param>
/// <param name="Report">The translation report.</param>
public readonly record struct VendorTranslation<TPayload>(TPayload Payload, TranslationReport Report);

/// <summary>What <see cref="VendorGenerator{TModel, TPayload}"/> hands the vendor's send: the quote, its model and payload, and the key.</summary>
/// <typeparam name="TModel">The model type.</typeparam>
/// <typeparam name="TPayload">The payload type.</typeparam>
/// <param name="Quote">The quote being submitted.</param>
/// <param name="Model">The model it was prepared on.</param>
/// <param name="Payload">The prepared payload (send it as is; copy it before adding anything).</param>
/// <param name="IdempotencyKey">The idempotency key to send (the quote's, or one minted for this submit).</param>
public sealed record VendorSubmission<TModel, TPayload>(GenerationQuote Quote, TModel Model, TPayload Payload, string IdempotencyKey);

/// <summary>A prepared payload as a quote carries it (the payload is reachable without knowing the vendor's types).</summary>
internal interface IPreparedPayload
{
    object Payload { get; }
}

/// <summary>The model and payload a vendor generator prepared.</summary>
internal sealed record PreparedPayload<TModel, TPayload>(TModel Model, TPayload Payload) : IPreparedPayload
    where TModel : class
    where TPayload : class
{
    object IPreparedPayload.Payload => Payload;
}

/// <summary>How often each step of a vendor generator's pipeline ran (for tests that prove a request is prepared once).</summary>
internal sealed class PipelineCounters
{
    public int Validated;
    public int Translated;
    public int Priced;
    public int Sent;
}
