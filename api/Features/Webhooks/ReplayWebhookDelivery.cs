using System.Data.Common;
using Dapper;
using Mediator;
using Microsoft.AspNetCore.Http.HttpResults;
using OkrKpi.Api.Infrastructure.Errors;
using OkrKpi.Api.Infrastructure.Security;

namespace OkrKpi.Api.Features.Webhooks;

/// <summary>
/// Sends a delivery again, whatever became of it (delivered, failed or waiting for its next round): it is due at once,
/// with the same webhook-id, so a receiver that keeps ids can tell a replay from a new event. Its attempts so far stay in the log.
/// </summary>
public static class ReplayWebhookDelivery
{
    public sealed record Command(Guid WebhookId, Guid DeliveryId) : ICommand;

    public static async Task<Accepted> Endpoint(Guid webhookId, Guid deliveryId, ISender sender, CancellationToken ct)
    {
        await sender.Send(new Command(webhookId, deliveryId), ct);
        return TypedResults.Accepted((string?)null);
    }

    public sealed class Handler(DbDataSource db, TimeProvider clock, Caller caller, AuditLog audit) : ICommandHandler<Command>
    {
        private const string ReplaySql = """
            UPDATE WebhookDelivery SET Status = 'pending', NextAttemptAt = @Now, DeliveredAt = NULL
            WHERE Id = @DeliveryId AND SubscriptionId = @WebhookId
            """;

        public async ValueTask<Unit> Handle(Command command, CancellationToken ct)
        {
            var now = clock.GetUtcNow();
            await using var connection = await db.OpenConnectionAsync(ct);
            await using var transaction = await connection.BeginTransactionAsync(ct);
            await WebhookResponse.GetAsync(connection, command.WebhookId, caller, ct, transaction);
            if (await connection.ExecuteAsync(new CommandDefinition(ReplaySql, new { command.DeliveryId, command.WebhookId, Now = now }, transaction, cancellationToken: ct)) == 0)
                throw new NotFoundException($"Delivery '{command.DeliveryId}' of webhook '{command.WebhookId}' was not found.");
            await audit.RecordAsync(connection, transaction, "webhookDelivery", command.DeliveryId, "replay", null, new { command.WebhookId, command.DeliveryId }, now, ct);
            await transaction.CommitAsync(ct);
            return Unit.Value;
        }
    }
}
