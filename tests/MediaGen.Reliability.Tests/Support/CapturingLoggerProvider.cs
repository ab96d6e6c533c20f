using System.Collections.Concurrent;
using System.Text;
using Microsoft.Extensions.Logging;

namespace MediaGen.Reliability.Tests.Support;

/// <summary>
/// Captures everything logged at every level: the formatted message, every structured state value, the exception
/// (with its inner exceptions and stack) and the active scopes, as text to scan for secrets.
/// </summary>
public sealed class CapturingLoggerProvider : ILoggerProvider, ISupportExternalScope
{
    private IExternalScopeProvider _scopes = new LoggerExternalScopeProvider();

    /// <summary>Gets the captured entries.</summary>
    public ConcurrentQueue<(string Category, LogLevel Level, string Text)> Entries { get; } = new();

    /// <inheritdoc/>
    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    /// <inheritdoc/>
    public void SetScopeProvider(IExternalScopeProvider scopeProvider) => _scopes = scopeProvider;

    /// <inheritdoc/>
    public void Dispose()
    {
    }

    private sealed class Logger(CapturingLoggerProvider owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => owner._scopes.Push(state);

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var text = new StringBuilder();
            text.Append(eventId.Id).Append(' ').Append(eventId.Name).Append(": ").Append(formatter(state, exception));
            if (state is IEnumerable<KeyValuePair<string, object?>> values)
            {
                foreach (var (key, value) in values)
                {
                    text.Append(" | ").Append(key).Append('=').Append(value);
                }
            }

            if (exception is not null)
            {
                text.Append(" | exception: ").Append(exception);
            }

            owner._scopes.ForEachScope((scope, sb) => sb.Append(" | scope: ").Append(scope), text);
            owner.Entries.Enqueue((category, logLevel, text.ToString()));
        }
    }
}
