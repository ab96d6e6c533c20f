using System.Net;
using MediaGen.Providers;
using Polly;
using Polly.Retry;
using Polly.Timeout;

namespace MediaGen.Http;

/// <summary>
/// The one definition of the resilience pipeline every provider's HTTP client goes through, on
/// Microsoft.Extensions.Http.Resilience: a total timeout, retries with exponential back-off and jitter that honour
/// <c>Retry-After</c>, the submit attempt budget, and a per-attempt timeout, each sized for reads or submits. Under DI
/// it is registered with <c>AddResilienceHandler</c> on each provider's <see cref="IHttpClientFactory"/> client
/// (<see cref="MediaGenBuilder.AddProviderHttpClient"/>); without DI <see cref="MediaGenHttp.CreateClient"/> runs it in
/// the package's <c>ResilienceHandler</c>. Retries follow the paying-once rules (docs/paying-once.md):
/// <list type="bullet">
/// <item>reads (GET, HEAD) retry a transient failure (408, 429, 500, 502, 503, 504, any transport failure, an attempt timeout);</item>
/// <item>a submit (<see cref="MediaGenHttpRequest.MarkSubmit(HttpRequestMessage, bool)"/>) is re-sent only when it provably
/// never reached the vendor (the connection was never made) or the vendor refused it with 429 before doing anything;</item>
/// <item>a submit the vendor dedupes by idempotency key (<c>vendorDedupes: true</c>) is re-sent on anything that is not
/// an answer: a transport failure, a timeout, a 429, a 5xx or another status that is not a refusal the same bytes would
/// get again (400, 401, 402, 403, 404, 409, 422);</item>
/// <item>a submit never makes more than <see cref="MediaGenHttpOptions.MaxSubmitAttempts"/> POSTs, counting a provider's
/// resends of the same logical submit (<see cref="SubmitAttempts"/>);</item>
/// <item>a <c>Retry-After</c> longer than <see cref="MediaGenHttpOptions.MaxRetryAfter"/> surfaces instead of blocking.</item>
/// </list>
/// Every time read (delays, timeouts, <c>Retry-After</c> dates) goes through the given <see cref="TimeProvider"/>.
/// </summary>
internal static class MediaGenResilience
{
    /// <summary>The pipeline's name under <c>AddResilienceHandler</c> (the full name is <c>MediaGen.{provider}-mediagen</c>).</summary>
    public const string PipelineName = "mediagen";

    /// <summary>The statuses on a deduped submit that resending the same bytes cannot change.</summary>
    private static readonly HashSet<int> FinalSubmitStatuses = [400, 401, 402, 403, 404, 409, 422];

    private static readonly ResiliencePropertyKey<int> AttemptsOfRequest = new("MediaGen.AttemptsOfRequest");

    /// <summary>Builds the pipeline for a client created without DI.</summary>
    /// <param name="options">The settings.</param>
    /// <param name="timeProvider">The clock (the system clock when null).</param>
    /// <returns>The pipeline.</returns>
    public static ResiliencePipeline<HttpResponseMessage> Build(MediaGenHttpOptions options, TimeProvider? timeProvider)
    {
        var builder = new ResiliencePipelineBuilder<HttpResponseMessage>();
        Configure(builder, options, timeProvider);
        return builder.Build();
    }

    /// <summary>Adds MediaGen's strategies to a pipeline builder: the one place the pipeline is defined.</summary>
    /// <param name="builder">The builder (from <c>AddResilienceHandler</c>, or a new one).</param>
    /// <param name="options">The settings.</param>
    /// <param name="timeProvider">The clock (the system clock when null).</param>
    public static void Configure(ResiliencePipelineBuilder<HttpResponseMessage> builder, MediaGenHttpOptions options, TimeProvider? timeProvider)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(options);
        var time = timeProvider ?? TimeProvider.System;
        builder.TimeProvider = time;
        builder.AddTimeout(new TimeoutStrategyOptions
        {
            Name = "MediaGen.Total",
            TimeoutGenerator = args => ValueTask.FromResult(IsSubmit(args.Context) ? options.SubmitTotalTimeout : options.ReadTotalTimeout),
        });
        if (options.MaxRetries > 0)
        {
            builder.AddRetry(new RetryStrategyOptions<HttpResponseMessage>
            {
                Name = "MediaGen.Retry",
                MaxRetryAttempts = options.MaxRetries,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = options.BaseDelay,
                ShouldHandle = args => ValueTask.FromResult(ShouldRetry(args.Context, args.Outcome, args.AttemptNumber, options, time) && TakeResendPermit(args.Context)),
                DelayGenerator = args => ValueTask.FromResult(
                    args.Outcome.Result is { } response && HttpResponseReader.GetRetryAfter(response, time) is { } retryAfter
                        ? (TimeSpan?)retryAfter
                        : args.Outcome.Result is { StatusCode: HttpStatusCode.TooManyRequests } && args.Context.GetRequestMessage() is { } limited
                            ? MediaGenHttpRequest.RateLimitBackoffOf(limited) // the vendor's documented back-off (within MaxRetryAfter, see ShouldRetry)
                            : null),
            });
        }

        builder.AddStrategy(_ => new SubmitAttemptStrategy(options));
        builder.AddTimeout(new TimeoutStrategyOptions
        {
            Name = "MediaGen.Attempt",
            TimeoutGenerator = args => ValueTask.FromResult(IsSubmit(args.Context) ? options.SubmitAttemptTimeout : options.ReadAttemptTimeout),
        });
    }

    private static bool IsSubmit(ResilienceContext context) =>
        context.GetRequestMessage() is { } request && MediaGenHttpRequest.IsSubmitRequest(request);

    private static bool ShouldRetry(ResilienceContext context, Outcome<HttpResponseMessage> outcome, int attemptNumber, MediaGenHttpOptions options, TimeProvider time)
    {
        if (context.GetRequestMessage() is not { } request || context.CancellationToken.IsCancellationRequested)
        {
            return false;
        }

        var submit = MediaGenHttpRequest.IsSubmitRequest(request);
        if (submit)
        {
            // The POST cap: this request's attempts (attemptNumber is zero-based), and the logical submit's, which also
            // counts the provider's own resends of it.
            var attempts = MediaGenHttpRequest.AttemptsOf(request);
            attempts?.Limit(options.MaxSubmitAttempts);
            if (attemptNumber + 1 >= options.MaxSubmitAttempts || attempts is { CanSendAnother: false })
            {
                return false;
            }
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
        if (HttpResponseReader.GetRetryAfter(response, time) is { } asked && asked > options.MaxRetryAfter)
        {
            return false;
        }

        if (response.StatusCode == HttpStatusCode.TooManyRequests)
        {
            // No Retry-After: the vendor's documented back-off, when longer than we may block, surfaces too.
            if (HttpResponseReader.GetRetryAfter(response, time) is null
                && MediaGenHttpRequest.RateLimitBackoffOf(request) is { } documented && documented > options.MaxRetryAfter)
            {
                return false;
            }

            // Refused before any work: safe to resend for every method (a long wait was ruled out above: the error
            // surfaces as rate-limited, and the router may fail over).
            return true;
        }

        var status = (int)response.StatusCode;
        if (submit && safe)
        {
            // The vendor dedupes: anything but an answer (a success, or a refusal the same bytes would get again) is resent.
            return !response.IsSuccessStatusCode && !FinalSubmitStatuses.Contains(status);
        }

        return safe && response.StatusCode is HttpStatusCode.RequestTimeout or HttpStatusCode.InternalServerError
            or HttpStatusCode.BadGateway or HttpStatusCode.ServiceUnavailable or HttpStatusCode.GatewayTimeout;
    }

    /// <summary>
    /// Takes a permit from the vendor's client-side limiter named on the request (<see cref="MediaGenHttpRequest.WithRateLimiter"/>)
    /// for a resend: the limiter sees every request on the wire, not only the first. No permit, no resend.
    /// </summary>
    private static bool TakeResendPermit(ResilienceContext context)
    {
        if (context.GetRequestMessage() is not { } request || MediaGenHttpRequest.LimiterOf(request) is not { } limiter)
        {
            return true;
        }

        using var lease = limiter.AttemptAcquire(1);
        return lease.IsAcquired;
    }

    /// <summary>
    /// Wraps each attempt of a submit that carries a <see cref="SubmitAttempts"/>: applies this pipeline's cap, counts a
    /// resend of the same request, and records how the attempt ended so the provider knows whether any may have reached
    /// the vendor.
    /// </summary>
    private sealed class SubmitAttemptStrategy(MediaGenHttpOptions options) : ResilienceStrategy<HttpResponseMessage>
    {
        protected override ValueTask<Outcome<HttpResponseMessage>> ExecuteCore<TState>(
            Func<ResilienceContext, TState, ValueTask<Outcome<HttpResponseMessage>>> callback,
            ResilienceContext context,
            TState state) =>
            context.GetRequestMessage() is { } request && MediaGenHttpRequest.AttemptsOf(request) is { } attempts
                ? CountedAsync(callback, context, state, attempts)
                : callback(context, state); // not a counted submit (every read): passed through, no state machine of its own

        private async ValueTask<Outcome<HttpResponseMessage>> CountedAsync<TState>(
            Func<ResilienceContext, TState, ValueTask<Outcome<HttpResponseMessage>>> callback,
            ResilienceContext context,
            TState state,
            SubmitAttempts attempts)
        {
            var previous = context.Properties.GetValue(AttemptsOfRequest, 0);
            context.Properties.Set(AttemptsOfRequest, previous + 1);
            var index = attempts.Begin(options.MaxSubmitAttempts, resend: previous > 0);
            Outcome<HttpResponseMessage> outcome;
            try
            {
                outcome = await callback(context, state).ConfigureAwait(context.ContinueOnCapturedContext);
            }
            catch (Exception ex)
            {
                attempts.End(index, null, ex);
                throw;
            }

            attempts.End(index, outcome.Result, outcome.Exception);
            return outcome;
        }
    }
}
