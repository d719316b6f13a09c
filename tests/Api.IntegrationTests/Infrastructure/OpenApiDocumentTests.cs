using Microsoft.AspNetCore.Hosting;
using System.Net;
using System.Text.Json.Nodes;
using OkrKpi.Api.Testing;

namespace OkrKpi.Api.IntegrationTests.Infrastructure;

/// <summary>openapi.yaml at the repository root is the served document, byte for byte; `make openapi` rewrites it.</summary>
public sealed class OpenApiDocumentTests : IntegrationTest
{
    private const string UpdateVariable = "OKRKPI_UPDATE_OPENAPI";
    private static readonly string[] Methods = ["get", "post", "put", "patch", "delete"];

    [Test]
    public async Task The_committed_openapi_yaml_is_the_served_document()
    {
        var served = (await Api.GetStringAsync("/swagger/v1/swagger.yaml")).ReplaceLineEndings("\n");
        var file = RepositoryFiles.PathOf("openapi.yaml");

        if (Environment.GetEnvironmentVariable(UpdateVariable) == "1")
        {
            await File.WriteAllTextAsync(file, served);
            Assert.Pass("openapi.yaml rewritten from the served document.");
        }

        var committed = File.Exists(file) ? (await File.ReadAllTextAsync(file)).ReplaceLineEndings("\n") : "";
        Assert.That(committed, Is.EqualTo(served), "openapi.yaml is out of date: run `make openapi` and commit it.");
    }

    [Test]
    public async Task Every_operation_has_a_stable_id_a_success_and_problem_answers()
    {
        var operations = Operations(await DocumentAsync());

        Assert.That(operations, Has.Count.GreaterThanOrEqualTo(13));
        Assert.Multiple(() =>
        {
            foreach (var (route, operation) in operations)
            {
                var responses = operation["responses"]!.AsObject();
                Assert.That(operation["operationId"]?.GetValue<string>(), Does.Match("^[A-Z][A-Za-z]+$"), route);
                Assert.That(responses.Any(r => r.Key.StartsWith('2')), Is.True, $"{route} documents no success answer");
                // An operation that takes no input (GET /api/v1/session) has nothing to refuse as invalid.
                if (operation["parameters"] is JsonArray { Count: > 0 } || operation["requestBody"] is not null)
                    Assert.That(responses.ContainsKey("400"), Is.True, $"{route} documents no 400");
                foreach (var problem in responses.Where(r => r.Key[0] is '4' or '5'))
                    Assert.That(problem.Value!["content"]?["application/problem+json"], Is.Not.Null, $"{route} {problem.Key} is not problem+json");
            }
        });
    }

    [Test]
    public async Task Describes_the_session_cookie_the_api_token_and_the_oidc_bearer_schemes()
    {
        var document = await DocumentAsync();
        var schemes = document["components"]!["securitySchemes"]!;

        Assert.That(schemes["sessionCookie"]!.ToJsonString(), Does.Contain("\"type\":\"apiKey\"").And.Contain("\"in\":\"cookie\"").And.Contain("\"name\":\"okrkpi-session\""));
        Assert.That(schemes["bearer"]!["type"]!.GetValue<string>(), Is.EqualTo("http"));
        Assert.That(schemes["bearer"]!["scheme"]!.GetValue<string>(), Is.EqualTo("bearer"));
        Assert.That(schemes["bearer"]!["description"]!.GetValue<string>(), Does.Contain("okr_"));
        Assert.That(schemes["oidc"]!["bearerFormat"]!.GetValue<string>(), Is.EqualTo("JWT"));
        Assert.That(document["security"], Is.Null, "each operation states the schemes it accepts");
    }

    [Test]
    public async Task Every_operation_states_the_schemes_it_accepts_and_the_refusals_of_needing_a_caller()
    {
        var operations = Operations(await DocumentAsync());

        Assert.Multiple(() =>
        {
            foreach (var (route, operation) in operations)
            {
                var responses = operation["responses"]!.AsObject();
                var schemes = operation["security"]?.AsArray().Select(r => r!.AsObject().Single().Key).ToList() ?? [];
                if (route == "POST /api/v1/session")
                {
                    Assert.That(schemes, Is.Empty, $"{route} needs no credentials");
                    Assert.That(responses.Select(r => r.Key), Does.Contain("401").And.Contain("429"), route);
                    // Its only 403: a signed-in browser's body in another media type, which the CSRF check meets first (Csrf).
                    Assert.That(responses["403"]?["description"]?.GetValue<string>(), Does.Contain("X-XSRF-TOKEN").And.Contain("media type"), route);
                    continue;
                }
                // Managing tokens and one's password, and one's alerts and follows, need the person: a token is refused, so
                // bearer tokens are not offered.
                var person = route.Contains("/tokens") || route.Contains("/users/me/password") || route.Contains("/alerts") || route.Contains("/follows");
                Assert.That(schemes, Is.EquivalentTo(person ? new[] { "sessionCookie", "oidc" } : ["sessionCookie", "bearer", "basic", "oidc"]), route);
                Assert.That(responses.Select(r => r.Key), Does.Contain("401").And.Contain("403").And.Contain("429"), route);
            }
        });
    }

    [Test]
    public async Task Serves_swagger_ui_and_the_document_to_anyone_and_keeps_the_authorization_across_reloads()
    {
        using var anonymous = Callers.Client();

        var page = await anonymous.GetAsync("/swagger/index.html");
        var document = await anonymous.GetAsync("/swagger/v1/swagger.json");

        Assert.That(page.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(await page.Content.ReadAsStringAsync(), Does.Contain("swagger-ui"));
        Assert.That(document.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        var configuration = await anonymous.GetStringAsync("/swagger/index.js");
        Assert.That(configuration, Does.Contain("\"persistAuthorization\":true").And.Contain("X-XSRF-TOKEN"));
    }

    // Turned off, /swagger is a path like any unknown one: 401 without credentials (as for every path but the public ones), 404 with.
    [TestCase("signedIn", HttpStatusCode.Unauthorized)]
    [TestCase("off", HttpStatusCode.Unauthorized)]
    public async Task A_deployment_can_keep_the_document_for_callers_it_knows_or_not_serve_it(string access, HttpStatusCode anonymousAnswer)
    {
        await using var factory = ApiFixture.Factory.WithWebHostBuilder(host => host.UseSetting("OpenApi:Access", access));
        using var anonymous = Callers.ClientOf(factory);
        using var admin = Callers.ClientOf(factory, Callers.AdminToken);

        var refused = await anonymous.GetAsync("/swagger/v1/swagger.json");
        var signedIn = await admin.GetAsync("/swagger/v1/swagger.json");

        Assert.That(refused.StatusCode, Is.EqualTo(anonymousAnswer));
        Assert.That(signedIn.StatusCode, Is.EqualTo(access == "off" ? HttpStatusCode.NotFound : HttpStatusCode.OK));
    }

    private static async Task<JsonNode> DocumentAsync() => JsonNode.Parse(await Api.GetStringAsync("/swagger/v1/swagger.json"))!;

    private static List<(string Route, JsonNode Operation)> Operations(JsonNode document) =>
        document["paths"]!.AsObject()
            .SelectMany(path => path.Value!.AsObject().Where(op => Methods.Contains(op.Key)).Select(op => (Route: $"{op.Key.ToUpperInvariant()} {path.Key}", Operation: op.Value!)))
            .ToList();
}
