using System.Data.Common;
using Microsoft.Data.SqlClient;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using OkrKpi.Api.Infrastructure.Data;
using Respawn;

namespace OkrKpi.Api.IntegrationTests;

/// <summary>
/// The real database the suite runs on: a fresh SQLite file by default, or the SQL Server named by
/// OKRKPI_TEST_SQLSERVER (a database of its own is created there).
/// </summary>
public sealed class TestDatabase : IAsyncDisposable
{
    public const string SqlServerVariable = "OKRKPI_TEST_SQLSERVER";

    private TestDatabase(DatabaseProvider provider, string connectionString, string? file)
    {
        Provider = provider;
        ConnectionString = connectionString;
        File = file;
    }

    public DatabaseProvider Provider { get; }
    public string ConnectionString { get; }
    public string? File { get; }
    public string ProviderName => Provider == DatabaseProvider.SqlServer ? "sqlserver" : "sqlite";

    public static TestDatabase FromEnvironment()
    {
        if (Environment.GetEnvironmentVariable(SqlServerVariable) is { Length: > 0 } sqlServer)
        {
            var builder = new SqlConnectionStringBuilder(sqlServer) { InitialCatalog = $"OkrKpiTests_{Environment.ProcessId}" };
            return new TestDatabase(DatabaseProvider.SqlServer, builder.ConnectionString, null);
        }

        var file = Path.Combine(Path.GetTempPath(), $"okrkpi-tests-{Guid.NewGuid():N}.db");
        return new TestDatabase(DatabaseProvider.Sqlite, $"Data Source={file}", file);
    }

    public void Migrate() =>
        new Migrator(Options.Create(new DatabaseOptions { Provider = Provider, ConnectionString = ConnectionString }), NullLoggerFactory.Instance).Migrate();

    public async Task<DbConnection> OpenAsync()
    {
        DbConnection connection = Provider == DatabaseProvider.SqlServer
            ? new SqlConnection(ConnectionString)
            : new SqliteConnection(new SqliteConnectionStringBuilder(ConnectionString) { ForeignKeys = true, Pooling = false }.ToString());
        await connection.OpenAsync();
        return connection;
    }

    public Task<Respawner> CreateRespawnerAsync(DbConnection connection) =>
        Respawner.CreateAsync(connection, new RespawnerOptions
        {
            DbAdapter = Provider == DatabaseProvider.SqlServer ? DbAdapter.SqlServer : DbAdapter.Sqlite,
            // The key ring outlives each test, as it outlives a deployment: instances cache it and would disagree otherwise.
            TablesToIgnore = ["SchemaVersions", "DataProtectionKey"],
        });

    public ValueTask DisposeAsync()
    {
        SqliteConnection.ClearAllPools();
        SqlConnection.ClearAllPools();
        if (File is not null)
            foreach (var path in new[] { File, File + "-wal", File + "-shm" })
                if (System.IO.File.Exists(path)) System.IO.File.Delete(path);
        return ValueTask.CompletedTask;
    }
}
