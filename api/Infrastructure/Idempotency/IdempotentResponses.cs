using System.Data.Common;
using System.Text.Json;
using Microsoft.Extensions.Options;

namespace OkrKpi.Api.Infrastructure.Idempotency;

/// <summary>
/// The answers kept for Idempotency-Keys, read and stored inside the transaction of the change they describe, as the
/// API's JSON. A key must be scoped to its caller first (<see cref="IdempotencyKey.ScopedTo"/>).
/// </summary>
public sealed class IdempotentResponses(IOptions<IdempotencyOptions> options, IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions> json)
{
    /// <summary>The answer stored for this key, or null when the key is new (or expired); 422 when it was used for another request.</summary>
    public async Task<T?> FindAsync<T>(DbConnection connection, DbTransaction transaction, IdempotencyKey key, DateTimeOffset now, CancellationToken ct)
        where T : class =>
        (await IdempotencyRecords.FindAsync(connection, transaction, key, now, ct))?.Read<T>(json.Value.SerializerOptions);

    /// <summary>The stored request hash and answer for this key, without judging them (for streamed bodies).</summary>
    public async Task<(string RequestHash, T Response)?> FindStoredAsync<T>(DbConnection connection, DbTransaction transaction, IdempotencyKey key,
        DateTimeOffset now, CancellationToken ct) =>
        await IdempotencyRecords.FindStoredAsync(connection, transaction, key, now, ct) is { } stored
            ? (stored.RequestHash, stored.Response.Read<T>(json.Value.SerializerOptions))
            : null;

    public Task SaveAsync<T>(DbConnection connection, DbTransaction transaction, IdempotencyKey key, int status, T response, DateTimeOffset now, CancellationToken ct) =>
        IdempotencyRecords.SaveAsync(connection, transaction, key, new StoredResponse(status, JsonSerializer.Serialize(response, json.Value.SerializerOptions)),
            now, TimeSpan.FromHours(Math.Max(24, options.Value.RetentionHours)), ct);
}
