using Microsoft.Extensions.Logging;

namespace MediaGen.Telemetry;

/// <summary>
/// MediaGen's log messages: source-generated, with stable event ids (never renumber one; add new ids). Lifecycle at
/// Debug, exceptions at Error, prompts and output URLs at Trace and only with sensitive data enabled, keys never.
/// 1001-1099 are <see cref="LoggingMediaGenerator"/>'s, 1101-1199 the router's, 1201-1299 the polling learner's.
/// </summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 1001, EventName = "Submitting", Level = LogLevel.Debug, SkipEnabledCheck = true, Message = "Submitting to {Provider} model {Model} (idempotency key {IdempotencyKey})")]
    public static partial void Submitting(ILogger logger, string provider, string model, string? idempotencyKey);

    [LoggerMessage(EventId = 1002, EventName = "SubmitAccepted", Level = LogLevel.Debug, SkipEnabledCheck = true, Message = "{Provider} accepted job {Job} ({Status})")]
    public static partial void SubmitAccepted(ILogger logger, string provider, JobHandle job, GenerationStatus status);

    [LoggerMessage(EventId = 1003, EventName = "SubmitFailed", Level = LogLevel.Debug, SkipEnabledCheck = true, Message = "{Provider} refused the submit: {ErrorKind} (rejected before billing: {RejectedBeforeBilling}): {Message}")]
    public static partial void SubmitFailed(ILogger logger, string provider, ErrorKind errorKind, bool rejectedBeforeBilling, string message);

    [LoggerMessage(EventId = 1004, EventName = "Polled", Level = LogLevel.Debug, SkipEnabledCheck = true, Message = "Job {Job} is {Status} ({Progress}%)")]
    public static partial void Polled(ILogger logger, JobHandle job, GenerationStatus status, int? progress);

    [LoggerMessage(EventId = 1005, EventName = "PollFailed", Level = LogLevel.Debug, SkipEnabledCheck = true, Message = "Polling job {Job} failed: {ErrorKind}: {Message}")]
    public static partial void PollFailed(ILogger logger, JobHandle job, ErrorKind errorKind, string message);

    [LoggerMessage(EventId = 1006, EventName = "PromptSent", Level = LogLevel.Trace, SkipEnabledCheck = true, Message = "Prompt sent to {Provider}: {Prompt}")]
    public static partial void PromptSent(ILogger logger, string provider, string prompt);

    [LoggerMessage(EventId = 1007, EventName = "OutputReady", Level = LogLevel.Trace, SkipEnabledCheck = true, Message = "Job {Job} output {Index}: {Url}")]
    public static partial void OutputReady(ILogger logger, JobHandle job, int index, Uri url);

    [LoggerMessage(EventId = 1008, EventName = "Quoting", Level = LogLevel.Debug, SkipEnabledCheck = true, Message = "Quoting model {Model} at {Provider}")]
    public static partial void Quoting(ILogger logger, string provider, string model);

    [LoggerMessage(EventId = 1009, EventName = "Quoted", Level = LogLevel.Debug, SkipEnabledCheck = true, Message = "{Provider} quoted model {Model}: {Price}")]
    public static partial void Quoted(ILogger logger, string provider, string model, PriceQuote price);

    [LoggerMessage(EventId = 1010, EventName = "QuoteFailed", Level = LogLevel.Debug, SkipEnabledCheck = true, Message = "{Provider} could not quote model {Model}: {ErrorKind}: {Message}")]
    public static partial void QuoteFailed(ILogger logger, string provider, string model, ErrorKind errorKind, string message);

    [LoggerMessage(EventId = 1011, EventName = "Polling", Level = LogLevel.Debug, SkipEnabledCheck = true, Message = "Polling job {Job}")]
    public static partial void Polling(ILogger logger, JobHandle job);

    [LoggerMessage(EventId = 1012, EventName = "Canceled", Level = LogLevel.Debug, SkipEnabledCheck = true, Message = "The {Operation} at {Provider} was canceled")]
    public static partial void Canceled(ILogger logger, string operation, string provider);

    [LoggerMessage(EventId = 1013, EventName = "Threw", Level = LogLevel.Error, SkipEnabledCheck = true, Message = "The {Operation} at {Provider} threw")]
    public static partial void Threw(ILogger logger, string operation, string provider, Exception exception);

    [LoggerMessage(EventId = 1201, EventName = "PollingStoreFailed", Level = LogLevel.Warning, Message = "The polling learner could not {Operation} the completion times of {Provider} model {Model} in its store; it goes on from memory")]
    public static partial void PollingStoreFailed(ILogger logger, string operation, string provider, string model, Exception exception);

    [LoggerMessage(EventId = 1101, EventName = "RouteFailover", Level = LogLevel.Debug, Message = "Router: {Provider} failed ({ErrorKind}); trying the next vendor")]
    public static partial void RouteFailover(ILogger logger, string provider, ErrorKind errorKind);

    [LoggerMessage(EventId = 1102, EventName = "RouteSkipped", Level = LogLevel.Debug, Message = "Router: skipped {Provider}: {Reason}")]
    public static partial void RouteSkipped(ILogger logger, string provider, string? reason);

    [LoggerMessage(EventId = 1103, EventName = "RouteStopped", Level = LogLevel.Debug, Message = "Router: not failing over after {Provider}'s {ErrorKind} (may have been billed)")]
    public static partial void RouteStopped(ILogger logger, string provider, ErrorKind errorKind);
}
