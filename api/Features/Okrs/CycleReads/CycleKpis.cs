using System.Data.Common;
using Dapper;
using OkrKpi.Api.Features.Kpis;
using OkrKpi.Api.Features.Measurements;
using OkrKpi.Api.Infrastructure.Data;

namespace OkrKpi.Api.Features.Okrs;

/// <summary>A KPI as the OKR reads show it: its target and the status of its latest value (the KPI dashboard's rules).</summary>
/// <param name="Latest">The newest period's value; null before the first measurement.</param>
/// <param name="DisplayStatus">The one word to show: "late" wins over the value's status, because silence is never green.</param>
public sealed record OkrKpiStatus(Guid Id, string Key, string Name, string? Unit, KpiValueType ValueType, KpiFrequency Frequency, KpiTarget Target,
    KpiStatus KpiStatus, GetDashboard.Point? Latest, KpiPeriodStatus Status, bool Late, string DisplayStatus);

/// <summary>
/// The KPIs a cycle's objectives watch or its key results follow, each with its latest value and status. A closed
/// cycle shows them as they stood at its end, beside its key results frozen at close: the newest period that began
/// before the cycle ended, and lateness judged at that instant.
/// </summary>
public static class CycleKpis
{
    // The latest measurement is the one of the KPI's newest period (before @Before), as for KPI-linked key results.
    internal const string KpisSql = """
        SELECT k.Id, k.KpiKey, k.Name, k.Unit, k.ValueType, k.Frequency,
               k.TargetComparator, k.TargetValue, k.TargetLow, k.TargetHigh, k.TargetWarning, k.Status,
               m.PeriodStart AS LatestPeriodStart, m.Value AS LatestValue
        FROM Kpi AS k
        LEFT JOIN KpiMeasurement AS m ON m.KpiId = k.Id
            AND m.PeriodStart = (SELECT MAX(x.PeriodStart) FROM KpiMeasurement AS x WHERE x.KpiId = k.Id AND x.PeriodStart < @Before)
        WHERE k.Id IN (SELECT ok.KpiId FROM ObjectiveKpi AS ok INNER JOIN Objective AS o ON o.Id = ok.ObjectiveId WHERE o.CycleId = @CycleId)
           OR k.Id IN (SELECT kr.KpiId FROM KeyResult AS kr INNER JOIN Objective AS o ON o.Id = kr.ObjectiveId WHERE o.CycleId = @CycleId)
        """;

    public static async Task<IReadOnlyDictionary<Guid, OkrKpiStatus>> LoadAsync(DbConnection connection, CycleResponse cycle, Organisation organisation,
        DateTimeOffset now, CancellationToken ct)
    {
        var zone = organisation.TimeZone;
        var end = OkrProgress.Span(cycle.StartDate, cycle.EndDate, zone).End;
        if (cycle.Status == CycleStatus.Closed && end < now) now = end;
        var before = cycle.Status == CycleStatus.Closed ? end : DateTimeOffset.MaxValue;
        var rows = await connection.QueryAsync<Row>(new CommandDefinition(KpisSql, new { CycleId = cycle.Id, Before = before }, cancellationToken: ct));
        return rows.ToDictionary(r => r.Id, r =>
        {
            var target = new KpiTarget(r.TargetComparator, r.TargetValue, r.TargetLow, r.TargetHigh, r.TargetWarning);
            var health = KpiStatusEngine.Summarize(target, r.LatestValue, r.LatestPeriodStart, r.Frequency, now, zone);
            var latest = r.LatestPeriodStart is { } start && r.LatestValue is { } value
                ? new GetDashboard.Point(KpiPeriods.Label(r.Frequency, start, zone), start, MeasurementWrites.Present(r.ValueType, value))
                : null;
            return new OkrKpiStatus(r.Id, r.KpiKey, r.Name, r.Unit, r.ValueType, r.Frequency, target, r.Status, latest,
                health.Status, health.Late, health.DisplayStatus);
        });
    }

    private sealed class Row
    {
        public Guid Id { get; init; }
        public string KpiKey { get; init; } = "";
        public string Name { get; init; } = "";
        public string? Unit { get; init; }
        public KpiValueType ValueType { get; init; }
        public KpiFrequency Frequency { get; init; }
        public TargetComparator TargetComparator { get; init; }
        public decimal? TargetValue { get; init; }
        public decimal? TargetLow { get; init; }
        public decimal? TargetHigh { get; init; }
        public decimal? TargetWarning { get; init; }
        public KpiStatus Status { get; init; }
        public DateTimeOffset? LatestPeriodStart { get; init; }
        public decimal? LatestValue { get; init; }
    }
}
