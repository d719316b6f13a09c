using System.Data.Common;
using System.Globalization;
using OkrKpi.Api.Infrastructure.Data;

namespace OkrKpi.Api.Features.Measurements;

/// <summary>
/// SQLite's measurement writer. Every value, whichever door it came in by, takes the same path: one prepared
/// INSERT … ON CONFLICT DO NOTHING (the statement a hand-written loader would use); only a value that meets an existing
/// one pays for a lookup, and is then unchanged, or archived into the history and updated. Values are bound as the
/// text SQLite stores. An import also tells repeated lines: a conflict with a row this import wrote itself (rowid above
/// the mark taken at its start) or met already.
/// </summary>
internal sealed class SqliteMeasurementWriter(DbConnection connection, DbTransaction transaction, DateTimeOffset now, string? recordedBy)
    : IMeasurementWriter
{
    private const string MarkSql = "SELECT COALESCE(MAX(rowid), 0) FROM KpiMeasurement";

    private const string InsertSql = """
        INSERT INTO KpiMeasurement (Id, KpiId, PeriodStart, Value, Source, Note, ExternalId, RecordedAt, RecordedBy)
        VALUES ($id, $kpi, $period, $value, $source, $note, $externalId, $now, $by)
        ON CONFLICT (KpiId, PeriodStart) DO NOTHING
        """;

    private const string ExistingSql = """
        SELECT rowid, Id, Value, Source, Note, ExternalId, RecordedAt, RecordedBy
        FROM KpiMeasurement WHERE KpiId = $kpi AND PeriodStart = $period
        """;

    private const string ArchiveSql = """
        INSERT INTO KpiMeasurementHistory (Id, KpiId, PeriodStart, Value, Source, Note, ExternalId, RecordedAt, RecordedBy, SupersededAt, SupersededBy, Reason)
        VALUES ($historyId, $kpi, $period, $value, $source, $note, $externalId, $recordedAt, $recordedBy, $now, $by, $reason)
        """;

    private const string UpdateSql = """
        UPDATE KpiMeasurement
        SET Value = $value, Source = $source, Note = $note, ExternalId = $externalId, RecordedAt = $now, RecordedBy = $by
        WHERE Id = $id
        """;

    private const string DeleteSql = "DELETE FROM KpiMeasurement WHERE Id = $id";

    private readonly string _now = Database.SqliteText(now);
    private readonly Dictionary<Guid, string> _kpiTexts = [];
    private SqliteRowStatement? _insert, _archive, _update, _delete;
    private DbCommand? _existing;

    private long _mark = long.MaxValue;
    private readonly HashSet<long> _existingSeen = [];
    private long _created, _updated, _unchanged, _duplicates;

    public Task<WrittenMeasurement> WriteAsync(AcceptedMeasurement item, CancellationToken ct) => Task.FromResult(Write(item, null)!);

    public Task StartImportAsync(CancellationToken ct)
    {
        using var mark = connection.CreateCommand();
        mark.Transaction = transaction;
        mark.CommandText = MarkSql;
        _mark = (long)mark.ExecuteScalar()!;
        return Task.CompletedTask;
    }

    public Task ImportAsync(AcceptedMeasurement item, Action<long> duplicate, CancellationToken ct)
    {
        switch (Write(item, duplicate)?.Result)
        {
            case ItemResult.Created: _created++; break;
            case ItemResult.Updated: _updated++; break;
            case ItemResult.Unchanged: _unchanged++; break;
            default: _duplicates++; break;
        }
        return Task.CompletedTask;
    }

    public Task<ImportCounts> CompleteImportAsync(bool apply, Action<long> duplicate, CancellationToken ct) =>
        Task.FromResult(new ImportCounts(_created, _updated, _unchanged, _duplicates));

    public Task<MeasurementWrites.StoredRow?> DeleteAsync(Guid kpiId, DateTimeOffset periodStart, CancellationToken ct)
    {
        var kpi = KpiText(kpiId);
        var period = Database.SqliteText(periodStart);
        if (Existing(kpi, period, kpiId, periodStart) is not { } current) return Task.FromResult<MeasurementWrites.StoredRow?>(null);
        Archive(kpi, period, current.Row, "deleted");
        _delete ??= Statement(DeleteSql, "$id");
        _delete.Bind(0, Database.SqliteText(current.Row.Id));
        _delete.Execute();
        return Task.FromResult<MeasurementWrites.StoredRow?>(current.Row);
    }

    /// <summary>Inserts, keeps or replaces the period's value; null for an import line that repeats an earlier one.</summary>
    private WrittenMeasurement? Write(AcceptedMeasurement item, Action<long>? duplicate)
    {
        var id = Guid.CreateVersion7();
        var kpi = KpiText(item.Kpi.Id);
        var period = Database.SqliteText(item.PeriodStart);
        var source = item.Source.ToString();
        _insert ??= Statement(InsertSql, "$id", "$kpi", "$period", "$value", "$source", "$note", "$externalId", "$now", "$by");
        _insert.Bind(0, Database.SqliteText(id));
        _insert.Bind(1, kpi);
        _insert.Bind(2, period);
        _insert.Bind(3, item.Value.Text);
        _insert.Bind(4, source);
        _insert.Bind(5, item.Note);
        _insert.Bind(6, item.ExternalId);
        _insert.Bind(7, _now);
        _insert.Bind(8, recordedBy);
        if (_insert.Execute() == 1)
            return new WrittenMeasurement(item, ItemResult.Created, Stored(id, item), null);

        var (rowid, old) = Existing(kpi, period, item.Kpi.Id, item.PeriodStart)!.Value;
        // Only rows that met an existing value are remembered, one long each.
        if (duplicate is not null && (rowid > _mark || !_existingSeen.Add(rowid)))
        {
            duplicate(item.Position);
            return null;
        }
        if (MeasurementRules.IsUnchanged(old.Value, old.Note, old.ExternalId, item))
            return new WrittenMeasurement(item, ItemResult.Unchanged, old, null);

        Archive(kpi, period, old, "replaced");
        _update ??= Statement(UpdateSql, "$value", "$source", "$note", "$externalId", "$now", "$by", "$id");
        _update.Bind(0, item.Value.Text);
        _update.Bind(1, source);
        _update.Bind(2, item.Note);
        _update.Bind(3, item.ExternalId);
        _update.Bind(4, _now);
        _update.Bind(5, recordedBy);
        _update.Bind(6, Database.SqliteText(old.Id));
        _update.Execute();
        return new WrittenMeasurement(item, ItemResult.Updated, Stored(old.Id, item), old);
    }

    private void Archive(string kpi, string period, MeasurementWrites.StoredRow old, string reason)
    {
        _archive ??= Statement(ArchiveSql, "$historyId", "$kpi", "$period", "$value", "$source", "$note", "$externalId", "$recordedAt", "$recordedBy", "$now", "$by", "$reason");
        _archive.Bind(0, Database.SqliteText(Guid.CreateVersion7()));
        _archive.Bind(1, kpi);
        _archive.Bind(2, period);
        _archive.Bind(3, MeasurementRules.Shortest(old.Value).Text);
        _archive.Bind(4, old.Source.ToString());
        _archive.Bind(5, old.Note);
        _archive.Bind(6, old.ExternalId);
        _archive.Bind(7, Database.SqliteText(old.RecordedAt));
        _archive.Bind(8, old.RecordedBy);
        _archive.Bind(9, _now);
        _archive.Bind(10, recordedBy);
        _archive.Bind(11, reason);
        _archive.Execute();
    }

    private (long RowId, MeasurementWrites.StoredRow Row)? Existing(string kpi, string period, Guid kpiId, DateTimeOffset periodStart)
    {
        if (_existing is null)
        {
            _existing = connection.CreateCommand();
            _existing.Transaction = transaction;
            _existing.CommandText = ExistingSql;
            foreach (var name in new[] { "$kpi", "$period" })
            {
                var parameter = _existing.CreateParameter();
                parameter.ParameterName = name;
                _existing.Parameters.Add(parameter);
            }
        }
        _existing.Parameters[0].Value = kpi;
        _existing.Parameters[1].Value = period;
        using var reader = _existing.ExecuteReader();
        if (!reader.Read()) return null;
        return (reader.GetInt64(0), new MeasurementWrites.StoredRow
        {
            Id = Guid.Parse(reader.GetString(1)),
            KpiId = kpiId,
            PeriodStart = periodStart,
            Value = decimal.Parse(reader.GetString(2), NumberStyles.Float, CultureInfo.InvariantCulture),
            Source = Enum.Parse<MeasurementSource>(reader.GetString(3)),
            Note = reader.IsDBNull(4) ? null : reader.GetString(4),
            ExternalId = reader.IsDBNull(5) ? null : reader.GetString(5),
            RecordedAt = Database.ParseSqliteText(reader.GetString(6)),
            RecordedBy = reader.IsDBNull(7) ? null : reader.GetString(7),
        });
    }

    private MeasurementWrites.StoredRow Stored(Guid id, AcceptedMeasurement item) => new()
    {
        Id = id, KpiId = item.Kpi.Id, PeriodStart = item.PeriodStart, Value = item.Value.Value, Source = item.Source,
        Note = item.Note, ExternalId = item.ExternalId, RecordedAt = now, RecordedBy = recordedBy,
    };

    private string KpiText(Guid kpiId)
    {
        if (!_kpiTexts.TryGetValue(kpiId, out var text)) _kpiTexts[kpiId] = text = Database.SqliteText(kpiId);
        return text;
    }

    private SqliteRowStatement Statement(string sql, params string[] parameters) => SqliteWriteQueue.Statement(connection, transaction, sql, parameters);

    public ValueTask DisposeAsync()
    {
        foreach (var statement in new[] { _insert, _archive, _update, _delete }) statement?.Dispose();
        _existing?.Dispose();
        return ValueTask.CompletedTask;
    }
}
