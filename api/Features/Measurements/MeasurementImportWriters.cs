using System.Data;
using System.Data.Common;
using Microsoft.Data.SqlClient;
using Microsoft.Data.Sqlite;
using OkrKpi.Api.Infrastructure.Data;

namespace OkrKpi.Api.Features.Measurements;

/// <summary>A validated import row, ready to be written; <see cref="Stored"/> is what the writer prepared from it beforehand.</summary>
internal readonly record struct ImportRow(long Line, Guid KpiId, DateTimeOffset PeriodStart, decimal Value, string? Note, string? ExternalId)
{
    public object? Stored { get; init; }
}

/// <summary>The first errors of an import (line, column, reason) and how many there were in all.</summary>
internal sealed class ImportErrors(int keep)
{
    // Kept by line, not by arrival: the writer reports a repeated period after the reader has run ahead with errors
    // of later lines. A max-heap on the line lets a lower line push out the highest one kept.
    private readonly PriorityQueue<ImportMeasurements.ImportError, long> _first = new(Comparer<long>.Create((a, b) => b.CompareTo(a)));
    private long _count;

    public long Count => Interlocked.Read(ref _count);
    public IReadOnlyList<ImportMeasurements.ImportError> First { get { lock (_first) return _first.UnorderedItems.Select(i => i.Element).OrderBy(e => e.Line).ToList(); } }

    public void Add(long line, string column, string reason)
    {
        Interlocked.Increment(ref _count);
        lock (_first)
        {
            if (_first.Count < keep) _first.Enqueue(new(line, column, reason), line);
            else if (_first.TryPeek(out _, out var highest) && line < highest) _first.EnqueueDequeue(new(line, column, reason), line);
        }
    }
}

internal sealed record ImportCounts(long Created, long Updated, long Unchanged, long Duplicates);

/// <summary>Where validated import rows go: straight into SQLite, or through a staging table into SQL Server.</summary>
internal interface IMeasurementImportWriter : IAsyncDisposable
{
    /// <summary>
    /// Called on the parsing side, not the writing one: whatever a row needs before it meets the database (its
    /// rendering as stored, a new id) is done there, so that it overlaps the inserts instead of adding to them.
    /// </summary>
    ImportRow Prepare(ImportRow row);

    Task StartAsync(CancellationToken ct);
    Task WriteAsync(ImportRow row, CancellationToken ct);
    Task<ImportCounts> CompleteAsync(bool applyChanges, CancellationToken ct);
}

/// <summary>
/// SQLite: one prepared INSERT … ON CONFLICT DO NOTHING per row, the same statement a hand-written loader would
/// use; only a row that meets an existing value pays for a lookup (unchanged, or archive and update). A conflict
/// with a row this import wrote itself (rowid above the mark taken at the start) or one it met already is a duplicate line.
/// </summary>
internal sealed class SqliteMeasurementImportWriter(SqliteConnection connection, SqliteTransaction transaction, DateTimeOffset now, string? recordedBy, ImportErrors errors)
    : IMeasurementImportWriter
{
    private const string SqliteMarkSql = "SELECT COALESCE(MAX(rowid), 0) FROM KpiMeasurement";

    private const string SqliteInsertSql = """
        INSERT INTO KpiMeasurement (Id, KpiId, PeriodStart, Value, Source, Note, ExternalId, RecordedAt, RecordedBy)
        VALUES ($id, $kpi, $period, $value, 'Import', $note, $externalId, $now, $by)
        ON CONFLICT (KpiId, PeriodStart) DO NOTHING
        """;

    private const string SqliteExistingSql = """
        SELECT rowid, Id, Value, Source, Note, ExternalId, RecordedAt, RecordedBy
        FROM KpiMeasurement WHERE KpiId = $kpi AND PeriodStart = $period
        """;

    private const string SqliteArchiveSql = """
        INSERT INTO KpiMeasurementHistory (Id, KpiId, PeriodStart, Value, Source, Note, ExternalId, RecordedAt, RecordedBy, SupersededAt, SupersededBy, Reason)
        VALUES ($historyId, $kpi, $period, $oldValue, $oldSource, $oldNote, $oldExternalId, $oldAt, $oldBy, $now, $by, 'replaced')
        """;

    private const string SqliteUpdateSql = """
        UPDATE KpiMeasurement
        SET Value = $value, Source = 'Import', Note = $note, ExternalId = $externalId, RecordedAt = $now, RecordedBy = $by
        WHERE Id = $id
        """;

    /// <summary>A row as SQLite stores it: every column as text, and the id a new row gets.</summary>
    private sealed record Texts(string Id, string Kpi, string Period, string Value);

    private readonly string _now = Database.SqliteText(now);
    private readonly Dictionary<Guid, string> _kpiTexts = [];   // used by the parsing side only
    private SqliteRowStatement _insert = null!;
    private SqliteCommand _existing = null!, _archive = null!, _update = null!;
    private long _mark, _created, _updated, _unchanged, _duplicates;
    private readonly HashSet<long> _existingSeen = [];

    public Task StartAsync(CancellationToken ct)
    {
        using (var mark = Command(SqliteMarkSql)) _mark = (long)mark.ExecuteScalar()!;
        _insert = new SqliteRowStatement(connection, SqliteInsertSql, "$id", "$kpi", "$period", "$value", "$note", "$externalId", "$now", "$by");
        _insert.Bind(6, _now);
        _insert.Bind(7, recordedBy);
        _existing = Command(SqliteExistingSql, "$kpi", "$period");
        _archive = Command(SqliteArchiveSql, "$historyId", "$kpi", "$period", "$oldValue", "$oldSource", "$oldNote", "$oldExternalId", "$oldAt", "$oldBy", "$now", "$by");
        _update = Command(SqliteUpdateSql, "$value", "$note", "$externalId", "$now", "$by", "$id");
        foreach (var command in new[] { _archive, _update })
        {
            command.Parameters["$now"].Value = _now;
            command.Parameters["$by"].Value = (object?)recordedBy ?? DBNull.Value;
        }
        return Task.CompletedTask;
    }

    public ImportRow Prepare(ImportRow row)
    {
        if (!_kpiTexts.TryGetValue(row.KpiId, out var kpi)) _kpiTexts[row.KpiId] = kpi = Database.SqliteText(row.KpiId);
        return row with { Stored = new Texts(Database.SqliteText(Guid.CreateVersion7()), kpi, Database.SqliteText(row.PeriodStart), Database.SqliteText(row.Value)) };
    }

    public Task WriteAsync(ImportRow row, CancellationToken ct)
    {
        var (id, kpi, period, value) = (Texts)row.Stored!;
        _insert.Bind(0, id);
        _insert.Bind(1, kpi);
        _insert.Bind(2, period);
        _insert.Bind(3, value);
        _insert.Bind(4, row.Note);
        _insert.Bind(5, row.ExternalId);
        if (_insert.Execute() == 1)
        {
            _created++;
            return Task.CompletedTask;
        }

        var note = (object?)row.Note ?? DBNull.Value;
        var externalId = (object?)row.ExternalId ?? DBNull.Value;
        _existing.Parameters[0].Value = kpi;
        _existing.Parameters[1].Value = period;
        using (var old = _existing.ExecuteReader())
        {
            old.Read();
            // A row this import inserted (above the mark) or already updated or found unchanged means the same KPI and
            // period came on an earlier line. Only rows that met an existing value are remembered, one long each.
            var rowid = old.GetInt64(0);
            if (rowid > _mark || !_existingSeen.Add(rowid))
            {
                _duplicates++;
                errors.Add(row.Line, "period", "The same KPI and period appear on an earlier line of this import.");
                return Task.CompletedTask;
            }
            var oldNote = old.IsDBNull(4) ? null : old.GetString(4);
            var oldExternalId = old.IsDBNull(5) ? null : old.GetString(5);
            if (decimal.Parse(old.GetString(2), System.Globalization.CultureInfo.InvariantCulture) == row.Value && oldNote == row.Note && oldExternalId == row.ExternalId)
            {
                _unchanged++;
                return Task.CompletedTask;
            }

            var a = _archive.Parameters;
            a[0].Value = Database.SqliteText(Guid.CreateVersion7());
            a[1].Value = kpi;
            a[2].Value = period;
            a[3].Value = old.GetString(2);
            a[4].Value = old.GetString(3);
            a[5].Value = (object?)oldNote ?? DBNull.Value;
            a[6].Value = (object?)oldExternalId ?? DBNull.Value;
            a[7].Value = old.GetString(6);
            a[8].Value = old.IsDBNull(7) ? DBNull.Value : old.GetString(7);
            var u = _update.Parameters;
            u[0].Value = value;
            u[1].Value = note;
            u[2].Value = externalId;
            u[5].Value = old.GetString(1);
        }
        _archive.ExecuteNonQuery();
        _update.ExecuteNonQuery();
        _updated++;
        return Task.CompletedTask;
    }

    public Task<ImportCounts> CompleteAsync(bool applyChanges, CancellationToken ct) =>
        Task.FromResult(new ImportCounts(_created, _updated, _unchanged, _duplicates));

    private SqliteCommand Command(string sql, params string[] parameters)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        foreach (var name in parameters) command.Parameters.Add(new SqliteParameter(name, DBNull.Value));
        if (parameters.Length > 0) command.Prepare();
        return command;
    }

    public ValueTask DisposeAsync()
    {
        _insert?.Dispose();
        foreach (var command in new[] { _existing, _archive, _update }) command?.Dispose();
        return ValueTask.CompletedTask;
    }
}

/// <summary>
/// SQL Server: rows stream into a temporary staging table with SqlBulkCopy, in chunks so memory stays flat,
/// and are applied set-based at the end, in the caller's transaction: duplicates reported, replaced values
/// archived, changed values updated, new values inserted.
/// </summary>
internal sealed class SqlServerMeasurementImportWriter(SqlConnection connection, SqlTransaction transaction, DateTimeOffset now, string? recordedBy, ImportErrors errors)
    : IMeasurementImportWriter
{
    private const int ChunkRows = 10_000;

    private const string CreateStagingSql = """
        CREATE TABLE #ImportMeasurement (
            Line        BIGINT            NOT NULL PRIMARY KEY,
            KpiId       UNIQUEIDENTIFIER  NOT NULL,
            PeriodStart DATETIMEOFFSET(7) NOT NULL,
            Value       DECIMAL(38, 12)   NOT NULL,
            Note        NVARCHAR(1000)    NULL,
            ExternalId  NVARCHAR(200)     NULL
        )
        """;

    private const string DuplicatesSql = """
        SELECT Line FROM (
            SELECT Line, ROW_NUMBER() OVER (PARTITION BY KpiId, PeriodStart ORDER BY Line) AS Occurrence
            FROM #ImportMeasurement
        ) AS ranked
        WHERE Occurrence > 1
        """;

    private const string DeleteDuplicatesSql = """
        DELETE s FROM #ImportMeasurement AS s
        WHERE EXISTS (SELECT 1 FROM #ImportMeasurement AS t WHERE t.KpiId = s.KpiId AND t.PeriodStart = s.PeriodStart AND t.Line < s.Line)
        """;

    // INTERSECT compares NULLs as equal, so a NULL note against a NULL note is "no change".
    private const string ArchiveChangedSql = """
        INSERT INTO KpiMeasurementHistory (Id, KpiId, PeriodStart, Value, Source, Note, ExternalId, RecordedAt, RecordedBy, SupersededAt, SupersededBy, Reason)
        SELECT NEWID(), m.KpiId, m.PeriodStart, m.Value, m.Source, m.Note, m.ExternalId, m.RecordedAt, m.RecordedBy, @Now, @By, 'replaced'
        FROM KpiMeasurement AS m
        INNER JOIN #ImportMeasurement AS s ON s.KpiId = m.KpiId AND s.PeriodStart = m.PeriodStart
        WHERE NOT EXISTS (SELECT m.Value, m.Note, m.ExternalId INTERSECT SELECT s.Value, s.Note, s.ExternalId)
        """;

    private const string UpdateChangedSql = """
        UPDATE m
        SET Value = s.Value, Source = 'Import', Note = s.Note, ExternalId = s.ExternalId, RecordedAt = @Now, RecordedBy = @By
        FROM KpiMeasurement AS m
        INNER JOIN #ImportMeasurement AS s ON s.KpiId = m.KpiId AND s.PeriodStart = m.PeriodStart
        WHERE NOT EXISTS (SELECT m.Value, m.Note, m.ExternalId INTERSECT SELECT s.Value, s.Note, s.ExternalId)
        """;

    private const string InsertNewSql = """
        INSERT INTO KpiMeasurement (Id, KpiId, PeriodStart, Value, Source, Note, ExternalId, RecordedAt, RecordedBy)
        SELECT NEWID(), s.KpiId, s.PeriodStart, s.Value, 'Import', s.Note, s.ExternalId, @Now, @By
        FROM #ImportMeasurement AS s
        WHERE NOT EXISTS (SELECT 1 FROM KpiMeasurement AS m WHERE m.KpiId = s.KpiId AND m.PeriodStart = s.PeriodStart)
        """;

    private const string CountStagedSql = "SELECT COUNT_BIG(*) FROM #ImportMeasurement";

    private readonly DataTable _chunk = NewChunk();
    private SqlBulkCopy? _bulk;

    public ImportRow Prepare(ImportRow row) => row;

    public async Task StartAsync(CancellationToken ct)
    {
        await Execute(CreateStagingSql, ct);
        _bulk = new SqlBulkCopy(connection, SqlBulkCopyOptions.Default, transaction) { DestinationTableName = "#ImportMeasurement", BulkCopyTimeout = 0 };
    }

    public async Task WriteAsync(ImportRow row, CancellationToken ct)
    {
        _chunk.Rows.Add(row.Line, row.KpiId, row.PeriodStart, row.Value, (object?)row.Note ?? DBNull.Value, (object?)row.ExternalId ?? DBNull.Value);
        if (_chunk.Rows.Count >= ChunkRows) await FlushAsync(ct);
    }

    public async Task<ImportCounts> CompleteAsync(bool applyChanges, CancellationToken ct)
    {
        await FlushAsync(ct);
        var duplicates = 0L;
        await using (var reader = await Command(DuplicatesSql).ExecuteReaderAsync(ct))
            while (await reader.ReadAsync(ct))
            {
                duplicates++;
                errors.Add(reader.GetInt64(0), "period", "The same KPI and period appear on an earlier line of this import.");
            }
        await Execute(DeleteDuplicatesSql, ct);
        var staged = (long)(await Command(CountStagedSql).ExecuteScalarAsync(ct))!;
        if (!applyChanges)
            return new ImportCounts(0, 0, 0, duplicates);

        await Execute(ArchiveChangedSql, ct);
        var updated = await Execute(UpdateChangedSql, ct);
        var created = await Execute(InsertNewSql, ct);
        return new ImportCounts(created, updated, staged - created - updated, duplicates);
    }

    private async Task FlushAsync(CancellationToken ct)
    {
        if (_chunk.Rows.Count == 0) return;
        await _bulk!.WriteToServerAsync(_chunk, ct);
        _chunk.Clear();
    }

    private SqlCommand Command(string sql)
    {
        var command = new SqlCommand(sql, connection, transaction) { CommandTimeout = 0 };
        command.Parameters.Add(new SqlParameter("@Now", SqlDbType.DateTimeOffset) { Value = now });
        command.Parameters.Add(new SqlParameter("@By", SqlDbType.NVarChar, 200) { Value = (object?)recordedBy ?? DBNull.Value });
        return command;
    }

    private async Task<int> Execute(string sql, CancellationToken ct)
    {
        await using var command = Command(sql);
        return await command.ExecuteNonQueryAsync(ct);
    }

    private static DataTable NewChunk()
    {
        var table = new DataTable();
        table.Columns.Add("Line", typeof(long));
        table.Columns.Add("KpiId", typeof(Guid));
        table.Columns.Add("PeriodStart", typeof(DateTimeOffset));
        table.Columns.Add("Value", typeof(decimal));
        table.Columns.Add("Note", typeof(string));
        table.Columns.Add("ExternalId", typeof(string));
        return table;
    }

    public ValueTask DisposeAsync()
    {
        ((IDisposable?)_bulk)?.Dispose();
        _chunk.Dispose();
        return ValueTask.CompletedTask;
    }
}
