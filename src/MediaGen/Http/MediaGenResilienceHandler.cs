using System.Net;
using MediaGen.Providers;
using Polly;
using Polly.Retry;
using Polly.Timeout;

namespace MediaGen.Http;

/// <summary>
/// The one HTTP resilience layer every provider's client goes through (Polly.Core): a total timeout, retries with
/// exponential back-off and jitter that honour <c>Retry-After</c>, and a per-attempt timeout, each sized for reads
/// or submits. Retries follow the paying-once rules of <see cref="MediaGenHttpRequest"/>.
/// </summary>
public sealed class MediaGenResilienceHandler : DelegatingHandler
{
    private readonly ResiliencePipeline<HttpResponseMessage> _reads;
    private readonly ResiliencePipeline<HttpResponseMessage> _submits;

    /// <summary>Creates the handler.</summary>
    /// <param name="options">The settings.</param>
    /// <param name="timeProvider">The clock for delays and timeouts.</param>
    public MediaGenResilienceHandler(MediaGenHttpOptions options, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        var time = timeProvider ?? TimeProvider.System;
        _reads = Build(options, options.ReadAttemptTimeout, options.ReadTotalTimeout, time);
        _submits = Build(options, options.SubmitAttemptTimeout, options.SubmitTotalTimeout, time);
    }

    /// <inheritdoc/>
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var pipeline = MediaGenHttpRequest.IsSubmitRequest(request) ? _submits : _reads;
        var context = ResilienceContextPool.Shared.Get(cancellationToken);
        context.Properties.Set(RequestKey, request);
        try
        {
            var outcome = await pipeline.ExecuteOutcomeAsync(
                static async (ctx, state) =>
                {
                    try
                    {
                        return Outcome.FromResult(await state.Handler.BaseSendAsync(state.Request, ctx.CancellationToken).ConfigureAwait(false));
                    }
                    catch (Exception ex)
                    {
                        return Outcome.FromException<HttpResponseMessage>(ex);
                    }
                },
                context,
                (Handler: this, Request: request)).ConfigureAwait(false);
            outcome.ThrowIfException();
            return outcome.Result!;
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }
    }

    private static readonly ResiliencePropertyKey<HttpRequestMessage> RequestKey = new("MediaGen.Request");

    private Task<HttpResponseMessage> BaseSendAsync(HttpRequestMessage request, CancellationToken cancellationToken) => base.SendAsync(request, cancellationToken);

    private static ResiliencePipeline<HttpResponseMessage> Build(MediaGenHttpOptions options, TimeSpan attempt, TimeSpan total, TimeProvider time)
    {
        var builder = new ResiliencePipelineBuilder<HttpResponseMessage> { TimeProvider = time }
            .AddTimeout(total);
        if (options.MaxRetries > 0)
        {
            builder.AddRetry(new RetryStrategyOptions<HttpResponseMessage>
            {
                MaxRetryAttempts = options.MaxRetries,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = options.BaseDelay,
                ShouldHandle = args => ValueTask.FromResult(ShouldRetry(args.Context, args.Outcome, options)),
                DelayGenerator = args => ValueTask.FromResult(
                    args.Outcome.Result is { } response && HttpResponseReader.GetRetryAfter(response, time) is { } retryAfter
                        ? (TimeSpan?)retryAfter
                        : null),
                OnRetry = args =>
                {
                    args.Outcome.Result?.Dispose();
                    return default;
                },
            });
        }

        return builder.AddTimeout(attempt).Build();
    }

    private static bool ShouldRetry(ResilienceContext context, Outcome<HttpResponseMessage> outcome, MediaGenHttpOptions options)
    {
        if (!context.Properties.TryGetValue(RequestKey, out var request) || context.CancellationToken.IsCancellationRequested)
        {
            return false;
        }

        var safe = MediaGenHttpRequest.IsRetrySafe(request);
        if (outcome.Exception is { } ex)
        {
            if (ex is OperationCanceledException)
            {
                return false;
            }

            if (ex is TimeoutRejectedException)
            {
                return safe; // the attempt may have reached the vendor: resend only what the vendor dedupes
            }

            // A connection that was never made cannot have reached the vendor; anything else may have.
            return safe || (ex is HttpRequestException && TransportFailure.Classify(ex) == TransportFailureKind.NotSent);
        }

        if (outcome.Result is not { } response)
        {
            return false;
        }

        // A long Retry-After (on any status) is the caller's decision, not something to block on here.
        if (HttpResponseReader.GetRetryAfter(response) is { } asked && asked > options.MaxRetryAfter)
        {
            return false;
        }

        if (response.StatusCode == HttpStatusCode.TooManyRequests)
        {
            // Refused before any work: safe to resend for every method, unless the vendor asks for a long wait
            // (then the caller decides: the error surfaces as rate-limited, and the router may fail over).
            var wait = HttpResponseReader.GetRetryAfter(response);
            return wait is null || wait <= options.MaxRetryAfter;
        }

        return safe && response.StatusCode is HttpStatusCode.RequestTimeout or HttpStatusCode.InternalServerError
            or HttpStatusCode.BadGateway or HttpStatusCode.ServiceUnavailable or HttpStatusCode.GatewayTimeout;
    }
}
