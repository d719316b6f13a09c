using System.Data.Common;
using Dapper;
using OkrKpi.Api.Infrastructure.Security;

namespace OkrKpi.Api.Features.Tokens;

/// <summary>
/// What anyone may see of an API token: everything but its secret, which exists only in the answer that created or
/// rotated it. <c>expiresSoon</c>: it stops working within 14 days and is not revoked. <c>previousSecretExpiresAt</c>: after
/// a rotation, when the previous secret stops working. <c>lastUsedFrom</c>: the client address of that last use.
/// </summary>
public sealed record TokenResponse(Guid Id, string PublicId, Guid UserId, string Name, [property: Infrastructure.OpenApi.ClosedSet(typeof(Infrastructure.Security.Scopes), nameof(Infrastructure.Security.Scopes.All))] IReadOnlyList<string> Scopes, IReadOnlyList<string>? KpiKeys,
    DateTimeOffset CreatedAt, DateTimeOffset ExpiresAt, DateTimeOffset? LastUsedAt, DateTimeOffset? RevokedAt,
    bool ExpiresSoon, DateTimeOffset? RotatedAt, DateTimeOffset? PreviousSecretExpiresAt, string? LastUsedFrom, Guid? ReceiverId, bool ServiceAccount, long Version)
{
    public const int NameMaxLength = 100;

    public const string Columns = """
        ApiToken.Id, PublicId, UserId, Name, Scopes, KpiKeys, ApiToken.CreatedAt, ExpiresAt, LastUsedAt, RevokedAt,
        RotatedAt, PreviousSecretExpiresAt, LastUsedFrom, ReceiverId, ApiToken.Version,
        (SELECT u.IsServiceAccount FROM AppUser u WHERE u.Id = ApiToken.UserId) AS ServiceAccount
        """;

    private const string SelectSql = $"SELECT {Columns} FROM ApiToken WHERE ApiToken.Id = @Id";

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
        public DateTimeOffset? RotatedAt { get; init; }
        public DateTimeOffset? PreviousSecretExpiresAt { get; init; }
        public string? LastUsedFrom { get; init; }
        public Guid? ReceiverId { get; init; }
        public bool ServiceAccount { get; init; }
        public long Version { get; init; }

        public TokenResponse ToResponse(DateTimeOffset now) => new(Id, PublicId, UserId, Name, ApiTokens.SplitScopes(Scopes),
            KpiKeys is null ? null : ApiTokens.SplitKpiKeys(KpiKeys), CreatedAt, ExpiresAt, LastUsedAt, RevokedAt,
            RevokedAt is null && ExpiresAt - now <= ApiTokens.ExpiringSoon, RotatedAt,
            PreviousSecretExpiresAt > now ? PreviousSecretExpiresAt : null, LastUsedFrom, ReceiverId, ServiceAccount, Version);
    }

    internal static async Task<TokenResponse?> LoadAsync(DbConnection connection, Guid id, DateTimeOffset now, CancellationToken ct, DbTransaction? transaction = null) =>
        (await connection.QuerySingleOrDefaultAsync<Row>(new CommandDefinition(SelectSql, new { Id = id }, transaction, cancellationToken: ct)))?.ToResponse(now);
}
