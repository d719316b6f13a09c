using System.Data.Common;
using Dapper;
using Microsoft.Extensions.Options;
using OkrKpi.Api.Features.Kpis;
using OkrKpi.Api.Features.Okrs;
using OkrKpi.Api.Infrastructure.Data;

namespace OkrKpi.Api.Features.Notifications;

/// <summary>
/// Finds what went quiet: an active KPI whose last completed period has no value (<c>kpi.late</c>, once per KPI and
/// missing period) and a key result of an active cycle without a check-in for longer than Okrs:StaleAfterDays
/// (<c>keyresult.stale</c>, once per key result and silence). It runs under the worker's lease, and each finding has a
/// dedup key with a unique index behind it, so several instances never emit one twice.
/// </summary>
internal sealed class NotificationSweep(IOptions<NotificationOptions> options, Organisation organisation, OkrReader reader)
{
    private const string KpisSql = $"""
        SELECT {KpiRow.SummaryColumns}, (SELECT MAX(m.PeriodStart) FROM KpiMeasurement AS m WHERE m.KpiId = k.Id) AS NewestPeriodStart
        FROM Kpi AS k
        WHERE k.Status = 'Active'
        """;

    private const string ActiveCyclesSql = "SELECT Id FROM Cycle WHERE Status = 'Active'";

    private const string KnownSql = "SELECT DedupKey FROM OutboxEvent WHERE DedupKey IN @Keys";

    private DateTimeOffset _next = DateTimeOffset.MinValue;

    public bool IsDue(DateTimeOffset now) => now >= _next;

    public async Task<int> RunAsync(DbConnection connection, DbTransaction transaction, DateTimeOffset now, CancellationToken ct)
    {
        _next = now + TimeSpan.FromSeconds(options.Value.SweepIntervalSeconds);
        var zone = organisation.TimeZone;
        var found = new List<OutboxEntry>();

        var kpis = await connection.QueryAsync<KpiRow, DateTimeOffset?, (KpiRow, DateTimeOffset?)>(new CommandDefinition(KpisSql, transaction: transaction, cancellationToken: ct),
            (kpi, newest) => (kpi, newest), splitOn: "NewestPeriodStart");
        foreach (var (kpi, newest) in kpis)
        {
            if (!KpiStatusEngine.IsLate(kpi.Frequency, newest, now, zone)) continue;
            var missing = KpiPeriods.Previous(kpi.Frequency, KpiPeriods.StartOf(kpi.Frequency, now, zone), zone);
            var period = KpiPeriods.Label(kpi.Frequency, missing, zone);
            found.Add(new OutboxEntry(EventTypes.KpiLate, new
            {
                kpi = KpiEvents.Subject(kpi),
                missingPeriod = period,
                missingPeriodStart = missing,
                newestPeriod = KpiPeriods.Label(kpi.Frequency, newest!.Value, zone),
                summary = EventText.Late(kpi, period),
            }, kpi.OwnerTeamId, kpi.Id, kpi.KpiKey, Status: "late", DedupKey: $"kpi.late:{kpi.Id:N}:{period}"));
        }

        foreach (var cycle in await connection.QueryAsync<Guid>(new CommandDefinition(ActiveCyclesSql, transaction: transaction, cancellationToken: ct)))
            foreach (var objective in await reader.CycleObjectivesAsync(connection, cycle, ct, transaction))
                foreach (var keyResult in objective.KeyResults.Where(k => k.Stale))
                {
                    var since = keyResult.CurrentValueAt ?? keyResult.CreatedAt;
                    found.Add(new OutboxEntry(EventTypes.KeyResultStale, new
                    {
                        keyResult = new { id = keyResult.Id, title = keyResult.Title, objectiveId = objective.Id, ownerTeamId = keyResult.OwnerTeamId ?? objective.OwnerTeamId },
                        objective = new { id = objective.Id, title = objective.Title },
                        lastUpdateAt = keyResult.CurrentValueAt,
                        summary = $"{keyResult.Title} has had no check-in since {since:yyyy-MM-dd}",
                    }, keyResult.OwnerTeamId ?? objective.OwnerTeamId, ObjectiveId: objective.Id, KeyResultId: keyResult.Id, Status: "stale",
                        DedupKey: $"keyresult.stale:{keyResult.Id:N}:{since.UtcTicks}"));
                }

        if (found.Count == 0) return 0;
        var known = new HashSet<string>();
        foreach (var chunk in found.Select(f => f.DedupKey!).Chunk(500))
            known.UnionWith(await connection.QueryAsync<string>(new CommandDefinition(KnownSql, new { Keys = chunk }, transaction, cancellationToken: ct)));
        var fresh = found.Where(f => !known.Contains(f.DedupKey!)).ToList();
        await Outbox.AppendAsync(connection, transaction, now, fresh, ct);
        return fresh.Count;
    }
}
