using Mediator;
using Microsoft.Extensions.Options;
using OkrKpi.Api.Infrastructure.Data;

namespace OkrKpi.Api.Infrastructure.Mediator;

/// <summary>
/// On SQLite, commands of this process take turns at a gate before they open their transaction. SQLite admits
/// one writer at a time anyway; queuing here in order is much cheaper than letting every waiting writer poll
/// the file lock, and a writer that waits longer than the busy timeout still answers 503 with Retry-After.
/// SQL Server locks rows, not the database, so there the gate is open.
/// </summary>
public sealed class WriteGateBehavior<TMessage, TResponse>(SqliteWriteGate gate)
    : IPipelineBehavior<TMessage, TResponse>
    where TMessage : notnull, IMessage
{
    public async ValueTask<TResponse> Handle(TMessage message, MessageHandlerDelegate<TMessage, TResponse> next, CancellationToken ct)
    {
        if (message is not IBaseCommand || message is IGroupCommitted || !gate.Enabled) return await next(message, ct);

        using var turn = await gate.EnterAsync(ct);
        return await next(message, ct);
    }
}

/// <summary>A command whose handler writes through <see cref="Data.GroupCommit"/>, which takes the writers' turn itself.</summary>
public interface IGroupCommitted;

/// <summary>The process-wide queue of SQLite writers.</summary>
public sealed class SqliteWriteGate(IOptions<DatabaseOptions> options)
{
    private readonly SemaphoreSlim _writer = new(1, 1);
    private readonly TimeSpan _wait = TimeSpan.FromSeconds(options.Value.BusyTimeoutSeconds);

    public bool Enabled { get; } = options.Value.Provider == DatabaseProvider.Sqlite;

    public async Task<IDisposable> EnterAsync(CancellationToken ct)
    {
        if (!await _writer.WaitAsync(_wait, ct))
            throw new DatabaseBusyException();
        return new Turn(_writer);
    }

    private sealed class Turn(SemaphoreSlim writer) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0) writer.Release();
        }
    }
}

/// <summary>The database could not take this write within the busy timeout (503 with Retry-After).</summary>
public sealed class DatabaseBusyException() : Exception("The database is busy with other writes.");
