using Microsoft.Extensions.Logging;

namespace MediaGen.Apiframe.Internal;

/// <summary>The provider's log events (never the API key); ids and names are the same as MeiGen's for the same event.</summary>
internal static partial class Log
{
    [LoggerMessage(3, LogLevel.Information, "Apiframe accepted request {IdempotencyKey} as job {JobId} after {Attempts} POSTs with the same key; Apiframe deduplicates the key, so it is charged once")]
    public static partial void Recovered(ILogger logger, string idempotencyKey, string jobId, int attempts);

    [LoggerMessage(5, LogLevel.Warning, "Apiframe request {IdempotencyKey} could not be settled; reporting outcome unknown: {Reason}")]
    public static partial void OutcomeUnknown(ILogger logger, string idempotencyKey, string reason);

    [LoggerMessage(6, LogLevel.Debug, "Apiframe accepted job {JobId} (idempotency key {IdempotencyKey})")]
    public static partial void Accepted(ILogger logger, string jobId, string idempotencyKey);
}
