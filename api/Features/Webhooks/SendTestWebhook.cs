using System.Data.Common;
using Dapper;
using Mediator;
using Microsoft.AspNetCore.Http.HttpResults;
using OkrKpi.Api.Features.Notifications;
using OkrKpi.Api.Infrastructure.Security;

namespace OkrKpi.Api.Features.Webhooks;

/// <summary>
/// Queues a <c>webhook.test</c> event for this webhook alone (even a paused one is sent it once enabled); the worker
/// sends it like any other, so the delivery log shows how the receiver answered.
/// </summary>
public static class SendTestWebhook
{
    public sealed record Command(Guid WebhookId) : ICommand<WebhookDeliveryResponse>;

    public static async Task<Accepted<WebhookDeliveryResponse>> Endpoint(Guid webhookId, ISender sender, CancellationToken ct)
    {
        var delivery = await sender.Send(new Command(webhookId), ct);
        return TypedResults.Accepted((string?)null, delivery);
    }

    public sealed class Handler(DbDataSource db, TimeProvider clock, Caller caller) : ICommandHandler<Command, WebhookDeliveryResponse>
    {
        // Dispatched already: it goes to this webhook only, not through the filters.
        private const string EventSql = """
            INSERT INTO OutboxEvent (Id, Type, OccurredAt, TeamId, KpiKey, KpiId, ObjectiveId, KeyResultId, Status, DedupKey, Payload, DispatchedAt)
            VALUES (@Id, @Type, @Now, NULL, NULL, NULL, NULL, NULL, NULL, NULL, @Payload, @Now)
            """;

        private const string DeliverySql = """
            INSERT INTO WebhookDelivery (Id, SubscriptionId, EventId, Status, Attempts, NextAttemptAt, CreatedAt, DeliveredAt)
            VALUES (@Id, @SubscriptionId, @EventId, 'pending', 0, @Now, @Now, NULL)
            """;

        public async ValueTask<WebhookDeliveryResponse> Handle(Command command, CancellationToken ct)
        {
            var now = clock.GetUtcNow();
            await using var connection = await db.OpenConnectionAsync(ct);
            await using var transaction = await connection.BeginTransactionAsync(ct);
            var webhook = await WebhookResponse.GetAsync(connection, command.WebhookId, caller, ct, transaction);
            var eventId = Guid.CreateVersion7(now);
            var payload = Outbox.Envelope(eventId, EventTypes.WebhookTest, now, new
            {
                webhook = new { id = webhook.Id, name = webhook.Name },
                requestedBy = caller.Actor,
                summary = $"Test message for webhook '{webhook.Name}' from OkrKpi",
            });
            await connection.ExecuteAsync(new CommandDefinition(EventSql, new { Id = eventId, Type = EventTypes.WebhookTest, Now = now, Payload = payload },
                transaction, cancellationToken: ct));
            var deliveryId = Guid.CreateVersion7(now);
            await connection.ExecuteAsync(new CommandDefinition(DeliverySql, new { Id = deliveryId, SubscriptionId = webhook.Id, EventId = eventId, Now = now },
                transaction, cancellationToken: ct));
            await transaction.CommitAsync(ct);
            return new WebhookDeliveryResponse(deliveryId, eventId, EventTypes.WebhookTest, WebhookDeliveryStatus.Pending, 0, now, now, null, []);
        }
    }
}
