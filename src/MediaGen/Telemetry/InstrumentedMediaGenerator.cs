using System.Diagnostics;

namespace MediaGen.Telemetry;

/// <summary>
/// The telemetry layer: a span per quote, submit and poll on the <c>MediaGen</c> <see cref="ActivitySource"/>, with the
/// OpenTelemetry GenAI tags. Each span is a child of the current one, so under
/// <see cref="MediaGeneratorExtensions.GenerateAsync"/> a whole generation is one trace. A
/// <see cref="DelegatingMediaGenerator"/>: services and disposal pass through to the provider. Metrics of ended jobs are
/// recorded by the wait itself, once per job, with or without this layer; logs come from <see cref="LoggingMediaGenerator"/>.
/// <c>services.AddMediaGen()</c> applies it to every registered provider; outside DI use
/// <see cref="MediaGeneratorTelemetryExtensions.UseTelemetry"/> on a <see cref="MediaGeneratorBuilder"/>.
/// </summary>
public sealed class InstrumentedMediaGenerator : DelegatingMediaGenerator
{
    private readonly MediaGenTelemetryOptions _options;

    /// <summary>Creates the layer.</summary>
    /// <param name="innerGenerator">The provider (or router).</param>
    /// <param name="options">What to record.</param>
    public InstrumentedMediaGenerator(IMediaGenerator innerGenerator, MediaGenTelemetryOptions? options = null)
        : base(innerGenerator)
    {
        _options = options ?? new MediaGenTelemetryOptions();
    }

    /// <inheritdoc/>
    public override async ValueTask<Result<GenerationQuote>> QuoteAsync(GenerationRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        using var activity = MediaGenTelemetry.ActivitySource.StartActivity($"quote {request.Model}", ActivityKind.Internal);
        if (activity is null)
        {
            return await InnerGenerator.QuoteAsync(request, cancellationToken).ConfigureAwait(false);
        }

        activity.SetTag(MediaGenTelemetry.RequestModel, request.Model.Value);
        try
        {
            var result = await InnerGenerator.QuoteAsync(request, cancellationToken).ConfigureAwait(false);
            if (result.TryGetValue(out var quote))
            {
                activity.SetTag(MediaGenTelemetry.ProviderName, quote.Provider);
                activity.SetTag(MediaGenTelemetry.ResponseModel, quote.Model.Value);
                activity.SetTag(MediaGenTelemetry.Outcome, "quoted");
                if (quote.Price.Amount is { } amount)
                {
                    activity.SetTag(MediaGenTelemetry.PriceAmount, (double)amount.Amount);
                    activity.SetTag(MediaGenTelemetry.PriceUnit, amount.Unit.ToString());
                }
            }
            else
            {
                Failed(activity, result.Error);
            }

            return result;
        }
        catch (Exception ex)
        {
            MediaGenTelemetry.SetException(activity, ex);
            throw;
        }
    }

    /// <inheritdoc/>
    public override async Task<Result<GenerationJob>> SubmitAsync(GenerationQuote quote, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(quote);
        using var activity = MediaGenTelemetry.ActivitySource.StartActivity($"submit {quote.Model}", ActivityKind.Client);
        if (activity is null)
        {
            return await InnerGenerator.SubmitAsync(quote, cancellationToken).ConfigureAwait(false);
        }

        activity.SetTag(MediaGenTelemetry.OperationName, "generate_content");
        activity.SetTag(MediaGenTelemetry.ProviderName, quote.Provider);
        activity.SetTag(MediaGenTelemetry.RequestModel, quote.Model.Value);
        if (_options.EnableSensitiveData)
        {
            activity.SetTag(MediaGenTelemetry.Prompt, quote.Request.Prompt);
        }

        try
        {
            var result = await InnerGenerator.SubmitAsync(quote, cancellationToken).ConfigureAwait(false);
            if (result.TryGetValue(out var job))
            {
                activity.SetTag(MediaGenTelemetry.ResponseId, job.Handle.VendorJobId);
                activity.SetTag(MediaGenTelemetry.Outcome, "accepted");
            }
            else
            {
                activity.SetTag(MediaGenTelemetry.Outcome, "failed");
                Failed(activity, result.Error);
            }

            return result;
        }
        catch (Exception ex)
        {
            MediaGenTelemetry.SetException(activity, ex);
            throw;
        }
    }

    /// <inheritdoc/>
    public override async Task<Result<GenerationJob>> GetJobAsync(JobHandle handle, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(handle);
        using var activity = MediaGenTelemetry.ActivitySource.StartActivity("poll", ActivityKind.Client);
        if (activity is null)
        {
            return await InnerGenerator.GetJobAsync(handle, cancellationToken).ConfigureAwait(false);
        }

        activity.SetTag(MediaGenTelemetry.ProviderName, handle.Provider);
        activity.SetTag(MediaGenTelemetry.ResponseId, handle.VendorJobId);
        activity.SetTag(MediaGenTelemetry.RequestModel, handle.Model?.Value);
        try
        {
            var result = await InnerGenerator.GetJobAsync(handle, cancellationToken).ConfigureAwait(false);
            if (result.TryGetValue(out var job))
            {
                activity.SetTag(MediaGenTelemetry.Outcome, job.Status.ToString().ToLowerInvariant());
            }
            else
            {
                Failed(activity, result.Error);
            }

            return result;
        }
        catch (Exception ex)
        {
            MediaGenTelemetry.SetException(activity, ex);
            throw;
        }
    }

    private static void Failed(Activity activity, MediaGenError error)
    {
        if (error.Provider is { } provider && activity.GetTagItem(MediaGenTelemetry.ProviderName) is null)
        {
            activity.SetTag(MediaGenTelemetry.ProviderName, provider);
        }

        activity.SetTag(MediaGenTelemetry.ErrorType, error.Kind.ToString());
        activity.SetStatus(ActivityStatusCode.Error, error.Kind.ToString());
    }
}

/// <summary>Adds the telemetry layer to a provider or a pipeline.</summary>
public static class MediaGeneratorTelemetryExtensions
{
    /// <summary>Wraps the generator in the telemetry layer (spans), unless it already has one.</summary>
    /// <param name="generator">The provider or router.</param>
    /// <param name="options">What to record.</param>
    /// <returns>The instrumented generator.</returns>
    public static IMediaGenerator WithTelemetry(this IMediaGenerator generator, MediaGenTelemetryOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(generator);
        return generator.GetService(typeof(InstrumentedMediaGenerator)) is not null
            ? generator
            : new InstrumentedMediaGenerator(generator, options);
    }

    /// <summary>Adds the telemetry layer (a span per quote, submit and poll) to a pipeline; a layer already there is not added twice.</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="configure">Configures what is recorded.</param>
    /// <returns>The builder.</returns>
    public static MediaGeneratorBuilder UseTelemetry(this MediaGeneratorBuilder builder, Action<MediaGenTelemetryOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.Use(inner =>
        {
            var options = new MediaGenTelemetryOptions();
            configure?.Invoke(options);
            return inner.WithTelemetry(options);
        });
    }
}
