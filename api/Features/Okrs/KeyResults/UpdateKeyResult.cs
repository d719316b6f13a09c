using System.Data.Common;
using System.Text.Json.Serialization;
using Dapper;
using FluentValidation;
using Mediator;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using OkrKpi.Api.Features.Kpis;
using OkrKpi.Api.Infrastructure.Http;
using OkrKpi.Api.Infrastructure.Security;

namespace OkrKpi.Api.Features.Okrs;

/// <summary>
/// Replaces a key result's definition (If-Match). Its current value changes only through check-ins (or its KPI), so the
/// body has none; unlinking a KPI brings back the last checked-in value (or the start value).
/// </summary>
public static class UpdateKeyResult
{
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
        decimal? Weight,
        Guid? OwnerTeamId,
        Guid? OwnerUserId,
        Guid? KpiId,
        string? KpiKey) : ICommand<KeyResultResponse>, IKeyResultFields
    {
        [JsonIgnore] public Guid KeyResultId { get; init; }
        [JsonIgnore] public long? ExpectedVersion { get; init; }
    }

    public static async Task<Ok<KeyResultResponse>> Endpoint(Guid keyResultId, Command body, [FromHeader(Name = "If-Match")] string? ifMatch,
        ISender sender, HttpResponse response, CancellationToken ct)
    {
        var keyResult = await sender.Send(body with { KeyResultId = keyResultId, ExpectedVersion = ETags.Required(ifMatch) }, ct);
        ETags.Set(response, keyResult.Version);
        return TypedResults.Ok(keyResult);
    }

    public sealed class Validator : AbstractValidator<Command>
    {
        public Validator() => Include(new KeyResultFieldsValidator());
    }

    public sealed class Handler(DbDataSource db, TimeProvider clock, Caller caller, AuditLog audit, OkrReader reader)
        : ICommandHandler<Command, KeyResultResponse>
    {
        internal const string UpdateSql = """
            UPDATE KeyResult
            SET Title = @Title, Type = @Type, Unit = @Unit, StartValue = @StartValue, TargetValue = @TargetValue, Direction = @Direction,
                Comparator = @Comparator, ChangePercent = @ChangePercent, ChangeBy = @ChangeBy, BaselineSource = @BaselineSource,
                StartDate = @StartDate, DueDate = @DueDate, TimeframeReason = @TimeframeReason,
                CurrentValue = @CurrentValue, Weight = @Weight, OwnerTeamId = @OwnerTeamId, OwnerUserId = @OwnerUserId, KpiId = @KpiId,
                Version = Version + 1, UpdatedAt = @Now
            WHERE Id = @Id AND Version = @Version
            """;

        public async ValueTask<KeyResultResponse> Handle(Command command, CancellationToken ct)
        {
            await using var connection = await db.OpenConnectionAsync(ct);
            await using var transaction = await connection.BeginTransactionAsync(ct);

            var head = await KeyResultHead.GetAsync(connection, command.KeyResultId, ct, transaction);
            await head.EnsureMayWriteAsync(caller, connection, transaction, ct);
            head.EnsureVersion(command.ExpectedVersion);
            var cycle = await head.OpenCycleAsync(connection, transaction, "its key results", ct);
            KeyResultRules.EnsureTimeframeFits(command, cycle);
            await ObjectiveRules.EnsureOwnerExistsAsync(connection, transaction, command.OwnerTeamId, command.OwnerUserId, ct);
            var kpiId = await KeyResultRules.ResolveKpiAsync(connection, transaction, command, ct);
            var definition = await KeyResultRules.DefineAsync(connection, transaction, command, kpiId, head.Id, ct);
            var start = definition.Start;
            var type = command.Type ?? KeyResultType.Number;
            decimal? current = definition.AwaitsBaseline ? head.CurrentValue : head.CurrentValue ?? start;
            if (current is { } value && !KeyResultRules.FitsType(type, value)) current = value >= 1m ? 1m : 0m;
            var ownerNamed = command.OwnerTeamId is not null || command.OwnerUserId is not null;

            var before = await reader.GetKeyResultAsync(connection, head.Id, ct, transaction);
            // A baseline read from the KPI or the first check-in and sent back unchanged (as a merge patch does) is still theirs.
            var baselineSource = definition.BaselineSource == BaselineSource.Given && before.Change?.BaselineSource is BaselineSource.Kpi or BaselineSource.FirstCheckIn
                && before.StartValue == start
                ? before.Change.BaselineSource : definition.BaselineSource;
            var now = clock.GetUtcNow();
            var updated = await connection.ExecuteAsync(new CommandDefinition(UpdateSql, new
            {
                head.Id,
                head.Version,
                Title = command.Title!.Trim(),
                Type = type.ToString(),
                Unit = command.Unit.TrimToNull(),
                StartValue = start,
                TargetValue = definition.Target,
                Direction = definition.Direction.ToString(),
                Comparator = definition.Comparator.ToString(),
                ChangePercent = definition.Change?.Percent,
                ChangeBy = definition.Change?.By,
                BaselineSource = baselineSource?.ToString(),
                command.StartDate,
                command.DueDate,
                TimeframeReason = command.TimeframeReason.TrimToNull(),
                CurrentValue = current,
                Weight = command.Weight ?? 1m,
                OwnerTeamId = ownerNamed ? command.OwnerTeamId : head.ObjectiveOwnerTeamId,
                OwnerUserId = ownerNamed ? command.OwnerUserId : head.ObjectiveOwnerUserId,
                KpiId = kpiId,
                Now = now,
            }, transaction, cancellationToken: ct));
            ETags.EnsureUpdated(updated, $"Key result '{head.Id}'");

            var after = await reader.GetKeyResultAsync(connection, head.Id, ct, transaction);
            await audit.RecordAsync(connection, transaction, "keyResult", head.Id, "update", before, after, now, ct);
            await transaction.CommitAsync(ct);
            return after;
        }
    }
}
