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

    public ValueTask<Result<GenerationJob>> ExecuteAsync(IMediaGenerator provider, GenerationQuote quote, CancellationToken cancellationToken) =>
        _pipeline.ExecuteAsync(
            static (state, ct) => new ValueTask<Result<GenerationJob>>(state.provider.SubmitAsync(state.quote, ct)), // the submit's own task: no state machine around it
            (provider, quote),
            cancellationToken);

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
