using Microsoft.Extensions.Logging;

namespace MediaGen.Replicate.Internal;

/// <summary>The provider's log events (never the token); ids and names are the same as the other vendors' for the same event.</summary>
internal static partial class Log
{
    [LoggerMessage(2, LogLevel.Warning, "Replicate create of {Model} (local idempotency key {IdempotencyKey}) ended ambiguously ({Reason}); looking for the prediction in the prediction list")]
    public static partial void SubmitAmbiguous(ILogger logger, string model, string idempotencyKey, string reason);

    [LoggerMessage(3, LogLevel.Information, "Replicate create of {Model} (local idempotency key {IdempotencyKey}) had been accepted as prediction {JobId}; adopted it from the prediction list (charged once)")]
    public static partial void Recovered(ILogger logger, string model, string idempotencyKey, string jobId);

    [LoggerMessage(5, LogLevel.Warning, "Replicate create of {Model} (local idempotency key {IdempotencyKey}) could not be settled; reporting outcome unknown: {Reason}")]
    public static partial void OutcomeUnknown(ILogger logger, string model, string idempotencyKey, string reason);

    [LoggerMessage(6, LogLevel.Debug, "Replicate accepted prediction {JobId} for {Model} (local idempotency key {IdempotencyKey})")]
    public static partial void Accepted(ILogger logger, string jobId, string model, string idempotencyKey);
}
