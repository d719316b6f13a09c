using System.Data;
using System.Data.Common;
using Dapper;
using Microsoft.Data.SqlClient;

namespace OkrKpi.Api.Features.Measurements;

/// <summary>
/// SQL Server's measurement writer. A push or a batch writes value by value: the period's current row is read with
/// UPDLOCK + HOLDLOCK (a concurrent push of the same period waits there instead of racing to a duplicate), then
/// inserted, left unchanged, or archived and updated. An import streams its lines into a temporary staging table with
/// SqlBulkCopy, in chunks so memory stays flat, and applies them set-based at the end, with the same outcomes:
/// repeated lines reported, replaced values archived, changed ones updated, new ones inserted. Values are stored as the
/// same exact text SQLite keeps (see docs/measurement-values.md).
/// </summary>
internal sealed class SqlServerMeasurementWriter(DbConnection connection, DbTransaction transaction, DateTimeOffset now, string? recordedBy)
    : IMeasurementWriter
{
    private const int ChunkRows = 10_000;

    private const string ExistingSql = """
        SELECT Id, KpiId, PeriodStart, Value, Source, Note, ExternalId, RecordedAt, RecordedBy
        FROM KpiMeasurement WITH (UPDLOCK, HOLDLOCK)
        WHERE KpiId = @KpiId AND PeriodStart = @PeriodStart
        """;

    private const string InsertSql = """
        INSERT INTO KpiMeasurement (Id, KpiId, PeriodStart, Value, Source, Note, ExternalId, RecordedAt, RecordedBy)
        VALUES (@Id, @KpiId, @PeriodStart, @Value, @Source, @Note, @ExternalId, @Now, @By)
        """;

    private const string ArchiveSql = """
        INSERT INTO KpiMeasurementHistory (Id, KpiId, PeriodStart, Value, Source, Note, ExternalId, RecordedAt, RecordedBy, SupersededAt, SupersededBy, Reason)
        SELECT @HistoryId, KpiId, PeriodStart, Value, Source, Note, ExternalId, RecordedAt, RecordedBy, @Now, @By, @Reason
        FROM KpiMeasurement WHERE Id = @Id
        """;

    private const string UpdateSql = """
        UPDATE KpiMeasurement
        SET Value = @Value, Source = @Source, Note = @Note, ExternalId = @ExternalId, RecordedAt = @Now, RecordedBy = @By
        WHERE Id = @Id
        """;

    private const string DeleteSql = "DELETE FROM KpiMeasurement WHERE Id = @Id";

    private const string CreateStagingSql = """
        CREATE TABLE #ImportMeasurement (
            Line        BIGINT            NOT NULL PRIMARY KEY,
            KpiId       UNIQUEIDENTIFIER  NOT NULL,
            PeriodStart DATETIMEOFFSET(7) NOT NULL,
            Value       VARCHAR(64)       NOT NULL,
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

    // The set-based form of MeasurementRules.IsUnchanged: value texts are stored in their shortest form, so equal
    // values have equal texts; INTERSECT compares NULLs as equal, so a NULL note against a NULL note is "no change".
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

    private DataTable? _chunk;
    private SqlBulkCopy? _bulk;

    public async Task<WrittenMeasurement> WriteAsync(AcceptedMeasurement item, CancellationToken ct)
    {
        var old = await ExistingAsync(item.Kpi.Id, item.PeriodStart, ct);
        if (old is null)
        {
            var id = Guid.CreateVersion7();
            await ExecuteAsync(InsertSql, new
            {
                Id = id, KpiId = item.Kpi.Id, item.PeriodStart, Value = item.Value.Text, Source = item.Source.ToString(), item.Note, item.ExternalId, Now = now, By = recordedBy,
            }, ct);
            return new WrittenMeasurement(item, ItemResult.Created, Stored(id, item), null);
        }
        if (MeasurementRules.IsUnchanged(old.Value, old.Note, old.ExternalId, item))
            return new WrittenMeasurement(item, ItemResult.Unchanged, old, null);

        await ArchiveAsync(old.Id, "replaced", ct);
        await ExecuteAsync(UpdateSql, new { Value = item.Value.Text, Source = item.Source.ToString(), item.Note, item.ExternalId, Now = now, By = recordedBy, old.Id }, ct);
        return new WrittenMeasurement(item, ItemResult.Updated, Stored(old.Id, item), old);
    }

    public async Task<MeasurementWrites.StoredRow?> DeleteAsync(Guid kpiId, DateTimeOffset periodStart, CancellationToken ct)
    {
        if (await ExistingAsync(kpiId, periodStart, ct) is not { } current) return null;
        await ArchiveAsync(current.Id, "deleted", ct);
        await ExecuteAsync(DeleteSql, new { current.Id }, ct);
        return current;
    }

    public async Task StartImportAsync(CancellationToken ct)
    {
        await ExecuteImportAsync(CreateStagingSql, ct);
        _chunk = NewChunk();
        _bulk = new SqlBulkCopy((SqlConnection)connection, SqlBulkCopyOptions.Default, (SqlTransaction)transaction) { DestinationTableName = "#ImportMeasurement", BulkCopyTimeout = 0 };
    }

    public async Task ImportAsync(AcceptedMeasurement item, Action<long> duplicate, CancellationToken ct)
    {
        _chunk!.Rows.Add(item.Position, item.Kpi.Id, item.PeriodStart, item.Value.Text, (object?)item.Note ?? DBNull.Value, (object?)item.ExternalId ?? DBNull.Value);
        if (_chunk.Rows.Count >= ChunkRows) await FlushAsync(ct);
    }

    public async Task<ImportCounts> CompleteImportAsync(bool apply, Action<long> duplicate, CancellationToken ct)
    {
        await FlushAsync(ct);
        var duplicates = 0L;
        await using (var reader = await ImportCommand(DuplicatesSql).ExecuteReaderAsync(ct))
            while (await reader.ReadAsync(ct))
            {
                duplicates++;
                duplicate(reader.GetInt64(0));
            }
        await ExecuteImportAsync(DeleteDuplicatesSql, ct);
        var staged = (long)(await ImportCommand(CountStagedSql).ExecuteScalarAsync(ct))!;
        if (!apply)
            return new ImportCounts(0, 0, 0, duplicates);

        await ExecuteImportAsync(ArchiveChangedSql, ct);
        var updated = await ExecuteImportAsync(UpdateChangedSql, ct);
        var created = await ExecuteImportAsync(InsertNewSql, ct);
        return new ImportCounts(created, updated, staged - created - updated, duplicates);
    }

    private Task<MeasurementWrites.StoredRow?> ExistingAsync(Guid kpiId, DateTimeOffset periodStart, CancellationToken ct) =>
        connection.QuerySingleOrDefaultAsync<MeasurementWrites.StoredRow>(new CommandDefinition(ExistingSql, new { KpiId = kpiId, PeriodStart = periodStart }, transaction, cancellationToken: ct));

    private Task ArchiveAsync(Guid id, string reason, CancellationToken ct) =>
        ExecuteAsync(ArchiveSql, new { HistoryId = Guid.CreateVersion7(), Now = now, By = recordedBy, Reason = reason, Id = id }, ct);

    private Task<int> ExecuteAsync(string sql, object parameters, CancellationToken ct) =>
        connection.ExecuteAsync(new CommandDefinition(sql, parameters, transaction, cancellationToken: ct));

    private MeasurementWrites.StoredRow Stored(Guid id, AcceptedMeasurement item) => new()
    {
        Id = id, KpiId = item.Kpi.Id, PeriodStart = item.PeriodStart, Value = item.Value.Value, Source = item.Source,
        Note = item.Note, ExternalId = item.ExternalId, RecordedAt = now, RecordedBy = recordedBy,
    };

    private async Task FlushAsync(CancellationToken ct)
    {
        if (_chunk is not { Rows.Count: > 0 }) return;
        await _bulk!.WriteToServerAsync(_chunk, ct);
        _chunk.Clear();
    }

    private SqlCommand ImportCommand(string sql)
    {
        var command = new SqlCommand(sql, (SqlConnection)connection, (SqlTransaction)transaction) { CommandTimeout = 0 };
        command.Parameters.Add(new SqlParameter("@Now", SqlDbType.DateTimeOffset) { Value = now });
        command.Parameters.Add(new SqlParameter("@By", SqlDbType.NVarChar, 200) { Value = (object?)recordedBy ?? DBNull.Value });
        return command;
    }

    private async Task<int> ExecuteImportAsync(string sql, CancellationToken ct)
    {
        await using var command = ImportCommand(sql);
        return await command.ExecuteNonQueryAsync(ct);
    }

    private static DataTable NewChunk()
    {
        var table = new DataTable();
        table.Columns.Add("Line", typeof(long));
        table.Columns.Add("KpiId", typeof(Guid));
        table.Columns.Add("PeriodStart", typeof(DateTimeOffset));
        table.Columns.Add("Value", typeof(string));
        table.Columns.Add("Note", typeof(string));
        table.Columns.Add("ExternalId", typeof(string));
        return table;
    }

    public ValueTask DisposeAsync()
    {
        ((IDisposable?)_bulk)?.Dispose();
        _chunk?.Dispose();
        return ValueTask.CompletedTask;
    }
}
