using System.Data.Common;
using System.Text.Json.Serialization;
using Dapper;
using FluentValidation;
using Mediator;
using Microsoft.AspNetCore.Http.HttpResults;
using OkrKpi.Api.Features.Kpis;
using OkrKpi.Api.Infrastructure.Http;
using OkrKpi.Api.Infrastructure.Security;

namespace OkrKpi.Api.Features.Okrs;

/// <summary>
/// Adds a key result to an objective: a measurable outcome from a start value to a target, weighted within the objective,
/// owned by the objective's owner unless another is named, and optionally fed by a KPI (kpiId or kpiKey). The target may be
/// declared as a change from the start (the baseline, by default the KPI's latest value), and the key result may run over
/// its own timeframe within the cycle.
/// </summary>
public static class CreateKeyResult
{
    /// <param name="CurrentValue">Where it stands today; defaults to startValue. Not for a KPI-linked key result, whose KPI says it, nor for one
    /// whose baseline comes from its first check-in.</param>
    public sealed record Command(
        string? Title,
        KeyResultType? Type,
        string? Unit,
        decimal? StartValue,
        decimal? TargetValue,
        KeyResultDirection? Direction,
        TargetComparator? Comparator,
        KeyResultChange? Change,
        DateOnly? StartDate,
        DateOnly? DueDate,
        string? TimeframeReason,
        decimal? CurrentValue,
        decimal? Weight,
        Guid? OwnerTeamId,
        Guid? OwnerUserId,
        Guid? KpiId,
        string? KpiKey) : ICommand<KeyResultResponse>, IKeyResultFields
    {
        [JsonIgnore] public Guid ObjectiveId { get; init; }
    }

    public static async Task<Created<KeyResultResponse>> Endpoint(Guid objectiveId, Command body, ISender sender, HttpResponse response, CancellationToken ct)
    {
        var keyResult = await sender.Send(body with { ObjectiveId = objectiveId }, ct);
        ETags.Set(response, keyResult.Version);
        return TypedResults.Created($"/api/v1/key-results/{keyResult.Id}", keyResult);
    }

    public sealed class Validator : AbstractValidator<Command>
    {
        public Validator()
        {
            Include(new KeyResultFieldsValidator());
            RuleFor(c => c.CurrentValue).StoredExactly()
                .Null().When(c => c.KpiId is not null || !string.IsNullOrWhiteSpace(c.KpiKey))
                .WithMessage("A KPI-linked key result takes its current value from the KPI's latest measurement; leave currentValue out.");
            RuleFor(c => c.CurrentValue).Null().When(c => c.Change?.BaselineSource == BaselineSource.FirstCheckIn)
                .WithMessage("The first check-in gives this key result its baseline and its current value; leave currentValue out.");
            RuleFor(c => c.CurrentValue).Must((c, v) => v is null || KeyResultRules.FitsType(c.Type ?? KeyResultType.Number, v.Value))
                .WithMessage("A milestone is 0 (not done) or 1 (done).");
        }
    }

    public sealed class Handler(DbDataSource db, TimeProvider clock, Caller caller, AuditLog audit, OkrReader reader)
        : ICommandHandler<Command, KeyResultResponse>
    {
        // Ordinal: the next place in the objective, so its key results list in the order they were added (their
        // CreatedAt may be one instant for many). INSERT … SELECT with an aggregate yields one row, also for the first.
        internal const string InsertSql = """
            INSERT INTO KeyResult (Id, ObjectiveId, Ordinal, Title, Type, Unit, StartValue, TargetValue, Direction, Comparator,
                                   ChangePercent, ChangeBy, BaselineSource, StartDate, DueDate, TimeframeReason, CurrentValue, Weight,
                                   OwnerTeamId, OwnerUserId, KpiId, LastCheckInAt, FinalValue, Version, CreatedAt, UpdatedAt)
            SELECT @Id, @ObjectiveId, COALESCE(MAX(Ordinal), 0) + 1, @Title, @Type, @Unit, @StartValue, @TargetValue, @Direction, @Comparator,
                   @ChangePercent, @ChangeBy, @BaselineSource, @StartDate, @DueDate, @TimeframeReason, @CurrentValue, @Weight,
                   @OwnerTeamId, @OwnerUserId, @KpiId, NULL, NULL, 1, @Now, @Now
            FROM KeyResult
            WHERE ObjectiveId = @ObjectiveId
            """;

        public async ValueTask<KeyResultResponse> Handle(Command command, CancellationToken ct)
        {
            await using var connection = await db.OpenConnectionAsync(ct);
            await using var transaction = await connection.BeginTransactionAsync(ct);

            var objective = await ObjectiveHead.GetAsync(connection, command.ObjectiveId, ct, transaction);
            await objective.EnsureMayWriteAsync(caller, connection, transaction, ct);
            var cycle = await CycleRow.GetAsync(connection, objective.CycleId, ct, transaction);
            cycle.EnsureOpen("its key results");
            KeyResultRules.EnsureTimeframeFits(command, cycle);
            await ObjectiveRules.EnsureOwnerExistsAsync(connection, transaction, command.OwnerTeamId, command.OwnerUserId, ct);
            var kpiId = await KeyResultRules.ResolveKpiAsync(connection, transaction, command, ct);
            var definition = await KeyResultRules.DefineAsync(connection, transaction, command, kpiId, null, ct);
            var ownerNamed = command.OwnerTeamId is not null || command.OwnerUserId is not null;
            var id = Guid.CreateVersion7();
            var now = clock.GetUtcNow();
            await connection.ExecuteAsync(new CommandDefinition(InsertSql, new
            {
                Id = id,
                ObjectiveId = objective.Id,
                Title = command.Title!.Trim(),
                Type = (command.Type ?? KeyResultType.Number).ToString(),
                Unit = command.Unit.TrimToNull(),
                StartValue = definition.Start,
                TargetValue = definition.Target,
                Direction = definition.Direction.ToString(),
                Comparator = definition.Comparator.ToString(),
                ChangePercent = definition.Change?.Percent,
                ChangeBy = definition.Change?.By,
                BaselineSource = definition.BaselineSource?.ToString(),
                command.StartDate,
                command.DueDate,
                TimeframeReason = command.TimeframeReason.TrimToNull(),
                CurrentValue = kpiId is null && !definition.AwaitsBaseline ? command.CurrentValue ?? definition.Start : (decimal?)null,
                Weight = command.Weight ?? 1m,
                OwnerTeamId = ownerNamed ? command.OwnerTeamId : objective.OwnerTeamId,
                OwnerUserId = ownerNamed ? command.OwnerUserId : objective.OwnerUserId,
                KpiId = kpiId,
                Now = now,
            }, transaction, cancellationToken: ct));

            var keyResult = await reader.GetKeyResultAsync(connection, id, ct, transaction);
            await audit.RecordAsync(connection, transaction, "keyResult", id, "create", null, keyResult, now, ct);
            await transaction.CommitAsync(ct);
            return keyResult;
        }
    }
}
