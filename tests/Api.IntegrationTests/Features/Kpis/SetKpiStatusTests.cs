using System.Net;
using OkrKpi.Api.Features.Kpis;
using OkrKpi.Api.Infrastructure.Http;

namespace OkrKpi.Api.IntegrationTests.Features.Kpis;

public sealed class SetKpiStatusTests : IntegrationTest
{
    [Test]
    public async Task Retires_a_kpi_and_bumps_its_version()
    {
        var kpi = await GivenKpiAsync("defect-rate");

        var response = await SendAsync(HttpMethod.Post, $"/api/v1/kpis/{kpi.Id}/retire");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        Assert.That(response.Headers.ETag?.Tag, Is.EqualTo("\"2\""));
        var retired = await ReadAsync<KpiResponse>(response);
        Assert.That(retired.Status, Is.EqualTo(KpiStatus.Retired));
        Assert.That(retired.Version, Is.EqualTo(2));
        var stored = await ReadAsync<KpiResponse>(await Api.GetAsync($"/api/v1/kpis/{kpi.Id}"));
        Assert.That(stored.Status, Is.EqualTo(KpiStatus.Retired));
    }

    [TestCase("defect-rate")]
    [TestCase("Defect-Rate")]
    public async Task Retires_a_kpi_addressed_by_its_key(string key)
    {
        var kpi = await GivenKpiAsync("defect-rate");

        var response = await SendAsync(HttpMethod.Post, $"/api/v1/kpis/{key}/retire");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        var retired = await ReadAsync<KpiResponse>(response);
        Assert.That(retired.Id, Is.EqualTo(kpi.Id));
        Assert.That(retired.Status, Is.EqualTo(KpiStatus.Retired));
    }

    [Test]
    public async Task Retiring_a_retired_kpi_again_changes_nothing()
    {
        var kpi = await GivenKpiAsync("defect-rate");
        await GivenRetiredAsync(kpi.Id);

        var response = await SendAsync(HttpMethod.Post, $"/api/v1/kpis/{kpi.Id}/retire");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        Assert.That(response.Headers.ETag?.Tag, Is.EqualTo("\"2\""));
        var again = await ReadAsync<KpiResponse>(response);
        Assert.That(again.Status, Is.EqualTo(KpiStatus.Retired));
        Assert.That(again.Version, Is.EqualTo(2));
    }

    [Test]
    public async Task Reactivates_a_retired_kpi()
    {
        var kpi = await GivenKpiAsync("defect-rate");
        await GivenRetiredAsync(kpi.Id);

        var response = await SendAsync(HttpMethod.Post, $"/api/v1/kpis/{kpi.Id}/reactivate", "\"2\"");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        Assert.That(response.Headers.ETag?.Tag, Is.EqualTo("\"3\""));
        var active = await ReadAsync<KpiResponse>(response);
        Assert.That(active.Status, Is.EqualTo(KpiStatus.Active));
        Assert.That(active.Version, Is.EqualTo(3));
    }

    [Test]
    public async Task Reactivating_an_active_kpi_changes_nothing()
    {
        var kpi = await GivenKpiAsync("defect-rate");

        var response = await SendAsync(HttpMethod.Post, $"/api/v1/kpis/{kpi.Id}/reactivate");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        var active = await ReadAsync<KpiResponse>(response);
        Assert.That(active.Status, Is.EqualTo(KpiStatus.Active));
        Assert.That(active.Version, Is.EqualTo(1));
    }

    [Test]
    public async Task Retires_when_if_match_names_the_current_version()
    {
        var kpi = await GivenKpiAsync("defect-rate");

        var response = await SendAsync(HttpMethod.Post, $"/api/v1/kpis/{kpi.Id}/retire", "\"1\"");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        Assert.That((await ReadAsync<KpiResponse>(response)).Status, Is.EqualTo(KpiStatus.Retired));
    }

    [TestCase("retire", "\"2\"")]
    [TestCase("reactivate", "\"2\"")]
    [TestCase("retire", "\"0\"")]
    public async Task Refuses_a_stale_if_match(string action, string ifMatch)
    {
        var kpi = await GivenKpiAsync("defect-rate");

        var response = await SendAsync(HttpMethod.Post, $"/api/v1/kpis/{kpi.Id}/{action}", ifMatch);

        await ProblemAsync(response, HttpStatusCode.PreconditionFailed);
        var stored = await Api.GetAsync($"/api/v1/kpis/{kpi.Id}");
        Assert.That(stored.Headers.ETag?.Tag, Is.EqualTo("\"1\""));
        Assert.That((await ReadAsync<KpiResponse>(stored)).Status, Is.EqualTo(KpiStatus.Active));
    }

    [TestCase("retire", "no-such-kpi")]
    [TestCase("reactivate", "no-such-kpi")]
    [TestCase("retire", "0f8fad5b-d9cb-469f-a165-70867728950e")]
    public async Task Answers_404_for_an_unknown_kpi(string action, string idOrKey)
    {
        await GivenKpiAsync("defect-rate");

        var response = await SendAsync(HttpMethod.Post, $"/api/v1/kpis/{idOrKey}/{action}");

        await ProblemAsync(response, HttpStatusCode.NotFound);
    }

    [Test]
    public async Task Retired_kpis_are_listed_under_the_retired_status_only()
    {
        await GivenKpiAsync("defect-rate");
        await GivenKpiAsync("scrap-rate");

        var response = await SendAsync(HttpMethod.Post, "/api/v1/kpis/scrap-rate/retire");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        var retired = await ReadAsync<Page<KpiResponse>>(await Api.GetAsync("/api/v1/kpis?status=retired"));
        var active = await ReadAsync<Page<KpiResponse>>(await Api.GetAsync("/api/v1/kpis?status=active"));
        Assert.That(retired.Items.Select(k => k.Key), Is.EqualTo(new[] { "scrap-rate" }));
        Assert.That(active.Items.Select(k => k.Key), Is.EqualTo(new[] { "defect-rate" }));
    }

    [Test]
    public async Task Retires_a_kpi_that_has_measurements()
    {
        var kpi = await GivenKpiAsync("defect-rate");
        await GivenMeasurementAsync(kpi.Id);

        var response = await SendAsync(HttpMethod.Post, $"/api/v1/kpis/{kpi.Id}/retire");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        var retired = await ReadAsync<KpiResponse>(response);
        Assert.That(retired.Status, Is.EqualTo(KpiStatus.Retired));
        Assert.That(retired.HasMeasurements, Is.True);
    }

    private static async Task GivenRetiredAsync(Guid kpiId)
    {
        var response = await SendAsync(HttpMethod.Post, $"/api/v1/kpis/{kpiId}/retire");
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
    }
}
