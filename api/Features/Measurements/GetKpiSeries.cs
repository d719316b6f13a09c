using System.Data.Common;
using Dapper;
using FluentValidation;
using Mediator;
using Microsoft.AspNetCore.Http.HttpResults;
using OkrKpi.Api.Features.Kpis;
using OkrKpi.Api.Infrastructure.Data;
using OkrKpi.Api.Infrastructure.Errors;
using OkrKpi.Api.Infrastructure.Http;
using OkrKpi.Api.Infrastructure.Mediator;

namespace OkrKpi.Api.Features.Measurements;

/// <summary>
/// A KPI's values over a range of periods, each with the status it earns against the target; with a coarser
/// <c>frequency</c>, the values rolled up into its periods by the KPI's aggregation (a monthly revenue read quarterly).
/// </summary>
public static class GetKpiSeries
{
    public const int DefaultPeriods = 30;
    public const int MaxPeriods = 5000;

    public sealed record Query(string IdOrKey, string? From, string? To, string? Frequency = null) : IQuery<Response>;

    /// <param name="From">Start of the first period in the range (inclusive).</param>
    /// <param name="To">Start of the last period in the range (inclusive).</param>
    /// <param name="Frequency">The frequency of the items: the KPI's own, or the coarser one asked for.</param>
    /// <param name="RolledUpFrom">The KPI's own frequency when its values were rolled up (null otherwise) into coarser periods; each item then has source computed and says in its note how many values it combines.</param>
    /// <param name="Aggregation">How the KPI's values combine into a coarser period.</param>
    /// <param name="FedBy">formula when the KPI's own values are computed from other KPIs (their source is computed).</param>
    public sealed record Response(Guid KpiId, string KpiKey, KpiFrequency Frequency, KpiValueType ValueType, KpiTarget Target,
        DateTimeOffset From, DateTimeOffset To, IReadOnlyList<MeasurementResponse> Items, KpiAggregation Aggregation, KpiFedBy FedBy,
        KpiFrequency? RolledUpFrom);

    /// <param name="frequency">A frequency coarser than the KPI's, into whose periods its values roll up (from and to are then periods of it).</param>
    public static async Task<Ok<Response>> Endpoint(string idOrKey, ISender sender, CancellationToken ct, string? from = null, string? to = null, string? frequency = null) =>
        TypedResults.Ok(await sender.Send(new Query(idOrKey, from, to, frequency), ct));

    public sealed class Validator : AbstractValidator<Query>
    {
        public Validator()
        {
            RuleFor(q => q.From).MaximumLength(MeasurementLimits.PeriodMaxLength);
            RuleFor(q => q.To).MaximumLength(MeasurementLimits.PeriodMaxLength);
            // Text, as in the KPI list's filter, so that "1" is refused instead of being read as the second member.
            RuleFor(q => q.Frequency).OneOf(StrictJson.EnumValues<KpiFrequency>().Keys, StringComparer.OrdinalIgnoreCase)
                .WithMessage($"frequency must be one of: {string.Join(", ", StrictJson.EnumValues<KpiFrequency>().Keys)}.");
        }
    }

    public sealed class Handler(DbDataSource db, Organisation organisation, TimeProvider clock) : IQueryHandler<Query, Response>
    {
        private const string SeriesSql = """
            SELECT Id, KpiId, PeriodStart, Value, Source, Note, ExternalId, RecordedAt, RecordedBy
            FROM KpiMeasurement
            WHERE KpiId = @KpiId AND PeriodStart >= @From AND PeriodStart < @To
            ORDER BY PeriodStart
            """;

        public async ValueTask<Response> Handle(Query query, CancellationToken ct)
        {
            var zone = organisation.TimeZone;
            await using var connection = await db.OpenConnectionAsync(ct);
            var kpi = await KpiRow.GetAsync(connection, query.IdOrKey, ct);
            var frequency = query.Frequency is null ? kpi.Frequency : Enum.Parse<KpiFrequency>(query.Frequency, ignoreCase: true);
            if (!KpiRollUp.Nests(kpi.Frequency, frequency))
                throw new ValidationException([new("frequency", $"KPI '{kpi.KpiKey}' is {Name(kpi.Frequency)}: its values roll up into {KpiRollUp.NestsIn(kpi.Frequency)}, not {Name(frequency)}.")]);

            var to = query.To is null ? KpiPeriods.StartOf(frequency, clock.GetUtcNow(), zone) : KpiRow.PeriodStartOf(query.To, "to", frequency, zone);
            var from = query.From is null ? Back(frequency, to, DefaultPeriods - 1, zone) : KpiRow.PeriodStartOf(query.From, "from", frequency, zone);
            if (from > to)
                throw new ValidationException([new("from", "from must not be after to.")]);
            if (Back(frequency, to, MaxPeriods - 1, zone) > from)
                throw new ValidationException([new("from", $"The range covers more than {MaxPeriods} periods; ask for a shorter one.")]);

            var rows = await connection.QueryAsync<MeasurementWrites.StoredRow>(new CommandDefinition(SeriesSql,
                new { KpiId = kpi.Id, From = from, To = KpiPeriods.Next(frequency, to, zone) }, cancellationToken: ct));
            var items = frequency == kpi.Frequency
                ? rows.Select(row => MeasurementWrites.Response(kpi, row, zone)).ToList()
                : RollUp(kpi, frequency, rows, zone);
            return new Response(kpi.Id, kpi.KpiKey, frequency, kpi.ValueType, kpi.Target(), from, to, items, kpi.Aggregation, kpi.FedBy,
                frequency == kpi.Frequency ? null : kpi.Frequency);
        }

        private static List<MeasurementResponse> RollUp(KpiRow kpi, KpiFrequency frequency, IEnumerable<MeasurementWrites.StoredRow> rows, TimeZoneInfo zone) =>
            rows.GroupBy(row => KpiPeriods.StartOf(frequency, row.PeriodStart, zone))
                .Select(period => (Start: period.Key, Rows: period.ToList(), Value: KpiRollUp.Combine(kpi.Aggregation, period.Select(r => r.Value).ToList())))
                .Where(period => period.Value is not null)
                .Select(period => new MeasurementResponse(kpi.Id, kpi.KpiKey, KpiPeriods.Label(frequency, period.Start, zone), period.Start,
                    MeasurementWrites.Present(kpi.ValueType, MeasurementRules.Shortest(period.Value!.Value).Value), KpiStatusEngine.Evaluate(kpi.Target(), period.Value),
                    MeasurementSource.Computed,
                    $"{Name(kpi.Aggregation)} of {period.Rows.Count} {Name(kpi.Frequency)} value{(period.Rows.Count == 1 ? "" : "s")} ({KpiPeriods.Label(kpi.Frequency, period.Rows[0].PeriodStart, zone)}" +
                    (period.Rows.Count == 1 ? ")" : $" to {KpiPeriods.Label(kpi.Frequency, period.Rows[^1].PeriodStart, zone)})"),
                    null, period.Rows.Max(r => r.RecordedAt), null))
                .ToList();

        private static string Name<T>(T value) where T : Enum => value.ToString().ToLowerInvariant();

        private static DateTimeOffset Back(KpiFrequency frequency, DateTimeOffset start, int periods, TimeZoneInfo zone)
        {
            for (var i = 0; i < periods && start.Year > 1; i++) start = KpiPeriods.Previous(frequency, start, zone);
            return start;
        }
    }
}
