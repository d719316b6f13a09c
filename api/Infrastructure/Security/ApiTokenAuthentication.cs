using System.Data.Common;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using Dapper;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace OkrKpi.Api.Infrastructure.Security;

/// <summary>
/// API tokens: <c>okr_&lt;public id&gt;_&lt;secret&gt;</c>, accepted from <c>Authorization: Bearer</c> or as the password of
/// <c>Authorization: Basic</c> (any user name: Azure DevOps service hooks can send nothing else), never from a cookie or
/// the query string. The row is found by its public id and the secret's SHA-256 compared in constant time; a 256-bit
/// random secret needs no slow hash. A rotated token's previous secret works on until its grace period ends. Unknown,
/// malformed, expired and revoked tokens, and tokens of a disabled owner, fail alike. A token that expires within
/// <see cref="ApiTokens.ExpiringSoon"/> says so on every answer (<see cref="ApiTokens.ExpiresHeader"/>).
/// </summary>
public sealed class ApiTokenAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder,
    DbDataSource db, TimeProvider clock, FailedAuthenticationLimiter failures, TokenUsage usage)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "token";
    public const string Prefix = "okr_";

    private const string FindSql = """
        SELECT t.SecretHash, t.PreviousSecretHash, t.PreviousSecretExpiresAt, t.ReceiverId, t.Scopes, t.KpiKeys, t.ExpiresAt, t.RevokedAt, t.LastUsedAt,
               u.Id AS UserId, u.Email, u.DisplayName, u.Role, u.Disabled
        FROM ApiToken t JOIN AppUser u ON u.Id = t.UserId
        WHERE t.PublicId = @PublicId
        """;

    private sealed class Row
    {
        public string SecretHash { get; init; } = "";
        public string? PreviousSecretHash { get; init; }
        public DateTimeOffset? PreviousSecretExpiresAt { get; init; }
        public Guid? ReceiverId { get; init; }
        public string Scopes { get; init; } = "";
        public string? KpiKeys { get; init; }
        public DateTimeOffset ExpiresAt { get; init; }
        public DateTimeOffset? RevokedAt { get; init; }
        public DateTimeOffset? LastUsedAt { get; init; }
        public Guid UserId { get; init; }
        public string Email { get; init; } = "";
        public string DisplayName { get; init; } = "";
        public Role Role { get; init; }
        public bool Disabled { get; init; }
    }

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (!ApiTokens.TryReadToken(Request, out var bearer))
            return AuthenticateResult.NoResult();

        var result = await AuthenticateAsync(bearer);
        if (!result.Succeeded) failures.TryCount(Context);
        return result;
    }

    private async Task<AuthenticateResult> AuthenticateAsync(string bearer)
    {
        var parsed = ApiTokens.Parse(bearer);
        // Hashing even a malformed or unknown token keeps the failure's timing the same as a wrong secret's.
        var presented = SHA256.HashData(Encoding.UTF8.GetBytes(parsed?.Secret ?? bearer));
        if (parsed is null) return Refused();

        await using var connection = await db.OpenConnectionAsync(Context.RequestAborted);
        var row = await connection.QuerySingleOrDefaultAsync<Row>(new CommandDefinition(FindSql, new { parsed.Value.PublicId }, cancellationToken: Context.RequestAborted));
        var stored = row is null ? new byte[32] : Convert.FromHexString(row.SecretHash);
        var previous = row?.PreviousSecretHash is { } hash ? Convert.FromHexString(hash) : new byte[32];
        var now = clock.GetUtcNow();
        var current = CryptographicOperations.FixedTimeEquals(presented, stored);
        var old = CryptographicOperations.FixedTimeEquals(presented, previous) && row?.PreviousSecretExpiresAt > now;
        if (!(current || old) || row is null || row.RevokedAt is not null || now >= row.ExpiresAt || row.Disabled)
            return Refused();

        // Last-used time and address are for people deciding which tokens to revoke: recorded after this request, to the minute.
        if (TokenUsage.IsDue(row.LastUsedAt, now)) usage.Record(parsed.Value.PublicId, now, RateLimits.Address(Context));
        var expiresAt = current ? row.ExpiresAt : row.PreviousSecretExpiresAt!.Value;
        if (expiresAt - now <= ApiTokens.ExpiringSoon)
            Response.Headers[ApiTokens.ExpiresHeader] = expiresAt.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture);

        var principal = Caller.Principal(SchemeName, CallerKind.Token, row.UserId, row.Email, row.DisplayName, row.Role,
            ApiTokens.SplitScopes(row.Scopes), parsed.Value.PublicId, ApiTokens.SplitKpiKeys(row.KpiKeys), row.ReceiverId);
        return AuthenticateResult.Success(new AuthenticationTicket(principal, SchemeName));
    }

    private static AuthenticateResult Refused() => AuthenticateResult.Fail("The API token is not valid.");
}

/// <summary>How API tokens look, are made and are stored.</summary>
public static class ApiTokens
{
    public const int PublicIdLength = 16;

    /// <summary>A token this close to its expiry is flagged in the list and on each answer to it.</summary>
    public static readonly TimeSpan ExpiringSoon = TimeSpan.FromDays(14);

    /// <summary>
    /// Sent on every answer to a token that expires within <see cref="ExpiringSoon"/> (or to the previous secret of a
    /// rotated token): when it stops working, as an RFC 3339 UTC instant.
    /// </summary>
    public const string ExpiresHeader = "OkrKpi-Token-Expires";

    /// <summary>A new token: 64 bits of public id (hex, so it never contains the separator) and 256 bits of secret.</summary>
    public static (string Token, string PublicId, string SecretHash) New()
    {
        var publicId = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(PublicIdLength / 2));
        var secret = SessionAuthenticationHandler.NewSecret();
        return ($"{ApiTokenAuthenticationHandler.Prefix}{publicId}_{secret}", publicId, SessionAuthenticationHandler.Hash(secret));
    }

    public static bool TryReadBearer(HttpRequest request, out string bearer)
    {
        bearer = "";
        var header = request.Headers.Authorization.ToString();
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)) return false;
        bearer = header["Bearer ".Length..].Trim();
        return true;
    }

    /// <summary>Whether the request carries HTTP Basic credentials, whose password is then read as an API token.</summary>
    public static bool HasBasic(HttpRequest request) =>
        request.Headers.Authorization.ToString().StartsWith("Basic ", StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// The token of a request: the bearer, or the password of Basic credentials (the user name is ignored). Basic
    /// credentials that do not decode are read as an empty token, so they fail like a wrong one.
    /// </summary>
    public static bool TryReadToken(HttpRequest request, out string token)
    {
        if (TryReadBearer(request, out token)) return true;
        if (!HasBasic(request)) return false;
        token = "";
        var encoded = request.Headers.Authorization.ToString()["Basic ".Length..].Trim();
        try
        {
            var decoded = Encoding.UTF8.GetString(Convert.FromBase64String(encoded));
            var colon = decoded.IndexOf(':');
            if (colon >= 0) token = decoded[(colon + 1)..];
        }
        catch (FormatException)
        {
        }
        return true;
    }

    /// <summary>The query parameters holding what looks like an API token: it is refused there, never used.</summary>
    public static IReadOnlyList<string> InQuery(HttpRequest request) =>
        request.Query.Where(parameter => parameter.Value.Any(value => value is not null && value.Contains(ApiTokenAuthenticationHandler.Prefix, StringComparison.Ordinal)))
            .Select(parameter => parameter.Key).ToList();

    public static bool LooksLikeApiToken(string bearer) => bearer.StartsWith(ApiTokenAuthenticationHandler.Prefix, StringComparison.Ordinal);

    public static (string PublicId, string Secret)? Parse(string token)
    {
        if (!LooksLikeApiToken(token)) return null;
        var rest = token.AsSpan(ApiTokenAuthenticationHandler.Prefix.Length);
        var separator = rest.IndexOf('_');
        if (separator != PublicIdLength || rest.Length - separator - 1 < 43) return null;
        var publicId = rest[..separator];
        foreach (var c in publicId) if (!char.IsAsciiHexDigitLower(c) && !char.IsAsciiDigit(c)) return null;
        return (publicId.ToString(), rest[(separator + 1)..].ToString());
    }

    public static string JoinScopes(IEnumerable<string> scopes) => string.Join(' ', scopes);
    public static IReadOnlyList<string> SplitScopes(string scopes) => scopes.Split(' ', StringSplitOptions.RemoveEmptyEntries);

    /// <summary>KPI keys are stored one per line, lower case (keys ignore case); null means no restriction.</summary>
    public static string? JoinKpiKeys(IEnumerable<string>? keys) => keys is null ? null : string.Join('\n', keys.Select(k => k.Trim().ToLowerInvariant()));
    public static IReadOnlyList<string> SplitKpiKeys(string? keys) => keys is null ? [] : keys.Split('\n', StringSplitOptions.RemoveEmptyEntries);
}
