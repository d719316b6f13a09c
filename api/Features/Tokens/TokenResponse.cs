using System.Data.Common;
using Dapper;
using OkrKpi.Api.Infrastructure.Security;

namespace OkrKpi.Api.Features.Tokens;

/// <summary>What anyone may see of an API token: everything but its secret, which exists only in the answer that created it.</summary>
public sealed record TokenResponse(Guid Id, string PublicId, Guid UserId, string Name, [property: Infrastructure.OpenApi.ClosedSet(typeof(Infrastructure.Security.Scopes), nameof(Infrastructure.Security.Scopes.All))] IReadOnlyList<string> Scopes, IReadOnlyList<string>? KpiKeys,
    DateTimeOffset CreatedAt, DateTimeOffset ExpiresAt, DateTimeOffset? LastUsedAt, DateTimeOffset? RevokedAt)
{
    public const int NameMaxLength = 100;

    public const string Columns = "Id, PublicId, UserId, Name, Scopes, KpiKeys, CreatedAt, ExpiresAt, LastUsedAt, RevokedAt";

    private const string SelectSql = $"SELECT {Columns} FROM ApiToken WHERE Id = @Id";

    internal sealed class Row
    {
        public Guid Id { get; init; }
        public string PublicId { get; init; } = "";
        public Guid UserId { get; init; }
        public string Name { get; init; } = "";
        public string Scopes { get; init; } = "";
        public string? KpiKeys { get; init; }
        public DateTimeOffset CreatedAt { get; init; }
        public DateTimeOffset ExpiresAt { get; init; }
        public DateTimeOffset? LastUsedAt { get; init; }
        public DateTimeOffset? RevokedAt { get; init; }

        public TokenResponse ToResponse() => new(Id, PublicId, UserId, Name, ApiTokens.SplitScopes(Scopes),
            KpiKeys is null ? null : ApiTokens.SplitKpiKeys(KpiKeys), CreatedAt, ExpiresAt, LastUsedAt, RevokedAt);
    }

    internal static async Task<TokenResponse?> LoadAsync(DbConnection connection, Guid id, CancellationToken ct, DbTransaction? transaction = null) =>
        (await connection.QuerySingleOrDefaultAsync<Row>(new CommandDefinition(SelectSql, new { Id = id }, transaction, cancellationToken: ct)))?.ToResponse();
}
