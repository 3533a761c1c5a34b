using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using Microsoft.Extensions.Logging;

namespace MedNetPortal.EndToEndTests.Infrastructure;

/// <summary>
/// Every log line the end-to-end portals write (added next to the console, so it sees what the configured levels let
/// through): the formatted message, the exception with its inner exceptions and the active scopes with their values.
/// One sink for every portal fixture of the run, so a scan covers whatever ran before it too.
/// </summary>
public sealed class CapturedLogs : ILoggerProvider, ISupportExternalScope
{
    private readonly ConcurrentQueue<string> lines = new();
    private IExternalScopeProvider scopes = new LoggerExternalScopeProvider();

    /// <summary>The sink shared by the e2e portal fixtures.</summary>
    public static CapturedLogs Shared { get; } = new();

    public IReadOnlyList<string> Lines => [.. lines];

    public ILogger CreateLogger(string categoryName) => new CapturingLogger(this, categoryName);

    public void SetScopeProvider(IExternalScopeProvider scopeProvider) => scopes = scopeProvider;

    public void Dispose()
    {
        // Shared across fixtures: lines stay readable after one portal stops.
    }

    private void Write(string line) => lines.Enqueue(line);

    private sealed class CapturingLogger(CapturedLogs sink, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => sink.scopes.Push(state);

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var line = new StringBuilder()
                .Append(CultureInfo.InvariantCulture, $"{logLevel} {category}[{eventId.Id}] {formatter(state, exception)}");
            // Structured values too: a template may leave an argument out of the text but a structured sink would still store it.
            AppendValues(line, state);
            sink.scopes.ForEachScope((scope, builder) =>
            {
                builder.Append(" => ").Append(scope);
                AppendValues(builder, scope);
            }, line);
            for (var ex = exception; ex is not null; ex = ex.InnerException)
            {
                line.Append(" | ").Append(ex);
            }

            sink.Write(line.ToString());
        }

        private static void AppendValues(StringBuilder line, object? state)
        {
            if (state is IEnumerable<KeyValuePair<string, object?>> values)
            {
                foreach (var (key, value) in values)
                {
                    line.Append(CultureInfo.InvariantCulture, $" {key}={value}");
                }
            }
        }
    }
}
