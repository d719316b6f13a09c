using System.Data.Common;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Serialization;
using Dapper;
using FluentValidation;
using OkrKpi.Api.Infrastructure.Data;
using OkrKpi.Api.Infrastructure.Errors;
using OkrKpi.Api.Infrastructure.Security;

namespace OkrKpi.Api.Infrastructure.Idempotency;

/// <summary>
/// An Idempotency-Key, scoped to the caller, with a fingerprint of the request it came with. The same key
/// with the same request replays the first response; with another request it is refused (422). Another caller's
/// use of the same key is another key (docs/api-conventions.md): integrators pick keys independently, and a replay must never
/// hand one caller the response to another's request.
/// </summary>
public sealed record IdempotencyKey(string Scope, string Key, string RequestHash)
{
    public const string Header = "Idempotency-Key";
    public const string ReplayedHeader = "Idempotent-Replayed";
    public const int MaxLength = 200;

    /// <summary>The scope of a key read from the request before the caller is known to the writer; see <see cref="ScopedTo"/>.</summary>
    private const string Unscoped = "";

    private static readonly JsonSerializerOptions Canonical = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase), new RawJsonElement() },
    };

    /// <summary>The key from the header (null when absent) and a hash of what the request asks for.</summary>
    public static IdempotencyKey? From(string? header, string operation, object request)
    {
        if (ForStream(header) is not { } key) return null;
        var fingerprint = JsonSerializer.SerializeToUtf8Bytes(new { operation, request }, Canonical);
        return key with { RequestHash = Convert.ToHexStringLower(SHA256.HashData(fingerprint)) };
    }

    /// <summary>The key of a request whose body is streamed: its hash is known only once the body has been read.</summary>
    public static IdempotencyKey? ForStream(string? header)
    {
        if (header is null) return null;
        if (header.Length is 0 or > MaxLength || header.Any(c => c is < '!' or > '~'))
            throw new ValidationException([new(Header, $"{Header} must be 1 to {MaxLength} visible ASCII characters, e.g. a UUID.")]);
        return new IdempotencyKey(Unscoped, header, "");
    }

    /// <summary>The key as the caller's own: a person by user id (sessions and OIDC alike), a token by its public id.</summary>
    public IdempotencyKey ScopedTo(Caller caller) => this with
    {
        Scope = caller.Kind switch
        {
            CallerKind.Token => $"token:{caller.TokenPublicId}",
            CallerKind.Session or CallerKind.Oidc => $"user:{caller.UserId}",
            var kind => kind.ToString().ToLowerInvariant(),
        },
    };

    internal void EnsureScoped()
    {
        if (Scope == Unscoped) throw new InvalidOperationException("An Idempotency-Key must be scoped to its caller before it is read or stored.");
    }
}

/// <summary>
/// Fingerprints a JSON value as the bytes the client sent. Re-encoding it would fail on text that is not valid
/// Unicode (a lone "\ud800"), which the request's checks refuse by name once the fingerprint is made.
/// </summary>
internal sealed class RawJsonElement : JsonConverter<JsonElement>
{
    public override JsonElement Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => JsonElement.ParseValue(ref reader);

    public override void Write(Utf8JsonWriter writer, JsonElement value, JsonSerializerOptions options) =>
        writer.WriteRawValue(System.Runtime.InteropServices.JsonMarshal.GetRawUtf8Value(value), skipInputValidation: true);
}

/// <summary>A response kept for replay: its status and JSON body (headers such as Location follow from the body).</summary>
public sealed record StoredResponse(int Status, string Body)
{
    public T Read<T>(JsonSerializerOptions options) => JsonSerializer.Deserialize<T>(Body, options)!;
}

/// <summary>What a handler that honours Idempotency-Key returns: the response, and whether it is a replay.</summary>
public sealed record Idempotent<T>(T Response, bool Replayed);

public sealed class IdempotencyOptions
{
    /// <summary>How long a key is remembered; at least 24 hours (docs/api-conventions.md).</summary>
    public int RetentionHours { get; set; } = 48;
}

/// <summary>Reads and writes IdempotencyRecord inside the caller's transaction.</summary>
public static class IdempotencyRecords
{
    private const string FindSql = """
        SELECT RequestHash, ResponseStatus, ResponseBody
        FROM IdempotencyRecord
        WHERE Scope = @Scope AND IdempotencyKey = @Key AND ExpiresAt > @Now
        """;

    private const string DeleteExpiredKeySql = "DELETE FROM IdempotencyRecord WHERE Scope = @Scope AND IdempotencyKey = @Key AND ExpiresAt <= @Now";

    private const string InsertSql = """
        INSERT INTO IdempotencyRecord (Scope, IdempotencyKey, RequestHash, ResponseStatus, ResponseBody, CreatedAt, ExpiresAt)
        VALUES (@Scope, @Key, @RequestHash, @Status, @Body, @Now, @ExpiresAt)
        """;

    private const string DeleteAllExpiredSql = "DELETE FROM IdempotencyRecord WHERE ExpiresAt <= @Now";

    private sealed record Row(string RequestHash, long ResponseStatus, string ResponseBody);

    /// <summary>The stored response for this key, or null when the key is new (or expired); 422 when it was used for another request.</summary>
    public static async Task<StoredResponse?> FindAsync(DbConnection connection, DbTransaction transaction, IdempotencyKey key, DateTimeOffset now, CancellationToken ct)
    {
        if (await FindStoredAsync(connection, transaction, key, now, ct) is not { } stored) return null;
        return stored.RequestHash == key.RequestHash ? stored.Response : throw ReusedFor(key);
    }

    /// <summary>The stored request hash and response for this key, without judging them (for streamed bodies).</summary>
    public static async Task<(string RequestHash, StoredResponse Response)?> FindStoredAsync(DbConnection connection, DbTransaction transaction,
        IdempotencyKey key, DateTimeOffset now, CancellationToken ct)
    {
        key.EnsureScoped();
        var row = await connection.QuerySingleOrDefaultAsync<Row>(new CommandDefinition(FindSql, new { key.Scope, key.Key, Now = now }, transaction, cancellationToken: ct));
        return row is null ? null : (row.RequestHash, new StoredResponse((int)row.ResponseStatus, row.ResponseBody));
    }

    public static UnprocessableException ReusedFor(IdempotencyKey key) =>
        new($"{IdempotencyKey.Header} '{key.Key}' was already used for a different request; use a new key for a new request.");

    /// <summary>Stores the response in the same transaction as the change it describes.</summary>
    public static async Task SaveAsync(DbConnection connection, DbTransaction transaction, IdempotencyKey key, StoredResponse response,
        DateTimeOffset now, TimeSpan retention, CancellationToken ct)
    {
        key.EnsureScoped();
        await connection.ExecuteAsync(new CommandDefinition(DeleteExpiredKeySql, new { key.Scope, key.Key, Now = now }, transaction, cancellationToken: ct));
        try
        {
            await connection.ExecuteAsync(new CommandDefinition(InsertSql, new
            {
                key.Scope, key.Key, key.RequestHash, response.Status, response.Body,
                Now = now, ExpiresAt = now + retention,
            }, transaction, cancellationToken: ct));
        }
        catch (DbException e) when (DbErrors.IsUniqueViolation(e))
        {
            // A twin with the same key committed while this request ran (possible on SQL Server, where
            // transactions do not queue up front as SQLite's do). This one rolls back: one effect only.
            throw new ConflictException($"A request with {IdempotencyKey.Header} '{key.Key}' is being processed; retry to get its response.");
        }
    }

    public static async Task<int> DeleteExpiredAsync(DbConnection connection, DateTimeOffset now, CancellationToken ct) =>
        await connection.ExecuteAsync(new CommandDefinition(DeleteAllExpiredSql, new { Now = now }, cancellationToken: ct));
}
