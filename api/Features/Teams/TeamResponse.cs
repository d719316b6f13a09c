using System.Data.Common;
using Dapper;
using FluentValidation;
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
    public static IRuleBuilderOptions<T, string> TeamName<T>(this IRuleBuilder<T, string> rule) =>
        rule.NotBlank().WithMessage("name is required.")
            .MaximumTrimmedLength(TeamResponse.NameMaxLength)
            .WithMessage($"name must be at most {TeamResponse.NameMaxLength} characters.");
}
