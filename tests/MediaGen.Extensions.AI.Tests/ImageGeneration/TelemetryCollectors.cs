using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.Extensions.Logging;

namespace MediaGen.Extensions.AI.Tests.ImageGeneration;

/// <summary>One written log line: its category, level, formatted message and exception.</summary>
internal sealed record LogLine(string Category, LogLevel Level, string Message, Exception? Exception);

/// <summary>Collects every line written through the loggers it creates (all levels enabled).</summary>
internal sealed class CollectingLoggerProvider : ILoggerProvider
{
    private readonly ConcurrentQueue<LogLine> _lines = new();

    public IReadOnlyList<LogLine> Lines => [.. _lines];

    /// <summary>A logger factory that writes to this provider at <paramref name="minimum"/> and above.</summary>
    public ILoggerFactory CreateFactory(LogLevel minimum) => LoggerFactory.Create(b => b.SetMinimumLevel(minimum).AddProvider(this));

    public ILogger CreateLogger(string categoryName) => new Logger(categoryName, _lines);

    public void Dispose()
    {
    }

    private sealed class Logger(string category, ConcurrentQueue<LogLine> lines) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            lines.Enqueue(new LogLine(category, logLevel, formatter(state, exception), exception));
    }
}

/// <summary>Records the spans of one activity source (the name is per test, so parallel tests do not mix).</summary>
internal sealed class SpanCollector : IDisposable
{
    private readonly ActivityListener _listener;
    private readonly ConcurrentQueue<Activity> _spans = new();

    public SpanCollector(string sourceName)
    {
        SourceName = sourceName;
        _listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == sourceName,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = _spans.Enqueue,
        };
        ActivitySource.AddActivityListener(_listener);
    }

    public string SourceName { get; }

    public IReadOnlyList<Activity> Spans => [.. _spans];

    public void Dispose() => _listener.Dispose();
}
