using System.Data.Common;
using Dapper;
using OkrKpi.Api.Features.Measurements;
using OkrKpi.Api.Features.Notifications;
using OkrKpi.Api.Features.Okrs;

namespace OkrKpi.Api.Features.Kpis.Formulas;

/// <summary>
/// Keeps computed KPIs current inside the transaction of the write that changed their inputs. Told which periods of
/// which KPIs changed, it recomputes the affected periods of every computed KPI that reads them, transitively and in
/// dependency order (an input before the formulas that read it), and stores each result through the same
/// <see cref="IMeasurementWriter"/> as a pushed value (source <c>computed</c>, history, status); a period that has
/// no value any more loses its computed value into the history. A formula change recomputes the KPI's whole history.
/// Its events go to the write's <see cref="KpiEvents"/> like those of the values it stored: a status change always,
/// and each value (<c>kpi.value.recorded</c>) when <paramref name="eachValue"/> (a push or batch; an import or a
/// whole history emits its status changes only, as an import does).
/// </summary>
internal sealed class Recomputation(DbConnection connection, DbTransaction transaction, IMeasurementWriter writer, KpiEvents events, bool eachValue,
    TimeZoneInfo zone, DateTimeOffset now)
{
    private const string KpisByIdSql = $"SELECT {KpiRow.Columns} FROM Kpi AS k WHERE k.Id IN @Ids";

    private const string InputRowsSql = """
        SELECT PeriodStart, Value FROM KpiMeasurement
        WHERE KpiId = @KpiId AND PeriodStart >= @From AND PeriodStart < @To
        ORDER BY PeriodStart
        """;

    private const string AllInputRowsSql = "SELECT PeriodStart, Value FROM KpiMeasurement WHERE KpiId = @KpiId ORDER BY PeriodStart";

    private const string StoredPeriodsSql = "SELECT PeriodStart FROM KpiMeasurement WHERE KpiId = @KpiId";

    /// <summary>Periods evaluated ahead of the writer at a time.</summary>
    private const int ChunkPeriods = 1024;

    /// <summary>Periods of each KPI whose value changed (was written, replaced or deleted).</summary>
    private readonly Dictionary<Guid, HashSet<DateTimeOffset>> _changed = [];
    private readonly HashSet<Guid> _whole = [];

    public void Changed(Guid kpiId, DateTimeOffset periodStart)
    {
        if (!_changed.TryGetValue(kpiId, out var periods)) _changed[kpiId] = periods = [];
        periods.Add(periodStart);
    }

    /// <summary>Recompute the whole history of these computed KPIs (a new or changed formula, an input's new aggregation).</summary>
    public void Whole(Guid computedKpiId) => _whole.Add(computedKpiId);

    /// <summary>Recompute the whole history of every computed KPI that reads this one (its aggregation changed).</summary>
    public void WholeReadersOf(Guid inputKpiId) => _wholeReadersOf.Add(inputKpiId);

    private readonly HashSet<Guid> _wholeReadersOf = [];

    public bool HasWork => _changed.Count > 0 || _whole.Count > 0 || _wholeReadersOf.Count > 0;

    /// <summary>
    /// Recomputes the whole history of <paramref name="kpiIds"/> and what they feed, with a writer and events of its
    /// own, in the caller's transaction; the status changes it makes join the outbox.
    /// </summary>
    public static async Task WholeAsync(IReadOnlyCollection<Guid> kpiIds, IReadOnlyCollection<Guid> readersOf, Infrastructure.Data.DatabaseProvider provider,
        DbConnection connection, DbTransaction transaction, TimeZoneInfo zone, DateTimeOffset now, string? recordedBy, OkrReader okrs, CancellationToken ct)
    {
        if (kpiIds.Count == 0 && readersOf.Count == 0) return;
        var events = new KpiEvents(connection, transaction, provider, zone, okrs);
        await using (var writer = MeasurementWriter.For(provider, connection, transaction, now, recordedBy))
        {
            var recomputation = new Recomputation(connection, transaction, writer, events, eachValue: false, zone, now);
            foreach (var id in kpiIds) recomputation.Whole(id);
            foreach (var id in readersOf) recomputation.WholeReadersOf(id);
            await recomputation.RunAsync(ct);
        }
        await events.AppendAsync(now, ct);
    }

    /// <summary>Recomputes what the changes reported so far affect, and what that affects in turn.</summary>
    public async Task RunAsync(CancellationToken ct)
    {
        if (!HasWork) return;
        var edges = await FormulaDefinitions.EdgesAsync(connection, transaction, ct);
        foreach (var edge in edges)
            if (_wholeReadersOf.Contains(edge.InputKpiId)) _whole.Add(edge.KpiId);
        var order = DependencyOrder(edges, _changed.Keys.Concat(_whole));
        if (order.Count == 0) return;
        var ids = order.Concat(edges.Where(e => order.Contains(e.KpiId)).Select(e => e.InputKpiId)).Distinct().Select(id => id.ToString("D")).ToList();
        var kpis = (await connection.QueryAsync<KpiRow>(new CommandDefinition(KpisByIdSql, new { Ids = ids }, transaction, cancellationToken: ct)))
            .ToDictionary(k => k.Id);
        var inputsOf = edges.ToLookup(e => e.KpiId, e => e.InputKpiId);

        foreach (var id in order)
        {
            if (!kpis.TryGetValue(id, out var kpi) || kpi.FedBy != KpiFedBy.Formula || kpi.Status == KpiStatus.Retired) continue;
            if (KpiFormula.Parse(kpi.Formula ?? "").Formula is not { } formula) continue;
            var inputs = inputsOf[id].Select(i => kpis[i]).ToList();
            if (_whole.Contains(id)) await RecomputeWholeAsync(kpi, formula, inputs, ct);
            else await RecomputeChangedAsync(kpi, formula, inputs, ct);
        }
        _changed.Clear();
        _whole.Clear();
        _wholeReadersOf.Clear();
    }

    /// <summary>The computed KPIs that the changed KPIs feed, directly or through others, each after every KPI it reads.</summary>
    private List<Guid> DependencyOrder(IReadOnlyList<FormulaDefinitions.Edge> edges, IEnumerable<Guid> changed)
    {
        var readers = edges.ToLookup(e => e.InputKpiId, e => e.KpiId);
        var affected = new HashSet<Guid>(_whole);
        var queue = new Queue<Guid>(changed);
        while (queue.TryDequeue(out var kpi))
            foreach (var reader in readers[kpi])
                if (affected.Add(reader)) queue.Enqueue(reader);

        // Kahn's order over the affected KPIs: formulas never form a cycle (FormulaDefinitions refuses one).
        var waiting = affected.ToDictionary(k => k, k => edges.Count(e => e.KpiId == k && affected.Contains(e.InputKpiId)));
        var ready = new Queue<Guid>(waiting.Where(w => w.Value == 0).Select(w => w.Key));
        var order = new List<Guid>();
        while (ready.TryDequeue(out var kpi))
        {
            order.Add(kpi);
            foreach (var reader in readers[kpi])
                if (waiting.ContainsKey(reader) && --waiting[reader] == 0) ready.Enqueue(reader);
        }
        return order;
    }

    private async Task RecomputeChangedAsync(KpiRow kpi, KpiFormula formula, IReadOnlyList<KpiRow> inputs, CancellationToken ct)
    {
        var current = KpiPeriods.StartOf(kpi.Frequency, now, zone);
        var reached = new HashSet<DateTimeOffset>();
        foreach (var input in inputs)
        {
            if (!_changed.TryGetValue(input.Id, out var periods)) continue;
            foreach (var period in periods)
            {
                // A change reaches its own period and, through previous/sum/average, as many periods after it. An
                // input of the computed KPI's frequency changed at a period start already (an import's many rows).
                var start = input.Frequency == kpi.Frequency ? period : KpiPeriods.StartOf(kpi.Frequency, period, zone);
                for (var i = 0; start <= current; i++)
                {
                    reached.Add(start);
                    if (i == formula.PeriodsBack) break;
                    start = KpiPeriods.Next(kpi.Frequency, start, zone);
                }
            }
        }
        var affected = reached.ToList();
        affected.Sort();
        if (affected.Count == 0) return;

        var from = affected[0];
        for (var i = 0; i < formula.PeriodsBack; i++) from = KpiPeriods.Previous(kpi.Frequency, from, zone);
        var to = KpiPeriods.Next(kpi.Frequency, affected[^1], zone);
        var values = new FormulaInputs(kpi.Frequency, zone);
        foreach (var input in inputs)
            values.Add(input, await connection.QueryAsync<InputRow>(new CommandDefinition(InputRowsSql, new { KpiId = input.Id, From = from, To = to }, transaction, cancellationToken: ct)));
        await StoreAsync(kpi, formula, values, affected, ct);
    }

    private async Task RecomputeWholeAsync(KpiRow kpi, KpiFormula formula, IReadOnlyList<KpiRow> inputs, CancellationToken ct)
    {
        var values = new FormulaInputs(kpi.Frequency, zone);
        foreach (var input in inputs)
            values.Add(input, await connection.QueryAsync<InputRow>(new CommandDefinition(AllInputRowsSql, new { KpiId = input.Id }, transaction, cancellationToken: ct)));

        var current = KpiPeriods.StartOf(kpi.Frequency, now, zone);
        var periods = new SortedSet<DateTimeOffset>((await connection.QueryAsync<InputRow>(new CommandDefinition(StoredPeriodsSql, new { KpiId = kpi.Id }, transaction, cancellationToken: ct)))
            .Select(row => row.PeriodStart));
        foreach (var period in values.Periods.Distinct().ToList())
        {
            var start = period;
            for (var i = 0; i <= formula.PeriodsBack && start <= current; i++, start = KpiPeriods.Next(kpi.Frequency, start, zone))
                periods.Add(start);
        }
        await StoreAsync(kpi, formula, values, periods, ct);
    }

    /// <summary>
    /// Stores each period's result, or removes the value of a period that has none; what changed feeds the KPIs after
    /// it. The results are worked out a chunk of periods at a time, the next chunk on the thread pool while the writer
    /// stores this one, so that evaluating and storing overlap on two cores as an import's parsing and writing do.
    /// </summary>
    private async Task StoreAsync(KpiRow kpi, KpiFormula formula, FormulaInputs values, IEnumerable<DateTimeOffset> periods, CancellationToken ct)
    {
        var evaluator = new FormulaEvaluator(formula, kpi.Frequency, zone, values);
        await events.WatchAsync(kpi, ct);
        // One chunk at a time uses the evaluator: it keeps the period it is working on.
        (DateTimeOffset Period, StoredValue? Value)[] Results(DateTimeOffset[] chunk) =>
            [.. chunk.Select(period => (period, evaluator.Evaluate(period).Value is { } value ? Stored(value) : (StoredValue?)null))];
        using var chunks = periods.Chunk(ChunkPeriods).GetEnumerator();
        var next = chunks.MoveNext() ? Task.FromResult(Results(chunks.Current)) : null;
        while (next is not null)
        {
            var results = await next;
            if (chunks.MoveNext())
            {
                var chunk = chunks.Current;
                next = Task.Run(() => Results(chunk), ct);
            }
            else next = null;

            foreach (var (period, value) in results)
            {
                if (value is { } stored)
                {
                    var item = new AcceptedMeasurement(0, kpi, period, stored, MeasurementSource.Computed, null, null);
                    var written = await writer.WriteAsync(item, ct);
                    if (eachValue) events.Recorded(written);
                    if (written.Result != ItemResult.Unchanged && kpi.FeedsOthers) Changed(kpi.Id, period);
                }
                else if (await writer.DeleteAsync(kpi.Id, period, ct) is not null && kpi.FeedsOthers)
                {
                    Changed(kpi.Id, period);
                }
            }
        }
    }

    private static StoredValue Stored(decimal value)
    {
        var (exact, text) = MeasurementRules.Shortest(value);
        return new StoredValue(exact, text, Rounded: false);
    }
}
