using System.Net;
using System.Text.Json.Nodes;
using OkrKpi.Api.Testing;

namespace OkrKpi.Api.IntegrationTests.Infrastructure;

/// <summary>
/// The contract check that runs over every answer of this suite (ContractChecked) can fail: answers that break
/// openapi.yaml in each way it checks are refused, and a real answer spoiled on its way back fails its test.
/// </summary>
public sealed class ContractTests : IntegrationTest
{
    private static OpenApiContract Contract => ContractCheckingHandler.Contract.Value;

    private static readonly Dictionary<string, string> NoHeaders = new();

    private static JsonObject Operation(string method, string path) => Contract.Find(method, path)!.Value.Operation;

    [Test]
    public void Finds_the_documented_operation_of_a_request_preferring_literal_segments()
    {
        Assert.That(Contract.Find("GET", "/api/v1/cycles/next")!.Value.Template, Is.EqualTo("/api/v1/cycles/next"));
        Assert.That(Contract.Find("GET", $"/api/v1/cycles/{Guid.NewGuid()}")!.Value.Template, Is.EqualTo("/api/v1/cycles/{cycleId}"));
        Assert.That(Contract.Find("PATCH", "/api/v1/session"), Is.Null);
    }

    [Test]
    public void Refuses_an_undocumented_status()
    {
        var problems = Contract.Check(Operation("GET", "/api/v1/teams"), 418, "application/problem+json", "{}", NoHeaders);

        Assert.That(problems.Single(), Does.Contain("status 418 is not documented"));
    }

    [Test]
    public void Refuses_an_undocumented_media_type()
    {
        var problems = Contract.Check(Operation("GET", "/api/v1/teams"), 200, "text/plain", "teams", NoHeaders);

        Assert.That(problems.Single(), Does.Contain("media type text/plain is not documented"));
    }

    [Test]
    public void Refuses_a_body_without_a_required_property_or_with_an_unknown_one()
    {
        var missing = Contract.Check(Operation("GET", "/api/v1/teams"), 200, "application/json", """{ "items": [] }""", NoHeaders);
        var unknown = Contract.Check(Operation("GET", "/api/v1/teams"), 200, "application/json", """{ "items": [], "nextCursor": null, "total": 3 }""", NoHeaders);

        Assert.That(missing, Has.Some.Contain("nextCursor"));
        Assert.That(unknown, Has.Some.Contain("/total"));
    }

    [Test]
    public void Refuses_null_where_the_document_says_a_value_is_always_there()
    {
        var problem = """{ "status": 404, "code": "not-found", "traceId": null }""";

        var problems = Contract.Check(Operation("GET", $"/api/v1/teams/{Guid.NewGuid()}"), 404, "application/problem+json", problem, NoHeaders);

        Assert.That(problems, Has.Some.Contain("/traceId"));
    }

    [Test]
    public void Refuses_a_value_outside_an_enum_and_a_string_where_a_measurement_value_must_be_a_number()
    {
        var unknownCode = Contract.Check(Operation("GET", "/api/v1/teams"), 400, "application/problem+json",
            """{ "status": 400, "code": "oops", "traceId": "t", "errors": { "limit": ["bad"] } }""", NoHeaders);
        var batch = Operation("POST", "/api/v1/measurements/batch");
        var quoted = Contract.Validate(Contract.Document["components"]!["schemas"]!["BatchItemInput"]!,
            """{ "kpi": "defect-rate", "period": "2026-07-14", "value": "12" }""", "item");

        Assert.That(unknownCode, Has.Some.Contain("/code"));
        Assert.That(quoted, Is.Not.Empty);
        Assert.That(batch["responses"]!["422"]!["content"]!.AsObject().Select(c => c.Key), Is.EqualTo(new[] { "application/problem+json" }));
    }

    [Test]
    public void Documents_a_refused_atomic_batch_as_a_problem_carrying_the_report_and_a_reused_key_as_a_plain_problem()
    {
        var batch = Operation("POST", "/api/v1/measurements/batch");
        const string report = """
            { "type": "https://tools.ietf.org/html/rfc4918#section-11.2", "title": "Unprocessable Content", "status": 422,
              "detail": "Nothing was stored.", "code": "unprocessable", "traceId": "t",
              "committed": false, "created": 0, "updated": 0, "unchanged": 0, "rejected": 1,
              "items": [ { "index": 0, "result": "rejected", "kpi": "defect-rate", "kpiId": null, "period": "2026-07-14", "periodStart": null,
                           "field": "value", "reason": "Not a number.", "rounded": false } ] }
            """;
        const string reusedKey = """{ "status": 422, "code": "unprocessable", "traceId": "t", "detail": "The key was used for another request." }""";
        const string stray = """{ "status": 422, "code": "unprocessable", "traceId": "t", "total": 3 }""";

        Assert.That(Contract.Check(batch, 422, "application/problem+json", report, NoHeaders), Is.Empty);
        Assert.That(Contract.Check(batch, 422, "application/problem+json", reusedKey, NoHeaders), Is.Empty);
        Assert.That(Contract.Check(batch, 422, "application/problem+json", stray, NoHeaders), Has.Some.Contain("/total"));
        Assert.That(Contract.Check(batch, 422, "application/json", report, NoHeaders), Is.Not.Empty);
    }

    [Test]
    public void Refuses_a_missing_required_header_and_an_undocumented_one()
    {
        var kpi = Operation("GET", "/api/v1/kpis/defect-rate");
        var body = """{ "status": 404, "code": "not-found", "traceId": "t" }""";

        var noETag = Contract.Check(kpi, 200, "application/json", "{}", NoHeaders);
        var strayETag = Contract.Check(kpi, 404, "application/problem+json", body, new Dictionary<string, string> { ["ETag"] = "\"1\"" });

        Assert.That(noETag, Has.Some.Contain("required header ETag is missing"));
        Assert.That(strayETag.Single(), Does.Contain("header ETag is sent but not documented for 404"));
    }

    [Test]
    public void Every_request_body_has_an_example_that_matches_its_schema()
    {
        var bodies = 0;
        Assert.Multiple(() =>
        {
            foreach (var (template, item) in Contract.Document["paths"]!.AsObject())
            foreach (var (method, operation) in item!.AsObject())
            foreach (var (mediaType, media) in operation!["requestBody"]?["content"]?.AsObject() ?? [])
            {
                bodies++;
                var where = $"{method.ToUpperInvariant()} {template} {mediaType}";
                Assert.That(media!["example"], Is.Not.Null, $"{where} has no example");
                if (media["example"] is { } example && OpenApiContract.IsJson(mediaType))
                    Assert.That(Contract.Validate(media["schema"]!, example.ToJsonString(), where), Is.Empty, where);
                if (media["example"] is JsonValue text && !OpenApiContract.IsJson(mediaType))
                    Assert.That(text.GetValue<string>().Split('\n', StringSplitOptions.RemoveEmptyEntries), Has.Length.GreaterThan(1), where);
            }
        });
        Assert.That(bodies, Is.GreaterThanOrEqualTo(30));
    }

    [Test]
    public async Task A_real_answer_spoiled_on_its_way_back_is_recorded_against_the_test_that_made_it()
    {
        var kpi = await GivenKpiAsync();
        using var client = new HttpClient(new ContractCheckingHandler(new DropETag(ApiFixture.Factory.Server.CreateHandler())))
        {
            BaseAddress = new Uri("http://localhost"),
        };
        client.DefaultRequestHeaders.Authorization = new("Bearer", Callers.AdminToken);

        var response = await client.GetAsync($"/api/v1/kpis/{kpi.Key}");
        var violations = ContractCheckingHandler.TakeViolations();   // taken here, so this test itself passes

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(violations.Single(), Does.Contain("required header ETag is missing").And.Contain($"GET /api/v1/kpis/{kpi.Key}"));
    }

    /// <summary>Loses the ETag of every answer, as a broken proxy or a regression in the API would.</summary>
    private sealed class DropETag(HttpMessageHandler inner) : DelegatingHandler(inner)
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken ct)
        {
            var response = await base.SendAsync(request, ct);
            response.Headers.ETag = null;
            return response;
        }
    }
}
