using System.Data.Common;
using Dapper;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace OkrKpi.Api.Infrastructure.Data;

/// <summary>Ready means the database answers and the schema is migrated; the reason stays in the log, not the response.</summary>
public sealed class DatabaseHealthCheck(DbDataSource db, ILogger<DatabaseHealthCheck> logger) : IHealthCheck
{
    private const string Sql = "SELECT COUNT(*) FROM SchemaVersions";

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken ct = default)
    {
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
