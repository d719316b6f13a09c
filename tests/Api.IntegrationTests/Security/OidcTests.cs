using System.Net;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Dapper;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using OkrKpi.Api.Infrastructure.Security;

namespace OkrKpi.Api.IntegrationTests.Security;

/// <summary>
/// OIDC switched on by configuration, with JWTs signed by a key made here instead of an identity provider's (no
/// network): a valid token signs a person in and provisions their local user, its role claim gives the role, a
/// bad token is a 401, and API tokens still go to their own scheme.
/// </summary>
public sealed class OidcTests : IntegrationTest
{
    private const string Issuer = "https://login.okrkpi.test/tenant/v2.0";
    private const string Audience = "api://okrkpi-tests";

    private static readonly SymmetricSecurityKey SigningKey = new(RandomNumberGenerator.GetBytes(32));
    private static readonly SymmetricSecurityKey OtherKey = new(RandomNumberGenerator.GetBytes(32));

    private WebApplicationFactory<Program> _factory = null!;

    [OneTimeSetUp]
    public void StartApiWithOidc() => _factory = ApiFixture.Factory.WithWebHostBuilder(host => host
        .UseSetting("Oidc:Enabled", "true")
        .UseSetting("Oidc:Audience", Audience)
        .ConfigureTestServices(services => services.PostConfigure<JwtBearerOptions>(OidcAuthentication.Scheme, jwt =>
        {
            jwt.Authority = null;
            jwt.MetadataAddress = null!;
            jwt.ConfigurationManager = null;
            jwt.TokenValidationParameters = new TokenValidationParameters
            {
                ValidIssuer = Issuer,
                ValidAudience = Audience,
                IssuerSigningKey = SigningKey,
                ValidateIssuerSigningKey = true,
            };
        })));

    [OneTimeTearDown]
    public void StopApiWithOidc() => _factory.Dispose();

    [Test]
    public async Task A_token_with_the_editor_role_signs_in_an_editor_and_provisions_a_local_user()
    {
        using var client = Client(Jwt("ada@corp.test", roles: ["OkrKpi.Editor"], subject: "subject-ada"));

        var session = await SessionAsync(client);

        Assert.That(session["authenticatedBy"]!.GetValue<string>(), Is.EqualTo("oidc"));
        Assert.That(session["user"]!["email"]!.GetValue<string>(), Is.EqualTo("ada@corp.test"));
        Assert.That(session["user"]!["displayName"]!.GetValue<string>(), Is.EqualTo("Ada Lovelace"));
        Assert.That(session["user"]!["role"]!.GetValue<string>(), Is.EqualTo("editor").IgnoreCase);
        await using var connection = await ApiFixture.Database.OpenAsync();
        var row = await connection.QuerySingleAsync<(string Role, string? ExternalSubject, string? PasswordHash)>(
            "SELECT Role, ExternalSubject, PasswordHash FROM AppUser WHERE EmailNormalized = 'ADA@CORP.TEST'");
        Assert.That(row, Is.EqualTo(("Editor", (string?)"subject-ada", (string?)null)));
    }

    [Test]
    public async Task The_role_follows_the_claim_at_every_sign_in_and_the_user_is_provisioned_once()
    {
        using (var editor = Client(Jwt("grace@corp.test", roles: ["OkrKpi.Editor"])))
            await SessionAsync(editor);
        using var admin = Client(Jwt("grace@corp.test", roles: ["OkrKpi.Editor", "OkrKpi.Admin"]));

        var session = await SessionAsync(admin);

        Assert.That(session["user"]!["role"]!.GetValue<string>(), Is.EqualTo("admin").IgnoreCase);
        await using var connection = await ApiFixture.Database.OpenAsync();
        Assert.That(await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM AppUser WHERE EmailNormalized = 'GRACE@CORP.TEST'"), Is.EqualTo(1));
    }

    [Test]
    public async Task A_persons_first_requests_arriving_together_provision_one_user_and_all_succeed()
    {
        var token = Jwt("eager@corp.test", roles: ["OkrKpi.Editor"]);
        var clients = Enumerable.Range(0, 8).Select(_ => Client(token)).ToList();

        var answers = await Task.WhenAll(clients.Select(client => client.GetAsync("/api/v1/kpis")));

        Assert.That(answers.Select(a => a.StatusCode), Is.All.EqualTo(HttpStatusCode.OK));
        await using var connection = await ApiFixture.Database.OpenAsync();
        Assert.That(await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM AppUser WHERE EmailNormalized = 'EAGER@CORP.TEST'"), Is.EqualTo(1));
        clients.ForEach(client => client.Dispose());
    }

    [Test]
    public async Task Without_a_role_claim_a_person_is_a_viewer()
    {
        using var client = Client(Jwt("viewer@corp.test", roles: []));

        var session = await SessionAsync(client);

        Assert.That(session["user"]!["role"]!.GetValue<string>(), Is.EqualTo("viewer").IgnoreCase);
    }

    [Test]
    public async Task A_viewer_signed_in_by_oidc_can_read_but_not_write()
    {
        using var client = Client(Jwt("reader@corp.test", roles: ["Some.Other.Role"]));

        var read = await client.GetAsync("/api/v1/kpis");
        var write = await client.PostAsync("/api/v1/kpis", JsonContent(AccessMatrix.KpiBody("first-pass-yield", (await GivenTeamAsync("Quality")).Id)));

        Assert.That(read.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        await ProblemAsync(write, HttpStatusCode.Forbidden);
    }

    [Test]
    public async Task An_expired_token_is_refused_with_401()
    {
        var earliest = Earliest();
        using var client = Client(Jwt("late@corp.test", roles: ["OkrKpi.Admin"], notBefore: earliest.AddHours(-2), expires: earliest.AddHours(-1)));

        await ProblemAsync(await client.GetAsync("/api/v1/session"), HttpStatusCode.Unauthorized);
        await ProblemAsync(await client.GetAsync("/api/v1/kpis"), HttpStatusCode.Unauthorized);
    }

    [Test]
    public async Task A_token_signed_with_another_key_is_refused_with_401_and_provisions_nobody()
    {
        using var client = Client(Jwt("mallory@corp.test", roles: ["OkrKpi.Admin"], key: OtherKey));

        await ProblemAsync(await client.GetAsync("/api/v1/kpis"), HttpStatusCode.Unauthorized);

        await using var connection = await ApiFixture.Database.OpenAsync();
        Assert.That(await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM AppUser WHERE EmailNormalized = 'MALLORY@CORP.TEST'"), Is.Zero);
    }

    [Test]
    public async Task A_token_for_another_audience_is_refused_with_401()
    {
        using var client = Client(Jwt("ada@corp.test", roles: ["OkrKpi.Editor"], audience: "api://another-app"));

        await ProblemAsync(await client.GetAsync("/api/v1/session"), HttpStatusCode.Unauthorized);
    }

    [Test]
    public async Task An_api_token_still_goes_to_the_api_token_scheme()
    {
        using var client = Client(Callers.AdminToken);

        var session = await SessionAsync(client);

        Assert.That(session["authenticatedBy"]!.GetValue<string>(), Is.EqualTo("token"));
        Assert.That(session["user"]!["email"]!.GetValue<string>(), Is.EqualTo(Callers.AdminEmail));
    }

    private static async Task<JsonObject> SessionAsync(HttpClient client)
    {
        var response = await client.GetAsync("/api/v1/session");
        var text = await response.Content.ReadAsStringAsync();
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), text);
        return JsonNode.Parse(text)!.AsObject();
    }

    /// <summary>
    /// Lifetimes are checked against a clock this test does not choose (the system's or the API's fake one), so a
    /// valid token spans both and an expired one ended before either.
    /// </summary>
    private static string Jwt(string email, string[] roles, string? subject = null, string audience = Audience, SecurityKey? key = null,
        DateTimeOffset? notBefore = null, DateTimeOffset? expires = null)
    {
        var claims = new Dictionary<string, object>
        {
            ["preferred_username"] = email,
            ["name"] = email == "ada@corp.test" ? "Ada Lovelace" : email,
            ["sub"] = subject ?? $"subject-{email}",
        };
        if (roles.Length > 0) claims["roles"] = roles;
        var from = notBefore ?? Earliest().AddMinutes(-10);
        var until = expires ?? Latest().AddHours(1);
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = Issuer,
            Audience = audience,
            Claims = claims,
            NotBefore = from.UtcDateTime,
            IssuedAt = from.UtcDateTime,
            Expires = until.UtcDateTime,
            SigningCredentials = new SigningCredentials(key ?? SigningKey, SecurityAlgorithms.HmacSha256),
        });
    }

    private static DateTimeOffset Earliest() => DateTimeOffset.UtcNow < ApiFixture.Clock.GetUtcNow() ? DateTimeOffset.UtcNow : ApiFixture.Clock.GetUtcNow();

    private static DateTimeOffset Latest() => DateTimeOffset.UtcNow > ApiFixture.Clock.GetUtcNow() ? DateTimeOffset.UtcNow : ApiFixture.Clock.GetUtcNow();

    private static StringContent JsonContent(JsonNode body) => new(body.ToJsonString(), System.Text.Encoding.UTF8, "application/json");

    private HttpClient Client(string bearer)
    {
        var client = Callers.ClientOf(_factory);
        client.DefaultRequestHeaders.Authorization = new("Bearer", bearer);
        return client;
    }
}
