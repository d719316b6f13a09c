using Microsoft.Data.SqlClient;
using Microsoft.Data.Sqlite;

namespace OkrKpi.Api.Infrastructure.Data;

/// <summary>Recognises constraint violations (409) and a full disk (507) in both providers, instead of a 500.</summary>
public static class DbErrors
{
    private const int SqliteConstraintUnique = 2067;
    private const int SqliteConstraintPrimaryKey = 1555;
    private const int SqliteFull = 13;

    public static bool IsUniqueViolation(Exception exception) => exception switch
    {
        SqliteException sqlite => sqlite.SqliteExtendedErrorCode is SqliteConstraintUnique or SqliteConstraintPrimaryKey,
        SqlException sql => sql.Number is 2601 or 2627,
        _ => false,
    };

    /// <summary>
    /// The database could not grow: SQLite's disk or its max_page_count is full (SQLITE_FULL), SQL Server's data
    /// filegroup (1105) or transaction log (9002) is. The statement failed and its transaction is rolled back.
    /// </summary>
    public static bool IsStorageFull(Exception exception) => exception switch
    {
        SqliteException sqlite => sqlite.SqliteErrorCode == SqliteFull,
        SqlException sql => sql.Errors.Cast<SqlError>().Any(e => e.Number is 1105 or 9002),
        _ => false,
    };
}
