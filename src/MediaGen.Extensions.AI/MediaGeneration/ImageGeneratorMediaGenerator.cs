using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using MediaGen.Extensions.AI.Internal;
using MediaGen.Providers;
using Microsoft.Extensions.AI;

namespace MediaGen.Extensions.AI;

/// <summary>An MEAI <see cref="IImageGenerator"/> seen as a MediaGen provider: each submit runs the generation to completion.</summary>
internal sealed class ImageGeneratorMediaGenerator : VendorGenerator<ModelCapabilities, TranslatedImageRequest>
{
    private readonly IImageGenerator _inner;
    private readonly string _provider;
    private readonly IReadOnlyList<ModelCapabilities> _models;
    private readonly ImageGeneratorProviderOptions _options;
    private readonly TimeProvider _time;
    private readonly ConcurrentDictionary<string, GenerationJob> _jobs = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, GenerationJob> _byKey = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<GenerationJob> _order = new();

    public ImageGeneratorMediaGenerator(IImageGenerator inner, string providerName, IReadOnlyList<ModelCapabilities> models, ImageGeneratorProviderOptions? options)
        : this(inner, options?.Copy() ?? new ImageGeneratorProviderOptions(), providerName, models)
    {
    }

    private ImageGeneratorMediaGenerator(IImageGenerator inner, ImageGeneratorProviderOptions options, string providerName, IReadOnlyList<ModelCapabilities> models)
        : base(Describe(inner, providerName, options), (inner.GetService(typeof(ImageGeneratorMetadata)) as ImageGeneratorMetadata)?.ProviderUri)
    {
        _inner = inner;
        _options = options;
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(_options.MaxRetainedJobs, "options.MaxRetainedJobs");
        _provider = VendorName;
        _models = models;
        _time = _options.TimeProvider ?? TimeProvider.System;
    }

    protected override ValueTask<IReadOnlyList<ModelCapabilities>> ListModelsAsync(CancellationToken cancellationToken) =>
        ValueTask.FromResult(_models);

    protected override ValueTask<Result<ModelCapabilities>> ResolveModelAsync(GenerationRequest request, CancellationToken cancellationToken)
    {
        foreach (var candidate in _models)
        {
            if (candidate.Id == request.Model)
            {
                return ValueTask.FromResult<Result<ModelCapabilities>>(candidate);
            }
        }

        return ValueTask.FromResult<Result<ModelCapabilities>>(new InvalidRequestError(
            nameof(GenerationRequest.Model),
            $"{_provider} does not serve '{request.Model}'; it serves {string.Join(", ", _models.Select(m => m.Id.Value))}.",
            _provider));
    }

    protected override ModelCapabilities CapabilitiesOf(ModelCapabilities model) => model;

    protected override VendorTranslation<TranslatedImageRequest> Translate(GenerationRequest request, ModelCapabilities model)
    {
        var translated = MediaRequestMapper.Translate(request, model, _provider, _options);
        return new(translated, translated.Report);
    }

    protected override ValueTask<PriceQuote> PriceAsync(GenerationRequest request, ModelCapabilities model, TranslatedImageRequest payload, CancellationToken cancellationToken) =>
        ValueTask.FromResult(_options.Price?.Invoke(request, model)
            ?? PriceQuote.Unknown($"{_provider} is an MEAI image generator, which reports no prices; configure {nameof(ImageGeneratorProviderOptions)}.{nameof(ImageGeneratorProviderOptions.Price)}"));

    protected override async Task<Result<GenerationJob>> SendAsync(VendorSubmission<ModelCapabilities, TranslatedImageRequest> submission, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var key = submission.IdempotencyKey;
        var ready = submission.Payload;

        // A resubmission of a request this process already ran returns the same job instead of paying again.
        if (_byKey.TryGetValue(key, out var existing))
        {
            return existing;
        }

        var submittedAt = _time.GetUtcNow();
        ImageGenerationResponse response;
        try
        {
            response = await _inner.GenerateAsync(ready.Request, ready.OptionsWithKey(key), cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception ex) when (Classify(ex, key) is { } error)
        {
            return error;
        }

        var handle = new JobHandle(_provider, Guid.NewGuid().ToString("N"))
        {
            Model = submission.Quote.Model,
            IdempotencyKey = key,
            SubmittedAt = submittedAt,
            Kind = MediaKind.Image,
        };
        var (outputs, skipped) = await ToOutputsAsync(response, cancellationToken).ConfigureAwait(false);
        var job = new GenerationJob
        {
            Handle = handle,
            Status = outputs.Count > 0 ? GenerationStatus.Succeeded : GenerationStatus.Failed,
            Progress = outputs.Count > 0 ? 100 : null,
            Outputs = outputs,
            Quote = submission.Quote.Price,
            Translation = submission.Quote.Translation,
            Failure = outputs.Count > 0
                ? null
                : new JobFailure(FailureReason.ProviderError, $"{_provider} returned no image{(skipped.Count > 0 ? $" MediaGen can use (got {string.Join(", ", skipped)}; MediaGen needs UriContent or DataContent)" : string.Empty)}."),
            CompletedAt = _time.GetUtcNow(),
            RawRepresentation = response,
        };
        Retain(job);
        return job;
    }

    protected override Task<Result<GenerationJob>> PollAsync(JobHandle handle, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (_jobs.TryGetValue(handle.VendorJobId, out var job))
        {
            return Task.FromResult<Result<GenerationJob>>(job);
        }

        return Task.FromResult<Result<GenerationJob>>(new NotFoundError(
            $"{_provider} has no job '{handle.VendorJobId}': jobs of an MEAI image generator live in this process's memory only (the newest {_options.MaxRetainedJobs.ToString(CultureInfo.InvariantCulture)}).",
            _provider));
    }

    /// <summary>The MEAI generator and what it offers (the provider does not own or dispose it).</summary>
    protected override object? GetVendorService(Type serviceType) =>
        serviceType.IsInstanceOfType(_inner) ? _inner : _inner.GetService(serviceType);

    private static VendorDescriptor Describe(IImageGenerator inner, string providerName, ImageGeneratorProviderOptions options) => new()
    {
        Name = new JobHandle(providerName, "probe").Provider, // the same normalization (and checks) as every handle
        DisplayName = options.DisplayName ?? (inner.GetService(typeof(ImageGeneratorMetadata)) as ImageGeneratorMetadata)?.ProviderName,
        BillingUnit = options.BillingUnit,
    };

    private async Task<(List<GenerationOutput> Outputs, List<string> Skipped)> ToOutputsAsync(ImageGenerationResponse response, CancellationToken cancellationToken)
    {
        var outputs = new List<GenerationOutput>();
        var skipped = new List<string>();
        foreach (var content in response.Contents)
        {
            switch (content)
            {
                case UriContent uri:
                    outputs.Add(new GenerationOutput(uri.Uri, KindOf(uri.MediaType), uri.MediaType));
                    break;
                case DataContent data:
                    var url = _options.StoreData is { } store
                        ? await store(data, cancellationToken).ConfigureAwait(false)
                        : new Uri(data.Uri);
                    outputs.Add(new GenerationOutput(url, KindOf(data.MediaType), data.MediaType));
                    break;
                default:
                    skipped.Add(content.GetType().Name);
                    break;
            }
        }

        return (outputs, skipped);
    }

    private void Retain(GenerationJob job)
    {
        _jobs[job.Handle.VendorJobId] = job;
        if (job.Status == GenerationStatus.Succeeded && job.Handle.IdempotencyKey is { } key)
        {
            _byKey[key] = job;
        }

        _order.Enqueue(job);
        while (_order.Count > _options.MaxRetainedJobs && _order.TryDequeue(out var old))
        {
            _jobs.TryRemove(old.Handle.VendorJobId, out _);
            if (old.Handle.IdempotencyKey is { } oldKey)
            {
                _byKey.TryRemove(new KeyValuePair<string, GenerationJob>(oldKey, old));
            }
        }
    }

    // Classifies what the MEAI generator threw; null lets unexpected exceptions (bugs) propagate.
    private MediaGenError? Classify(Exception exception, string key)
    {
        var vendorText = exception.Message;
        switch (exception)
        {
            case MediaGenException mediaGen:
                return mediaGen.Error; // a MediaGen-backed generator on the other side: keep its typed error
            case HttpRequestException { StatusCode: { } status } http:
                return FromStatus(status, http, key);
            case HttpRequestException { HttpRequestError: HttpRequestError.NameResolutionError or HttpRequestError.ConnectionError or HttpRequestError.SecureConnectionError }:
                return new ProviderUnavailableError($"{_provider} could not be reached: {vendorText}", _provider) { VendorMessage = vendorText };
            case HttpRequestException or TimeoutException or OperationCanceledException:
                return new OutcomeUnknownError(
                    $"{_provider} failed mid-call ({exception.GetType().Name}: {vendorText}); the image may have been generated and billed. Do not resubmit with a new key: resubmit only with idempotency key {key}.",
                    _provider,
                    key)
                { VendorMessage = vendorText };
            case ArgumentException or NotSupportedException:
                return new InvalidRequestError("request", $"the MEAI generator refused it: {vendorText}", _provider) { VendorMessage = vendorText };
            default:
                return null;
        }
    }

    private MediaGenError FromStatus(HttpStatusCode status, HttpRequestException exception, string key)
    {
        var code = (int)status;
        var text = exception.Message;
        var described = string.Create(CultureInfo.InvariantCulture, $"{_provider} answered HTTP {code}: {text}");
        MediaGenError error = code switch
        {
            401 or 403 => new UnauthorizedError(described, _provider),
            402 => new InsufficientFundsError(described, _provider),
            404 => new NotFoundError(described, _provider),
            408 or 503 => new ProviderUnavailableError(described, _provider),
            429 => new RateLimitedError(described, _provider),
            >= 400 and < 500 => new InvalidRequestError("request", described, _provider),
            _ => new OutcomeUnknownError($"{described}; the image may have been generated and billed. Do not resubmit with a new key: resubmit only with idempotency key {key}.", _provider, key),
        };
        return error with { StatusCode = code, VendorMessage = text };
    }

    private static MediaKind KindOf(string? mediaType) => mediaType switch
    {
        not null when mediaType.StartsWith("video/", StringComparison.OrdinalIgnoreCase) => MediaKind.Video,
        not null when mediaType.StartsWith("audio/", StringComparison.OrdinalIgnoreCase) => MediaKind.Audio,
        _ => MediaKind.Image,
    };

    public override string ToString() => $"ImageGeneratorMediaGenerator({_provider})";
}
