using System.Data.Common;
using Dapper;
using Mediator;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using OkrKpi.Api.Infrastructure.Errors;
using OkrKpi.Api.Infrastructure.Http;
using OkrKpi.Api.Infrastructure.Security;

namespace OkrKpi.Api.Features.Webhooks;

/// <summary>
/// Pauses a webhook, or resumes it (also after the worker disabled it for failing): resuming clears the failure count,
/// and the deliveries that waited are sent. If-Match is honoured.
/// </summary>
public static class SetWebhookEnabled
{
    public sealed record Command(Guid WebhookId, bool Enabled, long? ExpectedVersion) : ICommand<WebhookResponse>;

    /// <summary>Resumes deliveries to the webhook.</summary>
    public static Task<Ok<WebhookResponse>> Enable(Guid webhookId, [FromHeader(Name = "If-Match")] string? ifMatch, ISender sender, HttpResponse response, CancellationToken ct) =>
        SendAsync(new Command(webhookId, true, ETags.Optional(ifMatch)), sender, response, ct);

    /// <summary>Pauses deliveries to the webhook; events keep queueing for it.</summary>
    public static Task<Ok<WebhookResponse>> Disable(Guid webhookId, [FromHeader(Name = "If-Match")] string? ifMatch, ISender sender, HttpResponse response, CancellationToken ct) =>
        SendAsync(new Command(webhookId, false, ETags.Optional(ifMatch)), sender, response, ct);

    private static async Task<Ok<WebhookResponse>> SendAsync(Command command, ISender sender, HttpResponse response, CancellationToken ct)
    {
        var webhook = await sender.Send(command, ct);
        ETags.Set(response, webhook.Version);
        return TypedResults.Ok(webhook);
    }

    public sealed class Handler(DbDataSource db, TimeProvider clock, Caller caller, AuditLog audit) : ICommandHandler<Command, WebhookResponse>
    {
        private const string SetSql = """
            UPDATE WebhookSubscription
            SET Enabled = @Enabled, DisabledReason = @Reason, ConsecutiveFailures = 0, Version = Version + 1, UpdatedAt = @Now
            WHERE Id = @Id
            """;

        public async ValueTask<WebhookResponse> Handle(Command command, CancellationToken ct)
        {
            var now = clock.GetUtcNow();
            await using var connection = await db.OpenConnectionAsync(ct);
            await using var transaction = await connection.BeginTransactionAsync(ct);
            var before = await WebhookResponse.GetAsync(connection, command.WebhookId, caller, ct, transaction);
            if (command.ExpectedVersion is { } expected && expected != before.Version)
                throw new PreconditionFailedException($"Webhook '{before.Name}' has changed since you read it (now version {before.Version}).");
            await connection.ExecuteAsync(new CommandDefinition(SetSql, new
            {
                Id = command.WebhookId, command.Enabled, Reason = command.Enabled ? null : $"Disabled by {caller.Actor}.", Now = now,
            }, transaction, cancellationToken: ct));
            var after = await WebhookResponse.GetAsync(connection, command.WebhookId, caller, ct, transaction);
            await audit.RecordAsync(connection, transaction, "webhook", command.WebhookId, command.Enabled ? "enable" : "disable", before, after, now, ct);
            await transaction.CommitAsync(ct);
            return after;
        }
    }
}
