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
        var document = JsonNode.Parse(await Api.GetStringAsync("/swagger/v1/swagger.json"))!;
        var operations = document["paths"]!.AsObject()
            .SelectMany(path => path.Value!.AsObject().Where(op => Methods.Contains(op.Key)).Select(op => (Route: $"{op.Key.ToUpperInvariant()} {path.Key}", Operation: op.Value!)))
            .ToList();

        Assert.That(operations, Has.Count.GreaterThanOrEqualTo(13));
        Assert.Multiple(() =>
        {
            foreach (var (route, operation) in operations)
            {
                var responses = operation["responses"]!.AsObject();
                Assert.That(operation["operationId"]?.GetValue<string>(), Does.Match("^[A-Z][A-Za-z]+$"), route);
                Assert.That(responses.Any(r => r.Key.StartsWith('2')), Is.True, $"{route} documents no success answer");
                Assert.That(responses.ContainsKey("400"), Is.True, $"{route} documents no 400");
                foreach (var problem in responses.Where(r => r.Key[0] is '4' or '5'))
                    Assert.That(problem.Value!["content"]?["application/problem+json"], Is.Not.Null, $"{route} {problem.Key} is not problem+json");
            }
        });
    }

    [Test]
    public async Task Serves_swagger_ui()
    {
        var response = await Api.GetAsync("/swagger/index.html");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(await response.Content.ReadAsStringAsync(), Does.Contain("swagger-ui"));
    }
}
