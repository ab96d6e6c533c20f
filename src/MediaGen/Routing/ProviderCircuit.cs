using Polly;
using Polly.CircuitBreaker;

namespace MediaGen.Routing;

/// <summary>
/// One vendor's circuit breaker (Polly.Core): opens after repeated unavailability, stays open for the break (or the
/// vendor's <c>Retry-After</c> when longer), then lets one probe through.
/// </summary>
internal sealed class ProviderCircuit
{
    private readonly ResiliencePipeline<Result<GenerationJob>> _pipeline;
    private readonly CircuitBreakerStateProvider _state = new();
    private readonly TimeSpan _break;
    private TimeSpan? _lastRetryAfter;

    public ProviderCircuit(RouterOptions options, TimeProvider time)
    {
        _break = options.CircuitBreakDuration;
        _pipeline = new ResiliencePipelineBuilder<Result<GenerationJob>> { TimeProvider = time }
            .AddCircuitBreaker(new CircuitBreakerStrategyOptions<Result<GenerationJob>>
            {
                FailureRatio = 0.5,
                MinimumThroughput = Math.Max(2, options.CircuitMinimumThroughput),
                SamplingDuration = options.CircuitSamplingDuration < TimeSpan.FromMilliseconds(500) ? TimeSpan.FromMilliseconds(500) : options.CircuitSamplingDuration,
                BreakDuration = _break,
                StateProvider = _state,
                ShouldHandle = args => ValueTask.FromResult(IsUnavailability(args.Outcome)),
                BreakDurationGenerator = _ => ValueTask.FromResult(_lastRetryAfter is { } hint && hint > _break ? hint : _break),
            })
            .Build();
    }

    public bool IsOpen => _state.CircuitState is CircuitState.Open or CircuitState.Isolated;

    /// <summary>
    /// Submits through the circuit, the caller holding the (pooled) context and awaiting the outcome itself: one state
    /// machine fewer than the pipeline's ExecuteAsync (whose wrapper awaits the outcome and rethrows). The caller returns
    /// the context to <see cref="ResilienceContextPool.Shared"/> and rethrows with <see cref="Outcome{TResult}.ThrowIfException"/>.
    /// </summary>
    /// <param name="provider">The vendor.</param>
    /// <param name="quote">The quote to submit.</param>
    /// <param name="context">A context from <see cref="ResilienceContextPool.Shared"/> carrying the cancellation token.</param>
    /// <returns>The outcome: the submit's result, or the exception (an open circuit's <see cref="BrokenCircuitException"/>).</returns>
    public ValueTask<Outcome<Result<GenerationJob>>> ExecuteOutcomeAsync(IMediaGenerator provider, GenerationQuote quote, ResilienceContext context) =>
        _pipeline.ExecuteOutcomeAsync(static (ctx, state) => SubmitAsync(state.provider, state.quote, ctx.CancellationToken), context, (provider, quote));

    private static async ValueTask<Outcome<Result<GenerationJob>>> SubmitAsync(IMediaGenerator provider, GenerationQuote quote, CancellationToken cancellationToken)
    {
        try
        {
            return Outcome.FromResult(await provider.SubmitAsync(quote, cancellationToken).ConfigureAwait(false));
        }
        catch (Exception ex)
        {
            return Outcome.FromException<Result<GenerationJob>>(ex);
        }
    }

    private bool IsUnavailability(Outcome<Result<GenerationJob>> outcome)
    {
        if (outcome.Exception is not null)
        {
            return outcome.Exception is not OperationCanceledException;
        }

        if (outcome.Result.TryGetError(out var error) && error is ProviderUnavailableError unavailable)
        {
            _lastRetryAfter = unavailable.RetryAfter;
            return true;
        }

        return false;
    }
}
