using System.Net;
using OkrKpi.Api.Features.Kpis;

namespace OkrKpi.Api.IntegrationTests.Features.Kpis;

public sealed class GetKpiTests : IntegrationTest
{
    [Test]
    public async Task Reads_a_kpi_by_its_id_with_its_etag()
    {
        var created = await GivenKpiAsync("defect-rate");
        await GivenKpiAsync("scrap-rate");

        var response = await Api.GetAsync($"/api/v1/kpis/{created.Id}");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(response.Headers.ETag?.Tag, Is.EqualTo("\"1\""));
        var kpi = await ReadAsync<KpiResponse>(response);
        Assert.That(kpi.Id, Is.EqualTo(created.Id));
        Assert.That(kpi.Key, Is.EqualTo("defect-rate"));
        Assert.That(kpi.Target, Is.EqualTo(created.Target));
        Assert.That(kpi.Tags, Is.EqualTo(new[] { "manufacturing", "quality" }));
    }

    [TestCase("defect-rate")]
    [TestCase("Defect-Rate")]
    [TestCase("DEFECT-RATE")]
    public async Task Reads_a_kpi_by_its_key_in_any_case(string key)
    {
        await GivenKpiAsync("scrap-rate");
        var created = await GivenKpiAsync("defect-rate");

        var response = await Api.GetAsync($"/api/v1/kpis/{key}");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(response.Headers.ETag?.Tag, Is.EqualTo("\"1\""));
        var kpi = await ReadAsync<KpiResponse>(response);
        Assert.That(kpi.Id, Is.EqualTo(created.Id));
        Assert.That(kpi.Key, Is.EqualTo("defect-rate"));
    }

    [Test]
    public async Task Reads_a_kpi_by_its_id_written_in_upper_case()
    {
        var created = await GivenKpiAsync("defect-rate");

        var response = await Api.GetAsync($"/api/v1/kpis/{created.Id.ToString().ToUpperInvariant()}");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That((await ReadAsync<KpiResponse>(response)).Id, Is.EqualTo(created.Id));
    }

    [Test]
    public async Task Keeps_the_key_in_the_case_it_was_created_with()
    {
        await GivenKpiAsync("OEE.Line-1");

        var kpi = await ReadAsync<KpiResponse>(await Api.GetAsync("/api/v1/kpis/oee.line-1"));

        Assert.That(kpi.Key, Is.EqualTo("OEE.Line-1"));
    }

    [Test]
    public async Task Tells_whether_the_kpi_has_measurements()
    {
        var kpi = await GivenKpiAsync("defect-rate");
        await GivenMeasurementAsync(kpi.Id);

        var read = await ReadAsync<KpiResponse>(await Api.GetAsync($"/api/v1/kpis/{kpi.Id}"));

        Assert.That(read.HasMeasurements, Is.True);
    }

    [Test]
    public async Task Answers_404_problem_for_an_unknown_key()
    {
        await GivenKpiAsync("defect-rate");

        var response = await Api.GetAsync("/api/v1/kpis/defect-rates");

        await ProblemAsync(response, HttpStatusCode.NotFound);
        Assert.That(response.Headers.ETag, Is.Null);
    }

    [Test]
    public async Task Answers_404_problem_for_an_unknown_id()
    {
        await GivenKpiAsync("defect-rate");

        var response = await Api.GetAsync($"/api/v1/kpis/{Guid.NewGuid()}");

        await ProblemAsync(response, HttpStatusCode.NotFound);
    }
}
