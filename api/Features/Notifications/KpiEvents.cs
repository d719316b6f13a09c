using System.Data.Common;
using Dapper;
using OkrKpi.Api.Features.Kpis;
using OkrKpi.Api.Features.Measurements;
using OkrKpi.Api.Features.Okrs;
using OkrKpi.Api.Infrastructure.Data;

namespace OkrKpi.Api.Features.Notifications;

/// <summary>
/// The events of one transaction's measurement writes, whichever door they came in by (a push, a batch, an import,
/// a computed value): the one home of the rule that decides them. A KPI's status is the status of its newest period's
/// value; <c>kpi.status.changed</c> is emitted when the transaction leaves it different from what it found (read the
/// first time the transaction touches the KPI, <see cref="WatchAsync"/>, and again at the end, <see cref="AppendAsync"/>).
/// Every value a push stores or replaces also emits <c>kpi.value.recorded</c> while an enabled subscription lists that
/// type (it goes to integrations only, never to alerts, so with no such subscription nobody could ever receive it, and
/// an outbox row per stored value would double what a batch writes); an import emits only the status changes (one
/// import can hold a KPI's whole history, and no subscriber wants a message per line).
/// A KPI that feeds key results moves their objectives (the reader joins its latest value on every read), so the
/// objectives it feeds are read when it is first watched and again at the end: <c>objective.health.changed</c> for
/// each whose health the transaction changed, as a check-in emits it.
/// </summary>
internal sealed class KpiEvents(DbConnection connection, DbTransaction transaction, DatabaseProvider provider, TimeZoneInfo zone, OkrReader okrs)
{
    private const string FedObjectivesSql = "SELECT DISTINCT ObjectiveId FROM KeyResult WHERE KpiId = @KpiId";

    private const string SqliteNewestSql = """
        SELECT PeriodStart, Value FROM KpiMeasurement
        WHERE KpiId = @KpiId
        ORDER BY PeriodStart DESC
        LIMIT 1
        """;

    private const string NewestSql = """
        SELECT TOP (1) PeriodStart, Value FROM KpiMeasurement
        WHERE KpiId = @KpiId
        ORDER BY PeriodStart DESC
        """;

    private readonly Dictionary<Guid, (KpiRow Kpi, Newest? Before)> _watched = [];
    private readonly List<OutboxEntry> _recorded = [];
    private readonly Dictionary<Guid, ObjectiveResponse> _objectivesBefore = [];
    // Asked once per transaction, when it first watches a KPI.
    private bool? _valuesListenedTo;

    private sealed class Newest
    {
        public DateTimeOffset PeriodStart { get; init; }
        public decimal Value { get; init; }
    }

    /// <summary>Reads the KPI's standing before this transaction first writes to it; later calls cost a dictionary lookup.</summary>
    public async ValueTask WatchAsync(KpiRow kpi, CancellationToken ct)
    {
        if (_watched.ContainsKey(kpi.Id)) return;
        _valuesListenedTo ??= await EventFanOut.ListenedToAsync(connection, transaction, EventTypes.KpiValueRecorded, ct);
        _watched[kpi.Id] = (kpi, await NewestAsync(kpi.Id, ct));
        // The row says whether any key result follows the KPI, so a KPI that feeds none costs no query here.
        if (!kpi.FeedsKeyResults) return;
        var fed = (await connection.QueryAsync<Guid>(new CommandDefinition(FedObjectivesSql, new { KpiId = kpi.Id }, transaction, cancellationToken: ct)))
            .Where(id => !_objectivesBefore.ContainsKey(id)).ToList();
        foreach (var objective in await okrs.ObjectivesAsync(connection, fed, ct, transaction))
            _objectivesBefore[objective.Id] = objective;
    }

    /// <summary>A pushed value stored or replaced, of a KPI watched before (an unchanged one emits nothing).</summary>
    public void Recorded(WrittenMeasurement written)
    {
        if (_valuesListenedTo != true || written.Result is not (ItemResult.Created or ItemResult.Updated)) return;
        var kpi = written.Item.Kpi;
        var value = written.Current.Value;
        var status = KpiStatusEngine.Evaluate(kpi.Target(), value);
        var period = KpiPeriods.Label(kpi.Frequency, written.Current.PeriodStart, zone);
        _recorded.Add(new OutboxEntry(EventTypes.KpiValueRecorded, new
        {
            kpi = Subject(kpi),
            period,
            periodStart = written.Current.PeriodStart,
            value = MeasurementWrites.Present(kpi.ValueType, value),
            previousValue = written.Previous is null ? null : MeasurementWrites.Present(kpi.ValueType, written.Previous.Value),
            status = EventText.Wire(status),
            result = written.Result,
            source = written.Current.Source,
            recordedBy = written.Current.RecordedBy,
            summary = EventText.ValueRecorded(kpi, value, status, period),
        }, kpi.OwnerTeamId, kpi.Id, kpi.KpiKey, Status: EventText.Wire(status)));
    }

    /// <summary>Appends the recorded values and every status change to the outbox, in the caller's transaction.</summary>
    public async Task AppendAsync(DateTimeOffset now, CancellationToken ct)
    {
        var entries = new List<OutboxEntry>(_recorded);
        foreach (var (kpi, before) in _watched.Values)
        {
            var after = await NewestAsync(kpi.Id, ct);
            var from = KpiStatusEngine.Evaluate(kpi.Target(), before?.Value);
            var to = KpiStatusEngine.Evaluate(kpi.Target(), after?.Value);
            if (from == to || after is null) continue;
            var period = KpiPeriods.Label(kpi.Frequency, after.PeriodStart, zone);
            entries.Add(new OutboxEntry(EventTypes.KpiStatusChanged, new
            {
                kpi = Subject(kpi),
                from = EventText.Wire(from),
                to = EventText.Wire(to),
                value = MeasurementWrites.Present(kpi.ValueType, after.Value),
                period,
                periodStart = after.PeriodStart,
                target = kpi.Target(),
                summary = EventText.KpiStatus(kpi, to, after.Value, period),
            }, kpi.OwnerTeamId, kpi.Id, kpi.KpiKey, Status: EventText.Wire(to)));
        }
        if (_objectivesBefore.Count > 0)
            foreach (var after in await okrs.ObjectivesAsync(connection, [.. _objectivesBefore.Keys], ct, transaction))
                if (OkrEvents.HealthChanged(_objectivesBefore[after.Id], after) is { } changed)
                    entries.Add(changed);
        await Outbox.AppendAsync(connection, transaction, now, entries, ct);
    }

    public static object Subject(KpiRow kpi) => new { id = kpi.Id, key = kpi.KpiKey, name = kpi.Name, unit = kpi.Unit, ownerTeamId = kpi.OwnerTeamId };

    private Task<Newest?> NewestAsync(Guid kpiId, CancellationToken ct) =>
        connection.QuerySingleOrDefaultAsync<Newest>(new CommandDefinition(
            provider == DatabaseProvider.SqlServer ? NewestSql : SqliteNewestSql, new { KpiId = kpiId }, transaction, cancellationToken: ct));
}
