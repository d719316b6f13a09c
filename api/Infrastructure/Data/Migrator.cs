using DbUp;
using DbUp.Builder;
using DbUp.Engine.Output;
using System.Data.Common;
using System.Runtime.CompilerServices;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;

namespace OkrKpi.Api.Infrastructure.Data;

/// <summary>Applies db/&lt;provider&gt;/*.sql with DbUp: the same runner for start-up, `make migrate` and the tests.</summary>
public sealed class Migrator(IOptions<DatabaseOptions> options, ILoggerFactory loggers)
{
    public static string ScriptsFolder(DatabaseProvider provider) =>
        Path.Combine(AppContext.BaseDirectory, "db", provider == DatabaseProvider.Sqlite ? "sqlite" : "sqlserver");

    public void Migrate()
    {
        var settings = options.Value;
        if (!IsUpToDate(settings)) Upgrade(settings, loggers.CreateLogger<Migrator>());
    }

    // Its own method, never inlined: a method that names DbUp's or SqlClient's types loads their assemblies (and
    // SqlClient's dependencies) when it is first called, which cost every SQLite start with nothing to apply seven
    // assembly loads it never used (make bench, B10).
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void Upgrade(DatabaseOptions settings, ILogger logger)
    {
        UpgradeEngineBuilder builder;

        if (settings.Provider == DatabaseProvider.Sqlite)
        {
            var connectionString = SqliteDataSource.Normalise(settings.ConnectionString, settings.BusyTimeoutSeconds);
            EnableWriteAheadLog(connectionString);
            builder = DeployChanges.To.SqliteDatabase(connectionString);
        }
        else
        {
            EnsureDatabase.For.SqlDatabase(settings.ConnectionString, new MicrosoftUpgradeLog(logger));
            builder = DeployChanges.To.SqlDatabase(settings.ConnectionString);
        }

        var result = builder
            .WithScriptsFromFileSystem(ScriptsFolder(settings.Provider))
            .WithTransactionPerScript()
            .LogTo(logger)
            .Build()
            .PerformUpgrade();

        if (!result.Successful)
            throw new InvalidOperationException($"Database migration failed at script {result.ErrorScript?.Name}.", result.Error);
    }

    // A restart with nothing to apply is the common case; one query answers it without building DbUp's engine.
    private static bool IsUpToDate(DatabaseOptions settings)
    {
        var scripts = Directory.GetFiles(ScriptsFolder(settings.Provider), "*.sql").Select(Path.GetFileName).ToHashSet();
        try
        {
            using DbConnection connection = settings.Provider == DatabaseProvider.Sqlite
                ? new SqliteConnection(SqliteDataSource.Normalise(settings.ConnectionString, settings.BusyTimeoutSeconds))
                : SqlServerConnection(settings.ConnectionString);
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "SELECT ScriptName FROM SchemaVersions";
            using var reader = command.ExecuteReader();
            var applied = new HashSet<string>();
            while (reader.Read()) applied.Add(reader.GetString(0));
            return scripts.All(script => script is not null && applied.Contains(script));
        }
        catch (DbException)
        {
            return false;   // no database or no journal yet: DbUp creates them
        }
    }

    // Apart for the reason Upgrade is: SQLite starts need not load SqlClient.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static DbConnection SqlServerConnection(string connectionString) => new Microsoft.Data.SqlClient.SqlConnection(connectionString);

    // WAL is a property of the file, not of a connection: set it once, outside any transaction.
    private static void EnableWriteAheadLog(string connectionString)
    {
        using var connection = new SqliteConnection(connectionString);
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA journal_mode = WAL;";
        command.ExecuteNonQuery();
    }
}
