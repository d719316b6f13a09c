using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using OkrKpi.Api.Infrastructure.Security;

namespace OkrKpi.Api.IntegrationTests.Infrastructure;

/// <summary>Refusals and errors are problem details whatever the request's Accept header asks for.</summary>
public sealed class ProblemResponsesTests : IntegrationTest
{
    private static readonly string[] NotJson = ["text/csv", "text/html", "application/xml", "image/png;q=0.5"];

    [TestCaseSource(nameof(NotJson))]
    public async Task A_caller_without_credentials_gets_a_401_problem(string accept)
    {
        using var anonymous = Callers.Client();

        var response = await anonymous.SendAsync(Get("/api/v1/kpis", accept));

        await ProblemAsync(response, HttpStatusCode.Unauthorized);
    }

    [TestCaseSource(nameof(NotJson))]
    public async Task A_refused_write_gets_a_403_problem(string accept)
    {
        var viewer = await Callers.GivenPersonClientAsync(Role.Viewer);
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/teams") { Content = JsonContent("""{"name":"Sales"}""") };
        request.Headers.Accept.ParseAdd(accept);

        var response = await viewer.SendAsync(request);

        await ProblemAsync(response, HttpStatusCode.Forbidden);
    }

    [TestCaseSource(nameof(NotJson))]
    public async Task The_matrix_of_an_unknown_cycle_asked_for_as_csv_gets_a_404_problem(string accept)
    {
        var response = await Api.SendAsync(Get($"/api/v1/cycles/{Guid.NewGuid()}/matrix", accept));

        await ProblemAsync(response, HttpStatusCode.NotFound);
    }

    [TestCaseSource(nameof(NotJson))]
    public async Task An_invalid_query_value_gets_a_400_problem_naming_it(string accept)
    {
        var response = await Api.SendAsync(Get("/api/v1/teams?limit=ten", accept));

        await FieldErrorsAsync(response, "limit");
    }

    [Test]
    public async Task An_unknown_path_gets_a_404_problem_even_for_a_browser()
    {
        var response = await Api.SendAsync(Get("/api/v1/no-such-thing", "text/html,application/xhtml+xml"));

        await ProblemAsync(response, HttpStatusCode.NotFound);
    }

    [Test]
    public async Task A_refused_atomic_batch_is_a_problem_that_carries_the_report_of_every_item()
    {
        await GivenKpiAsync("defect-rate");
        var body = new JsonObject
        {
            ["items"] = new JsonArray(
                new JsonObject { ["kpi"] = "defect-rate", ["period"] = "2026-07-14", ["value"] = 1 },
                new JsonObject { ["kpi"] = "no-such-kpi", ["period"] = "2026-07-14", ["value"] = 2 }),
        };

        var problem = await ProblemAsync(await PostJsonAsync("/api/v1/measurements/batch", body), HttpStatusCode.UnprocessableEntity);

        Assert.That(problem["code"]!.GetValue<string>(), Is.EqualTo("unprocessable"));
        Assert.That(problem["detail"]!.GetValue<string>(), Does.StartWith("Nothing was stored"));
        Assert.That(problem["committed"]!.GetValue<bool>(), Is.False);
        Assert.That(problem["items"]!.AsArray().Select(i => i!["result"]!.GetValue<string>()), Is.EqualTo(new[] { "created", "rejected" }));
    }

    private static HttpRequestMessage Get(string url, string accept)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.Accept.ParseAdd(accept);
        return request;
    }

    private static StringContent JsonContent(string json) => new(json, new MediaTypeHeaderValue("application/json"));
}
