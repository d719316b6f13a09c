using System.Data.Common;
using Dapper;
using Mediator;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using OkrKpi.Api.Infrastructure.Errors;
using OkrKpi.Api.Infrastructure.Http;
using OkrKpi.Api.Infrastructure.Security;

namespace OkrKpi.Api.Features.Receivers;

/// <summary>
/// Deletes a receiver with its delivery log: its hook URL then answers 404. The events it recorded stay with their KPIs;
/// a token restricted to it can deliver nowhere any more (revoke it).
/// </summary>
public static class DeleteReceiver
{
    public sealed record Command(Guid ReceiverId, long? ExpectedVersion) : ICommand;

    public static async Task<NoContent> Endpoint(Guid receiverId, [FromHeader(Name = "If-Match")] string? ifMatch, ISender sender, CancellationToken ct)
    {
        await sender.Send(new Command(receiverId, ETags.Optional(ifMatch)), ct);
        return TypedResults.NoContent();
    }

    public sealed class Handler(DbDataSource db, TimeProvider clock, AuditLog audit) : ICommandHandler<Command>
    {
        // The log is deleted explicitly rather than left to ON DELETE CASCADE, which SQLite honours only with foreign keys on.
        private const string DeleteDeliveriesSql = "DELETE FROM ReceiverDelivery WHERE ReceiverId = @ReceiverId";

        private const string DeleteSql = "DELETE FROM Receiver WHERE Id = @ReceiverId AND Version = @Version";

        public async ValueTask<Unit> Handle(Command command, CancellationToken ct)
        {
            var what = $"Receiver '{command.ReceiverId}'";
            await using var connection = await db.OpenConnectionAsync(ct);
            await using var transaction = await connection.BeginTransactionAsync(ct);

            var receiver = await ReceiverResponse.LoadAsync(connection, command.ReceiverId, ct, transaction)
                ?? throw new NotFoundException($"{what} was not found.");
            if (command.ExpectedVersion is { } expected && expected != receiver.Version)
                throw new PreconditionFailedException($"{what} has changed since you read it (now version {receiver.Version}).");

            await connection.ExecuteAsync(new CommandDefinition(DeleteDeliveriesSql, new { command.ReceiverId }, transaction, cancellationToken: ct));
            ETags.EnsureUpdated(await connection.ExecuteAsync(new CommandDefinition(DeleteSql, new { command.ReceiverId, receiver.Version }, transaction, cancellationToken: ct)), what);
            await audit.RecordAsync(connection, transaction, ReceiverResponse.AuditEntity, command.ReceiverId, "delete", receiver, null, clock.GetUtcNow(), ct);
            await transaction.CommitAsync(ct);
            return Unit.Value;
        }
    }
}
