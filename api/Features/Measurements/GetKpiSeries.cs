using System.Data.Common;
using Dapper;
using FluentValidation;
using Mediator;
using Microsoft.AspNetCore.Http.HttpResults;
using OkrKpi.Api.Features.Kpis;
using OkrKpi.Api.Infrastructure.Data;
using OkrKpi.Api.Infrastructure.Errors;

namespace OkrKpi.Api.Features.Measurements;

/// <summary>A KPI's values over a range of periods, each with the status it earns against the target.</summary>
public static class GetKpiSeries
{
    public const int DefaultPeriods = 30;
    public const int MaxPeriods = 5000;

    public sealed record Query(string IdOrKey, string? From, string? To) : IQuery<Response>;

    /// <param name="From">Start of the first period in the range (inclusive).</param>
    /// <param name="To">Start of the last period in the range (inclusive).</param>
    public sealed record Response(Guid KpiId, string KpiKey, KpiFrequency Frequency, KpiValueType ValueType, KpiTarget Target,
        DateTimeOffset From, DateTimeOffset To, IReadOnlyList<MeasurementResponse> Items);

    public static async Task<Ok<Response>> Endpoint(string idOrKey, ISender sender, CancellationToken ct, string? from = null, string? to = null) =>
        TypedResults.Ok(await sender.Send(new Query(idOrKey, from, to), ct));

    public sealed class Validator : AbstractValidator<Query>
    {
        public Validator()
        {
            RuleFor(q => q.From).MaximumLength(MeasurementLimits.PeriodMaxLength);
            RuleFor(q => q.To).MaximumLength(MeasurementLimits.PeriodMaxLength);
        }
    }

    public sealed class Handler(DbDataSource db, Organisation organisation, TimeProvider clock) : IQueryHandler<Query, Response>
    {
        private const string SeriesSql = """
            SELECT Id, KpiId, PeriodStart, Value, Source, Note, ExternalId, RecordedAt, RecordedBy
            FROM KpiMeasurement
            WHERE KpiId = @KpiId AND PeriodStart >= @From AND PeriodStart <= @To
            ORDER BY PeriodStart
            """;

        public async ValueTask<Response> Handle(Query query, CancellationToken ct)
        {
            var zone = organisation.TimeZone;
            await using var connection = await db.OpenConnectionAsync(ct);
            var kpi = await KpiRow.GetAsync(connection, query.IdOrKey, ct);

            var to = query.To is null ? KpiPeriods.StartOf(kpi.Frequency, clock.GetUtcNow(), zone) : kpi.PeriodStartOf(query.To, "to", zone);
            var from = query.From is null ? Back(kpi.Frequency, to, DefaultPeriods - 1, zone) : kpi.PeriodStartOf(query.From, "from", zone);
            if (from > to)
                throw new ValidationException([new("from", "from must not be after to.")]);
            if (Back(kpi.Frequency, to, MaxPeriods - 1, zone) > from)
                throw new ValidationException([new("from", $"The range covers more than {MaxPeriods} periods; ask for a shorter one.")]);

            var rows = await connection.QueryAsync<MeasurementWrites.StoredRow>(new CommandDefinition(SeriesSql, new { KpiId = kpi.Id, From = from, To = to }, cancellationToken: ct));
            return new Response(kpi.Id, kpi.KpiKey, kpi.Frequency, kpi.ValueType, kpi.Target(), from, to,
                rows.Select(row => MeasurementWrites.Response(kpi, row, zone)).ToList());
        }

        private static DateTimeOffset Back(KpiFrequency frequency, DateTimeOffset start, int periods, TimeZoneInfo zone)
        {
            for (var i = 0; i < periods && start.Year > 1; i++) start = KpiPeriods.Previous(frequency, start, zone);
            return start;
        }
    }
}
