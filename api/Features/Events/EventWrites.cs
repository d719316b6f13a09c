using System.Data.Common;
using System.Globalization;
using Dapper;
using FluentValidation;
using OkrKpi.Api.Features.Kpis;
using OkrKpi.Api.Features.Measurements;
using OkrKpi.Api.Infrastructure.Data;
using OkrKpi.Api.Infrastructure.Errors;
using OkrKpi.Api.Infrastructure.Idempotency;
using OkrKpi.Api.Infrastructure.Import;
using OkrKpi.Api.Infrastructure.Security;

namespace OkrKpi.Api.Features.Events;

/// <summary>
/// The write path of events, read top to bottom: in the transaction of a push (<see cref="MeasurementWrites.InTransactionAsync"/>,
/// with its Idempotency-Key), every event is checked by <see cref="EventRules"/>, stored in KpiEvent unless its eventId
/// was recorded before, and each period that gained an event gets its value derived again from all its events by the
/// KPI's aggregation (<see cref="KpiRollUp.Combine"/>); that value is stored by <see cref="MeasurementWrites.StoreAsync"/>,
/// like a pushed one, with source <c>events</c>, so status, history, computed KPIs and the outbox follow. See docs/events.md.
/// </summary>
internal sealed class EventWrites(MeasurementWrites measurements, Dialect dialect, Organisation organisation, Caller caller, AuditLog audit)
{
    private const string SqliteInsertSql = """
        INSERT INTO KpiEvent (Id, KpiId, PeriodStart, OccurredAt, Value, EventId, RecordedAt, RecordedBy)
        VALUES ($id, $kpi, $period, $occurredAt, $value, $eventId, $now, $by)
        ON CONFLICT DO NOTHING
        """;

    private static readonly string[] SqliteInsertParameters = ["$id", "$kpi", "$period", "$occurredAt", "$value", "$eventId", "$now", "$by"];

    // The lock on the probe keeps two deliveries of one eventId from both passing it.
    private const string InsertSql = """
        INSERT INTO KpiEvent (Id, KpiId, PeriodStart, OccurredAt, Value, EventId, RecordedAt, RecordedBy)
        SELECT @Id, @KpiId, @PeriodStart, @OccurredAt, @Value, @EventId, @Now, @By
        WHERE @EventId IS NULL OR NOT EXISTS (SELECT 1 FROM KpiEvent WITH (UPDLOCK, HOLDLOCK) WHERE KpiId = @KpiId AND EventId = @EventId)
        """;

    private const string CountSql = "SELECT COUNT(*) FROM KpiEvent WHERE KpiId = @KpiId AND PeriodStart = @PeriodStart";

    private const string ValuesSql = """
        SELECT Value FROM KpiEvent
        WHERE KpiId = @KpiId AND PeriodStart = @PeriodStart AND Value IS NOT NULL
        ORDER BY OccurredAt, RecordedAt
        """;

    /// <summary>The audit log's entities: one entry per recorded single event, one per batch that recorded any (see docs/events.md).</summary>
    internal const string AuditEntity = "event", BatchAuditEntity = "event-batch";

    private const string EventColumns = "Id, KpiId, PeriodStart, OccurredAt, Value, EventId, RecordedAt, RecordedBy";

    private const string ByEventIdSql = $"SELECT {EventColumns} FROM KpiEvent WHERE KpiId = @KpiId AND EventId = @EventId";

    /// <summary>One event for the KPI the route names: 201 when recorded, 200 when its eventId was recorded before; a refusal is a 4xx problem.</summary>
    public Task<Idempotent<RecordKpiEvent.Response>> RecordOneAsync(string kpi, EventInput input, IdempotencyKey? key, CancellationToken ct) =>
        measurements.InTransactionAsync(key, async (connection, transaction, now) =>
        {
            var item = new EventItem(0, kpi, input.OccurredAt, RawValue.FromJson(input.Value), input.EventId);
            var (results, _, periods) = await ApplyAsync(connection, transaction, now, [item], BatchMode.Atomic, ct,
                await MeasurementWrites.RouteKpiAsync(connection, transaction, kpi, ct));
            switch (results[0])
            {
                case RefusedEvent { Kind: Refusal.UnknownKpi } refused: throw new NotFoundException(refused.Reason);
                case RefusedEvent { Kind: Refusal.Forbidden } refused: throw new ForbiddenException(refused.Reason);
                case RefusedEvent { Kind: Refusal.Retired or Refusal.NotFedByEvents } refused: throw new ConflictException(refused.Reason);
                case RefusedEvent refused: throw new ValidationException([new(refused.Field, refused.Reason)]);
            }
            var recorded = (RecordedEvent)results[0];
            var measurement = periods.Count > 0 ? periods[0]
                : MeasurementWrites.Response(recorded.Event.Kpi, await connection.QuerySingleAsync<MeasurementWrites.StoredRow>(new CommandDefinition(
                    MeasurementWrites.CurrentForPeriodSql, new { KpiId = recorded.Event.Kpi.Id, recorded.Stored.PeriodStart }, transaction, cancellationToken: ct)), organisation.TimeZone);
            var stored = Response(recorded.Event.Kpi, recorded.Stored, organisation.TimeZone);
            if (recorded.Result == ItemResult.Created)
                await audit.RecordAsync(connection, transaction, AuditEntity, stored.Id, "record", null, new { Event = stored, Period = measurement }, now, ct);
            return (new RecordKpiEvent.Response(recorded.Result, stored, measurement),
                recorded.Result == ItemResult.Created ? StatusCodes.Status201Created : StatusCodes.Status200OK);
        }, ct);

    /// <summary>
    /// Many events, each naming its KPI by key or id. Atomic unless
    /// <paramref name="mode"/> is partial: an atomic batch with a refused event stores nothing. This is the entry point
    /// for every door that turns something into events (the batch endpoint, receivers of providers' payloads).
    /// </summary>
    public Task<Idempotent<EventBatchResponse>> RecordBatchAsync(IReadOnlyList<EventItem> items, BatchMode mode, IdempotencyKey? key, CancellationToken ct) =>
        measurements.InTransactionAsync(key, async (connection, transaction, now) =>
        {
            var (results, committed, periods) = await ApplyAsync(connection, transaction, now, items, mode, ct);
            var outcomes = results.Select(Outcome).ToList();
            var batch = new EventBatchResponse(committed,
                committed ? outcomes.Count(o => o.Result == ItemResult.Created) : 0,
                committed ? outcomes.Count(o => o.Result == ItemResult.Unchanged) : 0,
                outcomes.Count(o => o.Result == ItemResult.Rejected), outcomes, committed ? periods : []);
            if (committed && batch.Created > 0)
                await audit.RecordAsync(connection, transaction, BatchAuditEntity, Guid.CreateVersion7(now), "record", null,
                    new { Mode = mode, batch.Created, batch.Unchanged, batch.Rejected }, now, ct);
            return (batch, committed ? StatusCodes.Status200OK : StatusCodes.Status422UnprocessableEntity);
        }, ct);

    /// <summary>
    /// Checks and stores events inside the caller's transaction, then derives the value of every period that gained
    /// one and stores it through the measurement write path. Returns each event's result, whether the batch committed,
    /// and the period values as now stored. A refused atomic batch is rolled back to where it started.
    /// </summary>
    internal async Task<(IReadOnlyList<CheckedEvent> Results, bool Committed, IReadOnlyList<MeasurementResponse> Periods)> ApplyAsync(
        DbConnection connection, DbTransaction transaction, DateTimeOffset now, IReadOnlyList<EventItem> items, BatchMode mode, CancellationToken ct,
        IReadOnlyList<KpiRow>? kpisRead = null)
    {
        var zone = organisation.TimeZone;
        var rules = new EventRules(zone, now);
        var kpis = new MeasurementWrites.KpiLookup(kpisRead ?? await MeasurementWrites.LoadKpisAsync(connection, transaction, items.Select(i => i.Kpi), ct));
        var access = new KpiAccess(caller, Scopes.MeasurementsWrite);
        var results = new CheckedEvent[items.Count];
        for (var i = 0; i < items.Count; i++)
        {
            var kpi = kpis.Find(items[i].Kpi);
            var forbidden = kpi is null ? null : await access.RefusalAsync(kpi.KpiKey, kpi.OwnerTeamId, connection, transaction, ct);
            results[i] = rules.Check(items[i], kpi, forbidden);
        }

        var committed = mode == BatchMode.Partial || results.All(r => r is AcceptedEvent);
        if (!committed) await transaction.SaveAsync("refused", ct);

        // Each period that gains an event, in the order first reached, with the first late event that reached it.
        var changed = new Dictionary<(Guid Kpi, DateTimeOffset Period), (AcceptedEvent First, AcceptedEvent? Late)>();
        // On SQLite every event of the push binds one prepared statement, as the measurement writer's rows do.
        using var sqliteInsert = dialect.Provider == DatabaseProvider.Sqlite && results.Any(r => r is AcceptedEvent)
            ? SqliteWriteQueue.Statement(connection, transaction, SqliteInsertSql, SqliteInsertParameters)
            : null;
        for (var i = 0; i < results.Length; i++)
        {
            if (results[i] is not AcceptedEvent accepted) continue;
            var id = Guid.CreateVersion7(now);
            var inserted = sqliteInsert is not null
                ? InsertSqlite(sqliteInsert, id, accepted, now)
                : await connection.ExecuteAsync(new CommandDefinition(InsertSql, new
                {
                    Id = id, KpiId = accepted.Kpi.Id, accepted.PeriodStart, OccurredAt = accepted.OccurredAt.ToUniversalTime(), Value = accepted.Value?.Text,
                    accepted.EventId, Now = now, By = caller.Actor,
                }, transaction, cancellationToken: ct));
            if (inserted == 0)
            {
                var known = await connection.QuerySingleAsync<EventRow>(new CommandDefinition(ByEventIdSql, new { KpiId = accepted.Kpi.Id, accepted.EventId }, transaction, cancellationToken: ct));
                results[i] = new RecordedEvent(accepted, ItemResult.Unchanged, known, EventRules.IsLate(accepted.Kpi.Frequency, known.PeriodStart, known.RecordedAt, zone));
                continue;
            }
            var late = EventRules.IsLate(accepted.Kpi.Frequency, accepted.PeriodStart, now, zone);
            results[i] = new RecordedEvent(accepted, ItemResult.Created, Stored(id, accepted, now, caller.Actor), late);
            var period = (accepted.Kpi.Id, accepted.PeriodStart);
            if (!changed.TryGetValue(period, out var seen)) changed[period] = (accepted, late ? accepted : null);
            else if (late && seen.Late is null) changed[period] = (seen.First, accepted);
        }

        var derived = new List<AcceptedMeasurement>(changed.Count);
        foreach (var (first, late) in changed.Values)
            derived.Add(await DeriveAsync(connection, transaction, first, late, now, ct));
        var written = await measurements.StoreAsync(connection, transaction, now, derived, committed, ct);
        if (!committed) await transaction.RollbackAsync("refused", ct);
        return (results, committed, written.Select(w => MeasurementWrites.Response(w.Item.Kpi, w.Current, zone)).ToList());
    }

    private int InsertSqlite(SqliteRowStatement insert, Guid id, AcceptedEvent accepted, DateTimeOffset now)
    {
        insert.Bind(0, Database.SqliteText(id));
        insert.Bind(1, Database.SqliteText(accepted.Kpi.Id));
        insert.Bind(2, Database.SqliteText(accepted.PeriodStart));
        insert.Bind(3, Database.SqliteText(accepted.OccurredAt));
        insert.Bind(4, accepted.Value?.Text);
        insert.Bind(5, accepted.EventId);
        insert.Bind(6, Database.SqliteText(now));
        insert.Bind(7, caller.Actor);
        return insert.Execute();
    }

    /// <summary>The value of a period from all its events, by the KPI's aggregation, with a note that says how it came about.</summary>
    private async Task<AcceptedMeasurement> DeriveAsync(DbConnection connection, DbTransaction transaction, AcceptedEvent first, AcceptedEvent? late,
        DateTimeOffset now, CancellationToken ct)
    {
        var kpi = first.Kpi;
        var parameters = new { KpiId = kpi.Id, first.PeriodStart };
        decimal? value;
        long count;
        if (kpi.Aggregation == KpiAggregation.Count)
        {
            count = await connection.ExecuteScalarAsync<long>(new CommandDefinition(CountSql, parameters, transaction, cancellationToken: ct));
            value = count;
        }
        else
        {
            var values = (await connection.QueryAsync<decimal>(new CommandDefinition(ValuesSql, parameters, transaction, cancellationToken: ct))).ToList();
            count = values.Count;
            value = KpiRollUp.Combine(kpi.Aggregation, values);
        }
        if (value is null)
            throw new ValidationException([new("value", $"The {kpi.Aggregation.ToString().ToLowerInvariant()} of the events of {KpiPeriods.Label(kpi.Frequency, first.PeriodStart, organisation.TimeZone)} leaves the range of values stored.")]);

        var (exact, text) = MeasurementRules.Shortest(value.Value);
        var note = string.Create(CultureInfo.InvariantCulture, $"{kpi.Aggregation.ToString().ToLowerInvariant()} of {count} event{(count == 1 ? "" : "s")}");
        if (late is not null)
            note += string.Create(CultureInfo.InvariantCulture, $"; updated by a late event (occurred {late.OccurredAt.UtcDateTime:yyyy-MM-dd'T'HH:mm:ss'Z'}, recorded {now.UtcDateTime:yyyy-MM-dd'T'HH:mm:ss'Z'}) after the period had ended");
        return new AcceptedMeasurement(first.Position, kpi, first.PeriodStart, new StoredValue(exact, text, false), MeasurementSource.Events, note, null);
    }

    /// <summary>An event after the write: recorded (created) or already known by its eventId (unchanged), with the row as stored.</summary>
    private sealed record RecordedEvent(AcceptedEvent Event, ItemResult Result, EventRow Stored, bool Late) : CheckedEvent(Event.Position);

    /// <summary>The row just inserted, as a read would return it: the moments in UTC, as they are stored.</summary>
    private static EventRow Stored(Guid id, AcceptedEvent accepted, DateTimeOffset now, string? by) => new()
    {
        Id = id, KpiId = accepted.Kpi.Id, PeriodStart = accepted.PeriodStart.ToUniversalTime(), OccurredAt = accepted.OccurredAt.ToUniversalTime(),
        Value = accepted.Value?.Value, EventId = accepted.EventId, RecordedAt = now.ToUniversalTime(), RecordedBy = by,
    };

    private EventOutcome Outcome(CheckedEvent result) => result switch
    {
        RecordedEvent r => new EventOutcome((int)r.Position, r.Result, r.Event.Kpi.KpiKey, r.Event.Kpi.Id, r.Event.EventId, r.Event.OccurredAt,
            KpiPeriods.Label(r.Event.Kpi.Frequency, r.Event.PeriodStart, organisation.TimeZone), r.Event.PeriodStart, null, null, r.Late),
        RefusedEvent r => new EventOutcome((int)r.Position, ItemResult.Rejected, r.Kpi, r.KpiId, r.EventId, null, null, null, r.Field, r.Reason),
        _ => throw new InvalidOperationException($"Unexpected result {result.GetType().Name}."),
    };

    /// <summary>An event as stored, read back by the write path and by the list of a KPI's events.</summary>
    internal sealed class EventRow
    {
        public Guid Id { get; init; }
        public Guid KpiId { get; init; }
        public DateTimeOffset PeriodStart { get; init; }
        public DateTimeOffset OccurredAt { get; init; }
        public decimal? Value { get; init; }
        public string? EventId { get; init; }
        public DateTimeOffset RecordedAt { get; init; }
        public string? RecordedBy { get; init; }
    }

    public static KpiEventResponse Response(KpiRow kpi, EventRow row, TimeZoneInfo zone) => new(
        row.Id, kpi.Id, kpi.KpiKey, row.OccurredAt, row.Value is { } value ? MeasurementWrites.Present(kpi.ValueType, value) : null, row.EventId,
        KpiPeriods.Label(kpi.Frequency, row.PeriodStart, zone), row.PeriodStart, row.RecordedAt, row.RecordedBy,
        EventRules.IsLate(kpi.Frequency, row.PeriodStart, row.RecordedAt, zone));
}
