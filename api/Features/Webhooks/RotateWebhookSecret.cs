using System.Data.Common;
using Dapper;
using Mediator;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using OkrKpi.Api.Features.Notifications;
using OkrKpi.Api.Infrastructure.Security;

namespace OkrKpi.Api.Features.Webhooks;

/// <summary>
/// Gives a webhook a new signing secret, shown in this answer only. The replaced secret keeps signing beside the new
/// one (two signatures in webhook-signature) for Webhooks:SecretOverlapHours, so the receiver can switch without
/// rejecting a message.
/// </summary>
public static class RotateWebhookSecret
{
    public sealed record Command(Guid WebhookId) : ICommand<CreateWebhook.Response>;

    public static async Task<Ok<CreateWebhook.Response>> Endpoint(Guid webhookId, ISender sender, HttpResponse response, CancellationToken ct)
    {
        var rotated = await sender.Send(new Command(webhookId), ct);
        response.Headers.CacheControl = "no-store";
        return TypedResults.Ok(rotated);
    }

    public sealed class Handler(DbDataSource db, TimeProvider clock, Caller caller, AuditLog audit, WebhookSecrets secrets, IOptions<NotificationOptions> options)
        : ICommandHandler<Command, CreateWebhook.Response>
    {
        private const string RotateSql = """
            UPDATE WebhookSubscription
            SET PreviousSecret = Secret, PreviousSecretExpiresAt = @Until, Secret = @Secret, Version = Version + 1, UpdatedAt = @Now
            WHERE Id = @Id
            """;

        public async ValueTask<CreateWebhook.Response> Handle(Command command, CancellationToken ct)
        {
            var now = clock.GetUtcNow();
            await using var connection = await db.OpenConnectionAsync(ct);
            await using var transaction = await connection.BeginTransactionAsync(ct);
            var before = await WebhookResponse.GetAsync(connection, command.WebhookId, caller, ct, transaction);
            var secret = WebhookSecrets.New();
            await connection.ExecuteAsync(new CommandDefinition(RotateSql, new
            {
                Id = command.WebhookId, Secret = secrets.Protect(secret), Until = now.AddHours(options.Value.SecretOverlapHours), Now = now,
            }, transaction, cancellationToken: ct));
            var after = await WebhookResponse.GetAsync(connection, command.WebhookId, caller, ct, transaction);
            await audit.RecordAsync(connection, transaction, "webhook", command.WebhookId, "rotateSecret", before, after, now, ct);
            await transaction.CommitAsync(ct);
            return new CreateWebhook.Response(secret, after);
        }
    }
}
