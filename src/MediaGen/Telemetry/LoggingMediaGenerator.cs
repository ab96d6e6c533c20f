using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace MediaGen.Telemetry;

/// <summary>
/// The logging layer, as Microsoft.Extensions.AI's <c>LoggingImageGenerator</c>: logs the start, the end and the failure
/// of every quote, submit and poll with source-generated messages and stable event ids (<c>1001</c>-<c>1013</c>, see
/// docs/observability.md). Lifecycle events are Debug, an exception escaping a call is Error, and the prompt and output
/// URLs are logged only at Trace and only when <see cref="MediaGenTelemetryOptions.EnableSensitiveData"/> is set. API
/// keys are never logged: the layer reads only the request's model and prompt, the quote's price, the handle and the
/// error. When the level is off, a call costs one <see cref="ILogger.IsEnabled"/> check and goes straight to the inner
/// generator. A <see cref="DelegatingMediaGenerator"/>: services and disposal pass through. Add it with
/// <see cref="MediaGeneratorLoggingExtensions.UseLogging"/>; <c>services.AddMediaGen()</c> adds it to every provider.
/// </summary>
public sealed class LoggingMediaGenerator : DelegatingMediaGenerator
{
    private readonly ILogger _logger;
    private readonly string _name;
    private readonly bool _sensitive;

    /// <summary>Creates the layer.</summary>
    /// <param name="innerGenerator">The provider (or router).</param>
    /// <param name="logger">The logger (none when null).</param>
    /// <param name="options">Whether prompts and output URLs may be logged (at Trace).</param>
    public LoggingMediaGenerator(IMediaGenerator innerGenerator, ILogger? logger, MediaGenTelemetryOptions? options = null)
        : base(innerGenerator)
    {
        _logger = logger ?? NullLogger.Instance;
        _name = NameOf(innerGenerator);
        _sensitive = options?.EnableSensitiveData ?? false;
    }

    /// <summary>Gets the category the layer logs under for a generator: <c>MediaGen.{provider name}</c>.</summary>
    /// <param name="generator">The provider or router.</param>
    /// <returns>The category.</returns>
    internal static string CategoryOf(IMediaGenerator generator) => "MediaGen." + NameOf(generator);

    /// <inheritdoc/>
    public override ValueTask<Result<GenerationQuote>> QuoteAsync(GenerationRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        return _logger.IsEnabled(LogLevel.Error) ? QuoteLoggedAsync(request, cancellationToken) : InnerGenerator.QuoteAsync(request, cancellationToken);
    }

    /// <inheritdoc/>
    public override Task<Result<GenerationJob>> SubmitAsync(GenerationQuote quote, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(quote);
        return _logger.IsEnabled(LogLevel.Error) ? SubmitLoggedAsync(quote, cancellationToken) : InnerGenerator.SubmitAsync(quote, cancellationToken);
    }

    /// <inheritdoc/>
    public override Task<Result<GenerationJob>> GetJobAsync(JobHandle handle, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(handle);
        return _logger.IsEnabled(LogLevel.Error) ? GetJobLoggedAsync(handle, cancellationToken) : InnerGenerator.GetJobAsync(handle, cancellationToken);
    }

    private async ValueTask<Result<GenerationQuote>> QuoteLoggedAsync(GenerationRequest request, CancellationToken cancellationToken)
    {
        var debug = _logger.IsEnabled(LogLevel.Debug);
        var model = request.Model.Value;
        if (debug)
        {
            Log.Quoting(_logger, _name, model);
        }

        Result<GenerationQuote> result;
        try
        {
            result = await InnerGenerator.QuoteAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            Threw(debug, "quote", _name, ex);
            throw;
        }

        if (debug)
        {
            if (result.TryGetValue(out var quote))
            {
                Log.Quoted(_logger, quote.Provider, quote.Model.Value, quote.Price);
            }
            else
            {
                Log.QuoteFailed(_logger, result.Error.Provider ?? _name, model, result.Error.Kind, result.Error.Message);
            }
        }

        return result;
    }

    private async Task<Result<GenerationJob>> SubmitLoggedAsync(GenerationQuote quote, CancellationToken cancellationToken)
    {
        var debug = _logger.IsEnabled(LogLevel.Debug);
        var provider = quote.Provider;
        if (debug)
        {
            Log.Submitting(_logger, provider, quote.Model.Value, quote.IdempotencyKey);
            if (_sensitive && _logger.IsEnabled(LogLevel.Trace))
            {
                Log.PromptSent(_logger, provider, quote.Request.Prompt);
            }
        }

        Result<GenerationJob> result;
        try
        {
            result = await InnerGenerator.SubmitAsync(quote, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            Threw(debug, "submit", provider, ex);
            throw;
        }

        if (debug)
        {
            if (result.TryGetValue(out var job))
            {
                Log.SubmitAccepted(_logger, provider, job.Handle, job.Status);
                LogOutputs(job);
            }
            else
            {
                var error = result.Error;
                Log.SubmitFailed(_logger, provider, error.Kind, error.RejectedBeforeBilling, error.Message);
            }
        }

        return result;
    }

    private async Task<Result<GenerationJob>> GetJobLoggedAsync(JobHandle handle, CancellationToken cancellationToken)
    {
        var debug = _logger.IsEnabled(LogLevel.Debug);
        if (debug)
        {
            Log.Polling(_logger, handle);
        }

        Result<GenerationJob> result;
        try
        {
            result = await InnerGenerator.GetJobAsync(handle, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            Threw(debug, "poll", handle.Provider, ex);
            throw;
        }

        if (debug)
        {
            if (result.TryGetValue(out var job))
            {
                Log.Polled(_logger, handle, job.Status, job.Progress);
                LogOutputs(job);
            }
            else
            {
                Log.PollFailed(_logger, handle, result.Error.Kind, result.Error.Message);
            }
        }

        return result;
    }

    private void LogOutputs(GenerationJob job)
    {
        if (_sensitive && job.Outputs.Count > 0 && _logger.IsEnabled(LogLevel.Trace))
        {
            for (var i = 0; i < job.Outputs.Count; i++)
            {
                Log.OutputReady(_logger, job.Handle, i, job.Outputs[i].Url);
            }
        }
    }

    private void Threw(bool debug, string operation, string provider, Exception exception)
    {
        if (exception is OperationCanceledException)
        {
            if (debug)
            {
                Log.Canceled(_logger, operation, provider);
            }
        }
        else
        {
            Log.Threw(_logger, operation, provider, exception);
        }
    }

    private static string NameOf(IMediaGenerator generator) =>
        generator.GetService(typeof(ProviderMetadata)) is ProviderMetadata metadata ? metadata.Name : generator.GetType().Name;
}

/// <summary>Adds the logging layer to a pipeline.</summary>
public static class MediaGeneratorLoggingExtensions
{
    /// <summary>
    /// Adds the logging layer (<see cref="LoggingMediaGenerator"/>) to a pipeline, logging under <c>MediaGen.{provider}</c>.
    /// With no logger factory given or in the services, no layer is added; a logging layer already in the pipeline is
    /// not added twice. The provider's <see cref="PollingLearner"/>, when it has no logger, logs under <c>MediaGen.Polling</c>.
    /// </summary>
    /// <param name="builder">The builder.</param>
    /// <param name="loggerFactory">The logger factory; when null, the services' <see cref="ILoggerFactory"/> (if any).</param>
    /// <param name="configure">Configures whether prompts and output URLs may be logged (at Trace only).</param>
    /// <returns>The builder.</returns>
    public static MediaGeneratorBuilder UseLogging(this MediaGeneratorBuilder builder, ILoggerFactory? loggerFactory = null, Action<MediaGenTelemetryOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.Use((inner, services) =>
        {
            var factory = loggerFactory ?? services.GetService(typeof(ILoggerFactory)) as ILoggerFactory;
            if (factory is null || factory is NullLoggerFactory || inner.GetService(typeof(LoggingMediaGenerator)) is not null)
            {
                return inner;
            }

            var options = new MediaGenTelemetryOptions();
            configure?.Invoke(options);

            // The provider's polling learner logs its store failures under the same factory.
            if (inner.GetService(typeof(PollingLearner)) is PollingLearner { Logger: null } learner)
            {
                learner.Logger = factory.CreateLogger("MediaGen.Polling");
            }

            return new LoggingMediaGenerator(inner, factory.CreateLogger(LoggingMediaGenerator.CategoryOf(inner)), options);
        });
    }
}
