using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace OkrKpi.Api.IntegrationTests;

/// <summary>
/// Every log line the API writes during the run, with exceptions, so tests can search them (no secrets may appear)
/// and a failing test can show what the server logged. OKRKPI_TEST_LOG=path also writes them to a file.
/// </summary>
public sealed class CapturedLogs : ILoggerProvider
{
    public static readonly ConcurrentQueue<string> Lines = new();
    private static readonly string? File = Environment.GetEnvironmentVariable("OKRKPI_TEST_LOG");
    private static readonly Lock FileLock = new();

    public ILogger CreateLogger(string categoryName) => new Logger(categoryName);

    public void Dispose() { }

    private sealed class Logger(string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Debug;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var line = $"{logLevel} {category}: {formatter(state, exception)}{(exception is null ? "" : Environment.NewLine + exception)}";
            Lines.Enqueue(line);
            if (File is not null)
                lock (FileLock) System.IO.File.AppendAllText(File, line + Environment.NewLine);
        }
    }
}
