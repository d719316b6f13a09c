using System.Data.Common;
using Dapper;
using FluentValidation;
using Mediator;
using Microsoft.AspNetCore.Http.HttpResults;
using OkrKpi.Api.Infrastructure.Http;
using OkrKpi.Api.Infrastructure.Security;

namespace OkrKpi.Api.Features.Okrs;

/// <summary>Writes an objective for a cycle, owned by a team or a person, optionally aligned to a parent and linked to KPIs.</summary>
public static class CreateObjective
{
    public sealed record Command(
        Guid? CycleId,
        string? Title,
        string? Description,
        Guid? OwnerTeamId,
        Guid? OwnerUserId,
        Guid? ParentObjectiveId,
        ObjectiveStatus? Status,
        IReadOnlyList<Guid>? KpiIds) : ICommand<ObjectiveResponse>, IObjectiveFields;

    public static async Task<Created<ObjectiveResponse>> Endpoint(Command command, ISender sender, HttpResponse response, CancellationToken ct)
    {
        var objective = await sender.Send(command, ct);
        ETags.Set(response, objective.Version);
        return TypedResults.Created($"/api/v1/objectives/{objective.Id}", objective);
    }

    public sealed class Validator : AbstractValidator<Command>
    {
        public Validator()
        {
            RuleFor(c => c.CycleId).NotNull().WithMessage("cycleId is required.");
            Include(new ObjectiveFieldsValidator());
        }
    }

    public sealed class Handler(DbDataSource db, TimeProvider clock, Caller caller, AuditLog audit, OkrReader reader)
        : ICommandHandler<Command, ObjectiveResponse>
    {
        internal const string InsertSql = """
            INSERT INTO Objective (Id, CycleId, Title, Description, OwnerTeamId, OwnerUserId, ParentObjectiveId, Status,
                                   Score, ScoreNote, CarriedFromObjectiveId, Version, CreatedAt, UpdatedAt)
            VALUES (@Id, @CycleId, @Title, @Description, @OwnerTeamId, @OwnerUserId, @ParentObjectiveId, @Status,
                    NULL, NULL, @CarriedFromObjectiveId, 1, @Now, @Now)
            """;

        public async ValueTask<ObjectiveResponse> Handle(Command command, CancellationToken ct)
        {
            await using var connection = await db.OpenConnectionAsync(ct);
            await using var transaction = await connection.BeginTransactionAsync(ct);

            var cycle = await CycleRow.ForFieldAsync(connection, command.CycleId!.Value, "cycleId", ct, transaction);
            await ObjectiveRules.EnsureOwnerExistsAsync(connection, transaction, command.OwnerTeamId, command.OwnerUserId, ct);
            await caller.EnsureMayWriteAsync(Scopes.OkrsWrite, command.OwnerTeamId, command.OwnerUserId, "the objective's owner", connection, transaction, ct);
            cycle.EnsureOpen("its objectives");
            await ObjectiveRules.EnsureParentAsync(connection, transaction, null, command.ParentObjectiveId, cycle, ct);

            var id = Guid.CreateVersion7();
            var now = clock.GetUtcNow();
            await connection.ExecuteAsync(new CommandDefinition(InsertSql, new
            {
                Id = id,
                CycleId = cycle.Id,
                Title = command.Title!.Trim(),
                Description = command.Description.TrimToNull(),
                command.OwnerTeamId,
                command.OwnerUserId,
                command.ParentObjectiveId,
                Status = (command.Status ?? ObjectiveStatus.Active).ToString(),
                CarriedFromObjectiveId = (Guid?)null,
                Now = now,
            }, transaction, cancellationToken: ct));
            await ObjectiveRules.ReplaceKpisAsync(connection, transaction, id, command.KpiIds, replacing: false, ct);

            var objective = await reader.GetObjectiveAsync(connection, id, ct, transaction);
            await audit.RecordAsync(connection, transaction, "objective", id, "create", null, objective, now, ct);
            await transaction.CommitAsync(ct);
            return objective;
        }
    }
}
