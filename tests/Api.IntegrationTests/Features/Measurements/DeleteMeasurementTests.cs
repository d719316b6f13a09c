using System.Net;
using OkrKpi.Api.Features.Kpis;
using OkrKpi.Api.Features.Measurements;
using static OkrKpi.Api.Features.Measurements.ListMeasurementRevisions;

namespace OkrKpi.Api.IntegrationTests.Features.Measurements;

public sealed class DeleteMeasurementTests : IntegrationTest
{
    [Test]
    public async Task Deletes_the_value_of_a_period_and_keeps_it_in_the_revisions()
    {
        var kpi = await GivenKpiAsync("defect-rate");
        await GivenMeasurementAsync(kpi.Id, 1m, "2026-07-13");
        await GivenMeasurementAsync(kpi.Id, 1.5m, "2026-07-14");

        var response = await SendAsync(HttpMethod.Delete, "/api/v1/kpis/defect-rate/measurements/2026-07-14");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.NoContent), await response.Content.ReadAsStringAsync());
        var series = await SeriesAsync("defect-rate", "2026-07-01", "2026-07-15");
        Assert.That(series.Items.Select(m => m.Period), Is.EqualTo(new[] { "2026-07-13" }));
        var revisions = (await RevisionsAsync("defect-rate", "2026-07-14")).Revisions;
        Assert.That(revisions.Select(r => (r.State, r.Value.ToString())), Is.EqualTo(new[] { (RevisionState.Deleted, "1.5") }));
        Assert.That(revisions[0].EndedAt, Is.EqualTo(ApiFixture.Clock.GetUtcNow()));
        Assert.That(revisions[0].RecordedAt, Is.EqualTo(ApiFixture.Clock.GetUtcNow()));
    }

    [TestCase("2026-07-14T13:00:00Z")]
    [TestCase("2026-07-14")]
    public async Task Deletes_the_period_of_a_kpi_addressed_by_its_id(string period)
    {
        var kpi = await GivenKpiAsync("defect-rate");
        await GivenMeasurementAsync(kpi.Id, 1.5m, "2026-07-14");

        var response = await SendAsync(HttpMethod.Delete, $"/api/v1/kpis/{kpi.Id}/measurements/{Uri.EscapeDataString(period)}");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.NoContent), await response.Content.ReadAsStringAsync());
        Assert.That((await SeriesAsync("defect-rate", "2026-07-01", "2026-07-15")).Items, Is.Empty);
    }

    [Test]
    public async Task A_push_after_the_delete_creates_the_value_again()
    {
        var kpi = await GivenKpiAsync("defect-rate");
        await GivenMeasurementAsync(kpi.Id, 1.5m, "2026-07-14");
        await SendAsync(HttpMethod.Delete, "/api/v1/kpis/defect-rate/measurements/2026-07-14");

        var response = await PushAsync("defect-rate", MeasurementBody("2026-07-14", 1.5m));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created), await response.Content.ReadAsStringAsync());
        Assert.That((await ReadAsync<PushMeasurement.Response>(response)).Result, Is.EqualTo(ItemResult.Created));
        var revisions = (await RevisionsAsync("defect-rate", "2026-07-14")).Revisions;
        Assert.That(revisions.Select(r => r.State), Is.EqualTo(new[] { RevisionState.Current, RevisionState.Deleted }));
    }

    [Test]
    public async Task Deleting_the_only_value_leaves_the_kpi_without_measurements()
    {
        var kpi = await GivenKpiAsync("defect-rate");
        await GivenMeasurementAsync(kpi.Id, 1.5m, "2026-07-14");

        var response = await SendAsync(HttpMethod.Delete, "/api/v1/kpis/defect-rate/measurements/2026-07-14");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
        Assert.That((await ReadAsync<KpiResponse>(await Api.GetAsync("/api/v1/kpis/defect-rate"))).HasMeasurements, Is.False);
    }

    [Test]
    public async Task Answers_404_for_a_period_without_a_value()
    {
        var kpi = await GivenKpiAsync("defect-rate");
        await GivenMeasurementAsync(kpi.Id, 1.5m, "2026-07-14");

        var response = await SendAsync(HttpMethod.Delete, "/api/v1/kpis/defect-rate/measurements/2026-07-13");

        var problem = await ProblemAsync(response, HttpStatusCode.NotFound);
        Assert.That(problem["detail"]!.GetValue<string>(), Does.Contain("2026-07-13"));
        Assert.That((await RevisionsAsync("defect-rate", "2026-07-13")).Revisions, Is.Empty);
    }

    [Test]
    public async Task Answers_404_when_the_value_was_already_deleted()
    {
        var kpi = await GivenKpiAsync("defect-rate");
        await GivenMeasurementAsync(kpi.Id, 1.5m, "2026-07-14");
        await SendAsync(HttpMethod.Delete, "/api/v1/kpis/defect-rate/measurements/2026-07-14");

        var response = await SendAsync(HttpMethod.Delete, "/api/v1/kpis/defect-rate/measurements/2026-07-14");

        await ProblemAsync(response, HttpStatusCode.NotFound);
        Assert.That((await RevisionsAsync("defect-rate", "2026-07-14")).Revisions, Has.Count.EqualTo(1));
    }

    [TestCase("no-such-kpi")]
    [TestCase("0f8fad5b-d9cb-469f-a165-70867728950e")]
    public async Task Answers_404_for_an_unknown_kpi(string idOrKey)
    {
        var kpi = await GivenKpiAsync("defect-rate");
        await GivenMeasurementAsync(kpi.Id, 1.5m, "2026-07-14");

        var response = await SendAsync(HttpMethod.Delete, $"/api/v1/kpis/{idOrKey}/measurements/2026-07-14");

        await ProblemAsync(response, HttpStatusCode.NotFound);
        Assert.That((await SeriesAsync("defect-rate", "2026-07-14", "2026-07-14")).Items, Has.Count.EqualTo(1));
    }

    [TestCase("yesterday")]
    [TestCase("2026-02-30")]
    [TestCase("2026-07")]
    [TestCase("2026-07-14T10:00")]
    public async Task Refuses_a_bad_period(string period)
    {
        var kpi = await GivenKpiAsync("defect-rate");
        await GivenMeasurementAsync(kpi.Id, 1.5m, "2026-07-14");

        var response = await SendAsync(HttpMethod.Delete, $"/api/v1/kpis/defect-rate/measurements/{Uri.EscapeDataString(period)}");

        await FieldErrorsAsync(response, "period");
        Assert.That((await SeriesAsync("defect-rate", "2026-07-14", "2026-07-14")).Items, Has.Count.EqualTo(1));
    }
}
