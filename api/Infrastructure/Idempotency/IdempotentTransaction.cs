using System.Data.Common;
using System.Text.Json;
using Microsoft.Extensions.Options;
using OkrKpi.Api.Infrastructure.Data;
using OkrKpi.Api.Infrastructure.Security;

namespace OkrKpi.Api.Infrastructure.Idempotency;

/// <summary>
/// Runs a write in one transaction that also reads and stores its Idempotency-Key record, so the stored
/// response commits with the change it describes. SQLite transactions take the write lock up front, so a
/// twin waits for the first to commit and then replays it; on SQL Server the later twin fails its insert
/// of the key and answers 409. Either way the change happens once.
/// </summary>
public sealed class IdempotentTransaction(
    DbDataSource db,
    TimeProvider clock,
    GroupCommit groups,
    Dialect dialect,
    IOptions<IdempotencyOptions> options,
    IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions> json,
    Caller caller)
{
    /// <summary>
    /// On SQLite the write joins a group commit (concurrent writes share one transaction and one fsync, each in its
    /// own savepoint); SQL Server, with row locks and many writers at once, commits each write on its own.
    /// Commands that call this take no turn at the write gate in the pipeline: the group commit takes it.
    /// </summary>
    public async Task<Idempotent<T>> ExecuteAsync<T>(IdempotencyKey? key,
        Func<DbConnection, DbTransaction, DateTimeOffset, Task<(T Response, int Status)>> work, CancellationToken ct)
    {
        if (dialect.Provider == DatabaseProvider.Sqlite)
            return await groups.RunAsync((connection, transaction, now) => RunInAsync(connection, transaction, now, key, work, ct), ct);

        await using var connection = await db.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        var result = await RunInAsync(connection, transaction, clock.GetUtcNow(), key, work, ct);
        await transaction.CommitAsync(ct);
        return result;
    }

    /// <summary>The same inside a transaction someone else commits (a group commit).</summary>
    public async Task<Idempotent<T>> RunInAsync<T>(DbConnection connection, DbTransaction transaction, DateTimeOffset now, IdempotencyKey? key,
        Func<DbConnection, DbTransaction, DateTimeOffset, Task<(T Response, int Status)>> work, CancellationToken ct)
    {
        var serializer = json.Value.SerializerOptions;
        key = key?.ScopedTo(caller);
        if (key is not null && await IdempotencyRecords.FindAsync(connection, transaction, key, now, ct) is { } stored)
            return new Idempotent<T>(stored.Read<T>(serializer), Replayed: true);

        var (response, status) = await work(connection, transaction, now);
        if (key is not null)
            await IdempotencyRecords.SaveAsync(connection, transaction, key, new StoredResponse(status, JsonSerializer.Serialize(response, serializer)),
                now, TimeSpan.FromHours(Math.Max(24, options.Value.RetentionHours)), ct);
        return new Idempotent<T>(response, Replayed: false);
    }
}
