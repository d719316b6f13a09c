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
