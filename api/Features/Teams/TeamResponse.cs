using System.Data.Common;
using Dapper;
using FluentValidation;
using OkrKpi.Api.Infrastructure.Errors;
using OkrKpi.Api.Infrastructure.Mediator;

namespace OkrKpi.Api.Features.Teams;

/// <summary>A team as every team endpoint returns it.</summary>
public sealed record TeamResponse(Guid Id, string Name, Guid? ParentTeamId, long Version, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt)
{
    public const int NameMaxLength = 100;

    /// <summary>Teams in the audit log: entity "team", the team's id, before/after as this record.</summary>
    public const string AuditEntity = "team";

    private const string SelectSql = """
        SELECT Id, Name, ParentTeamId, Version, CreatedAt, UpdatedAt
        FROM Team
        WHERE Id = @Id
        """;

    internal static Task<TeamResponse?> LoadAsync(DbConnection connection, Guid id, CancellationToken ct, DbTransaction? transaction = null) =>
        connection.QuerySingleOrDefaultAsync<TeamResponse>(new CommandDefinition(SelectSql, new { Id = id }, transaction, cancellationToken: ct));

    internal static string Normalize(string name) => name.Trim().ToUpperInvariant();
}

internal static class TeamRules
{
    // Walks up from the new parent; meeting the moved team on the way means the move closes a loop.
    // SQLite and SQL Server both accept a recursive CTE without the RECURSIVE keyword.
    private const string WouldLoopSql = """
        WITH Ancestor (Id, ParentTeamId) AS (
            SELECT Id, ParentTeamId FROM Team WHERE Id = @ParentTeamId
            UNION ALL
            SELECT t.Id, t.ParentTeamId FROM Team AS t INNER JOIN Ancestor AS a ON t.Id = a.ParentTeamId
        )
        SELECT COUNT(*) FROM Ancestor WHERE Id = @TeamId
        """;

    private const string ParentExistsSql = "SELECT COUNT(*) FROM Team WHERE Id = @ParentTeamId";

    /// <summary>A team may sit below an existing team that is not itself nor below it (no loops); none means the top.</summary>
    public static async Task EnsureParentFitsAsync(DbConnection connection, DbTransaction transaction, Guid teamId, Guid? parentTeamId, CancellationToken ct)
    {
        if (parentTeamId is not { } parentId) return;
        if (parentId == teamId)
            throw new ConflictException("A team cannot be its own parent.");
        var parentExists = await connection.ExecuteScalarAsync<long>(new CommandDefinition(ParentExistsSql, new { ParentTeamId = parentId }, transaction, cancellationToken: ct));
        if (parentExists == 0)
            throw new ValidationException([new("parentTeamId", $"Team '{parentId}' does not exist.")]);
        var loops = await connection.ExecuteScalarAsync<long>(new CommandDefinition(WouldLoopSql, new { ParentTeamId = parentId, TeamId = teamId }, transaction, cancellationToken: ct));
        if (loops > 0)
            throw new ConflictException($"Team '{parentId}' is below team '{teamId}'; moving there would make a loop.");
    }

    public static IRuleBuilderOptions<T, string> TeamName<T>(this IRuleBuilder<T, string> rule) =>
        rule.NotBlank().WithMessage("name is required.")
            .MaximumTrimmedLength(TeamResponse.NameMaxLength)
            .WithMessage($"name must be at most {TeamResponse.NameMaxLength} characters.");
}
