using Microsoft.Extensions.Logging;

namespace MediaGen.Apiframe.Internal;

/// <summary>The provider's log events (never the API key).</summary>
internal static partial class Log
{
    [LoggerMessage(1, LogLevel.Debug, "Apiframe accepted job {JobId} (idempotency key {IdempotencyKey})")]
    public static partial void Accepted(ILogger logger, string jobId, string idempotencyKey);

    [LoggerMessage(2, LogLevel.Information, "Apiframe accepted request {IdempotencyKey} as job {JobId} after {Attempts} POSTs with the same key; Apiframe deduplicates the key, so it is charged once")]
    public static partial void SettledBySameKey(ILogger logger, string idempotencyKey, string jobId, int attempts);

    [LoggerMessage(3, LogLevel.Warning, "Apiframe request {IdempotencyKey} could not be settled; reporting outcome unknown: {Reason}")]
    public static partial void OutcomeUnknown(ILogger logger, string idempotencyKey, string reason);
}
