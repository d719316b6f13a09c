using System.Data.Common;
using Dapper;
using FluentValidation;

namespace OkrKpi.Api.Features.Kpis;

/// <summary>The owner named in a KPI body must exist; a missing one is a field error, not a 404 of the KPI.</summary>
internal static class KpiOwner
{
    private const string TeamExistsSql = "SELECT COUNT(*) FROM Team WHERE Id = @OwnerTeamId";

    public static async Task EnsureExistsAsync(DbConnection connection, DbTransaction transaction, Guid? ownerTeamId, CancellationToken ct)
    {
        if (ownerTeamId is null) return;
        var exists = await connection.ExecuteScalarAsync<long>(new CommandDefinition(TeamExistsSql, new { OwnerTeamId = ownerTeamId }, transaction, cancellationToken: ct));
        if (exists == 0)
            throw new ValidationException([new("ownerTeamId", $"Team '{ownerTeamId}' does not exist.")]);
    }
}
