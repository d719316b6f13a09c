using System.Data.Common;
using Dapper;
using FluentValidation;
using Mediator;
using Microsoft.AspNetCore.Http.HttpResults;
using OkrKpi.Api.Features.Kpis.Formulas;
using OkrKpi.Api.Features.Okrs;
using OkrKpi.Api.Infrastructure.Data;
using OkrKpi.Api.Infrastructure.Errors;
using OkrKpi.Api.Infrastructure.Http;
using OkrKpi.Api.Infrastructure.Security;

namespace OkrKpi.Api.Features.Kpis;

/// <summary>Defines a new KPI: its key for integrators, its formula, target and frequency.</summary>
public static class CreateKpi
{
    public sealed record Command(
        string Key,
        string Name,
        string? Description,
        string? Formula,
        string? Unit,
        KpiValueType? ValueType,
        KpiFrequency? Frequency,
        KpiTarget? Target,
        Guid? OwnerTeamId,
        IReadOnlyList<string>? Tags,
        KpiAggregation? Aggregation = null,
        KpiFedBy? FedBy = null) : ICommand<KpiResponse>, IKpiDefinition;

    public static async Task<Created<KpiResponse>> Endpoint(Command command, ISender sender, HttpResponse response, CancellationToken ct)
    {
        var kpi = await sender.Send(command, ct);
        ETags.Set(response, kpi.Version);
        return TypedResults.Created($"/api/v1/kpis/{kpi.Id}", kpi);
    }

    public sealed class Validator : AbstractValidator<Command>
    {
        public Validator() => Include(new KpiDefinitionValidator());
    }

    public sealed class Handler(DbDataSource db, TimeProvider clock, Caller caller, AuditLog audit, Dialect dialect, Organisation organisation, OkrReader okrs) : ICommandHandler<Command, KpiResponse>
    {
        internal const string InsertSql = """
            INSERT INTO Kpi (Id, KpiKey, KeyNormalized, Name, Description, Formula, Unit, ValueType, Frequency,
                             TargetComparator, TargetValue, TargetLow, TargetHigh, TargetWarning, OwnerTeamId,
                             Aggregation, FedBy, Status, Version, CreatedAt, UpdatedAt)
            VALUES (@Id, @Key, @KeyNormalized, @Name, @Description, @Formula, @Unit, @ValueType, @Frequency,
                    @TargetComparator, @TargetValue, @TargetLow, @TargetHigh, @TargetWarning, @OwnerTeamId,
                    @Aggregation, @FedBy, @Status, 1, @Now, @Now)
            """;

        internal const string InsertTagSql = "INSERT INTO KpiTag (KpiId, Tag) VALUES (@KpiId, @Tag)";

        public async ValueTask<KpiResponse> Handle(Command command, CancellationToken ct)
        {
            var id = Guid.CreateVersion7();
            await using var connection = await db.OpenConnectionAsync(ct);
            await using var transaction = await connection.BeginTransactionAsync(ct);

            await KpiOwner.EnsureExistsAsync(connection, transaction, command.OwnerTeamId, ct);
            // An editor creates KPIs only for a team of its own; one without an owning team is the admins' to create.
            await new KpiAccess(caller, Scopes.KpisWrite).EnsureAsync(command.Key, command.OwnerTeamId, connection, transaction, ct);
            var (formula, inputs) = await FormulaDefinitions.CheckAsync(command, null, connection, transaction, ct);
            var now = clock.GetUtcNow();
            try
            {
                await connection.ExecuteAsync(new CommandDefinition(InsertSql, KpiColumns.From(id, command, KpiStatus.Active, now), transaction, cancellationToken: ct));
            }
            catch (DbException e) when (DbErrors.IsUniqueViolation(e))
            {
                throw new ConflictException($"A KPI with key '{command.Key.Trim()}' already exists (keys ignore case).");
            }
            var tags = KpiDefinition.NormalizeTags(command.Tags).Select(tag => new { KpiId = id, Tag = tag });
            await connection.ExecuteAsync(new CommandDefinition(InsertTagSql, tags, transaction, cancellationToken: ct));
            await FormulaDefinitions.SaveInputsAsync(id, inputs, hadInputs: false, connection, transaction, ct);
            // Its inputs may have history already: the new KPI starts with every value its formula gives.
            if (formula is not null)
                await Recomputation.WholeAsync([id], [], dialect.Provider, connection, transaction, organisation.TimeZone, okrs, now, caller.Actor, ct);

            var kpi = await KpiRow.LoadAsync(connection, id.ToString(), ct, transaction);
            await audit.RecordAsync(connection, transaction, KpiAudit.Entity, id, "create", null, kpi, now, ct);
            await transaction.CommitAsync(ct);
            return kpi!;
        }
    }
}
