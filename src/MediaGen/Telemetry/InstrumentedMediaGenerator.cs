using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace MediaGen.Telemetry;

/// <summary>
/// Wraps a provider with spans (one per submit and poll), metrics of ended jobs, and <see cref="Log"/> messages: a
/// <see cref="DelegatingMediaGenerator"/>, so quoting, services and disposal pass through.
/// <see cref="MediaGenBuilder.AddProvider"/> applies it to every registered provider; outside DI use
/// <see cref="MediaGeneratorTelemetryExtensions.UseTelemetry"/> on a <see cref="MediaGeneratorBuilder"/> or
/// <see cref="MediaGeneratorTelemetryExtensions.WithTelemetry"/>.
/// </summary>
public sealed class InstrumentedMediaGenerator : DelegatingMediaGenerator
{
    private readonly ILogger _logger;
    private readonly MediaGenTelemetryOptions _options;

    /// <summary>Creates the wrapper.</summary>
    /// <param name="inner">The provider.</param>
    /// <param name="logger">The logger (none when null).</param>
    /// <param name="options">What to record.</param>
    public InstrumentedMediaGenerator(IMediaGenerator inner, ILogger? logger = null, MediaGenTelemetryOptions? options = null)
        : base(inner)
    {
        _logger = logger ?? NullLogger.Instance;
        _options = options ?? new MediaGenTelemetryOptions();
    }

    /// <inheritdoc/>
    public override async Task<Result<GenerationJob>> SubmitAsync(GenerationQuote quote, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(quote);
        var provider = quote.Provider;
        var request = quote.Request;
        using var activity = MediaGenTelemetry.ActivitySource.StartActivity($"submit {quote.Model}", ActivityKind.Client);
        if (activity is not null)
        {
            activity.SetTag(MediaGenTelemetry.OperationName, "generate_content");
            activity.SetTag(MediaGenTelemetry.ProviderName, provider);
            activity.SetTag(MediaGenTelemetry.RequestModel, quote.Model.Value);
            if (_options.EnableSensitiveData)
            {
                activity.SetTag(MediaGenTelemetry.Prompt, request.Prompt);
            }
        }

        if (_logger.IsEnabled(LogLevel.Debug))
        {
            Log.Submitting(_logger, provider, quote.Model.Value, quote.IdempotencyKey);
        }

        if (_options.EnableSensitiveData && _logger.IsEnabled(LogLevel.Trace))
        {
            Log.PromptSent(_logger, provider, request.Prompt);
        }

        var result = await InnerGenerator.SubmitAsync(quote, cancellationToken).ConfigureAwait(false);
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
    public override async Task<Result<GenerationJob>> GetJobAsync(JobHandle handle, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(handle);
        using var activity = MediaGenTelemetry.ActivitySource.StartActivity("poll", ActivityKind.Client);
        if (activity is not null)
        {
            activity.SetTag(MediaGenTelemetry.ProviderName, handle.Provider);
            activity.SetTag(MediaGenTelemetry.ResponseId, handle.VendorJobId);
            activity.SetTag(MediaGenTelemetry.RequestModel, handle.Model?.Value);
        }

        var result = await InnerGenerator.GetJobAsync(handle, cancellationToken).ConfigureAwait(false);
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
}

/// <summary>Adds instrumentation to a provider outside DI.</summary>
public static class MediaGeneratorTelemetryExtensions
{
    /// <summary>Wraps the provider with spans, metrics and logs.</summary>
    /// <param name="generator">The provider.</param>
    /// <param name="loggerFactory">The logger factory (none when null).</param>
    /// <param name="options">What to record.</param>
    /// <returns>The instrumented provider.</returns>
    public static IMediaGenerator WithTelemetry(this IMediaGenerator generator, ILoggerFactory? loggerFactory = null, MediaGenTelemetryOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(generator);
        return generator is InstrumentedMediaGenerator
            ? generator
            : new InstrumentedMediaGenerator(generator, loggerFactory?.CreateLogger("MediaGen." + generator.GetMetadata().Name), options);
    }

    /// <summary>Adds the telemetry layer (spans, metrics, logs) to a pipeline.</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="loggerFactory">The logger factory; when null, the one in the services the pipeline is built with (if any).</param>
    /// <param name="configure">Configures what is recorded.</param>
    /// <returns>The builder.</returns>
    public static MediaGeneratorBuilder UseTelemetry(this MediaGeneratorBuilder builder, ILoggerFactory? loggerFactory = null, Action<MediaGenTelemetryOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.Use((inner, services) =>
        {
            var options = new MediaGenTelemetryOptions();
            configure?.Invoke(options);
            return inner.WithTelemetry(loggerFactory ?? services.GetService(typeof(ILoggerFactory)) as ILoggerFactory, options);
        });
    }
}
