using System.Data.Common;
using System.Text.Json.Serialization;
using Dapper;
using FluentValidation;
using Mediator;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using OkrKpi.Api.Infrastructure.Http;
using OkrKpi.Api.Infrastructure.Security;

namespace OkrKpi.Api.Features.Okrs;

/// <summary>
/// Replaces an objective's title, description, owner, alignment, status and linked KPIs (If-Match). The cycle stays:
/// carry an objective over to move it on. Changing the owner needs write access to both the old and the new one.
/// </summary>
public static class UpdateObjective
{
    public sealed record Command(
        string? Title,
        string? Description,
        Guid? OwnerTeamId,
        Guid? OwnerUserId,
        Guid? ParentObjectiveId,
        ObjectiveStatus? Status,
        IReadOnlyList<Guid>? KpiIds) : ICommand<ObjectiveResponse>, IObjectiveFields
    {
        [JsonIgnore] public Guid ObjectiveId { get; init; }
        [JsonIgnore] public long? ExpectedVersion { get; init; }
    }

    public static async Task<Ok<ObjectiveResponse>> Endpoint(Guid objectiveId, Command body, [FromHeader(Name = "If-Match")] string? ifMatch,
        ISender sender, HttpResponse response, CancellationToken ct)
    {
        var objective = await sender.Send(body with { ObjectiveId = objectiveId, ExpectedVersion = ETags.Required(ifMatch) }, ct);
        ETags.Set(response, objective.Version);
        return TypedResults.Ok(objective);
    }

    public sealed class Validator : AbstractValidator<Command>
    {
        public Validator() => Include(new ObjectiveFieldsValidator());
    }

    public sealed class Handler(DbDataSource db, TimeProvider clock, Caller caller, AuditLog audit, OkrReader reader)
        : ICommandHandler<Command, ObjectiveResponse>
    {
        internal const string UpdateSql = """
            UPDATE Objective
            SET Title = @Title, Description = @Description, OwnerTeamId = @OwnerTeamId, OwnerUserId = @OwnerUserId,
                ParentObjectiveId = @ParentObjectiveId, Status = @Status, Version = Version + 1, UpdatedAt = @Now
            WHERE Id = @Id AND Version = @Version
            """;

        public async ValueTask<ObjectiveResponse> Handle(Command command, CancellationToken ct)
        {
            await using var connection = await db.OpenConnectionAsync(ct);
            await using var transaction = await connection.BeginTransactionAsync(ct);

            var head = await ObjectiveHead.GetAsync(connection, command.ObjectiveId, ct, transaction);
            await head.EnsureMayWriteAsync(caller, connection, transaction, ct);
            head.EnsureVersion(command.ExpectedVersion);
            await ObjectiveRules.EnsureOwnerExistsAsync(connection, transaction, command.OwnerTeamId, command.OwnerUserId, ct);
            if (command.OwnerTeamId != head.OwnerTeamId || command.OwnerUserId != head.OwnerUserId)
                await caller.EnsureMayWriteAsync(Scopes.OkrsWrite, command.OwnerTeamId, command.OwnerUserId, "the new owner", connection, transaction, ct);
            var cycle = await CycleRow.GetAsync(connection, head.CycleId, ct, transaction);
            cycle.EnsureOpen("its objectives");
            if (command.ParentObjectiveId != head.ParentObjectiveId)
                await ObjectiveRules.EnsureParentAsync(connection, transaction, head.Id, command.ParentObjectiveId, cycle, ct);

            var before = await reader.GetObjectiveAsync(connection, head.Id, ct, transaction);
            var now = clock.GetUtcNow();
            var updated = await connection.ExecuteAsync(new CommandDefinition(UpdateSql, new
            {
                head.Id,
                head.Version,
                Title = command.Title!.Trim(),
                Description = command.Description.TrimToNull(),
                command.OwnerTeamId,
                command.OwnerUserId,
                command.ParentObjectiveId,
                Status = (command.Status ?? before.Status).ToString(),
                Now = now,
            }, transaction, cancellationToken: ct));
            ETags.EnsureUpdated(updated, $"Objective '{head.Id}'");
            await ObjectiveRules.ReplaceKpisAsync(connection, transaction, head.Id, command.KpiIds, replacing: true, ct);

            var after = await reader.GetObjectiveAsync(connection, head.Id, ct, transaction);
            await audit.RecordAsync(connection, transaction, "objective", head.Id, "update", before, after, now, ct);
            await transaction.CommitAsync(ct);
            return after;
        }
    }
}
