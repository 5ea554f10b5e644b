using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace LoanRecovery.Testing;

/// <summary>
/// Every log entry of the hosts it is added to (as an <see cref="ILoggerProvider"/> in their services): the rendered
/// message, the values of its named properties and any exception, as a log shipper would receive them.
/// </summary>
public sealed class CapturedLogs : ILoggerProvider
{
    private readonly ConcurrentQueue<CapturedLog> _entries = new();

    public IReadOnlyCollection<CapturedLog> Entries => _entries;

    public ILogger CreateLogger(string categoryName) => new Logger(categoryName, _entries);

    public void Dispose()
    {
    }

    private sealed class Logger(string category, ConcurrentQueue<CapturedLog> entries) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var properties = state is IEnumerable<KeyValuePair<string, object?>> pairs
                ? pairs.Where(p => p.Key != "{OriginalFormat}").Select(p => $"{p.Key}={p.Value}").ToArray()
                : [];
            entries.Enqueue(new CapturedLog(category, logLevel, formatter(state, exception), properties, exception?.ToString()));
        }
    }
}

/// <summary>One captured log entry.</summary>
public sealed record CapturedLog(string Category, LogLevel Level, string Message, IReadOnlyList<string> Properties, string? Exception)
{
    /// <summary>Everything of the entry a reader of the logs would see.</summary>
    public string Text => string.Join(" | ", [Category, Message, .. Properties, Exception ?? ""]);
}
