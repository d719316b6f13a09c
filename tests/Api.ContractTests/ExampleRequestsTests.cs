using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using OkrKpi.Api.Testing;

namespace OkrKpi.Api.ContractTests;

/// <summary>
/// Every operation of openapi.yaml, called with its own example against a demo server through a validating proxy (the
/// contract check of every answer: status, media type, schema, headers): none of the answers breaks the document.
/// Ids in paths are the demo organisation's; reads go first, then writes, then deletes, then signing out.
/// </summary>
public sealed partial class ExampleRequestsTests
{
    [Test]
    public async Task Every_documented_operation_called_with_its_example_answers_as_documented()
    {
        await using var server = await DemoServer.StartAsync();
        var token = await server.TokenAsync(DemoServer.AdminEmail, "kpis:read", "okrs:read", "measurements:write", "kpis:write", "okrs:write", "admin");
        using var api = server.Client(token, new ContractCheckingHandler(new HttpClientHandler()));
        var cookies = new CookieContainer();
        using var person = server.Client(handler: new ContractCheckingHandler(new HttpClientHandler { CookieContainer = cookies }));
        (await person.PostAsJsonAsync("/api/v1/session", new { email = DemoServer.AdminEmail, password = DemoServer.Password })).EnsureSuccessStatusCode();
        ContractCheckingHandler.TakeViolations();
        var before = ContractCheckingHandler.Validated;
        var ids = await DemoIdsAsync(api);

        var operations = Operations(ContractCheckingHandler.Contract.Value.Document).OrderBy(o => o.Order).ToList();
        var answers = new List<string>();
        foreach (var (method, template, operation, _) in operations)
        {
            var path = Parameter().Replace(template, m => ids[m.Groups[1].Value]);
            using var request = new HttpRequestMessage(new HttpMethod(method.ToUpperInvariant()), path);
            foreach (var header in operation["parameters"]?.AsArray().Where(p => p!["in"]!.GetValue<string>() == "header") ?? [])
                request.Headers.TryAddWithoutValidation(header!["name"]!.GetValue<string>(),
                    header["name"]!.GetValue<string>() == "If-Match" ? "*" : Guid.NewGuid().ToString());
            if (operation["requestBody"]?["content"]?.AsObject().First() is { } body)
            {
                var example = body.Value!["example"]!;
                var text = example is JsonValue value && value.TryGetValue<string>(out var raw) && !OpenApiContract.IsJson(body.Key) ? raw : example.ToJsonString();
                request.Content = new StringContent(text, Encoding.UTF8);
                request.Content.Headers.ContentType = new(body.Key);
            }
            var forPerson = operation["security"]?.AsArray() is { Count: > 0 } schemes && schemes.All(s => !s!.AsObject().ContainsKey("bearer"));
            if (forPerson && cookies.GetCookies(server.Address)["XSRF-TOKEN"]?.Value is { } xsrf) request.Headers.Add("X-XSRF-TOKEN", xsrf);

            using var response = await (forPerson ? person : api).SendAsync(request);
            answers.Add($"{method.ToUpperInvariant()} {template} -> {(int)response.StatusCode}");
        }

        var violations = ContractCheckingHandler.TakeViolations();
        var checkedAnswers = ContractCheckingHandler.Validated - before;
        TestContext.Out.WriteLine($"{operations.Count} operations called with their examples; {checkedAnswers} answers checked; {violations.Count} violations.");
        TestContext.Out.WriteLine(string.Join("\n", answers));
        Assert.That(operations, Has.Count.GreaterThanOrEqualTo(73));
        Assert.That(checkedAnswers, Is.GreaterThanOrEqualTo(operations.Count));
        Assert.That(violations, Is.Empty);
        Assert.That(answers.Where(a => a.EndsWith("-> 500")), Is.Empty);
    }

    /// <summary>The demo's ids for each path parameter: an active cycle, its first objective and key result, a team, the viewer, a webhook and its test delivery, a service account and a receiver.</summary>
    private static async Task<Dictionary<string, string>> DemoIdsAsync(HttpClient api)
    {
        async Task<JsonNode> Get(string url) => JsonNode.Parse(await api.GetStringAsync(url))!;
        var cycle = (await Get("/api/v1/cycles?status=active"))["items"]![0]!["id"]!.GetValue<string>();
        var objective = (await Get($"/api/v1/objectives?cycleId={cycle}"))["items"]!.AsArray().First(o => o!["keyResults"]!.AsArray().Count > 0)!;
        var keyResult = objective["keyResults"]![0]!["id"]!.GetValue<string>();
        var initiative = (await api.PostAsJsonAsync($"/api/v1/key-results/{keyResult}/initiatives", new { title = "Try the example requests" }))
            .Content.ReadFromJsonAsync<JsonNode>().Result!["id"]!.GetValue<string>();
        var teams = (await Get("/api/v1/teams?limit=200"))["items"]!.AsArray();
        var viewer = (await Get("/api/v1/users?role=viewer"))["items"]![0]!["id"]!.GetValue<string>();
        var series = (await Get("/api/v1/kpis/defect-rate/measurements"))["items"]!.AsArray();
        var webhook = (await (await api.PostAsJsonAsync("/api/v1/webhooks", new { name = "Example receiver", url = "https://hooks.example.com/okrkpi", eventTypes = new[] { "kpi.status.changed" } }))
            .Content.ReadFromJsonAsync<JsonNode>())!["webhook"]!["id"]!.GetValue<string>();
        var delivery = (await (await api.PostAsync($"/api/v1/webhooks/{webhook}/test", null)).Content.ReadFromJsonAsync<JsonNode>())!["id"]!.GetValue<string>();
        var serviceAccount = (await (await api.PostAsJsonAsync("/api/v1/service-accounts", new { name = "Example CI", role = "editor" }))
            .Content.ReadFromJsonAsync<JsonNode>())!["id"]!.GetValue<string>();
        var receiver = (await (await api.PostAsJsonAsync("/api/v1/receivers", new { name = "Example deployments", preset = "generic-json", kpis = new[] { "production-deployments" } }))
            .Content.ReadFromJsonAsync<JsonNode>())!["id"]!.GetValue<string>();
        return new Dictionary<string, string>
        {
            ["cycleId"] = cycle,
            ["objectiveId"] = objective["id"]!.GetValue<string>(),
            ["keyResultId"] = keyResult,
            ["initiativeId"] = initiative,
            ["teamId"] = teams.First(t => t!["name"]!.GetValue<string>() == "Platform")!["id"]!.GetValue<string>(),
            ["userId"] = viewer,
            ["tokenId"] = Guid.NewGuid().ToString(),
            ["idOrKey"] = "defect-rate",
            ["period"] = series[^1]!["period"]!.GetValue<string>(),
            ["webhookId"] = webhook,
            ["deliveryId"] = delivery,
            ["alertId"] = Guid.NewGuid().ToString(),
            ["serviceAccountId"] = serviceAccount,
            ["receiverId"] = receiver,
        };
    }

    /// <summary>Reads first, then writes, then deletes, then signing out, so that one call does not remove what a later one reads.</summary>
    private static IEnumerable<(string Method, string Template, JsonObject Operation, int Order)> Operations(JsonObject document) =>
        document["paths"]!.AsObject().SelectMany(path => path.Value!.AsObject().Select(op => (
            Method: op.Key,
            Template: path.Key,
            Operation: op.Value!.AsObject(),
            Order: path.Key == "/api/v1/session" && op.Key == "delete" ? 4 : op.Key switch { "get" => 0, "delete" => 3, "post" => 1, _ => 2 })));

    [GeneratedRegex(@"\{([^}]+)\}")]
    private static partial Regex Parameter();
}
