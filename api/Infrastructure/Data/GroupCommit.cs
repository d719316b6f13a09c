using System.Data.Common;
using System.Threading.Channels;
using OkrKpi.Api.Infrastructure.Mediator;

namespace OkrKpi.Api.Infrastructure.Data;

/// <summary>
/// Group commit for small SQLite writes. Concurrent units of work wait in a queue; one writer takes whatever is
/// waiting, runs each unit inside its own savepoint of one transaction, and commits once, so many single-value
/// pushes share one fsync instead of queuing for one each. A unit that fails rolls back to its savepoint and
/// fails alone; a failed commit fails every unit of the group. Nothing is answered before its group has committed.
/// </summary>
public sealed class GroupCommit(DbDataSource db, SqliteWriteGate gate, TimeProvider clock, ILogger<GroupCommit> logger) : IAsyncDisposable
{
    private const int MaxGroup = 256;

    private readonly Channel<Unit> _queue = Channel.CreateUnbounded<Unit>(new UnboundedChannelOptions { SingleReader = true });
    private readonly CancellationTokenSource _stopping = new();
    private Task? _writer;
    private readonly Lock _start = new();

    public Task<T> RunAsync<T>(Func<DbConnection, DbTransaction, DateTimeOffset, Task<T>> work, CancellationToken ct)
    {
        ct.ThrowIfCancellationRequested();
        var unit = new Unit<T>(work);
        lock (_start) _writer ??= Task.Run(WriteAsync);
        if (!_queue.Writer.TryWrite(unit)) throw new ObjectDisposedException(nameof(GroupCommit));
        return unit.Result;
    }

    private async Task WriteAsync()
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
        using var turn = await gate.EnterAsync(_stopping.Token);
        await using var connection = await db.OpenConnectionAsync(_stopping.Token);
        await using var transaction = await connection.BeginTransactionAsync(_stopping.Token);
        var now = clock.GetUtcNow();
        var done = new List<Unit>(group.Count);

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
                await transaction.RollbackAsync(savepoint);
                await transaction.ReleaseAsync(savepoint);
                group[i].Fail(e);
            }
        }

        await transaction.CommitAsync(_stopping.Token);
        foreach (var unit in done) unit.Complete();
        if (group.Count > 1) logger.LogDebug("Committed {Count} writes together", group.Count);
    }

    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _stopping.CancelAsync();
        if (_writer is not null)
            try { await _writer; } catch (OperationCanceledException) { }
        _stopping.Dispose();
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
