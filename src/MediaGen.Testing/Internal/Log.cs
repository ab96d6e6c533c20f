using Microsoft.Extensions.Logging;

namespace MediaGen.Testing.Internal;

internal static partial class Log
{
    [LoggerMessage(EventId = 1, EventName = "EmulatorHostStarted", Level = LogLevel.Information,
        Message = "Emulator host listening on {BaseAddress} with emulators: {Emulators}")]
    public static partial void HostStarted(ILogger logger, Uri baseAddress, string emulators);

    [LoggerMessage(EventId = 2, EventName = "FaultInjected", Level = LogLevel.Debug,
        Message = "Injecting {FaultKind} into {Method} {PathAndQuery} (rule {Rule})")]
    public static partial void FaultInjected(ILogger logger, FaultKind faultKind, string method, string pathAndQuery, string rule);

    [LoggerMessage(EventId = 3, EventName = "RequestReceived", Level = LogLevel.Trace,
        Message = "{Method} {PathAndQuery}")]
    public static partial void RequestReceived(ILogger logger, string method, string pathAndQuery);
}
