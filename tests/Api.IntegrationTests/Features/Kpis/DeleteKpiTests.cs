using System.Net;
using System.Text.Json.Nodes;
using OkrKpi.Api.Features.Kpis;

namespace OkrKpi.Api.IntegrationTests.Features.Kpis;

public sealed class DeleteKpiTests : IntegrationTest
{
    [Test]
    public async Task Deletes_a_kpi_without_measurements()
    {
        var kpi = await GivenKpiAsync("defect-rate");

        var response = await SendAsync(HttpMethod.Delete, $"/api/v1/kpis/{kpi.Id}");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.NoContent), await response.Content.ReadAsStringAsync());
        await ProblemAsync(await Api.GetAsync($"/api/v1/kpis/{kpi.Id}"), HttpStatusCode.NotFound);
        await ProblemAsync(await Api.GetAsync("/api/v1/kpis/defect-rate"), HttpStatusCode.NotFound);
    }

    [TestCase("defect-rate")]
    [TestCase("DEFECT-RATE")]
    public async Task Deletes_a_kpi_addressed_by_its_key(string key)
    {
        var kpi = await GivenKpiAsync("defect-rate");
        var other = await GivenKpiAsync("scrap-rate");

        var response = await SendAsync(HttpMethod.Delete, $"/api/v1/kpis/{key}");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.NoContent), await response.Content.ReadAsStringAsync());
        await ProblemAsync(await Api.GetAsync($"/api/v1/kpis/{kpi.Id}"), HttpStatusCode.NotFound);
        Assert.That((await Api.GetAsync($"/api/v1/kpis/{other.Id}")).StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    [Test]
    public async Task Deletes_when_if_match_names_the_current_version()
    {
        var kpi = await GivenKpiAsync("defect-rate");

        var response = await SendAsync(HttpMethod.Delete, $"/api/v1/kpis/{kpi.Id}", "\"1\"");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.NoContent), await response.Content.ReadAsStringAsync());
    }

    [Test]
    public async Task Frees_the_key_for_a_new_kpi()
    {
        var kpi = await GivenKpiAsync("defect-rate");
        await GivenDeletedAsync(kpi.Id);

        var again = await GivenKpiAsync("defect-rate", change: b => b["tags"] = new JsonArray("lean"));

        Assert.That(again.Id, Is.Not.EqualTo(kpi.Id));
        Assert.That(again.Tags, Is.EqualTo(new[] { "lean" }));
    }

    [Test]
    public async Task Refuses_to_delete_a_kpi_with_measurements()
    {
        var kpi = await GivenKpiAsync("defect-rate");
        await GivenMeasurementAsync(kpi.Id);

        var response = await SendAsync(HttpMethod.Delete, $"/api/v1/kpis/{kpi.Id}");

        var problem = await ProblemAsync(response, HttpStatusCode.Conflict);
        Assert.That(problem["detail"]!.GetValue<string>(), Does.Contain("retire"));
        Assert.That((await Api.GetAsync($"/api/v1/kpis/{kpi.Id}")).StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    [Test]
    public async Task Refuses_to_delete_a_kpi_whose_values_were_all_deleted_because_their_history_remains()
    {
        var kpi = await GivenKpiAsync("defect-rate");
        var pushed = await PostJsonAsync($"/api/v1/kpis/{kpi.Id}/measurements", new System.Text.Json.Nodes.JsonObject { ["period"] = "2026-07-14", ["value"] = 1.5 });
        Assert.That(pushed.StatusCode, Is.EqualTo(HttpStatusCode.Created));
        var removed = await SendAsync(HttpMethod.Delete, $"/api/v1/kpis/{kpi.Id}/measurements/2026-07-14");
        Assert.That(removed.StatusCode, Is.EqualTo(HttpStatusCode.NoContent));

        var response = await SendAsync(HttpMethod.Delete, $"/api/v1/kpis/{kpi.Id}");

        var problem = await ProblemAsync(response, HttpStatusCode.Conflict);
        Assert.That(problem["detail"]!.GetValue<string>(), Does.Contain("history"));
    }

    [TestCase("no-such-kpi")]
    [TestCase("0f8fad5b-d9cb-469f-a165-70867728950e")]
    public async Task Answers_404_for_an_unknown_kpi(string idOrKey)
    {
        await GivenKpiAsync("defect-rate");

        var response = await SendAsync(HttpMethod.Delete, $"/api/v1/kpis/{idOrKey}");

        await ProblemAsync(response, HttpStatusCode.NotFound);
    }

    [Test]
    public async Task Answers_404_when_deleting_twice()
    {
        var kpi = await GivenKpiAsync("defect-rate");
        await GivenDeletedAsync(kpi.Id);

        var response = await SendAsync(HttpMethod.Delete, $"/api/v1/kpis/{kpi.Id}");

        await ProblemAsync(response, HttpStatusCode.NotFound);
    }

    [TestCase("\"2\"")]
    [TestCase("\"0\"")]
    public async Task Refuses_a_stale_if_match(string ifMatch)
    {
        var kpi = await GivenKpiAsync("defect-rate");

        var response = await SendAsync(HttpMethod.Delete, $"/api/v1/kpis/{kpi.Id}", ifMatch);

        await ProblemAsync(response, HttpStatusCode.PreconditionFailed);
        Assert.That((await Api.GetAsync($"/api/v1/kpis/{kpi.Id}")).StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    [Test]
    public async Task Refuses_an_if_match_read_before_the_kpi_was_retired()
    {
        var kpi = await GivenKpiAsync("defect-rate");
        await GivenRetiredAsync(kpi.Id);

        var response = await SendAsync(HttpMethod.Delete, $"/api/v1/kpis/{kpi.Id}", "\"1\"");

        await ProblemAsync(response, HttpStatusCode.PreconditionFailed);
        Assert.That((await ReadAsync<KpiResponse>(await Api.GetAsync($"/api/v1/kpis/{kpi.Id}"))).Status, Is.EqualTo(KpiStatus.Retired));
    }

    private static async Task GivenRetiredAsync(Guid kpiId)
    {
        var response = await SendAsync(HttpMethod.Post, $"/api/v1/kpis/{kpiId}/retire");
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
    }

    private static async Task GivenDeletedAsync(Guid kpiId)
    {
        var response = await SendAsync(HttpMethod.Delete, $"/api/v1/kpis/{kpiId}");
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.NoContent), await response.Content.ReadAsStringAsync());
    }
}
