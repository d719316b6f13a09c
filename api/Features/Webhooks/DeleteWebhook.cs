using System.Data.Common;
using Dapper;
using Mediator;
using Microsoft.AspNetCore.Http.HttpResults;
using OkrKpi.Api.Infrastructure.Security;

namespace OkrKpi.Api.Features.Webhooks;

/// <summary>Removes a webhook with its delivery log; its pending deliveries are never sent.</summary>
public static class DeleteWebhook
{
    public sealed record Command(Guid WebhookId) : ICommand;

    public static async Task<NoContent> Endpoint(Guid webhookId, ISender sender, CancellationToken ct)
    {
        await sender.Send(new Command(webhookId), ct);
        return TypedResults.NoContent();
    }

    public sealed class Handler(DbDataSource db, TimeProvider clock, Caller caller, AuditLog audit) : ICommandHandler<Command>
    {
        private const string DeleteAttemptsSql = """
            DELETE FROM WebhookAttempt WHERE DeliveryId IN (SELECT Id FROM WebhookDelivery WHERE SubscriptionId = @Id)
            """;

        private const string DeleteDeliveriesSql = "DELETE FROM WebhookDelivery WHERE SubscriptionId = @Id";

        private const string DeleteSql = "DELETE FROM WebhookSubscription WHERE Id = @Id";

        public async ValueTask<Unit> Handle(Command command, CancellationToken ct)
        {
            var now = clock.GetUtcNow();
            await using var connection = await db.OpenConnectionAsync(ct);
            await using var transaction = await connection.BeginTransactionAsync(ct);
            var before = await WebhookResponse.GetAsync(connection, command.WebhookId, caller, ct, transaction);
            foreach (var sql in new[] { DeleteAttemptsSql, DeleteDeliveriesSql, DeleteSql })
                await connection.ExecuteAsync(new CommandDefinition(sql, new { Id = command.WebhookId }, transaction, cancellationToken: ct));
            await audit.RecordAsync(connection, transaction, "webhook", command.WebhookId, "delete", before, null, now, ct);
            await transaction.CommitAsync(ct);
            return Unit.Value;
        }
    }
}
