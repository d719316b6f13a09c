using System.Data.Common;
using System.Text.Json;
using System.Text.Json.Serialization;
using Dapper;

namespace OkrKpi.Api.Infrastructure.Security;

/// <summary>
/// Appends to the audit log inside the transaction of the change it describes, so the log never claims a change
/// that was rolled back nor misses one that was committed. Before/after are the API's own representations, which
/// never contain password hashes, token secrets or session ids.
/// </summary>
public sealed class AuditLog(Caller caller)
{
    private const string InsertSql = """
        INSERT INTO AuditEntry (Id, At, ActorKind, ActorId, Actor, Entity, EntityId, Action, Before, After)
        VALUES (@Id, @At, @ActorKind, @ActorId, @Actor, @Entity, @EntityId, @Action, @Before, @After)
        """;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };

    public Task RecordAsync(DbConnection connection, DbTransaction? transaction, string entity, object entityId, string action,
        object? before, object? after, DateTimeOffset at, CancellationToken ct, string? actor = null) =>
        connection.ExecuteAsync(new CommandDefinition(InsertSql, new
        {
            Id = Guid.CreateVersion7(at),
            At = at,
            // Signing in is the one write made before the request has a caller: the person signing in is the actor.
            ActorKind = actor is null ? caller.Kind.ToString().ToLowerInvariant() : "session",
            ActorId = actor is null ? caller.UserId : entityId as Guid?,
            Actor = actor ?? caller.Actor,
            Entity = entity,
            EntityId = Convert.ToString(entityId, System.Globalization.CultureInfo.InvariantCulture),
            Action = action,
            Before = before is null ? null : JsonSerializer.Serialize(before, Json),
            After = after is null ? null : JsonSerializer.Serialize(after, Json),
        }, transaction, cancellationToken: ct));
}
