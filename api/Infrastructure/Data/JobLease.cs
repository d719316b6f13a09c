using System.Data.Common;
using Dapper;

namespace OkrKpi.Api.Infrastructure.Data;

/// <summary>
/// A named lease in the database that one instance at a time holds, so work that must happen once (delivering the
/// outbox, the lateness sweep) is safe with several instances. The holder renews it on every run; when it stops (or
/// dies), another instance takes it once it has expired.
/// </summary>
public static class JobLease
{
    private const string RenewSql = """
        UPDATE JobLease SET Holder = @Holder, ExpiresAt = @ExpiresAt
        WHERE Name = @Name AND (Holder = @Holder OR ExpiresAt < @Now)
        """;

    // Without FROM, both SQLite and SQL Server accept the conditional insert; two racing inserts end in one key violation.
    private const string CreateSql = """
        INSERT INTO JobLease (Name, Holder, ExpiresAt)
        SELECT @Name, @Holder, @ExpiresAt
        WHERE NOT EXISTS (SELECT 1 FROM JobLease WHERE Name = @Name)
        """;

    public static async Task<bool> TryTakeAsync(DbConnection connection, DbTransaction transaction, string name, string holder, DateTimeOffset now,
        TimeSpan duration, CancellationToken ct)
    {
        var lease = new { Name = name, Holder = holder, Now = now, ExpiresAt = now + duration };
        if (await connection.ExecuteAsync(new CommandDefinition(RenewSql, lease, transaction, cancellationToken: ct)) == 1) return true;
        await transaction.SaveAsync("lease", ct);
        try
        {
            return await connection.ExecuteAsync(new CommandDefinition(CreateSql, lease, transaction, cancellationToken: ct)) == 1;
        }
        catch (DbException)
        {
            await transaction.RollbackAsync("lease", ct);
            return false;
        }
    }
}
