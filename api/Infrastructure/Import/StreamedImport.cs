using System.Data.Common;
using System.Text.Json;
using Microsoft.Extensions.Options;
using OkrKpi.Api.Infrastructure.Idempotency;
using OkrKpi.Api.Infrastructure.Security;

namespace OkrKpi.Api.Infrastructure.Import;

/// <summary>
/// The transaction around an import of a streamed body. The body is hashed as it is read, so an Idempotency-Key
/// can be checked without a second read: a known key replays its stored answer when the body hashes the same,
/// and the answer of a committed import is stored in the transaction that commits its rows.
/// </summary>
public sealed class StreamedImport(
    DbDataSource db,
    TimeProvider clock,
    IOptions<IdempotencyOptions> idempotency,
    IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions> json,
    Caller caller)
{
    public async Task<Idempotent<T>> RunAsync<T>(Stream body, IdempotencyKey? key, string operation,
        Func<DbConnection, DbTransaction, Stream, DateTimeOffset, Task<(T Response, bool Commit)>> work, CancellationToken ct)
    {
        var serializer = json.Value.SerializerOptions;
        key = key?.ScopedTo(caller);
        var now = clock.GetUtcNow();
        await using var hashing = new HashingStream(body);
        await using var connection = await db.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);

        if (key is not null && await IdempotencyRecords.FindStoredAsync(connection, transaction, key, now, ct) is { } stored)
            return stored.RequestHash == Fingerprint(operation, await hashing.FinishAsync(ct))
                ? new Idempotent<T>(stored.Response.Read<T>(serializer), Replayed: true)
                : throw IdempotencyRecords.ReusedFor(key);

        var (response, commit) = await work(connection, transaction, hashing, now);
        if (!commit)
        {
            // Nothing changed, so nothing needs remembering: a retry computes the same answer again.
            await transaction.RollbackAsync(ct);
            return new Idempotent<T>(response, Replayed: false);
        }

        if (key is not null)
            await IdempotencyRecords.SaveAsync(connection, transaction, key with { RequestHash = Fingerprint(operation, await hashing.FinishAsync(ct)) },
                new StoredResponse(StatusCodes.Status200OK, JsonSerializer.Serialize(response, serializer)), now,
                TimeSpan.FromHours(Math.Max(24, idempotency.Value.RetentionHours)), ct);
        await transaction.CommitAsync(ct);
        return new Idempotent<T>(response, Replayed: false);
    }

    private static string Fingerprint(string operation, string bodyHash) => $"{operation}:{bodyHash}";
}
