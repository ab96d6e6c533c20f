using Microsoft.Extensions.Logging;

namespace MediaGen.Telemetry;

/// <summary>MediaGen's log messages: source-generated, with stable event ids. Lifecycle at Debug, prompts and URLs at Trace, keys never.</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 1001, EventName = "Submitting", Level = LogLevel.Debug, Message = "Submitting to {Provider} model {Model} (idempotency key {IdempotencyKey})")]
    public static partial void Submitting(ILogger logger, string provider, string model, string? idempotencyKey);

    [LoggerMessage(EventId = 1002, EventName = "SubmitAccepted", Level = LogLevel.Debug, Message = "{Provider} accepted job {Job} ({Status})")]
    public static partial void SubmitAccepted(ILogger logger, string provider, JobHandle job, GenerationStatus status);

    [LoggerMessage(EventId = 1003, EventName = "SubmitFailed", Level = LogLevel.Debug, Message = "{Provider} refused the submit: {ErrorKind} (rejected before billing: {RejectedBeforeBilling}): {Message}")]
    public static partial void SubmitFailed(ILogger logger, string provider, ErrorKind errorKind, bool rejectedBeforeBilling, string message);

    [LoggerMessage(EventId = 1004, EventName = "Polled", Level = LogLevel.Debug, Message = "Job {Job} is {Status} ({Progress}%)")]
    public static partial void Polled(ILogger logger, JobHandle job, GenerationStatus status, int? progress);

    [LoggerMessage(EventId = 1005, EventName = "PollFailed", Level = LogLevel.Debug, Message = "Polling job {Job} failed: {ErrorKind}: {Message}")]
    public static partial void PollFailed(ILogger logger, JobHandle job, ErrorKind errorKind, string message);

    [LoggerMessage(EventId = 1006, EventName = "PromptSent", Level = LogLevel.Trace, Message = "Prompt sent to {Provider}: {Prompt}")]
    public static partial void PromptSent(ILogger logger, string provider, string prompt);

    [LoggerMessage(EventId = 1007, EventName = "OutputReady", Level = LogLevel.Trace, Message = "Job {Job} output {Index}: {Url}")]
    public static partial void OutputReady(ILogger logger, JobHandle job, int index, Uri url);

    [LoggerMessage(EventId = 1101, EventName = "RouteFailover", Level = LogLevel.Debug, Message = "Router: {Provider} failed ({ErrorKind}); trying the next vendor")]
    public static partial void RouteFailover(ILogger logger, string provider, ErrorKind errorKind);

    [LoggerMessage(EventId = 1102, EventName = "RouteSkipped", Level = LogLevel.Debug, Message = "Router: skipped {Provider}: {Reason}")]
    public static partial void RouteSkipped(ILogger logger, string provider, string? reason);

    [LoggerMessage(EventId = 1103, EventName = "RouteStopped", Level = LogLevel.Debug, Message = "Router: not failing over after {Provider}'s {ErrorKind} (may have been billed)")]
    public static partial void RouteStopped(ILogger logger, string provider, ErrorKind errorKind);
}
