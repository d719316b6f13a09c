using System.Data.Common;
using Dapper;
using OkrKpi.Api.Infrastructure.Security;

namespace OkrKpi.Api.Features.ServiceAccounts;

/// <summary>
/// A service account: the organisation's owner of integration tokens. It has a role and teams like a person (its tokens
/// act within them), never signs in, and is not touched when a person is disabled.
/// </summary>
public sealed record ServiceAccountResponse(Guid Id, string Name, Role Role, IReadOnlyList<Guid> TeamIds, bool Disabled, long Version,
    DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt)
{
    public const int NameMaxLength = 100;

    internal const string Columns = "Id, DisplayName AS Name, Role, Disabled, Version, CreatedAt, UpdatedAt";

    private const string SelectSql = $"SELECT {Columns} FROM AppUser WHERE Id = @Id AND IsServiceAccount = 1";
    private const string TeamsSql = "SELECT TeamId FROM TeamMember WHERE UserId = @Id ORDER BY TeamId";

    internal sealed class Row
    {
        public Guid Id { get; init; }
        public string Name { get; init; } = "";
        public Role Role { get; init; }
        public bool Disabled { get; init; }
        public long Version { get; init; }
        public DateTimeOffset CreatedAt { get; init; }
        public DateTimeOffset UpdatedAt { get; init; }

        public ServiceAccountResponse ToResponse(IEnumerable<Guid> teamIds) => new(Id, Name, Role, teamIds.ToList(), Disabled, Version, CreatedAt, UpdatedAt);
    }

    internal static async Task<ServiceAccountResponse?> LoadAsync(DbConnection connection, Guid id, CancellationToken ct, DbTransaction? transaction = null)
    {
        var row = await connection.QuerySingleOrDefaultAsync<Row>(new CommandDefinition(SelectSql, new { Id = id }, transaction, cancellationToken: ct));
        if (row is null) return null;
        var teams = await connection.QueryAsync<Guid>(new CommandDefinition(TeamsSql, new { Id = id }, transaction, cancellationToken: ct));
        return row.ToResponse(teams);
    }
}
