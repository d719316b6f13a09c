using System.Data.Common;
using Dapper;
using FluentValidation;
using OkrKpi.Api.Features.Kpis;
using OkrKpi.Api.Features.Notifications;
using OkrKpi.Api.Features.Okrs;
using OkrKpi.Api.Features.Kpis.Formulas;
using OkrKpi.Api.Infrastructure.Data;
using OkrKpi.Api.Infrastructure.Errors;
using OkrKpi.Api.Infrastructure.Idempotency;
using OkrKpi.Api.Infrastructure.Import;
using OkrKpi.Api.Infrastructure.Security;

namespace OkrKpi.Api.Features.Measurements;

/// <summary>
/// The write path of pushed values (a single value, one KPI's batch, a batch across KPIs), read top to bottom: on
/// SQLite the write joins the process's group commit (<see cref="SqliteWriteQueue"/>), on SQL Server it has a
/// transaction of its own; in it, a known Idempotency-Key replays its answer, every item is checked by
/// <see cref="MeasurementRules"/> and stored by the dialect's <see cref="IMeasurementWriter"/>, the audit entry and the
/// key's answer are written, and all of it commits together. An atomic batch with a refused item stores nothing.
/// </summary>
internal sealed class MeasurementWrites(DbDataSource db, Dialect dialect, SqliteWriteQueue sqlite, TimeProvider clock, Organisation organisation,
    Caller caller, AuditLog audit, IdempotentResponses idempotency, OkrReader okrs)
{
    // Ids and keys of one batch in two lists: ids as text because Dapper expands IN lists without type handlers.
    private const string KpisSql = $"""
        SELECT {KpiRow.Columns}
        FROM Kpi AS k
        WHERE k.Id IN @Ids OR k.KeyNormalized IN @Keys
        """;

    private const string ExistingColumns = "Id, KpiId, PeriodStart, Value, Source, Note, ExternalId, RecordedAt, RecordedBy";

    internal const string CurrentForPeriodSql = $"""
        SELECT {ExistingColumns} FROM KpiMeasurement
        WHERE KpiId = @KpiId AND PeriodStart = @PeriodStart
        """;

    /// <summary>One value for the KPI the route names: 201 created, 200 updated or unchanged; a refusal is a 4xx problem.</summary>
    public Task<Idempotent<PushMeasurement.Response>> PushOneAsync(string kpi, MeasurementInput input, IdempotencyKey? key, CancellationToken ct) =>
        InTransactionAsync(key, async (connection, transaction, now) =>
        {
            var item = new MeasurementItem(0, kpi, input.Period, RawValue.FromJson(input.Value), input.Note, input.ExternalId, input.Source);
            var (results, _) = await ApplyAsync(connection, transaction, now, [item], BatchMode.Atomic, ct, await RouteKpiAsync(connection, transaction, kpi, ct));
            switch (results[0])
            {
                case RefusedMeasurement { Kind: Refusal.UnknownKpi } refused: throw new NotFoundException(refused.Reason);
                case RefusedMeasurement { Kind: Refusal.Forbidden } refused: throw new ForbiddenException(refused.Reason);
                case RefusedMeasurement { Kind: Refusal.Retired or Refusal.Computed or Refusal.FedByEvents } refused: throw new ConflictException(refused.Reason);
                case RefusedMeasurement refused: throw new ValidationException([new(refused.Field, refused.Reason)]);
            }
            var written = ((WrittenItem)results[0]).Written;
            var zone = organisation.TimeZone;
            var current = Response(written.Item.Kpi, written.Current, zone);
            var previous = written.Previous is null ? null : Response(written.Item.Kpi, written.Previous, zone);
            await MeasurementAudit.RecordPushAsync(audit, connection, transaction, written.Result, previous, current, now, ct);
            return (new PushMeasurement.Response(written.Result, written.Item.Value.Rounded, current),
                written.Result == ItemResult.Created ? StatusCodes.Status201Created : StatusCodes.Status200OK);
        }, ct);

    /// <summary>
    /// Many values, each naming its KPI (or all the one the route names, <paramref name="routeKpi"/>, which must then
    /// exist, be the caller's to write and be active: 404, 403 or 409 for the whole request).
    /// </summary>
    public Task<Idempotent<BatchResponse>> PushBatchAsync(IReadOnlyList<MeasurementItem> items, string? routeKpi, BatchMode mode, IdempotencyKey? key, CancellationToken ct) =>
        InTransactionAsync(key, async (connection, transaction, now) =>
        {
            KpiRow? kpi = null;
            if (routeKpi is not null)
            {
                kpi = await KpiRow.GetAsync(connection, routeKpi, ct, transaction);
                await new KpiAccess(caller, Scopes.MeasurementsWrite).EnsureAsync(kpi.KpiKey, kpi.OwnerTeamId, connection, transaction, ct);
                if (kpi.Status == KpiStatus.Retired) throw new ConflictException(MeasurementRules.Retired(kpi));
                if (MeasurementRules.NotFedByValues(kpi) is { } notValues) throw new ConflictException(notValues.Reason);
            }
            var (results, committed) = await ApplyAsync(connection, transaction, now, items, mode, ct, kpi is null ? null : [kpi]);
            var batch = BatchResponse.From(committed, results.Select(Outcome).ToList());
            await MeasurementAudit.RecordBatchAsync(audit, connection, transaction, batch, mode, kpi?.KpiKey, now, ct);
            return (batch, committed ? StatusCodes.Status200OK : StatusCodes.Status422UnprocessableEntity);
        }, ct);

    /// <summary>Removes a period's value, keeping it in the period's history as deleted; 404 when the period has none.</summary>
    public async Task DeleteAsync(string kpiReference, string period, CancellationToken ct) =>
        await InTransactionAsync<MeasurementResponse>(null, async (connection, transaction, now) =>
        {
            var zone = organisation.TimeZone;
            var kpi = await KpiRow.GetAsync(connection, kpiReference, ct, transaction);
            await new KpiAccess(caller, Scopes.MeasurementsWrite).EnsureAsync(kpi.KpiKey, kpi.OwnerTeamId, connection, transaction, ct);
            if (MeasurementRules.NotFedByValues(kpi) is { } notValues) throw new ConflictException(notValues.Reason);
            var periodStart = kpi.PeriodStartOf(period, "period", zone);
            await using var writer = MeasurementWriter.For(dialect.Provider, connection, transaction, now, caller.Actor);
            // Deleting the newest value moves the KPI's status (and the objectives it feeds) back to the period before.
            var events = new KpiEvents(connection, transaction, dialect.Provider, zone, okrs);
            await events.WatchAsync(kpi, ct);
            var deleted = await writer.DeleteAsync(kpi.Id, periodStart, ct)
                ?? throw new NotFoundException($"KPI '{kpi.KpiKey}' has no value for {KpiPeriods.Label(kpi.Frequency, periodStart, zone)}.");
            if (kpi.FeedsOthers)
            {
                var recomputation = new Recomputation(connection, transaction, writer, events, eachValue: true, zone, now);
                recomputation.Changed(kpi.Id, periodStart);
                await recomputation.RunAsync(ct);
            }
            await events.AppendAsync(now, ct);
            var before = Response(kpi, deleted, zone);
            await MeasurementAudit.RecordDeleteAsync(audit, connection, transaction, before, now, ct);
            return (before, StatusCodes.Status204NoContent);
        }, ct);

    /// <summary>
    /// The transaction of a push, with its Idempotency-Key: replayed when known, stored with the change otherwise.
    /// The work throws to refuse the whole request, which then leaves nothing behind.
    /// </summary>
    internal async Task<Idempotent<T>> InTransactionAsync<T>(IdempotencyKey? key,
        Func<DbConnection, DbTransaction, DateTimeOffset, Task<(T Response, int Status)>> work, CancellationToken ct) where T : class
    {
        key = key?.ScopedTo(caller);
        if (dialect.Provider == DatabaseProvider.Sqlite)
            return await sqlite.WriteAsync((connection, transaction, now) => IdempotentAsync(connection, transaction, now, key, work, ct), ct);

        await using var connection = await db.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        var result = await IdempotentAsync(connection, transaction, clock.GetUtcNow(), key, work, ct);
        await transaction.CommitAsync(ct);
        return result;
    }

    private async Task<Idempotent<T>> IdempotentAsync<T>(DbConnection connection, DbTransaction transaction, DateTimeOffset now, IdempotencyKey? key,
        Func<DbConnection, DbTransaction, DateTimeOffset, Task<(T Response, int Status)>> work, CancellationToken ct) where T : class
    {
        if (key is not null && await idempotency.FindAsync<T>(connection, transaction, key, now, ct) is { } stored)
            return new Idempotent<T>(stored, Replayed: true);
        var (response, status) = await work(connection, transaction, now);
        if (key is not null) await idempotency.SaveAsync(connection, transaction, key, status, response, now, ct);
        return new Idempotent<T>(response, Replayed: false);
    }

    /// <summary>
    /// Checks every item (against <paramref name="kpisRead"/>, the KPIs already read in this transaction, or those the
    /// items name) and stores the accepted ones, unless the batch is atomic and one was refused: then each
    /// accepted item is still written, to tell what would have happened to it, and all of it is rolled back.
    /// </summary>
    private async Task<(IReadOnlyList<CheckedMeasurement> Results, bool Committed)> ApplyAsync(DbConnection connection, DbTransaction transaction, DateTimeOffset now,
        IReadOnlyList<MeasurementItem> items, BatchMode mode, CancellationToken ct, IReadOnlyList<KpiRow>? kpisRead = null)
    {
        var rules = new MeasurementRules(organisation.TimeZone, now);
        var kpis = new KpiLookup(kpisRead ?? await LoadKpisAsync(connection, transaction, items, ct));
        var access = new KpiAccess(caller, Scopes.MeasurementsWrite);
        var results = new CheckedMeasurement[items.Count];
        var seen = new Dictionary<(Guid, DateTimeOffset), long>();
        for (var i = 0; i < items.Count; i++)
        {
            var kpi = kpis.Find(items[i].Kpi);
            var forbidden = kpi is null ? null : await access.RefusalAsync(kpi.KpiKey, kpi.OwnerTeamId, connection, transaction, ct);
            results[i] = rules.Check(items[i], kpi, forbidden, imported: false);
            if (results[i] is AcceptedMeasurement accepted && !seen.TryAdd((accepted.Kpi.Id, accepted.PeriodStart), accepted.Position))
                results[i] = rules.Duplicate(accepted, seen[(accepted.Kpi.Id, accepted.PeriodStart)]);
        }

        var committed = mode == BatchMode.Partial || results.All(r => r is AcceptedMeasurement);
        if (!committed) await transaction.SaveAsync("refused", ct);
        var written = await StoreAsync(connection, transaction, now, results.OfType<AcceptedMeasurement>().ToList(), committed, ct);
        // The writer answers in the order of the accepted items.
        var next = 0;
        for (var i = 0; i < results.Length; i++)
            if (results[i] is AcceptedMeasurement)
                results[i] = new WrittenItem(written[next++]);
        if (!committed) await transaction.RollbackAsync("refused", ct);
        return (results, committed);
    }

    /// <summary>
    /// Stores accepted values with the dialect's writer, in order, and — when <paramref name="committed"/> — what follows
    /// every stored value in the same transaction: the computed KPIs they feed are recomputed and the outbox gets their
    /// events. Pushes and batches come here after <see cref="MeasurementRules"/>; values derived from events
    /// (<see cref="Events.EventWrites"/>) too. A caller that will roll back passes committed false.
    /// </summary>
    internal async Task<IReadOnlyList<WrittenMeasurement>> StoreAsync(DbConnection connection, DbTransaction transaction, DateTimeOffset now,
        IReadOnlyList<AcceptedMeasurement> accepted, bool committed, CancellationToken ct)
    {
        var written = new WrittenMeasurement[accepted.Count];
        var events = new KpiEvents(connection, transaction, dialect.Provider, organisation.TimeZone, okrs);
        await using (var writer = MeasurementWriter.For(dialect.Provider, connection, transaction, now, caller.Actor))
        {
            var recomputation = new Recomputation(connection, transaction, writer, events, eachValue: true, organisation.TimeZone, now);
            for (var i = 0; i < accepted.Count; i++)
            {
                await events.WatchAsync(accepted[i].Kpi, ct);
                written[i] = await writer.WriteAsync(accepted[i], ct);
                events.Recorded(written[i]);
                if (written[i].Result != ItemResult.Unchanged && accepted[i].Kpi.FeedsOthers) recomputation.Changed(accepted[i].Kpi.Id, accepted[i].PeriodStart);
            }
            // The computed KPIs these values feed change with them, in this transaction.
            if (committed) await recomputation.RunAsync(ct);
        }
        if (committed) await events.AppendAsync(now, ct);
        return written;
    }

    /// <summary>An item the writer stored (or, in a refused atomic batch, would have).</summary>
    private sealed record WrittenItem(WrittenMeasurement Written) : CheckedMeasurement(Written.Item.Position);

    private ItemOutcome Outcome(CheckedMeasurement result) => result switch
    {
        WrittenItem { Written: var w } => new ItemOutcome((int)w.Item.Position, w.Result, w.Item.Kpi.KpiKey, w.Item.Kpi.Id,
            KpiPeriods.Label(w.Item.Kpi.Frequency, w.Item.PeriodStart, organisation.TimeZone), w.Item.PeriodStart, null, null, w.Item.Value.Rounded),
        RefusedMeasurement r => new ItemOutcome((int)r.Position, ItemResult.Rejected, r.Kpi, r.KpiId, r.Period, r.PeriodStart, r.Field, r.Reason),
        _ => throw new InvalidOperationException($"Unexpected result {result.GetType().Name}."),
    };

    private static Task<IReadOnlyList<KpiRow>> LoadKpisAsync(DbConnection connection, DbTransaction transaction, IReadOnlyList<MeasurementItem> items, CancellationToken ct) =>
        LoadKpisAsync(connection, transaction, items.Select(i => i.Kpi), ct);

    /// <summary>The KPI a route names by key or id (none when there is no such KPI): one row read by its index, not the lists a batch needs.</summary>
    internal static async Task<IReadOnlyList<KpiRow>> RouteKpiAsync(DbConnection connection, DbTransaction transaction, string reference, CancellationToken ct) =>
        !string.IsNullOrWhiteSpace(reference) && await KpiRow.FindAsync(connection, reference.Trim(), ct, transaction) is { } kpi ? [kpi] : [];

    /// <summary>The KPIs named by key or id in <paramref name="kpiReferences"/>, read in one query.</summary>
    internal static async Task<IReadOnlyList<KpiRow>> LoadKpisAsync(DbConnection connection, DbTransaction transaction, IEnumerable<string?> kpiReferences, CancellationToken ct)
    {
        var references = kpiReferences.Where(r => !string.IsNullOrWhiteSpace(r)).Select(r => r!.Trim()).Distinct().ToList();
        var ids = references.Where(r => Guid.TryParse(r, out _)).Select(r => Guid.Parse(r).ToString("D")).ToList();
        var keys = references.Where(r => !Guid.TryParse(r, out _)).Select(KpiDefinition.NormalizeKey).Distinct().ToList();
        if (ids.Count == 0 && keys.Count == 0) return [];
        return (await connection.QueryAsync<KpiRow>(new CommandDefinition(KpisSql, new { Ids = ids, Keys = keys }, transaction, cancellationToken: ct))).ToList();
    }

    /// <summary>The KPIs of a batch by the reference each item used; a batch for one KPI repeats one reference.</summary>
    internal sealed class KpiLookup(IReadOnlyList<KpiRow> kpis)
    {
        private readonly Dictionary<string, KpiRow?> _byReference = [];

        public KpiRow? Find(string? reference)
        {
            if (string.IsNullOrWhiteSpace(reference)) return null;
            if (_byReference.TryGetValue(reference, out var known)) return known;
            var trimmed = reference.Trim();
            var kpi = Guid.TryParse(trimmed, out var id)
                ? kpis.FirstOrDefault(k => k.Id == id)
                : kpis.FirstOrDefault(k => k.KeyNormalized == KpiDefinition.NormalizeKey(trimmed));
            return _byReference[reference] = kpi;
        }
    }

    /// <summary>A period's value as stored, read back by the write path and by every read of measurements.</summary>
    internal sealed class StoredRow
    {
        public Guid Id { get; init; }
        public Guid KpiId { get; init; }
        public DateTimeOffset PeriodStart { get; init; }
        public decimal Value { get; init; }
        public MeasurementSource Source { get; init; }
        public string? Note { get; init; }
        public string? ExternalId { get; init; }
        public DateTimeOffset RecordedAt { get; init; }
        public string? RecordedBy { get; init; }
    }

    public static MeasurementResponse Response(KpiRow kpi, StoredRow row, TimeZoneInfo zone) => new(
        kpi.Id, kpi.KpiKey, KpiPeriods.Label(kpi.Frequency, row.PeriodStart, zone), row.PeriodStart,
        Present(kpi.ValueType, row.Value), KpiStatusEngine.Evaluate(kpi.Target(), row.Value),
        row.Source, row.Note, row.ExternalId, row.RecordedAt, row.RecordedBy);

    /// <summary>Boolean KPIs store 1/0 and answer true/false; every other KPI answers its exact decimal.</summary>
    public static object Present(KpiValueType type, decimal value) => type == KpiValueType.Boolean ? value != 0 : value;
}
