using System.Data.Common;
using Dapper;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace OkrKpi.Api.Infrastructure.Data;

/// <summary>
/// Ready means the database has been prepared (migrated, admin and demo data in place) and answers. Until then the
/// check says so without querying: a migration may hold the database. Failures' details stay in the log.
/// </summary>
public sealed class DatabaseHealthCheck(DbDataSource db, DatabasePreparation preparation, ILogger<DatabaseHealthCheck> logger) : IHealthCheck
{
    private const string Sql = "SELECT COUNT(*) FROM SchemaVersions";

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken ct = default)
    {
        if (!preparation.Completion.IsCompleted)
            return HealthCheckResult.Unhealthy("The database is being prepared: migrations, then the configured admin and the demo data.");
        if (!preparation.Completion.IsCompletedSuccessfully)
            return HealthCheckResult.Unhealthy("Preparing the database failed; see the log.");
        try
        {
            await using var connection = await db.OpenConnectionAsync(ct);
            var applied = await connection.ExecuteScalarAsync<long>(new CommandDefinition(Sql, cancellationToken: ct));
            return applied > 0 ? HealthCheckResult.Healthy() : HealthCheckResult.Unhealthy("No migrations applied.");
        }
        catch (Exception e) when (e is DbException or InvalidOperationException)
        {
            logger.LogWarning(e, "Database health check failed");
            return HealthCheckResult.Unhealthy("Database unreachable.");
        }
    }
}
