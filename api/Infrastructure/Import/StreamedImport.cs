using System.Data.Common;
using OkrKpi.Api.Infrastructure.Data;
using OkrKpi.Api.Infrastructure.Idempotency;
using OkrKpi.Api.Infrastructure.Security;

namespace OkrKpi.Api.Infrastructure.Import;

/// <summary>
/// The transaction around an import of a streamed body: on SQLite a turn of its own at the <see cref="SqliteWriteQueue"/>,
/// on SQL Server a transaction of its own. The body is hashed as it is read, so an Idempotency-Key can be checked
/// without a second read: a known key replays its stored answer when the body hashes the same, and the answer of a
/// committed import is stored in the transaction that commits its rows.
/// </summary>
public sealed class StreamedImport(DbDataSource db, Dialect dialect, SqliteWriteQueue sqlite, TimeProvider clock, IdempotentResponses idempotency, Caller caller)
{
    public async Task<Idempotent<T>> RunAsync<T>(Stream body, IdempotencyKey? key, string operation,
        Func<DbConnection, DbTransaction, Stream, DateTimeOffset, Task<(T Response, bool Commit)>> work, CancellationToken ct) where T : class
    {
        key = key?.ScopedTo(caller);
        await using var hashing = new HashingStream(body);
        if (dialect.Provider == DatabaseProvider.Sqlite)
            return await sqlite.WriteAloneAsync((connection, transaction, now) => ImportAsync(connection, transaction, now, hashing, key, operation, work, ct), ct);

        await using var connection = await db.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        var (result, commit) = await ImportAsync(connection, transaction, clock.GetUtcNow(), hashing, key, operation, work, ct);
        if (commit) await transaction.CommitAsync(ct);
        return result;
    }

    private async Task<(Idempotent<T>, bool Commit)> ImportAsync<T>(DbConnection connection, DbTransaction transaction, DateTimeOffset now,
        HashingStream body, IdempotencyKey? key, string operation,
        Func<DbConnection, DbTransaction, Stream, DateTimeOffset, Task<(T Response, bool Commit)>> work, CancellationToken ct) where T : class
    {
        if (key is not null && await idempotency.FindStoredAsync<T>(connection, transaction, key, now, ct) is { } stored)
            return stored.RequestHash == Fingerprint(operation, await body.FinishAsync(ct))
                ? (new Idempotent<T>(stored.Response, Replayed: true), false)
                : throw IdempotencyRecords.ReusedFor(key);

        var (response, commit) = await work(connection, transaction, body, now);
        // Nothing changed when nothing commits, so nothing needs remembering: a retry computes the same answer again.
        if (commit && key is not null)
            await idempotency.SaveAsync(connection, transaction, key with { RequestHash = Fingerprint(operation, await body.FinishAsync(ct)) },
                StatusCodes.Status200OK, response, now, ct);
        return (new Idempotent<T>(response, Replayed: false), commit);
    }

    private static string Fingerprint(string operation, string bodyHash) => $"{operation}:{bodyHash}";
}
