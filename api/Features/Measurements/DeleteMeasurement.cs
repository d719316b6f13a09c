using System.Data.Common;
using Dapper;
using FluentValidation;
using Mediator;
using Microsoft.AspNetCore.Http.HttpResults;
using OkrKpi.Api.Features.Kpis;
using OkrKpi.Api.Infrastructure.Data;
using OkrKpi.Api.Infrastructure.Errors;
using OkrKpi.Api.Infrastructure.Security;

namespace OkrKpi.Api.Features.Measurements;

/// <summary>Removes a period's current value; the value stays in the period's revision history as deleted.</summary>
public static class DeleteMeasurement
{
    public sealed record Command(string IdOrKey, string Period) : ICommand;

    public static async Task<NoContent> Endpoint(string idOrKey, string period, ISender sender, CancellationToken ct)
    {
        await sender.Send(new Command(idOrKey, period), ct);
        return TypedResults.NoContent();
    }

    public sealed class Handler(DbDataSource db, Organisation organisation, TimeProvider clock, Caller caller, AuditLog audit) : ICommandHandler<Command>
    {
        private const string DeleteSql = "DELETE FROM KpiMeasurement WHERE Id = @Id";

        public async ValueTask<Unit> Handle(Command command, CancellationToken ct)
        {
            var zone = organisation.TimeZone;
            await using var connection = await db.OpenConnectionAsync(ct);
            await using var transaction = await connection.BeginTransactionAsync(ct);

            var kpi = await KpiRow.GetAsync(connection, command.IdOrKey, ct, transaction);
            await new KpiAccess(caller, Scopes.MeasurementsWrite).EnsureAsync(kpi.KpiKey, kpi.OwnerTeamId, connection, transaction, ct);
            var periodStart = kpi.PeriodStartOf(command.Period, "period", zone);
            var current = await connection.QuerySingleOrDefaultAsync<MeasurementWrites.StoredRow>(
                    new CommandDefinition(MeasurementWrites.CurrentForPeriodSql, new { KpiId = kpi.Id, PeriodStart = periodStart }, transaction, cancellationToken: ct))
                ?? throw new NotFoundException($"KPI '{kpi.KpiKey}' has no value for {KpiPeriods.Label(kpi.Frequency, periodStart, zone)}.");

            var now = clock.GetUtcNow();
            await connection.ExecuteAsync(new CommandDefinition(MeasurementWrites.ArchiveSql, current.Archived(now, caller.Actor, "deleted"), transaction, cancellationToken: ct));
            await connection.ExecuteAsync(new CommandDefinition(DeleteSql, new { current.Id }, transaction, cancellationToken: ct));
            var before = MeasurementWrites.Response(kpi, current, zone);
            await audit.RecordAsync(connection, transaction, MeasurementAudit.Entity, MeasurementAudit.EntityId(kpi.Id, before.Period), "delete", before, null, now, ct);
            await transaction.CommitAsync(ct);
            return Unit.Value;
        }
    }
}
