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
        object? before, object? after, DateTimeOffset at, CancellationToken ct, string? actor = null)
    {
        var id = Guid.CreateVersion7(at);
        // Signing in is the one write made before the request has a caller: the person signing in is the actor.
        var actorKind = actor is null ? caller.Kind.ToString().ToLowerInvariant() : "session";
        var actorId = actor is null ? caller.UserId : entityId as Guid?;
        var entityText = Convert.ToString(entityId, System.Globalization.CultureInfo.InvariantCulture)!;
        var beforeJson = before is null ? null : JsonSerializer.Serialize(before, Json);
        var afterJson = after is null ? null : JsonSerializer.Serialize(after, Json);

        return connection.ExecuteAsync(new CommandDefinition(InsertSql, new
        {
            Id = id, At = at, ActorKind = actorKind, ActorId = actorId, Actor = actor ?? caller.Actor, Entity = entity, EntityId = entityText,
            Action = action, Before = beforeJson, After = afterJson,
        }, transaction, cancellationToken: ct));
    }
}
