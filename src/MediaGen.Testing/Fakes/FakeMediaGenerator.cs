using System.Collections.Concurrent;
using MediaGen.Providers;
using MediaGen.Routing;

namespace MediaGen.Testing;

/// <summary>
/// A scriptable in-memory <see cref="IMediaGenerator"/> for contract-level tests: models and prices as data,
/// scripted submit errors, scripted job lifecycles (by polls), scripted poll errors, and counters of what was
/// called. It runs the same pipeline as the real providers (<see cref="VendorGenerator{TModel, TPayload}"/>:
/// <see cref="RequestValidator"/>, strict mode, quote then submit the quote); its payload is a copy of the request.
/// </summary>
public sealed class FakeMediaGenerator : VendorGenerator<ModelCapabilities, GenerationRequest>
{
    private readonly ConcurrentQueue<MediaGenError> _submitErrors = new();
    private readonly ConcurrentQueue<MediaGenError> _pollErrors = new();
    private readonly ConcurrentQueue<Func<FakeJobScript>> _nextScripts = new();
    private readonly ConcurrentDictionary<string, FakeJob> _jobs = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, FakeJob> _byKey = new(StringComparer.Ordinal);
    private readonly List<ModelCapabilities> _models = [];
    private readonly Dictionary<ModelId, Money> _prices = [];
    private readonly List<CanonicalModelMapping> _canonical = [];
    private int _submitCount;
    private int _pollCount;
    private int _sequence;

    /// <summary>Creates a fake provider.</summary>
    /// <param name="name">The provider name used in handles.</param>
    /// <param name="billingUnit">The billing unit (default: this provider's credits).</param>
    /// <param name="timeProvider">The clock for submission times.</param>
    public FakeMediaGenerator(string name = "fake", MoneyUnit? billingUnit = null, TimeProvider? timeProvider = null)
        : base(new VendorDescriptor { Name = name, BillingUnit = billingUnit })
    {
        Name = VendorName;
        BillingUnit = billingUnit ?? MoneyUnit.Credits(Name);
        TimeProvider = timeProvider ?? TimeProvider.System;
    }

    /// <summary>Gets the provider name.</summary>
    public string Name { get; }

    /// <summary>Gets the billing unit.</summary>
    public MoneyUnit BillingUnit { get; }

    /// <summary>Gets the clock.</summary>
    public TimeProvider TimeProvider { get; }

    /// <summary>Gets or sets whether the fake dedupes submits by idempotency key (same key → same job, one charge).</summary>
    public bool DedupesByIdempotencyKey { get; set; } = true;

    /// <summary>Gets or sets whether the fake claims to push webhooks.</summary>
    public bool PushesWebhooks { get; set; }

    /// <summary>Gets or sets the recommended poll interval.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(3);

    /// <summary>Gets or sets the script every accepted job follows unless one is enqueued.</summary>
    public Func<FakeJobScript> DefaultScript { get; set; } = () => FakeJobScript.SucceedAfterPolls(2);

    /// <inheritdoc/>
    protected override ProviderMetadata Metadata => new()
    {
        Name = Name,
        BillingUnit = BillingUnit,
        DedupesByIdempotencyKey = DedupesByIdempotencyKey,
        PushesWebhooks = PushesWebhooks,
        RecommendedPollInterval = PollInterval,
    };

    /// <summary>Gets how many quotes were submitted (including ones refused with a scripted error).</summary>
    public int SubmitCount => Volatile.Read(ref _submitCount);

    /// <summary>Gets how many status polls were made.</summary>
    public int PollCount => Volatile.Read(ref _pollCount);

    /// <summary>Gets the jobs accepted (each one charged once).</summary>
    public IReadOnlyCollection<FakeJob> AcceptedJobs => _jobs.Values.ToList();

    /// <summary>Adds a model, optionally with a flat price in the billing unit.</summary>
    /// <param name="capabilities">The model.</param>
    /// <param name="price">Its price, or null for an unknown price.</param>
    /// <returns>This fake.</returns>
    public FakeMediaGenerator AddModel(ModelCapabilities capabilities, decimal? price = null)
    {
        ArgumentNullException.ThrowIfNull(capabilities);
        lock (_models)
        {
            _models.Add(capabilities);
            if (price is { } p)
            {
                _prices[capabilities.Id] = new Money(p, BillingUnit);
            }
        }

        return this;
    }

    /// <summary>
    /// Contributes a canonical-slug mapping, as a real provider does from its catalog: a router built over this fake
    /// afterwards routes <paramref name="canonical"/> here as <paramref name="vendorModel"/>.
    /// </summary>
    /// <param name="canonical">The canonical slug.</param>
    /// <param name="vendorModel">This fake's model id for it.</param>
    /// <param name="tier">The tier the slug stands for, or null for any tier.</param>
    /// <param name="isDefaultForNoTier">Whether the tiered slug also serves requests that give no tier.</param>
    /// <returns>This fake.</returns>
    public FakeMediaGenerator MapCanonical(ModelId canonical, ModelId vendorModel, GenerationTier? tier = null, bool isDefaultForNoTier = false)
    {
        lock (_models)
        {
            _canonical.Add(new(canonical, vendorModel, $"test fake {Name} maps {canonical} to {vendorModel}", tier) { IsDefaultForNoTier = isDefaultForNoTier });
        }

        return this;
    }

    /// <summary>Makes the next submit fail with an error (queued; each used once).</summary>
    /// <param name="error">The error.</param>
    /// <returns>This fake.</returns>
    public FakeMediaGenerator FailNextSubmit(MediaGenError error)
    {
        _submitErrors.Enqueue(error);
        return this;
    }

    /// <summary>Makes the next poll fail with an error (queued; each used once).</summary>
    /// <param name="error">The error.</param>
    /// <returns>This fake.</returns>
    public FakeMediaGenerator FailNextPoll(MediaGenError error)
    {
        _pollErrors.Enqueue(error);
        return this;
    }

    /// <summary>Makes the next accepted job follow a script.</summary>
    /// <param name="script">The script.</param>
    /// <returns>This fake.</returns>
    public FakeMediaGenerator EnqueueScript(FakeJobScript script)
    {
        _nextScripts.Enqueue(() => script);
        return this;
    }

    /// <summary>Gets an accepted job by vendor id.</summary>
    /// <param name="vendorJobId">The id.</param>
    /// <returns>The job.</returns>
    public FakeJob GetJob(string vendorJobId) => _jobs[vendorJobId];

    /// <inheritdoc/>
    protected override ValueTask<IReadOnlyList<ModelCapabilities>> ListModelsAsync(CancellationToken cancellationToken)
    {
        lock (_models)
        {
            return ValueTask.FromResult<IReadOnlyList<ModelCapabilities>>(_models.ToList());
        }
    }

    /// <inheritdoc/>
    protected override ValueTask<Result<ModelCapabilities>> ResolveModelAsync(GenerationRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        lock (_models)
        {
            var model = _models.Find(m => m.Id == request.Model);
            return ValueTask.FromResult<Result<ModelCapabilities>>(model is null
                ? new InvalidRequestError("Model", $"{Name} does not serve '{request.Model}'.", Name)
                : model);
        }
    }

    /// <inheritdoc/>
    protected override ModelCapabilities CapabilitiesOf(ModelCapabilities model) => model;

    /// <inheritdoc/>
    protected override VendorTranslation<GenerationRequest> Translate(GenerationRequest request, ModelCapabilities model)
    {
        ArgumentNullException.ThrowIfNull(request);
        return new(request.Clone(), new TranslationReport(Name).Applied("Prompt", request.Prompt));
    }

    /// <inheritdoc/>
    protected override ValueTask<PriceQuote> PriceAsync(GenerationRequest request, ModelCapabilities model, GenerationRequest payload, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(model);
        lock (_models)
        {
            return ValueTask.FromResult(_prices.TryGetValue(model.Id, out var p)
                ? PriceCalculator.PerImage(p, request.Count ?? 1, new PriceProvenance(PriceSource.Snapshot, null, "fake"))
                : PriceQuote.Unknown($"{Name} has no price for {model.Id}"));
        }
    }

    /// <inheritdoc/>
    protected override Task<Result<GenerationJob>> SendAsync(VendorSubmission<ModelCapabilities, GenerationRequest> submission, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(submission);
        cancellationToken.ThrowIfCancellationRequested();
        Interlocked.Increment(ref _submitCount);
        if (_submitErrors.TryDequeue(out var error))
        {
            return Task.FromResult<Result<GenerationJob>>(error);
        }

        var quote = submission.Quote;
        var key = submission.IdempotencyKey;
        if (DedupesByIdempotencyKey && _byKey.TryGetValue(key, out var existing))
        {
            return Task.FromResult<Result<GenerationJob>>(existing.Snapshot(quote));
        }

        var id = $"{Name}-job-{Interlocked.Increment(ref _sequence)}";
        var handle = new JobHandle(Name, id)
        {
            Model = quote.Model,
            IdempotencyKey = key,
            SubmittedAt = TimeProvider.GetUtcNow(),
            Kind = quote.Capabilities.Kind,
        };
        var script = _nextScripts.TryDequeue(out var next) ? next() : DefaultScript();
        var sent = submission.Payload.Clone();
        sent.IdempotencyKey = key;
        var job = new FakeJob(handle, sent, script, quote.Price.Amount, quote.Capabilities.Kind);
        _jobs[id] = job;
        _byKey[key] = job;
        return Task.FromResult<Result<GenerationJob>>(job.Snapshot(quote));
    }

    /// <inheritdoc/>
    protected override Task<Result<GenerationJob>> PollAsync(JobHandle handle, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(handle);
        cancellationToken.ThrowIfCancellationRequested();
        Interlocked.Increment(ref _pollCount);
        if (_pollErrors.TryDequeue(out var error))
        {
            return Task.FromResult<Result<GenerationJob>>(error);
        }

        if (!_jobs.TryGetValue(handle.VendorJobId, out var job))
        {
            return Task.FromResult<Result<GenerationJob>>(new NotFoundError($"{Name} has no job '{handle.VendorJobId}'.", Name));
        }

        job.Advance();
        return Task.FromResult<Result<GenerationJob>>(job.Snapshot(null));
    }

    /// <inheritdoc/>
    protected override ProviderModelMappings? CanonicalModels
    {
        get
        {
            lock (_models)
            {
                return _canonical.Count == 0 ? null : new ProviderModelMappings(_canonical);
            }
        }
    }
}
