using System.Net;
using System.Text.Json.Nodes;

namespace OkrKpi.Api.IntegrationTests.Features.Measurements;

public sealed class GetMeasurementTests : IntegrationTest
{
    [Test]
    public async Task Reads_the_value_at_the_location_a_push_answered_with()
    {
        await GivenKpiAsync("defect-rate");
        var pushed = await PostJsonAsync("/api/v1/kpis/defect-rate/measurements", new JsonObject { ["period"] = "2026-07-14T15:00:00Z", ["value"] = 1.75 });

        var response = await Api.GetAsync(pushed.Headers.Location);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.That(body["period"]!.GetValue<string>(), Is.EqualTo("2026-07-14"));
        Assert.That(body["value"]!.ToJsonString(), Is.EqualTo("1.75"));
    }

    [Test]
    public async Task Answers_404_for_a_period_without_a_value()
    {
        await GivenKpiAsync("defect-rate");

        var response = await Api.GetAsync("/api/v1/kpis/defect-rate/measurements/2026-07-13");

        await ProblemAsync(response, HttpStatusCode.NotFound);
    }

    [Test]
    public async Task Names_a_period_that_does_not_fit_the_kpi()
    {
        await GivenKpiAsync("defect-rate");

        var response = await Api.GetAsync("/api/v1/kpis/defect-rate/measurements/2026-07");

        await FieldErrorsAsync(response, "period");
    }

    [Test]
    public async Task Answers_404_for_an_unknown_kpi()
    {
        var response = await Api.GetAsync("/api/v1/kpis/nothing/measurements/2026-07-13");

        await ProblemAsync(response, HttpStatusCode.NotFound);
    }
}
