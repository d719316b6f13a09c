using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Dapper;
using OkrKpi.Api.Features.Session;
using OkrKpi.Api.Infrastructure.Security;

namespace OkrKpi.Api.IntegrationTests.Features.Session;

public sealed class SignInTests : IntegrationTest
{
    private const string Password = "a long enough passphrase";

    [Test]
    public async Task Signing_in_sets_an_http_only_same_site_strict_session_cookie_and_a_readable_csrf_cookie()
    {
        await Callers.GivenUserAsync(Role.Editor, email: "ann@example.com", password: Password);
        using var browser = new Browser();

        var response = await browser.SignInAsync("Ann@Example.com", Password);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        var cookies = response.Headers.GetValues("Set-Cookie").ToList();
        var session = cookies.Single(c => c.StartsWith("okrkpi-session="));
        Assert.That(session, Does.Contain("httponly").IgnoreCase);
        Assert.That(session, Does.Contain("samesite=strict").IgnoreCase);
        Assert.That(session, Does.Contain("path=/").IgnoreCase);
        Assert.That(session, Does.Not.Contain("secure").IgnoreCase, "plain HTTP cannot hold a Secure cookie");
        var xsrf = cookies.Single(c => c.StartsWith("XSRF-TOKEN="));
        Assert.That(xsrf, Does.Not.Contain("httponly").IgnoreCase, "the SPA must read it");
        Assert.That(xsrf, Does.Contain("samesite=strict").IgnoreCase);
        var body = await ReadAsync<SessionResponse>(response);
        Assert.That(body.User.Email, Is.EqualTo("ann@example.com"));
        Assert.That(body.AuthenticatedBy, Is.EqualTo("session"));
        Assert.That(body.ExpiresAt, Is.EqualTo(ApiFixture.Clock.GetUtcNow().AddHours(12)));
    }

    [Test]
    public async Task Under_https_the_session_cookie_is_host_prefixed_and_secure()
    {
        await Callers.GivenUserAsync(Role.Viewer, email: "ann@example.com", password: Password);
        using var browser = new Browser(https: true);

        var response = await browser.SignInAsync("ann@example.com", Password);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        var cookies = response.Headers.GetValues("Set-Cookie").ToList();
        var session = cookies.Single(c => c.StartsWith("__Host-okrkpi-session="));
        Assert.That(session, Does.Contain("secure").IgnoreCase);
        Assert.That(session, Does.Contain("httponly").IgnoreCase);
        Assert.That(session, Does.Contain("path=/").IgnoreCase);
        Assert.That(session, Does.Not.Contain("domain=").IgnoreCase);
        Assert.That(cookies.Single(c => c.StartsWith("XSRF-TOKEN=")), Does.Contain("secure").IgnoreCase);
        Assert.That((await browser.Client.GetAsync("/api/v1/session")).StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    [Test]
    public async Task Get_session_says_who_is_signed_in()
    {
        var team = await GivenTeamAsync("Quality");
        var id = await Callers.GivenUserAsync(Role.Editor, [team.Id], email: "ann@example.com");
        using var browser = new Browser();
        await browser.GivenSessionAsync(id);

        var session = await browser.Client.GetFromJsonAsync<SessionResponse>("/api/v1/session", Json);

        Assert.That(session!.User.Id, Is.EqualTo(id));
        Assert.That(session.User.Role, Is.EqualTo(Role.Editor));
        Assert.That(session.User.TeamIds, Is.EqualTo(new[] { team.Id }));
        Assert.That(session.AuthenticatedBy, Is.EqualTo("session"));
        Assert.That(session.Scopes, Is.Null);
    }

    [Test]
    public async Task Each_sign_in_starts_a_new_session_and_ends_the_one_the_browser_had()
    {
        await Callers.GivenUserAsync(Role.Viewer, email: "ann@example.com", password: Password);
        using var browser = new Browser();
        await browser.SignInAsync("ann@example.com", Password);
        var first = browser.Cookie("okrkpi-session");

        await browser.SignInAsync("ann@example.com", Password);
        var second = browser.Cookie("okrkpi-session");

        Assert.That(second, Is.Not.Null.And.Not.EqualTo(first));
        using var stale = new Browser();
        stale.Cookies.Add(stale.BaseAddress, new System.Net.Cookie("okrkpi-session", first!, "/"));
        Assert.That((await stale.Client.GetAsync("/api/v1/session")).StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That((await browser.Client.GetAsync("/api/v1/session")).StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    [Test]
    public async Task Stores_only_a_hash_of_the_session_id()
    {
        await Callers.GivenUserAsync(Role.Viewer, email: "ann@example.com", password: Password);
        using var browser = new Browser();
        await browser.SignInAsync("ann@example.com", Password);
        var secret = browser.Cookie("okrkpi-session")!;

        await using var connection = await ApiFixture.Database.OpenAsync();
        var stored = (await connection.QueryAsync<string>("SELECT IdHash FROM UserSession")).ToList();

        Assert.That(stored, Is.EqualTo(new[] { SessionAuthenticationHandler.Hash(secret) }));
        Assert.That(Convert.FromBase64String(secret.Replace('-', '+').Replace('_', '/') + "="), Has.Length.EqualTo(32));
    }

    [Test]
    public async Task Signing_out_ends_the_session_so_the_old_cookie_no_longer_works()
    {
        using var browser = new Browser();
        await browser.GivenSessionAsync(await Callers.GivenUserAsync(Role.Viewer));
        var cookie = browser.Cookie("okrkpi-session")!;

        var signOut = await browser.SendAsync(HttpMethod.Delete, "/api/v1/session");

        Assert.That(signOut.StatusCode, Is.EqualTo(HttpStatusCode.NoContent), await signOut.Content.ReadAsStringAsync());
        Assert.That(browser.Cookie("okrkpi-session"), Is.Null);
        using var replay = new Browser();
        replay.Cookies.Add(replay.BaseAddress, new System.Net.Cookie("okrkpi-session", cookie, "/"));
        await ProblemAsync(await replay.Client.GetAsync("/api/v1/session"), HttpStatusCode.Unauthorized);
    }

    [Test]
    public async Task A_wrong_password_an_unknown_email_and_a_disabled_person_get_the_same_401()
    {
        await Callers.GivenUserAsync(Role.Viewer, email: "ann@example.com", password: Password);
        var disabled = await Callers.GivenUserAsync(Role.Viewer, email: "bob@example.com", password: Password);
        await using (var connection = await ApiFixture.Database.OpenAsync())
            await connection.ExecuteAsync("UPDATE AppUser SET Disabled = 1 WHERE Id = @Id", new { Id = disabled });
        using var browser = new Browser();

        var wrongPassword = await browser.SignInAsync("ann@example.com", "not the password at all");
        var unknownEmail = await browser.SignInAsync("nobody@example.com", Password);
        var disabledPerson = await browser.SignInAsync("bob@example.com", Password);

        var bodies = new List<string>();
        foreach (var response in new[] { wrongPassword, unknownEmail, disabledPerson })
        {
            var problem = await ProblemAsync(response, HttpStatusCode.Unauthorized);
            problem.Remove("traceId");
            bodies.Add(problem.ToJsonString());
            Assert.That(response.Headers.Contains("Set-Cookie"), Is.False);
        }
        Assert.That(bodies.Distinct().Count(), Is.EqualTo(1), string.Join("\n", bodies));
    }

    [Test]
    public async Task A_person_without_a_password_cannot_sign_in_with_one()
    {
        await Callers.GivenUserAsync(Role.Viewer, email: "oidc-only@example.com");
        using var browser = new Browser();

        await ProblemAsync(await browser.SignInAsync("oidc-only@example.com", "any password at all"), HttpStatusCode.Unauthorized);
    }
}
