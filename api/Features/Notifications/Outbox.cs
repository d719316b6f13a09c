using System.Data.Common;
using System.Text.Json;
using System.Text.Json.Serialization;
using Dapper;
using Microsoft.Data.Sqlite;
using OkrKpi.Api.Infrastructure.Data;

namespace OkrKpi.Api.Features.Notifications;

/// <summary>
/// One event about to be emitted. <paramref name="Data"/> is the payload's <c>data</c>; the subject columns
/// (team, KPI, key result, objective, status) are what subscription filters and in-app alerts match on.
/// </summary>
internal sealed record OutboxEntry(string Type, object Data, Guid? TeamId = null, Guid? KpiId = null, string? KpiKey = null,
    Guid? ObjectiveId = null, Guid? KeyResultId = null, string? Status = null, string? DedupKey = null);

/// <summary>
/// Appends events to the outbox inside the transaction of the change that causes them: a rolled-back change emits
/// nothing, and a committed one is there for the delivery worker after any crash. The stored payload is the Standard
/// Webhooks envelope (<c>type</c>, <c>timestamp</c>, <c>data</c>) with this product's <c>id</c> and <c>version</c>.
/// </summary>
internal static class Outbox
{
    private const string InsertSql = """
        INSERT INTO OutboxEvent (Id, Type, OccurredAt, TeamId, KpiKey, KpiId, ObjectiveId, KeyResultId, Status, DedupKey, Payload, DispatchedAt)
        VALUES (@Id, @Type, @OccurredAt, @TeamId, @KpiKey, @KpiId, @ObjectiveId, @KeyResultId, @Status, @DedupKey, @Payload, NULL)
        """;

    internal static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    };

    private static readonly string[] InsertParameters =
        ["@Id", "@Type", "@OccurredAt", "@TeamId", "@KpiKey", "@KpiId", "@ObjectiveId", "@KeyResultId", "@Status", "@DedupKey", "@Payload"];

    public static async Task AppendAsync(DbConnection connection, DbTransaction transaction, DateTimeOffset now, IEnumerable<OutboxEntry> entries, CancellationToken ct)
    {
        var list = entries as IReadOnlyCollection<OutboxEntry> ?? entries.ToList();
        if (list.Count == 0) return;
        // A batch of values appends one event per value: on SQLite they go through one prepared statement, as the
        // values themselves do, rather than Dapper's per-row parameter lookup.
        if (connection is SqliteConnection)
        {
            using var insert = SqliteWriteQueue.Statement(connection, transaction, InsertSql, InsertParameters);
            var occurredAt = Database.SqliteText(now);
            foreach (var e in list)
            {
                var id = Guid.CreateVersion7(now);
                insert.Bind(0, Database.SqliteText(id));
                insert.Bind(1, e.Type);
                insert.Bind(2, occurredAt);
                insert.Bind(3, Text(e.TeamId));
                insert.Bind(4, e.KpiKey);
                insert.Bind(5, Text(e.KpiId));
                insert.Bind(6, Text(e.ObjectiveId));
                insert.Bind(7, Text(e.KeyResultId));
                insert.Bind(8, e.Status);
                insert.Bind(9, e.DedupKey);
                insert.Bind(10, Envelope(id, e.Type, now, e.Data));
                insert.Execute();
            }
            return;
        }
        await connection.ExecuteAsync(new CommandDefinition(InsertSql, list.Select(e => Row(e, now)).ToList(), transaction, cancellationToken: ct));
    }

    private static string? Text(Guid? id) => id is { } value ? Database.SqliteText(value) : null;

    public static Task AppendAsync(DbConnection connection, DbTransaction transaction, DateTimeOffset now, OutboxEntry entry, CancellationToken ct) =>
        AppendAsync(connection, transaction, now, [entry], ct);

    /// <summary>The envelope every format starts from; <see cref="WebhookMessages"/> turns it into Slack or Teams text.</summary>
    public static string Envelope(Guid id, string type, DateTimeOffset occurredAt, object data) =>
        JsonSerializer.Serialize(new { id, type, version = EventTypes.PayloadVersion, timestamp = occurredAt, data }, Json);

    private static object Row(OutboxEntry e, DateTimeOffset now)
    {
        var id = Guid.CreateVersion7(now);
        return new
        {
            Id = id, e.Type, OccurredAt = now, e.TeamId, e.KpiKey, e.KpiId, e.ObjectiveId, e.KeyResultId, e.Status, e.DedupKey,
            Payload = Envelope(id, e.Type, now, e.Data),
        };
    }
}
