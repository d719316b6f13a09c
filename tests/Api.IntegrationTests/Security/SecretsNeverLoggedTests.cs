using System.Net;
using System.Net.Http.Json;
using System.Text;
using Dapper;
using OkrKpi.Api.Infrastructure.Security;

namespace OkrKpi.Api.IntegrationTests.Security;

/// <summary>
/// Passwords, API tokens, session ids and CSRF tokens never reach the logs or the audit log (issue 5): a whole
/// flow of a person and an integrator, successes and failures, then a search of every line the API logged in this
/// run (<see cref="CapturedLogs"/>) and of every audit entry for each secret it used.
/// </summary>
public sealed class SecretsNeverLoggedTests : IntegrationTest
{
    private const string Password = "Tr0ub4dor&3-correct-horse";
    private const string WrongPassword = "Tr0ub4dor&3-wrong-horse!!";

    [Test]
    public async Task A_full_flow_leaves_no_password_token_session_id_or_csrf_token_in_the_logs_or_the_audit_log()
    {
        var team = await GivenTeamAsync("Quality");
        var email = "careful.person@okrkpi.test";
        var userId = await Callers.GivenUserAsync(Role.Editor, [team.Id], email, Password);

        // A person signs in, reads the CSRF token and writes with both.
        using var browser = Callers.Client();
        var signIn = await browser.PostAsJsonAsync("/api/v1/session", new { email, password = Password });
        Assert.That(signIn.StatusCode, Is.EqualTo(HttpStatusCode.OK), await signIn.Content.ReadAsStringAsync());
        var cookies = SessionClients.SetCookies(signIn).ToDictionary(c => c.Name, c => c.Value);
        var sessionId = cookies["okrkpi-session"];
        browser.DefaultRequestHeaders.Add("Cookie", string.Join("; ", cookies.Select(c => $"{c.Key}={c.Value}")));
        browser.DefaultRequestHeaders.Add(Csrf.HeaderName, cookies[Csrf.CookieName]);
        var created = await browser.PostAsync("/api/v1/kpis", JsonBody(AccessMatrix.KpiBody("defect-rate", team.Id)));
        Assert.That(created.StatusCode, Is.EqualTo(HttpStatusCode.Created), await created.Content.ReadAsStringAsync());
        var refreshed = SessionClients.SetCookies(await browser.GetAsync("/api/v1/session")).ToDictionary(c => c.Name, c => c.Value);

        // An integrator pushes with a token of that person.
        using var integrator = await Callers.GivenTokenClientAsync(userId, [Scopes.KpisRead, Scopes.MeasurementsWrite]);
        var token = integrator.DefaultRequestHeaders.Authorization!.Parameter!;
        var pushed = await integrator.PostAsync("/api/v1/kpis/defect-rate/measurements", JsonBody(MeasurementBody("2026-07-14", 1.5m)));
        Assert.That(pushed.StatusCode, Is.EqualTo(HttpStatusCode.Created), await pushed.Content.ReadAsStringAsync());

        // Failures: a wrong password, a token with a known public id and a wrong secret, a made-up token.
        var failedSignIn = await Callers.Client().PostAsJsonAsync("/api/v1/session", new { email, password = WrongPassword });
        Assert.That(failedSignIn.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        var (publicId, _) = ApiTokens.Parse(token)!.Value;
        var wrongSecret = $"{ApiTokenAuthenticationHandler.Prefix}{publicId}_{new string('x', 43)}";
        var (madeUp, _, _) = ApiTokens.New();
        foreach (var bad in new[] { wrongSecret, madeUp })
            Assert.That((await Callers.Client(bad).GetAsync("/api/v1/kpis")).StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));

        var signedOut = await browser.DeleteAsync("/api/v1/session");
        Assert.That(signedOut.StatusCode, Is.EqualTo(HttpStatusCode.NoContent));

        var secrets = new Dictionary<string, string>
        {
            ["password"] = Password,
            ["wrong password"] = WrongPassword,
            ["API token"] = token,
            ["API token secret"] = ApiTokens.Parse(token)!.Value.Secret,
            ["refused token"] = wrongSecret,
            ["made-up token"] = madeUp,
            ["made-up token secret"] = ApiTokens.Parse(madeUp)!.Value.Secret,
            ["every test's admin token secret"] = ApiTokens.Parse(Callers.AdminToken)!.Value.Secret,
            ["session id"] = sessionId,
            ["XSRF token"] = cookies[Csrf.CookieName],
            ["antiforgery cookie"] = cookies["okrkpi-csrf"],
        };
        if (refreshed.TryGetValue(Csrf.CookieName, out var xsrf)) secrets["refreshed XSRF token"] = xsrf;
        var logs = CapturedLogs.Lines.ToArray();
        var audit = await AuditTextAsync();

        Assert.That(logs, Is.Not.Empty);
        Assert.That(audit, Does.Contain("signIn"), "the flow's sign-in is in the audit log");
        Assert.Multiple(() =>
        {
            foreach (var (what, secret) in secrets)
            {
                Assert.That(logs.Where(line => line.Contains(secret, StringComparison.Ordinal)), Is.Empty, $"the {what} is in the logs");
                Assert.That(audit, Does.Not.Contain(secret), $"the {what} is in the audit log");
            }
        });
    }

    private static async Task<string> AuditTextAsync()
    {
        await using var connection = await ApiFixture.Database.OpenAsync();
        var rows = await connection.QueryAsync<(string Actor, string Entity, string EntityId, string Action, string? Before, string? After)>(
            "SELECT Actor, Entity, EntityId, Action, Before, After FROM AuditEntry");
        return string.Join('\n', rows.Select(r => $"{r.Actor} {r.Entity} {r.EntityId} {r.Action} {r.Before} {r.After}"));
    }

    private static StringContent JsonBody(System.Text.Json.Nodes.JsonNode body) => new(body.ToJsonString(), Encoding.UTF8, "application/json");
}
