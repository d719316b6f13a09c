using System.Diagnostics;
using Microsoft.Data.Sqlite;

namespace OkrKpi.Benchmarks;

/// <summary>
/// The raw references: what a hand-written loader gets from the same SQLite (same provider, same native library,
/// same schema made by the API's own migrations, WAL + synchronous=FULL + foreign keys) on the same disk, in the
/// same run. Only the write loop and its commits are timed.
/// </summary>
internal static class Raw
{
    private const string InsertSql = """
        INSERT INTO KpiMeasurement (Id, KpiId, PeriodStart, Value, Source, Note, ExternalId, RecordedAt, RecordedBy)
        VALUES ($id, $kpi, $period, $value, $source, $note, $externalId, $recordedAt, $recordedBy)
        """;

    private const string UpsertSql = InsertSql + """

        ON CONFLICT (KpiId, PeriodStart) DO UPDATE SET
            Value = excluded.Value, Source = excluded.Source, Note = excluded.Note, ExternalId = excluded.ExternalId,
            RecordedAt = excluded.RecordedAt, RecordedBy = excluded.RecordedBy
        """;

    private const string InsertKpiSql = """
        INSERT INTO Kpi (Id, KpiKey, KeyNormalized, Name, ValueType, Frequency, TargetComparator, TargetValue, TargetWarning,
                         Status, Version, CreatedAt, UpdatedAt)
        VALUES ($id, $key, $key, $name, 'Number', 'Daily', 'AtLeast', '100', '90', 'Active', 1, $now, $now)
        """;

    /// <summary>A new database file with the API's schema, made by the published API itself (--MigrateOnly=true).</summary>
    public static async Task<string> FreshDatabaseAsync(Settings settings, string name)
    {
        var db = Path.Combine(settings.WorkDir, name + ".db");
        Files.DeleteDatabase(db);
        var (code, output, _) = await Processes.RunAsync("dotnet",
            [settings.ApiDll, $"--ConnectionStrings:OkrKpi=Data Source={db}", "--MigrateOnly=true", "--Demo:Enabled=false"],
            TimeSpan.FromMinutes(3), Path.GetDirectoryName(settings.ApiDll));
        if (code != 0) throw new InvalidOperationException($"--MigrateOnly=true exited with {code}:\n{output}");
        return db;
    }

    public static SqliteConnection Open(string db)
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = db, Pooling = false, ForeignKeys = true }.ToString());
        connection.Open();
        using var pragmas = connection.CreateCommand();
        pragmas.CommandText = "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON;";
        pragmas.ExecuteNonQuery();
        // The reference must be exactly as durable as the API: WAL, synchronous=FULL (2), foreign keys on.
        pragmas.CommandText = "SELECT (SELECT journal_mode FROM pragma_journal_mode) || ',' || (SELECT synchronous FROM pragma_synchronous) || ',' || (SELECT foreign_keys FROM pragma_foreign_keys)";
        if ((string)pragmas.ExecuteScalar()! is var settings && settings != "wal,2,1")
            throw new InvalidOperationException($"raw connection runs with journal_mode,synchronous,foreign_keys = {settings}, expected wal,2,1");
        return connection;
    }

    /// <summary>
    /// The KPIs the API created (same ids and keys, every NOT NULL column); not timed. One transaction per KPI, as the
    /// API's POSTs committed them, so the raw file reaches the same state first: in particular its WAL has grown to the
    /// auto-checkpoint size and is being reused. (A fresh WAL that still grows makes every early commit pay for
    /// extending the file, which made one-row commits several times slower and the reference unfairly slow.)
    /// </summary>
    public static void InsertKpis(SqliteConnection connection, IReadOnlyList<string> ids, int firstKpi)
    {
        using var command = Command(connection, null, InsertKpiSql, "$id", "$key", "$name", "$now");
        command.Parameters["$now"].Value = BenchData.Instant(DateTimeOffset.UtcNow);
        for (var n = 0; n < ids.Count; n++)
        {
            using var transaction = connection.BeginTransaction();
            command.Transaction = transaction;
            command.Parameters["$id"].Value = ids[n];
            command.Parameters["$key"].Value = BenchData.Key(firstKpi + n);
            command.Parameters["$name"].Value = $"Bench KPI {firstKpi + n}";
            command.ExecuteNonQuery();
            transaction.Commit();
        }
    }

    /// <summary>B1's reference: every row in ONE transaction with ONE prepared INSERT, as the import stores them.</summary>
    public static TimeSpan InsertAllInOneTransaction(SqliteConnection connection, RowSet rows, string source)
    {
        var recordedAt = BenchData.Instant(DateTimeOffset.UtcNow);
        var watch = Stopwatch.StartNew();
        using (var transaction = connection.BeginTransaction())
        {
            using var insert = Prepared(connection, transaction, InsertSql, source, recordedAt);
            var p = insert.Parameters;
            for (var r = 0; r < rows.Count; r++)
            {
                p[0].Value = Guid.CreateVersion7().ToString("D");
                p[1].Value = rows.KpiId[r];
                p[2].Value = rows.Period[r];
                p[3].Value = rows.Value[r];
                insert.ExecuteNonQuery();
            }
            transaction.Commit();
        }
        watch.Stop();
        return watch.Elapsed;
    }

    /// <summary>B5's reference: prepared upserts, <paramref name="perTransaction"/> rows per transaction, one thread.</summary>
    public static TimeSpan UpsertInTransactionsOf(SqliteConnection connection, RowSet rows, int perTransaction, string source)
    {
        var recordedAt = BenchData.Instant(DateTimeOffset.UtcNow);
        using var upsert = Prepared(connection, null, UpsertSql, source, recordedAt);
        var p = upsert.Parameters;
        var watch = Stopwatch.StartNew();
        for (var start = 0; start < rows.Count; start += perTransaction)
        {
            using var transaction = connection.BeginTransaction();
            upsert.Transaction = transaction;
            for (var r = start; r < Math.Min(rows.Count, start + perTransaction); r++)
            {
                p[0].Value = Guid.CreateVersion7().ToString("D");
                p[1].Value = rows.KpiId[r];
                p[2].Value = rows.Period[r];
                p[3].Value = rows.Value[r];
                upsert.ExecuteNonQuery();
            }
            transaction.Commit();
        }
        watch.Stop();
        return watch.Elapsed;
    }

    /// <summary>B6's reference: BEGIN IMMEDIATE; INSERT; COMMIT per row, sequentially, until the rows or the time run out.</summary>
    public static (int Rows, TimeSpan Elapsed) OneRowTransactions(SqliteConnection connection, RowSet rows, TimeSpan budget, string source)
    {
        var recordedAt = BenchData.Instant(DateTimeOffset.UtcNow);
        using var begin = Plain(connection, "BEGIN IMMEDIATE");
        using var commit = Plain(connection, "COMMIT");
        using var insert = Prepared(connection, null, InsertSql, source, recordedAt);
        var p = insert.Parameters;
        var watch = Stopwatch.StartNew();
        var done = 0;
        for (; done < rows.Count && watch.Elapsed < budget; done++)
        {
            begin.ExecuteNonQuery();
            p[0].Value = Guid.CreateVersion7().ToString("D");
            p[1].Value = rows.KpiId[done];
            p[2].Value = rows.Period[done];
            p[3].Value = rows.Value[done];
            insert.ExecuteNonQuery();
            commit.ExecuteNonQuery();
        }
        watch.Stop();
        return (done, watch.Elapsed);
    }

    public static long Count(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return (long)command.ExecuteScalar()!;
    }

    public static string SqliteVersion()
    {
        using var connection = new SqliteConnection("Data Source=:memory:");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT sqlite_version()";
        return (string)command.ExecuteScalar()!;
    }

    /// <summary>What the API writes in RecordedBy for the suite's token: "token:" and a 16-character public id.</summary>
    private const string RecordedBy = "token:0123456789abcdef";

    private static SqliteCommand Prepared(SqliteConnection connection, SqliteTransaction? transaction, string sql, string source, string recordedAt)
    {
        var command = Command(connection, transaction, sql, "$id", "$kpi", "$period", "$value", "$source", "$note", "$externalId", "$recordedAt", "$recordedBy");
        command.Parameters["$source"].Value = source;
        command.Parameters["$note"].Value = DBNull.Value;
        command.Parameters["$externalId"].Value = DBNull.Value;
        command.Parameters["$recordedAt"].Value = recordedAt;
        // The same row the API stores: since access control every value records who pushed it (a token's actor text).
        command.Parameters["$recordedBy"].Value = RecordedBy;
        command.Prepare();
        return command;
    }

    private static SqliteCommand Command(SqliteConnection connection, SqliteTransaction? transaction, string sql, params string[] names)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        foreach (var name in names) command.Parameters.Add(new SqliteParameter(name, DBNull.Value));
        return command;
    }

    private static SqliteCommand Plain(SqliteConnection connection, string sql)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Prepare();
        return command;
    }
}

internal static class Files
{
    public static void DeleteDatabase(string db)
    {
        foreach (var suffix in new[] { "", "-wal", "-shm", "-journal" })
            if (File.Exists(db + suffix)) File.Delete(db + suffix);
    }
}
