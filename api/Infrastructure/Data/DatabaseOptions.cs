namespace OkrKpi.Api.Infrastructure.Data;

public enum DatabaseProvider { Sqlite, SqlServer }

/// <summary>Configuration section "Database"; the connection string is ConnectionStrings:OkrKpi.</summary>
public sealed class DatabaseOptions
{
    public const string DefaultSqliteConnectionString = "Data Source=data/okrkpi.db";

    public DatabaseProvider Provider { get; set; } = DatabaseProvider.Sqlite;

    public string ConnectionString { get; set; } = DefaultSqliteConnectionString;

    /// <summary>How long a SQLite write waits for the lock before the request answers 503 with Retry-After.</summary>
    public int BusyTimeoutSeconds { get; set; } = 2;

    public bool MigrateOnStartup { get; set; } = true;
}
