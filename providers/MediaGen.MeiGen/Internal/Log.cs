using Microsoft.Extensions.Logging;

namespace MediaGen.MeiGen.Internal;

/// <summary>The provider's log events (never the API key).</summary>
internal static partial class Log
{
    [LoggerMessage(1, LogLevel.Warning, "MeiGen GET /api/models failed ({Reason}); using the built-in capabilities and prices")]
    public static partial void ModelsRefreshFailed(ILogger logger, string reason);

    [LoggerMessage(2, LogLevel.Warning, "MeiGen submit with idempotency key {IdempotencyKey} ended ambiguously ({Reason}); looking the request up by its key")]
    public static partial void SubmitAmbiguous(ILogger logger, string idempotencyKey, string reason);

    [LoggerMessage(3, LogLevel.Information, "MeiGen request {IdempotencyKey} had been accepted as job {JobId}; adopted it (charged once)")]
    public static partial void Recovered(ILogger logger, string idempotencyKey, string jobId);

    [LoggerMessage(4, LogLevel.Information, "MeiGen never accepted request {IdempotencyKey} (request_not_found); sending it once more with the same key")]
    public static partial void Resending(ILogger logger, string idempotencyKey);

    [LoggerMessage(5, LogLevel.Warning, "MeiGen request {IdempotencyKey} could not be settled ({Reason}); reporting outcome unknown")]
    public static partial void OutcomeUnknown(ILogger logger, string idempotencyKey, string reason);

    [LoggerMessage(6, LogLevel.Debug, "MeiGen accepted job {JobId} (idempotency key {IdempotencyKey})")]
    public static partial void Accepted(ILogger logger, string jobId, string idempotencyKey);
}
