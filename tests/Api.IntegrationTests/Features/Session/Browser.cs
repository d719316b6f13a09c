using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.Mvc.Testing.Handlers;
using OkrKpi.Api.Infrastructure.Security;

namespace OkrKpi.Api.IntegrationTests;

/// <summary>
/// A browser of the SPA: a cookie jar the test can read (for the XSRF-TOKEN the SPA echoes) and write. It signs in
/// through the endpoint, or, where the test is not about signing in, starts a session row directly: the sign-in rate
/// limit per client address is shared by the whole run.
/// </summary>
public sealed class Browser : IDisposable
{
    public Browser(bool https = false, WebApplicationFactory<Program>? instance = null, CookieContainer? cookies = null)
    {
        BaseAddress = new Uri(https ? "https://localhost" : "http://localhost");
        Cookies = cookies ?? new CookieContainer();
        Client = (instance ?? ApiFixture.Factory).CreateDefaultClient(BaseAddress, new Testing.ContractCheckingHandler(), new CookieContainerHandler(Cookies));
    }

    public Uri BaseAddress { get; }
    public CookieContainer Cookies { get; }
    public HttpClient Client { get; }

    public string SessionCookieName => BaseAddress.Scheme == "https" ? "__Host-okrkpi-session" : "okrkpi-session";

    public string? Cookie(string name) => Cookies.GetCookies(BaseAddress)[name]?.Value;

    public Task<HttpResponseMessage> SignInAsync(string email, string password) =>
        Client.PostAsJsonAsync("/api/v1/session", new { email, password });

    /// <summary>Starts a session for the person as sign-in would, then reads GET /api/v1/session for the CSRF token.</summary>
    public async Task GivenSessionAsync(Guid userId)
    {
        var secret = SessionAuthenticationHandler.NewSecret();
        var now = ApiFixture.Clock.GetUtcNow();
        await using (var connection = await ApiFixture.Database.OpenAsync())
            await connection.ExecuteAsync("""
                INSERT INTO UserSession (IdHash, UserId, CreatedAt, LastSeenAt, ExpiresAt)
                VALUES (@IdHash, @UserId, @Now, @Now, @ExpiresAt)
                """, new { IdHash = SessionAuthenticationHandler.Hash(secret), UserId = userId, Now = now, ExpiresAt = now.AddHours(12) });
        Cookies.Add(BaseAddress, new Cookie(SessionCookieName, secret, "/"));
        var session = await Client.GetAsync("/api/v1/session");
        Assert.That(session.StatusCode, Is.EqualTo(HttpStatusCode.OK), await session.Content.ReadAsStringAsync());
    }

    /// <summary>A request as the SPA sends it: with the X-XSRF-TOKEN header copied from the XSRF-TOKEN cookie, unless told not to.</summary>
    public Task<HttpResponseMessage> SendAsync(HttpMethod method, string url, object? body = null, string? ifMatch = null, bool xsrf = true)
    {
        var request = new HttpRequestMessage(method, url);
        if (body is not null) request.Content = JsonContent.Create(body, options: new JsonSerializerOptions(JsonSerializerDefaults.Web));
        if (ifMatch is not null) request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
        if (xsrf && Cookie("XSRF-TOKEN") is { } token) request.Headers.Add("X-XSRF-TOKEN", token);
        return Client.SendAsync(request);
    }

    public void Dispose() => Client.Dispose();
}
