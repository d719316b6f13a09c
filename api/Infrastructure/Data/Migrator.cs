using DbUp;
using DbUp.Builder;
using DbUp.Engine.Output;
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
        var logger = loggers.CreateLogger<Migrator>();
        var builder = settings.Provider == DatabaseProvider.Sqlite ? Sqlite(settings) : SqlServer(settings, logger);
        var result = builder
            .WithScriptsFromFileSystem(ScriptsFolder(settings.Provider))
            .WithTransactionPerScript()
            .LogTo(logger)
            .Build()
            .PerformUpgrade();

        if (!result.Successful)
            throw new InvalidOperationException($"Database migration failed at script {result.ErrorScript?.Name}.", result.Error);
    }

    private static UpgradeEngineBuilder Sqlite(DatabaseOptions settings)
    {
        var connectionString = SqliteDataSource.Normalise(settings.ConnectionString, settings.BusyTimeoutSeconds);
        EnableWriteAheadLog(connectionString);
        return DeployChanges.To.SqliteDatabase(connectionString);
    }

    private static UpgradeEngineBuilder SqlServer(DatabaseOptions settings, ILogger logger)
    {
        EnsureDatabase.For.SqlDatabase(settings.ConnectionString, new MicrosoftUpgradeLog(logger));
        return DeployChanges.To.SqlDatabase(settings.ConnectionString);
    }

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
