using System.Data.Common;
using System.Threading.Channels;
using Microsoft.Extensions.Options;

namespace OkrKpi.Api.Infrastructure.Data;

/// <summary>
/// The one door through which this process's measurement writes and imports reach SQLite, which admits one writer at a
/// time. Writers take turns here, in order, instead of polling the file lock; a writer whose turn does not come
/// within the busy timeout fails with <see cref="DatabaseBusyException"/> (503 with Retry-After).
/// <list type="bullet">
/// <item><see cref="WriteAsync{T}"/>: a small write joins a group commit. One loop takes whatever writes are waiting,
/// runs each in its own savepoint of one transaction and commits once, so concurrent pushes share one fsync. A write
/// that throws rolls back to its savepoint and fails alone; a failed commit fails the whole group. Nothing is answered
/// before its group has committed.</item>
/// <item><see cref="WriteAloneAsync{T}"/>: a long write (an import) has a turn and a transaction of its own, and
/// decides itself whether it commits.</item>
/// </list>
/// The turn is private to this class and held only while it runs a write, so no caller can hold it while it waits for
/// it. A write started inside another one (on the same async flow) joins that write's transaction in a savepoint of its
/// own, instead of waiting for the turn its caller holds.
/// </summary>
public sealed class SqliteWriteQueue(DbDataSource db, TimeProvider clock, IOptions<DatabaseOptions> options, ILogger<SqliteWriteQueue> logger)
    : IAsyncDisposable
{
    private const int MaxGroup = 256;

    /// <summary>The write running on this async flow, if any: a write started inside it joins it.</summary>
    private static readonly AsyncLocal<Running?> Current = new();

    private readonly SemaphoreSlim _turn = new(1, 1);
    private readonly TimeSpan _wait = TimeSpan.FromSeconds(options.Value.BusyTimeoutSeconds);
    private readonly Channel<Unit> _queue = Channel.CreateUnbounded<Unit>(new UnboundedChannelOptions { SingleReader = true });
    private readonly CancellationTokenSource _stopping = new();
    private readonly Lock _start = new();
    private Task? _loop;
    private int _savepoints;

    /// <summary>Runs a small write in a group commit; its result is returned once the group has committed.</summary>
    public Task<T> WriteAsync<T>(Func<DbConnection, DbTransaction, DateTimeOffset, Task<T>> work, CancellationToken ct)
    {
        ct.ThrowIfCancellationRequested();
        if (Current.Value is { } running) return JoinAsync(running, async (c, t, now) => (await work(c, t, now), true));

        var unit = new Unit<T>(work);
        lock (_start)
            if (_loop is null)
                using (ExecutionContext.SuppressFlow()) _loop = Task.Run(LoopAsync);   // the loop belongs to no request
        if (!_queue.Writer.TryWrite(unit)) throw new ObjectDisposedException(nameof(SqliteWriteQueue));
        return unit.Result;
    }

    /// <summary>Runs a write in a turn and a transaction of its own, committed when <paramref name="work"/> answers Commit = true.</summary>
    public async Task<T> WriteAloneAsync<T>(Func<DbConnection, DbTransaction, DateTimeOffset, Task<(T Result, bool Commit)>> work, CancellationToken ct)
    {
        if (Current.Value is { } outer) return await JoinAsync(outer, work);

        using var turn = await TakeTurnAsync(ct);
        await using var connection = await db.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        var now = clock.GetUtcNow();
        var running = Current.Value = new Running(connection, transaction, now);
        try
        {
            var (result, commit) = await work(connection, transaction, now);
            if (commit) await transaction.CommitAsync(ct);
            else await transaction.RollbackAsync(ct);
            return result;
        }
        finally
        {
            Current.Value = null;
            running.FinaliseStatements();
        }
    }

    /// <summary>
    /// <paramref name="sql"/> prepared on <paramref name="connection"/> once for the transaction of the write running on
    /// this flow, so the writes of one group commit (and the rows of one import) share it instead of each preparing it
    /// again; every use binds all its parameters before it runs it. Outside a write of this queue, a statement of its own.
    /// Either way the caller disposes it when done: a shared one stays prepared until its transaction ends.
    /// </summary>
    internal static SqliteRowStatement Statement(DbConnection connection, DbTransaction transaction, string sql, params string[] parameters)
    {
        if (Current.Value is not { } running || running.Connection != connection)
            return new SqliteRowStatement(connection, transaction, sql, parameters);
        if (!running.Statements.TryGetValue(sql, out var statement))
            running.Statements[sql] = statement = new SqliteRowStatement(connection, transaction, sql, parameters) { Shared = true };
        return statement;
    }

    private async Task<T> JoinAsync<T>(Running running, Func<DbConnection, DbTransaction, DateTimeOffset, Task<(T Result, bool Commit)>> work)
    {
        var savepoint = $"nested{Interlocked.Increment(ref _savepoints)}";
        await running.Transaction.SaveAsync(savepoint);
        try
        {
            var (result, commit) = await work(running.Connection, running.Transaction, running.Now);
            if (!commit) await running.Transaction.RollbackAsync(savepoint);
            await running.Transaction.ReleaseAsync(savepoint);
            return result;
        }
        catch (Exception e)
        {
            await RollBackToAsync(running.Transaction, savepoint, e);
            throw;
        }
    }

    /// <summary>
    /// Undoes a failed write. When SQLite has rolled the whole transaction back itself (as after SQLITE_FULL), the
    /// savepoint is gone: the failure then belongs to the whole transaction, and is thrown as it was. Which error says
    /// so depends on the statement that failed: SQLite's own, or the provider's "transaction has completed" when it
    /// noticed the rollback first.
    /// </summary>
    private static async Task RollBackToAsync(DbTransaction transaction, string savepoint, Exception failure)
    {
        try
        {
            await transaction.RollbackAsync(savepoint);
            await transaction.ReleaseAsync(savepoint);
        }
        catch (Exception gone) when (gone is DbException or InvalidOperationException)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(failure);
        }
    }

    private async Task<IDisposable> TakeTurnAsync(CancellationToken ct)
    {
        if (!await _turn.WaitAsync(_wait, ct)) throw new DatabaseBusyException();
        return new Turn(_turn);
    }

    private async Task LoopAsync()
    {
        var reader = _queue.Reader;
        var group = new List<Unit>(MaxGroup);
        while (await reader.WaitToReadAsync(_stopping.Token))
        {
            group.Clear();
            while (group.Count < MaxGroup && reader.TryRead(out var unit)) group.Add(unit);
            try
            {
                await CommitAsync(group);
            }
            catch (Exception e)
            {
                foreach (var unit in group) unit.Fail(e);
            }
        }
    }

    private async Task CommitAsync(List<Unit> group)
    {
        using var turn = await TakeTurnAsync(_stopping.Token);
        await using var connection = await db.OpenConnectionAsync(_stopping.Token);
        await using var transaction = await connection.BeginTransactionAsync(_stopping.Token);
        var now = clock.GetUtcNow();
        var done = new List<Unit>(group.Count);
        var running = Current.Value = new Running(connection, transaction, now);
        try
        {
            for (var i = 0; i < group.Count; i++)
            {
                var savepoint = $"unit{i}";
                await transaction.SaveAsync(savepoint);
                try
                {
                    await group[i].RunAsync(connection, transaction, now);
                    await transaction.ReleaseAsync(savepoint);
                    done.Add(group[i]);
                }
                catch (Exception e) when (e is not OperationCanceledException || !_stopping.IsCancellationRequested)
                {
                    await RollBackToAsync(transaction, savepoint, e);
                    group[i].Fail(e);
                }
            }
            await transaction.CommitAsync(_stopping.Token);
        }
        finally
        {
            Current.Value = null;
            running.FinaliseStatements();
        }
        foreach (var unit in done) unit.Complete();
        if (group.Count > 1) logger.LogDebug("Committed {Count} writes together", group.Count);
    }

    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _stopping.CancelAsync();
        if (_loop is not null)
            try { await _loop; } catch (OperationCanceledException) { }
        _stopping.Dispose();
    }

    private sealed record Running(DbConnection Connection, DbTransaction Transaction, DateTimeOffset Now)
    {
        /// <summary>The statements prepared for this transaction (<see cref="Statement"/>), by their SQL.</summary>
        public Dictionary<string, SqliteRowStatement> Statements { get; } = [];

        public void FinaliseStatements()
        {
            foreach (var statement in Statements.Values) statement.Finalise();
            Statements.Clear();
        }
    }

    private sealed class Turn(SemaphoreSlim turn) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0) turn.Release();
        }
    }

    private abstract class Unit
    {
        public abstract Task RunAsync(DbConnection connection, DbTransaction transaction, DateTimeOffset now);
        public abstract void Complete();
        public abstract void Fail(Exception e);
    }

    private sealed class Unit<T>(Func<DbConnection, DbTransaction, DateTimeOffset, Task<T>> work) : Unit
    {
        private readonly TaskCompletionSource<T> _done = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private T _result = default!;

        public Task<T> Result => _done.Task;

        public override async Task RunAsync(DbConnection connection, DbTransaction transaction, DateTimeOffset now) =>
            _result = await work(connection, transaction, now);

        public override void Complete() => _done.TrySetResult(_result);

        public override void Fail(Exception e) => _done.TrySetException(e);
    }
}

/// <summary>The database could not take this write within the busy timeout (503 with Retry-After).</summary>
public sealed class DatabaseBusyException() : Exception("The database is busy with other writes.");
