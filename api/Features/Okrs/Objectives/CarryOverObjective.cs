using System.Data.Common;
using System.Text.Json.Serialization;
using Dapper;
using FluentValidation;
using OkrKpi.Api.Infrastructure.Mediator;
using Mediator;
using Microsoft.AspNetCore.Http.HttpResults;
using OkrKpi.Api.Infrastructure.Http;
using OkrKpi.Api.Infrastructure.Security;

namespace OkrKpi.Api.Features.Okrs;

/// <summary>
/// Carries an objective into a later cycle with the key results chosen: a new objective with the same title, owner and
/// linked KPIs, remembering where it came from. Copied key results keep their definition and current value (a
/// KPI-linked one keeps following its KPI), so progress carries over; check-ins and initiatives stay with the original.
/// The alignment is kept only when the parent's cycle also encloses the new one.
/// </summary>
public static class CarryOverObjective
{
    public sealed record Command(Guid? CycleId, IReadOnlyList<Guid>? KeyResultIds) : ICommand<ObjectiveResponse>
    {
        [JsonIgnore] public Guid ObjectiveId { get; init; }
    }

    public static async Task<Created<ObjectiveResponse>> Endpoint(Guid objectiveId, Command body, ISender sender, HttpResponse response, CancellationToken ct)
    {
        var objective = await sender.Send(body with { ObjectiveId = objectiveId }, ct);
        ETags.Set(response, objective.Version);
        return TypedResults.Created($"/api/v1/objectives/{objective.Id}", objective);
    }

    /// <summary>More key results than any objective worth carrying over has.</summary>
    public const int MaxKeyResults = 100;

    public sealed class Validator : AbstractValidator<Command>
    {
        public Validator()
        {
            RuleFor(c => c.CycleId).NotNull().WithMessage("cycleId is required: the cycle to carry the objective into.");
            RuleFor(c => c.KeyResultIds).NotNull().WithMessage("keyResultIds is required (it may be empty).")
                .ItemCount(0, MaxKeyResults).WithMessage($"keyResultIds names at most {MaxKeyResults} key results.");
        }
    }

    public sealed class Handler(DbDataSource db, TimeProvider clock, Caller caller, AuditLog audit, OkrReader reader) : ICommandHandler<Command, ObjectiveResponse>
    {
        internal const string CopyKpisSql = """
            INSERT INTO ObjectiveKpi (ObjectiveId, KpiId)
            SELECT @NewId, KpiId FROM ObjectiveKpi WHERE ObjectiveId = @SourceId
            """;

        public async ValueTask<ObjectiveResponse> Handle(Command command, CancellationToken ct)
        {
            await using var connection = await db.OpenConnectionAsync(ct);
            await using var transaction = await connection.BeginTransactionAsync(ct);

            var head = await ObjectiveHead.GetAsync(connection, command.ObjectiveId, ct, transaction);
            await head.EnsureMayWriteAsync(caller, connection, transaction, ct);
            var source = await reader.GetObjectiveAsync(connection, head.Id, ct, transaction);
            var fromCycle = await CycleRow.GetAsync(connection, head.CycleId, ct, transaction);
            var toCycle = await CycleRow.ForFieldAsync(connection, command.CycleId!.Value, "cycleId", ct, transaction);
            if (toCycle.StartDate <= fromCycle.StartDate)
                throw new ValidationException([new("cycleId", $"Cycle '{toCycle.Name}' does not start after cycle '{fromCycle.Name}': carry objectives forward.")]);
            toCycle.EnsureOpen("its objectives");
            var ids = command.KeyResultIds!;
            for (var i = 0; i < ids.Count; i++)
                if (source.KeyResults.All(k => k.Id != ids[i]))
                    throw new ValidationException([new($"keyResultIds[{i}]", $"Key result '{ids[i]}' is not one of this objective's.")]);

            Guid? parent = null;
            if (head.ParentObjectiveId is { } parentId)
            {
                var parentCycle = await CycleRow.GetAsync(connection, (await ObjectiveHead.GetAsync(connection, parentId, ct, transaction)).CycleId, ct, transaction);
                if (parentCycle.Encloses(toCycle)) parent = parentId;
            }

            var id = Guid.CreateVersion7();
            var now = clock.GetUtcNow();
            await connection.ExecuteAsync(new CommandDefinition(CreateObjective.Handler.InsertSql, new
            {
                Id = id,
                CycleId = toCycle.Id,
                source.Title,
                source.Description,
                source.OwnerTeamId,
                source.OwnerUserId,
                ParentObjectiveId = parent,
                Status = (source.Status == ObjectiveStatus.Draft ? ObjectiveStatus.Draft : ObjectiveStatus.Active).ToString(),
                CarriedFromObjectiveId = (Guid?)source.Id,
                Now = now,
            }, transaction, cancellationToken: ct));
            await connection.ExecuteAsync(new CommandDefinition(CopyKpisSql, new { NewId = id, SourceId = source.Id }, transaction, cancellationToken: ct));
            var copies = source.KeyResults.Where(k => ids.Contains(k.Id)).Select(k => new
            {
                Id = Guid.CreateVersion7(),
                ObjectiveId = id,
                k.Title,
                Type = k.Type.ToString(),
                k.Unit,
                // One still waiting for its first check-in's baseline waits in the copy too (0 → 0 marks the wait).
                StartValue = k.StartValue ?? 0m,
                TargetValue = k.TargetValue ?? 0m,
                Direction = k.Direction.ToString(),
                Comparator = k.Comparator.ToString(),
                ChangePercent = k.Change?.Percent,
                ChangeBy = k.Change?.By,
                BaselineSource = k.Change?.BaselineSource.ToString(),
                // The copy runs over its new cycle: the original's own dates belong to the original's cycle.
                StartDate = (DateOnly?)null,
                DueDate = (DateOnly?)null,
                TimeframeReason = (string?)null,
                CurrentValue = k.KpiId is null ? k.CurrentValue ?? k.StartValue : (decimal?)null,
                k.Weight,
                k.OwnerTeamId,
                k.OwnerUserId,
                k.KpiId,
                Now = now,
            }).ToList();
            if (copies.Count > 0)
                await connection.ExecuteAsync(new CommandDefinition(CreateKeyResult.Handler.InsertSql, copies, transaction, cancellationToken: ct));

            var carried = await reader.GetObjectiveAsync(connection, id, ct, transaction);
            await audit.RecordAsync(connection, transaction, "objective", id, "carryOver", source, carried, now, ct);
            await transaction.CommitAsync(ct);
            return carried;
        }
    }
}
