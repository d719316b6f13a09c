using System.Data.Common;
using Microsoft.Data.Sqlite;

namespace OkrKpi.Api.Infrastructure.Data;

/// <summary>
/// Opens SQLite connections with the per-connection settings the product relies on: a committed write
/// survives power loss (synchronous=FULL), foreign keys are enforced, and a locked database is waited
/// on only briefly (the busy timeout, which also bounds Microsoft.Data.Sqlite's own busy retries).
/// </summary>
public sealed class SqliteDataSource(string connectionString) : DbDataSource
{
    // journal_size_limit: after a large import's checkpoint, the write-ahead log shrinks back to 64 MiB
    // instead of keeping the size of the largest transaction until shutdown. wal_autocheckpoint = 0: no commit
    // checkpoints inside a writer's turn; WalCheckpoints does it in the background. busy_timeout: a writer that
    // finds the file locked (by the write queue's turn, or another command) retries within SQLite every few
    // milliseconds, instead of Microsoft.Data.Sqlite's retries 150 ms apart, where a few concurrent commands could
    // starve one past the timeout.
    private readonly string _perConnectionPragmas = "PRAGMA synchronous = FULL; PRAGMA journal_size_limit = 67108864; PRAGMA wal_autocheckpoint = 0; "
        + $"PRAGMA busy_timeout = {new SqliteConnectionStringBuilder(connectionString).DefaultTimeout * 1000};";

    public override string ConnectionString { get; } = connectionString;

    protected override DbConnection CreateDbConnection() => new SqliteConnection(ConnectionString);

    protected override DbConnection OpenDbConnection()
    {
        var connection = CreateDbConnection();
        connection.Open();
        ApplyPragmas(connection);
        return connection;
    }

    protected override async ValueTask<DbConnection> OpenDbConnectionAsync(CancellationToken ct = default)
    {
        var connection = CreateDbConnection();
        await connection.OpenAsync(ct);
        ApplyPragmas(connection);
        return connection;
    }

    public static string Normalise(string connectionString, int busyTimeoutSeconds)
    {
        var builder = new SqliteConnectionStringBuilder(connectionString)
        {
            ForeignKeys = true,
            DefaultTimeout = busyTimeoutSeconds,
            Pooling = true,
        };
        if (builder.DataSource is { Length: > 0 } file && file != ":memory:" && Path.GetDirectoryName(Path.GetFullPath(file)) is { } folder)
            Directory.CreateDirectory(folder);
        return builder.ToString();
    }

    private void ApplyPragmas(DbConnection connection)
    {
        using (var command = connection.CreateCommand())
        {
            command.CommandText = _perConnectionPragmas;
            command.ExecuteNonQuery();
        }
        // SQLite's built-in LOWER folds ASCII only, so LOWER('Écart') stayed 'Écart' and a search for
        // "écart" missed it. Overriding it keeps the SQL the same on both dialects.
        ((SqliteConnection)connection).CreateFunction("lower", (string? text) => text?.ToLowerInvariant(), isDeterministic: true);
    }
}
