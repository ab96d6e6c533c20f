using Microsoft.Extensions.Logging;

namespace MediaGen.VeoGen.Internal;

/// <summary>The provider's log events (never the API key); ids and names are the same as MeiGen's for the same event.</summary>
internal static partial class Log
{
    [LoggerMessage(2, LogLevel.Warning, "VeoGen submit of {Model} (local idempotency key {IdempotencyKey}) ended ambiguously ({Reason}); looking for the job in the generation list")]
    public static partial void SubmitAmbiguous(ILogger logger, string model, string idempotencyKey, string reason);

    [LoggerMessage(3, LogLevel.Information, "VeoGen submit of {Model} (local idempotency key {IdempotencyKey}) had been accepted as generation {JobId}; adopted it from the generation list (charged once)")]
    public static partial void Recovered(ILogger logger, string model, string idempotencyKey, string jobId);

    [LoggerMessage(5, LogLevel.Warning, "VeoGen submit of {Model} (local idempotency key {IdempotencyKey}) could not be settled; reporting outcome unknown: {Reason}")]
    public static partial void OutcomeUnknown(ILogger logger, string model, string idempotencyKey, string reason);

    [LoggerMessage(6, LogLevel.Debug, "VeoGen accepted generation {JobId} for {Model} (local idempotency key {IdempotencyKey})")]
    public static partial void Accepted(ILogger logger, string jobId, string model, string idempotencyKey);
}
