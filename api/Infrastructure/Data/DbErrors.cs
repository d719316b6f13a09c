using Microsoft.Data.SqlClient;
using Microsoft.Data.Sqlite;

namespace OkrKpi.Api.Infrastructure.Data;

/// <summary>Recognises constraint violations of both providers, so handlers can answer 409 instead of 500.</summary>
public static class DbErrors
{
    private const int SqliteConstraintUnique = 2067;
    private const int SqliteConstraintPrimaryKey = 1555;

    public static bool IsUniqueViolation(Exception exception) => exception switch
    {
        SqliteException sqlite => sqlite.SqliteExtendedErrorCode is SqliteConstraintUnique or SqliteConstraintPrimaryKey,
        SqlException sql => sql.Number is 2601 or 2627,
        _ => false,
    };
}
