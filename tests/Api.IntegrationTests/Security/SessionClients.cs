using System.Net;
using Dapper;
using OkrKpi.Api.Infrastructure.Security;

namespace OkrKpi.Api.IntegrationTests.Security;

/// <summary>
/// A person in the browser: a session cookie for a session row inserted directly (no password hashing, no sign-in
/// request), and the CSRF pair that GET /api/v1/session hands out, echoed on every request as the SPA does.
/// </summary>
public static class SessionClients
{
    private const string InsertSessionSql = """
        INSERT INTO UserSession (IdHash, UserId, CreatedAt, LastSeenAt, ExpiresAt)
        VALUES (@IdHash, @UserId, @Now, @Now, @ExpiresAt)
        """;

    public sealed record Session(HttpClient Client, string SessionId, string XsrfToken);

    public static async Task<Session> SignedInAsync(Guid userId)
    {
        var secret = SessionAuthenticationHandler.NewSecret();
        var now = ApiFixture.Clock.GetUtcNow();
        await using (var connection = await ApiFixture.Database.OpenAsync())
            await connection.ExecuteAsync(InsertSessionSql, new { IdHash = SessionAuthenticationHandler.Hash(secret), UserId = userId, Now = now, ExpiresAt = now.AddHours(12) });

        var client = Callers.Client();
        var cookies = new Dictionary<string, string> { ["okrkpi-session"] = secret };
        client.DefaultRequestHeaders.Add("Cookie", CookieHeader(cookies));
        var response = await client.GetAsync("/api/v1/session");
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        foreach (var (name, value) in SetCookies(response)) cookies[name] = value;

        client.DefaultRequestHeaders.Remove("Cookie");
        client.DefaultRequestHeaders.Add("Cookie", CookieHeader(cookies));
        client.DefaultRequestHeaders.Add(Csrf.HeaderName, cookies[Csrf.CookieName]);
        return new Session(client, secret, cookies[Csrf.CookieName]);
    }

    /// <summary>The name and value of every cookie the response sets.</summary>
    public static IEnumerable<(string Name, string Value)> SetCookies(HttpResponseMessage response) =>
        response.Headers.TryGetValues("Set-Cookie", out var values)
            ? values.Select(header => header.Split(';')[0]).Select(pair => (pair[..pair.IndexOf('=')], pair[(pair.IndexOf('=') + 1)..]))
            : [];

    private static string CookieHeader(Dictionary<string, string> cookies) => string.Join("; ", cookies.Select(c => $"{c.Key}={c.Value}"));
}
