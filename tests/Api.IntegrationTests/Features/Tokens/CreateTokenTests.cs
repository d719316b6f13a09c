using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Dapper;
using OkrKpi.Api.Infrastructure.Security;

namespace OkrKpi.Api.IntegrationTests.Features.Tokens;

public sealed class CreateTokenTests : TokensTest
{
    [Test]
    public async Task Creates_a_token_in_the_okr_format_with_a_secret_of_at_least_256_bits()
    {
        var (browser, user) = await GivenSignedInAsync();
        using var _ = browser;

        var response = await CreateAsync(browser, new { name = "line 3 pusher", scopes = new[] { "measurements:write", "kpis:read" }, expiresInDays = 90 });

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created), await response.Content.ReadAsStringAsync());
        Assert.That(response.Headers.CacheControl?.NoStore, Is.True);
        var token = await ReadAsync<OkrKpi.Api.Features.Tokens.CreateToken.Response>(response);
        var match = Regex.Match(token.Token, "^okr_([0-9a-f]{16})_([A-Za-z0-9_-]{43,})$");
        Assert.That(match.Success, Is.True, token.Token);
        Assert.That(match.Groups[1].Value, Is.EqualTo(token.PublicId));
        Assert.That(Convert.FromBase64String(match.Groups[2].Value.Replace('-', '+').Replace('_', '/') + "="), Has.Length.GreaterThanOrEqualTo(32));
        Assert.That(token.Name, Is.EqualTo("line 3 pusher"));
        Assert.That(token.UserId, Is.EqualTo(user));
        Assert.That(token.Scopes, Is.EqualTo(new[] { "measurements:write", "kpis:read" }));
        Assert.That(token.KpiKeys, Is.Null);
        Assert.That(token.CreatedAt, Is.EqualTo(ApiFixture.Clock.GetUtcNow()));
        Assert.That(token.ExpiresAt, Is.EqualTo(ApiFixture.Clock.GetUtcNow().AddDays(90)));
        Assert.That(token.LastUsedAt, Is.Null);
        Assert.That(token.RevokedAt, Is.Null);
    }

    [Test]
    public async Task The_token_works_at_once_with_the_scopes_it_was_given()
    {
        var (browser, _) = await GivenSignedInAsync(Role.Viewer);
        using var _ = browser;
        var token = await GivenTokenAsync(browser, [Scopes.KpisRead]);

        var session = await WithToken(token.Token).GetFromJsonAsync<System.Text.Json.Nodes.JsonObject>("/api/v1/session");

        Assert.That(session!["authenticatedBy"]!.GetValue<string>(), Is.EqualTo("token"));
        Assert.That(session["scopes"]!.AsArray().Select(s => s!.GetValue<string>()), Is.EqualTo(new[] { Scopes.KpisRead }));
    }

    [Test]
    public async Task Stores_only_a_hash_of_the_secret()
    {
        var (browser, _) = await GivenSignedInAsync();
        using var _ = browser;
        var token = await GivenTokenAsync(browser);
        var secret = token.Token.Split('_', 3)[2];

        await using var connection = await ApiFixture.Database.OpenAsync();
        var row = (IDictionary<string, object?>)await connection.QuerySingleAsync("SELECT * FROM ApiToken WHERE PublicId = @PublicId", new { token.PublicId });

        Assert.That(row["SecretHash"], Is.EqualTo(SessionAuthenticationHandler.Hash(secret)));
        Assert.That(row.Values.Select(v => Convert.ToString(v)), Has.None.Contains(secret));
        var audit = await connection.QueryAsync<string>("SELECT After FROM AuditEntry WHERE Entity = 'token'");
        Assert.That(audit, Has.Some.Contains(token.PublicId).And.None.Contains(secret));
    }

    [Test]
    public async Task The_token_is_shown_once_and_never_listed()
    {
        var (browser, _) = await GivenSignedInAsync();
        using var _ = browser;
        var token = await GivenTokenAsync(browser);

        var list = await (await browser.Client.GetAsync("/api/v1/tokens")).Content.ReadAsStringAsync();

        Assert.That(list, Does.Contain(token.PublicId).And.Not.Contain(token.Token.Split('_', 3)[2]));
        Assert.That(list, Does.Not.Contain("\"token\""));
    }

    [TestCase(0)]
    [TestCase(366)]
    [TestCase(-1)]
    public async Task Refuses_an_expiry_outside_1_to_365_days(int days)
    {
        var (browser, _) = await GivenSignedInAsync();
        using var _ = browser;

        await FieldErrorsAsync(await CreateAsync(browser, new { name = "x", scopes = new[] { "kpis:read" }, expiresInDays = days }), "expiresInDays");
    }

    [Test]
    public async Task Requires_an_expiry()
    {
        var (browser, _) = await GivenSignedInAsync();
        using var _ = browser;

        await FieldErrorsAsync(await CreateAsync(browser, new { name = "x", scopes = new[] { "kpis:read" } }), "expiresInDays");
    }

    [Test]
    public async Task Accepts_an_expiry_of_one_year()
    {
        var (browser, _) = await GivenSignedInAsync();
        using var _ = browser;

        var token = await GivenTokenAsync(browser, expiresInDays: 365);

        Assert.That(token.ExpiresAt, Is.EqualTo(ApiFixture.Clock.GetUtcNow().AddDays(365)));
    }

    [Test]
    public async Task Refuses_no_scopes_an_unknown_scope_and_a_repeated_one()
    {
        var (browser, _) = await GivenSignedInAsync();
        using var _ = browser;

        await FieldErrorsAsync(await CreateAsync(browser, new { name = "x", scopes = Array.Empty<string>(), expiresInDays = 1 }), "scopes");
        await FieldErrorsAsync(await CreateAsync(browser, new { name = "x", expiresInDays = 1 }), "scopes");
        await FieldErrorsAsync(await CreateAsync(browser, new { name = "x", scopes = new[] { "kpis:read", "kpis:delete" }, expiresInDays = 1 }), "scopes[1]");
        await FieldErrorsAsync(await CreateAsync(browser, new { name = "x", scopes = new[] { "kpis:read", "kpis:read" }, expiresInDays = 1 }), "scopes");
    }

    [TestCase(Role.Viewer, "measurements:write")]
    [TestCase(Role.Viewer, "okrs:write")]
    [TestCase(Role.Editor, "admin")]
    public async Task Refuses_a_scope_the_persons_role_cannot_hold_naming_it(Role role, string scope)
    {
        var (browser, _) = await GivenSignedInAsync(role);
        using var _ = browser;

        var response = await CreateAsync(browser, new { name = "x", scopes = new[] { "kpis:read", scope }, expiresInDays = 1 });

        var problem = await ProblemAsync(response, HttpStatusCode.Forbidden);
        Assert.That(problem["detail"]!.GetValue<string>(), Does.Contain($"'{scope}'"));
    }

    [Test]
    public async Task Restricts_a_token_to_existing_kpis_named_in_any_case()
    {
        await GivenKpiAsync("defect-rate");
        await GivenKpiAsync("downtime");
        var (browser, _) = await GivenSignedInAsync();
        using var _ = browser;

        var token = await GivenTokenAsync(browser, [Scopes.MeasurementsWrite], ["Defect-Rate", "downtime"]);

        Assert.That(token.KpiKeys, Is.EqualTo(new[] { "defect-rate", "downtime" }));
    }

    [Test]
    public async Task Refuses_an_unknown_kpi_key_naming_its_position()
    {
        await GivenKpiAsync("defect-rate");
        var (browser, _) = await GivenSignedInAsync();
        using var _ = browser;

        var errors = await FieldErrorsAsync(await CreateAsync(browser,
            new { name = "x", scopes = new[] { "measurements:write" }, kpiKeys = new[] { "defect-rate", "no-such-kpi" }, expiresInDays = 1 }), "kpiKeys[1]");

        Assert.That(errors, Has.Some.Contains("no-such-kpi"));
    }

    [Test]
    public async Task Refuses_an_empty_kpi_restriction()
    {
        var (browser, _) = await GivenSignedInAsync();
        using var _ = browser;

        await FieldErrorsAsync(await CreateAsync(browser, new { name = "x", scopes = new[] { "kpis:read" }, kpiKeys = Array.Empty<string>(), expiresInDays = 1 }), "kpiKeys");
    }

    [Test]
    public async Task Names_a_missing_kpi_key_in_the_list()
    {
        var (browser, _) = await GivenSignedInAsync(Role.Admin);
        using var _ = browser;

        var messages = await FieldErrorsAsync(await CreateAsync(browser,
            new { name = "x", scopes = new[] { "kpis:read" }, kpiKeys = new string?[] { null }, expiresInDays = 1 }), "kpiKeys[0]");

        Assert.That(messages, Is.EqualTo(new[] { "A KPI key is required here." }));
    }

    [Test]
    public async Task A_token_cannot_create_tokens()
    {
        var response = await PostJsonAsync("/api/v1/tokens", new System.Text.Json.Nodes.JsonObject
        {
            ["name"] = "x", ["scopes"] = new System.Text.Json.Nodes.JsonArray("kpis:read"), ["expiresInDays"] = 1,
        });

        await ProblemAsync(response, HttpStatusCode.Forbidden);
    }
}
