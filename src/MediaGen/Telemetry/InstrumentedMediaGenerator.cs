using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace MediaGen.Telemetry;

/// <summary>
/// Wraps a provider with spans (one per submit and poll), metrics of ended jobs, and <see cref="Log"/> messages.
/// <see cref="MediaGenBuilder.AddProvider"/> applies it to every registered provider; use
/// <see cref="MediaGeneratorTelemetryExtensions.WithTelemetry"/> outside DI.
/// </summary>
public sealed class InstrumentedMediaGenerator : IMediaGenerator
{
    private readonly IMediaGenerator _inner;
    private readonly ILogger _logger;
    private readonly MediaGenTelemetryOptions _options;

    /// <summary>Creates the wrapper.</summary>
    /// <param name="inner">The provider.</param>
    /// <param name="logger">The logger (none when null).</param>
    /// <param name="options">What to record.</param>
    /// <param name="timeProvider">The clock for durations.</param>
    public InstrumentedMediaGenerator(IMediaGenerator inner, ILogger? logger = null, MediaGenTelemetryOptions? options = null, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(inner);
        _inner = inner;
        _logger = logger ?? NullLogger.Instance;
        _options = options ?? new MediaGenTelemetryOptions();
        _ = timeProvider;
    }

    /// <inheritdoc/>
    public ProviderMetadata Metadata => _inner.Metadata;

    /// <inheritdoc/>
    public ValueTask<IReadOnlyList<ModelCapabilities>> GetModelsAsync(CancellationToken cancellationToken = default) => _inner.GetModelsAsync(cancellationToken);

    /// <inheritdoc/>
    public ValueTask<Result<GenerationQuote>> QuoteAsync(GenerationRequest request, CancellationToken cancellationToken = default) => _inner.QuoteAsync(request, cancellationToken);

    /// <inheritdoc/>
    public async Task<Result<GenerationJob>> SubmitAsync(GenerationRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var provider = _inner.Metadata.Name;
        using var activity = MediaGenTelemetry.ActivitySource.StartActivity($"submit {request.Model}", ActivityKind.Client);
        if (activity is not null)
        {
            activity.SetTag(MediaGenTelemetry.OperationName, "generate_content");
            activity.SetTag(MediaGenTelemetry.ProviderName, provider);
            activity.SetTag(MediaGenTelemetry.RequestModel, request.Model.Value);
            if (_options.EnableSensitiveData)
            {
                activity.SetTag(MediaGenTelemetry.Prompt, request.Prompt);
            }
        }

        if (_logger.IsEnabled(LogLevel.Debug))
        {
            Log.Submitting(_logger, provider, request.Model.Value, request.IdempotencyKey);
        }

        if (_options.EnableSensitiveData && _logger.IsEnabled(LogLevel.Trace))
        {
            Log.PromptSent(_logger, provider, request.Prompt);
        }

        var result = await _inner.SubmitAsync(request, cancellationToken).ConfigureAwait(false);
        if (result.TryGetValue(out var job))
        {
            activity?.SetTag(MediaGenTelemetry.ResponseId, job.Handle.VendorJobId);
            activity?.SetTag(MediaGenTelemetry.Outcome, "accepted");
            if (_logger.IsEnabled(LogLevel.Debug))
            {
                Log.SubmitAccepted(_logger, provider, job.Handle, job.Status);
            }

        }
        else
        {
            var error = result.Error;
            activity?.SetTag(MediaGenTelemetry.ErrorType, error.Kind.ToString());
            activity?.SetTag(MediaGenTelemetry.Outcome, "failed");
            activity?.SetStatus(ActivityStatusCode.Error, error.Kind.ToString());
            if (_logger.IsEnabled(LogLevel.Debug))
            {
                Log.SubmitFailed(_logger, provider, error.Kind, error.RejectedBeforeBilling, error.Message);
            }

        }

        return result;
    }

    /// <inheritdoc/>
    public async Task<Result<GenerationJob>> GetJobAsync(JobHandle handle, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(handle);
        using var activity = MediaGenTelemetry.ActivitySource.StartActivity("poll", ActivityKind.Client);
        if (activity is not null)
        {
            activity.SetTag(MediaGenTelemetry.ProviderName, handle.Provider);
            activity.SetTag(MediaGenTelemetry.ResponseId, handle.VendorJobId);
            activity.SetTag(MediaGenTelemetry.RequestModel, handle.Model?.Value);
        }

        var result = await _inner.GetJobAsync(handle, cancellationToken).ConfigureAwait(false);
        if (result.TryGetValue(out var job))
        {
            activity?.SetTag(MediaGenTelemetry.Outcome, job.Status.ToString().ToLowerInvariant());
            if (_logger.IsEnabled(LogLevel.Debug))
            {
                Log.Polled(_logger, handle, job.Status, job.Progress);
            }

            if (_options.EnableSensitiveData && _logger.IsEnabled(LogLevel.Trace))
            {
                for (var i = 0; i < job.Outputs.Count; i++)
                {
                    Log.OutputReady(_logger, handle, i, job.Outputs[i].Url);
                }
            }
        }
        else
        {
            var error = result.Error;
            activity?.SetTag(MediaGenTelemetry.ErrorType, error.Kind.ToString());
            activity?.SetStatus(ActivityStatusCode.Error, error.Kind.ToString());
            if (_logger.IsEnabled(LogLevel.Debug))
            {
                Log.PollFailed(_logger, handle, error.Kind, error.Message);
            }

        }

        return result;
    }

    /// <inheritdoc/>
    public object? GetService(Type serviceType, object? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(serviceType);
        return serviceKey is null && serviceType.IsInstanceOfType(this) ? this : _inner.GetService(serviceType, serviceKey);
    }
}

/// <summary>Adds instrumentation to a provider outside DI.</summary>
public static class MediaGeneratorTelemetryExtensions
{
    /// <summary>Wraps the provider with spans, metrics and logs.</summary>
    /// <param name="generator">The provider.</param>
    /// <param name="loggerFactory">The logger factory (none when null).</param>
    /// <param name="options">What to record.</param>
    /// <param name="timeProvider">The clock.</param>
    /// <returns>The instrumented provider.</returns>
    public static IMediaGenerator WithTelemetry(this IMediaGenerator generator, ILoggerFactory? loggerFactory = null, MediaGenTelemetryOptions? options = null, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(generator);
        return generator is InstrumentedMediaGenerator
            ? generator
            : new InstrumentedMediaGenerator(generator, loggerFactory?.CreateLogger("MediaGen." + generator.Metadata.Name), options, timeProvider);
    }
}
