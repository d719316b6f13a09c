using System.Data.Common;
using Dapper;
using FluentValidation;
using Mediator;
using Microsoft.AspNetCore.Http.HttpResults;
using OkrKpi.Api.Features.Kpis;
using OkrKpi.Api.Infrastructure.Data;
using OkrKpi.Api.Infrastructure.Errors;

namespace OkrKpi.Api.Features.Measurements;

/// <summary>The current value of one period of a KPI: where a push's Location points.</summary>
public static class GetMeasurement
{
    public sealed record Query(string IdOrKey, string Period) : IQuery<MeasurementResponse?>;

    public static async Task<Results<Ok<MeasurementResponse>, NotFound>> Endpoint(string idOrKey, string period, ISender sender, CancellationToken ct) =>
        await sender.Send(new Query(idOrKey, period), ct) is { } measurement ? TypedResults.Ok(measurement) : TypedResults.NotFound();

    public sealed class Handler(DbDataSource db, Organisation organisation) : IQueryHandler<Query, MeasurementResponse?>
    {
        public async ValueTask<MeasurementResponse?> Handle(Query query, CancellationToken ct)
        {
            var zone = organisation.TimeZone;
            await using var connection = await db.OpenConnectionAsync(ct);
            var kpi = await KpiRow.GetAsync(connection, query.IdOrKey, ct);
            var periodStart = kpi.PeriodStartOf(query.Period, "period", zone);
            var row = await connection.QuerySingleOrDefaultAsync<MeasurementWrites.StoredRow>(
                new CommandDefinition(MeasurementWrites.CurrentForPeriodSql, new { KpiId = kpi.Id, PeriodStart = periodStart }, cancellationToken: ct));
            return row is null ? null : MeasurementWrites.Response(kpi, row, zone);
        }
    }
}
