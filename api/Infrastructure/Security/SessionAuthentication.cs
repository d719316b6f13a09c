using System.Data.Common;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using Dapper;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace OkrKpi.Api.Infrastructure.Security;

public sealed class SessionCookieOptions : AuthenticationSchemeOptions
{
    /// <summary>A session unused for this long ends (ASVS 3.3.2 at level 2: 30 minutes).</summary>
    public int IdleMinutes { get; set; } = 30;

    /// <summary>A session ends this long after sign-in however busy it is (ASVS level 2: 12 hours).</summary>
    public int AbsoluteHours { get; set; } = 12;
}

/// <summary>
/// Server-side sessions for the SPA. The HttpOnly, SameSite=Strict cookie holds 256 random bits; the database holds
/// their SHA-256 with the person, so signing out, disabling the person or an expiry ends the session on the next
/// request, on every instance. The person's role is read on every request, never frozen into the cookie.
/// </summary>
public sealed class SessionAuthenticationHandler(
    IOptionsMonitor<SessionCookieOptions> options, ILoggerFactory logger, UrlEncoder encoder, DbDataSource db, TimeProvider clock)
    : AuthenticationHandler<SessionCookieOptions>(options, logger, encoder)
{
    public const string SchemeName = "session";

    /// <summary>Over HTTPS the __Host- prefix pins the cookie to this host, path / and Secure; plain HTTP (make run) cannot use it.</summary>
    public static string CookieName(HttpRequest request) => request.IsHttps ? "__Host-okrkpi-session" : "okrkpi-session";

    // Writing LastSeenAt on every request would turn every read into a write; a minute's precision is plenty for idle expiry.
    private static readonly TimeSpan TouchInterval = TimeSpan.FromMinutes(1);

    private const string FindSql = """
        SELECT s.UserId, s.LastSeenAt, s.ExpiresAt, u.Email, u.DisplayName, u.Role, u.Disabled
        FROM UserSession s JOIN AppUser u ON u.Id = s.UserId
        WHERE s.IdHash = @IdHash
        """;

    private const string TouchSql = "UPDATE UserSession SET LastSeenAt = @Now WHERE IdHash = @IdHash";

    private sealed class Row
    {
        public Guid UserId { get; init; }
        public DateTimeOffset LastSeenAt { get; init; }
        public DateTimeOffset ExpiresAt { get; init; }
        public string Email { get; init; } = "";
        public string DisplayName { get; init; } = "";
        public Role Role { get; init; }
        public bool Disabled { get; init; }
    }

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (Request.Cookies[CookieName(Request)] is not { Length: > 0 } sessionId)
            return AuthenticateResult.NoResult();

        var idHash = Hash(sessionId);
        await using var connection = await db.OpenConnectionAsync(Context.RequestAborted);
        var row = await connection.QuerySingleOrDefaultAsync<Row>(new CommandDefinition(FindSql, new { IdHash = idHash }, cancellationToken: Context.RequestAborted));
        var now = clock.GetUtcNow();
        if (row is null || row.Disabled || now >= row.ExpiresAt || now - row.LastSeenAt >= TimeSpan.FromMinutes(Options.IdleMinutes))
            return AuthenticateResult.Fail("The session has ended.");

        if (now - row.LastSeenAt >= TouchInterval)
            await TouchAsync(connection, idHash, now);

        var principal = Caller.Principal(SchemeName, CallerKind.Session, row.UserId, row.Email, row.DisplayName, row.Role);
        return AuthenticateResult.Success(new AuthenticationTicket(principal, SchemeName));
    }

    private async Task TouchAsync(DbConnection connection, string idHash, DateTimeOffset now)
    {
        try
        {
            await connection.ExecuteAsync(new CommandDefinition(TouchSql, new { IdHash = idHash, Now = now }, cancellationToken: Context.RequestAborted));
        }
        catch (DbException e) when (Resilience.TransientFaults.IsTransient(e))
        {
            // A busy database must not fail a read; the next request touches the session instead.
            Logger.LogDebug("Session touch skipped: the database is busy");
        }
    }

    public static string Hash(string secret) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));

    /// <summary>256 bits from the CSPRNG, URL-safe.</summary>
    public static string NewSecret() => Base64Url(RandomNumberGenerator.GetBytes(32));

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
