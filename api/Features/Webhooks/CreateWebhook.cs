using System.Data.Common;
using Dapper;
using FluentValidation;
using Mediator;
using Microsoft.AspNetCore.Http.HttpResults;
using OkrKpi.Api.Features.Kpis;
using OkrKpi.Api.Features.Notifications;
using OkrKpi.Api.Infrastructure.Errors;
using OkrKpi.Api.Infrastructure.Mediator;
using OkrKpi.Api.Infrastructure.Security;

namespace OkrKpi.Api.Features.Webhooks;

/// <summary>
/// Subscribes a receiver to events: an admin for anything, an editor for their own teams (teamIds required, each one of
/// theirs). The answer carries the signing secret, once; the database keeps it encrypted with Data Protection.
/// </summary>
public static class CreateWebhook
{
    public sealed record Command(string Name, string Url, WebhookFormat? Format, IReadOnlyList<string>? EventTypes, IReadOnlyList<Guid>? TeamIds,
        IReadOnlyList<string>? KpiKeys, IReadOnlyList<string>? Statuses) : ICommand<Response>;

    /// <summary>The subscription and its secret (<c>whsec_…</c>), shown in this answer only.</summary>
    public sealed record Response(string Secret, WebhookResponse Webhook);

    public static async Task<Created<Response>> Endpoint(Command command, ISender sender, HttpResponse response, CancellationToken ct)
    {
        var created = await sender.Send(command, ct);
        // The secret must not linger in any cache between here and the client.
        response.Headers.CacheControl = "no-store";
        return TypedResults.Created($"/api/v1/webhooks/{created.Webhook.Id}", created);
    }

    public sealed class Validator : AbstractValidator<Command>
    {
        public Validator(OutboundAddressGuard guard)
        {
            RuleFor(c => c.Name).NotBlank().WithMessage("name is required.")
                .MaximumTrimmedLength(WebhookRules.NameMaxLength).WithMessage($"name must be at most {WebhookRules.NameMaxLength} characters.");
            RuleFor(c => c.Url).MustBeAReceiverUrl(guard);
            RuleFor(c => c.EventTypes).NotEmpty().WithMessage($"eventTypes must name at least one of {string.Join(", ", EventTypes.All)}.")
                .Must(types => types is null || types.Distinct().Count() == types.Count).WithMessage("eventTypes must not name a type twice.")
                .ItemCount(1, EventTypes.All.Count).WithMessage($"eventTypes must name 1 to {EventTypes.All.Count} event types.");
            RuleForEach(c => c.EventTypes).OneOf(EventTypes.All).WithMessage((_, type) => $"'{type}' is not an event type; use {string.Join(", ", EventTypes.All)}.");
            RuleFor(c => c.TeamIds).ItemCount(1, WebhookRules.MaxTeams).WithMessage($"teamIds must list 1 to {WebhookRules.MaxTeams} teams, or be left out for every team.");
            RuleFor(c => c.KpiKeys).ItemCount(1, WebhookRules.MaxKpiKeys).WithMessage($"kpiKeys must list 1 to {WebhookRules.MaxKpiKeys} KPI keys, or be left out for every KPI.");
            RuleForEach(c => c.KpiKeys).NotBlank().WithMessage("A KPI key is required here.").MaximumLength(KpiDefinition.KeyMaxLength);
            RuleFor(c => c.Statuses).ItemCount(1, WebhookRules.Statuses.Count).WithMessage("statuses must list at least one status, or be left out for every status.");
            RuleForEach(c => c.Statuses).OneOf(WebhookRules.Statuses).WithMessage((_, s) => $"'{s}' is not a status; use {string.Join(", ", WebhookRules.Statuses)}.");
        }
    }

    public sealed class Handler(DbDataSource db, TimeProvider clock, Caller caller, AuditLog audit, WebhookSecrets secrets) : ICommandHandler<Command, Response>
    {
        private const string InsertSql = """
            INSERT INTO WebhookSubscription (Id, Name, Url, Format, EventTypes, TeamIds, KpiKeys, Statuses, Secret, PreviousSecret, PreviousSecretExpiresAt,
                Enabled, DisabledReason, ConsecutiveFailures, CreatedBy, Version, CreatedAt, UpdatedAt)
            VALUES (@Id, @Name, @Url, @Format, @EventTypes, @TeamIds, @KpiKeys, @Statuses, @Secret, NULL, NULL, 1, NULL, 0, @CreatedBy, 1, @Now, @Now)
            """;

        private const string KnownTeamsSql = "SELECT Id FROM Team WHERE Id IN @Ids";

        public async ValueTask<Response> Handle(Command command, CancellationToken ct)
        {
            var now = clock.GetUtcNow();
            var id = Guid.CreateVersion7();
            var teams = command.TeamIds?.Distinct().ToList();
            await using var connection = await db.OpenConnectionAsync(ct);
            await using var transaction = await connection.BeginTransactionAsync(ct);
            if (teams is not null)
            {
                var known = (await connection.QueryAsync<Guid>(new CommandDefinition(KnownTeamsSql, new { Ids = teams.Select(t => t.ToString("D")).ToList() },
                    transaction, cancellationToken: ct))).ToHashSet();
                if (teams.FirstOrDefault(t => !known.Contains(t)) is var unknown && unknown != Guid.Empty)
                    throw new ValidationException([new("teamIds", $"There is no team with the id '{unknown}'.")]);
            }
            if (!await WebhookRules.MayManageAsync(caller, teams, connection, transaction, ct))
                throw new ForbiddenException(caller.IsAdmin || caller.Has(Scopes.KpisWrite)
                    ? "An editor's webhook must filter on teamIds, naming only teams you are a member of."
                    : "Managing webhooks needs the 'kpis:write' permission, which you do not have.");

            var secret = WebhookSecrets.New();
            await connection.ExecuteAsync(new CommandDefinition(InsertSql, new
            {
                Id = id,
                Name = command.Name.Trim(),
                Url = command.Url.Trim(),
                Format = (command.Format ?? WebhookFormat.Standard).ToString(),
                EventTypes = WebhookLists.Join(command.EventTypes),
                TeamIds = WebhookLists.Join(teams?.Select(t => t.ToString("D"))),
                KpiKeys = WebhookLists.Join(command.KpiKeys?.Select(KpiDefinition.NormalizeKey).Distinct()),
                Statuses = WebhookLists.Join(command.Statuses?.Distinct()),
                Secret = secrets.Protect(secret),
                CreatedBy = caller.UserId,
                Now = now,
            }, transaction, cancellationToken: ct));
            var created = await WebhookResponse.GetAsync(connection, id, caller, ct, transaction);
            // The audit entry is the response, which never holds the secret.
            await audit.RecordAsync(connection, transaction, "webhook", id, "create", null, created, now, ct);
            await transaction.CommitAsync(ct);
            return new Response(secret, created);
        }
    }
}
