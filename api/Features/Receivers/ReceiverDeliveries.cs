using System.Data.Common;
using Dapper;
using OkrKpi.Api.Infrastructure.Data;

namespace OkrKpi.Api.Features.Receivers;

/// <summary>One delivery to a receiver as its log keeps it: when, the answer's status, the outcome and why.</summary>
public sealed record ReceiverDeliveryResponse(Guid Id, DateTimeOffset At, int Status, string Outcome, string? Reason)
{
    internal sealed class Row
    {
        public Guid Id { get; init; }
        public DateTimeOffset At { get; init; }
        public int Status { get; init; }
        public string Outcome { get; init; } = "";
        public string? Reason { get; init; }

        public ReceiverDeliveryResponse ToResponse() => new(Id, At, Status, Outcome, Reason);
    }
}

/// <summary>The delivery log: the last <see cref="Kept"/> deliveries of each receiver, written after the delivery in a transaction of its own.</summary>
internal static class ReceiverDeliveries
{
    public const int Kept = 100;

    // A receiver deleted while one of its deliveries was being handled has no log to join: the row is skipped rather
    // than breaking the foreign key, so that delivery's answer stands.
    private const string InsertSql = """
        INSERT INTO ReceiverDelivery (Id, ReceiverId, At, Status, Outcome, Reason)
        SELECT @Id, @ReceiverId, @At, @Status, @Outcome, @Reason WHERE EXISTS (SELECT 1 FROM Receiver WHERE Id = @ReceiverId)
        """;

    // Ids are version 7 GUIDs: the newest rows have the greatest ids.
    private const string SqlitePruneSql = """
        DELETE FROM ReceiverDelivery WHERE ReceiverId = @ReceiverId
          AND Id NOT IN (SELECT Id FROM ReceiverDelivery WHERE ReceiverId = @ReceiverId ORDER BY Id DESC LIMIT 100)
        """;

    private const string SqlServerPruneSql = """
        DELETE FROM ReceiverDelivery WHERE ReceiverId = @ReceiverId
          AND Id NOT IN (SELECT TOP (100) Id FROM ReceiverDelivery WHERE ReceiverId = @ReceiverId ORDER BY Id DESC)
        """;

    public const string SqliteListSql = "SELECT Id, At, Status, Outcome, Reason FROM ReceiverDelivery WHERE ReceiverId = @ReceiverId ORDER BY Id DESC LIMIT 100";
    public const string SqlServerListSql = "SELECT TOP (100) Id, At, Status, Outcome, Reason FROM ReceiverDelivery WHERE ReceiverId = @ReceiverId ORDER BY Id DESC";

    public static async Task LogAsync(DbDataSource db, Dialect dialect, Guid receiverId, DateTimeOffset at, int status, string outcome, string? reason, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        await connection.ExecuteAsync(new CommandDefinition(InsertSql, new
        {
            Id = Guid.CreateVersion7(at), ReceiverId = receiverId, At = at, Status = status, Outcome = outcome,
            Reason = reason is { Length: > 1000 } ? reason[..1000] : reason,
        }, transaction, cancellationToken: ct));
        await connection.ExecuteAsync(new CommandDefinition(dialect.Choose(SqlitePruneSql, SqlServerPruneSql), new { ReceiverId = receiverId }, transaction, cancellationToken: ct));
        await transaction.CommitAsync(ct);
    }
}
