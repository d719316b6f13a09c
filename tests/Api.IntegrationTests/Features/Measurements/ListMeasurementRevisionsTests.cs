using System.Net;
using System.Text.Json.Nodes;
using OkrKpi.Api.Features.Measurements;
using static OkrKpi.Api.Features.Measurements.ListMeasurementRevisions;

namespace OkrKpi.Api.IntegrationTests.Features.Measurements;

public sealed class ListMeasurementRevisionsTests : IntegrationTest
{
    [Test]
    public async Task Lists_the_current_value_of_a_period_measured_once()
    {
        var kpi = await GivenKpiAsync("defect-rate");
        var body = MeasurementBody("2026-07-14", 1.5m);
        body["note"] = "first shift only";
        body["externalId"] = "mes-4711";
        body["source"] = "manual";
        await PushAsync("defect-rate", body);

        var response = await Api.GetAsync("/api/v1/kpis/defect-rate/measurements/2026-07-14/revisions");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        var listed = await ReadAsync<Response>(response);
        Assert.That(listed.KpiId, Is.EqualTo(kpi.Id));
        Assert.That(listed.KpiKey, Is.EqualTo("defect-rate"));
        Assert.That(listed.Period, Is.EqualTo("2026-07-14"));
        Assert.That(listed.PeriodStart, Is.EqualTo(new DateTimeOffset(2026, 7, 14, 0, 0, 0, TimeSpan.Zero)));
        var current = listed.Revisions.Single();
        Assert.That(current.State, Is.EqualTo(RevisionState.Current));
        Assert.That(current.Value.ToString(), Is.EqualTo("1.5"));
        Assert.That(current.Source, Is.EqualTo(MeasurementSource.Manual));
        Assert.That(current.Note, Is.EqualTo("first shift only"));
        Assert.That(current.ExternalId, Is.EqualTo("mes-4711"));
        Assert.That(current.RecordedAt, Is.EqualTo(ApiFixture.Clock.GetUtcNow()));
        Assert.That(current.EndedAt, Is.Null);
    }

    [Test]
    public async Task Lists_every_value_of_a_period_newest_first()
    {
        await GivenKpiAsync("defect-rate");
        // The shared clock only moves forward: each value is recorded a second after the one it replaces, so that
        // newest first is an order by time and not by how a database breaks ties.
        var recorded = new List<DateTimeOffset>();
        foreach (var value in new[] { 1m, 2m, 3m })
        {
            ApiFixture.Clock.Advance(TimeSpan.FromSeconds(1));
            recorded.Add(ApiFixture.Clock.GetUtcNow());
            await PushAsync("defect-rate", MeasurementBody("2026-07-14", value));
        }

        var listed = await RevisionsAsync("defect-rate", "2026-07-14");

        Assert.That(listed.Revisions.Select(r => (r.State, r.Value.ToString())), Is.EqualTo(new[]
        {
            (RevisionState.Current, "3"), (RevisionState.Replaced, "2"), (RevisionState.Replaced, "1"),
        }));
        Assert.That(listed.Revisions.Select(r => r.RecordedAt), Is.EqualTo(new[] { recorded[2], recorded[1], recorded[0] }));
        Assert.That(listed.Revisions.Select(r => r.EndedAt), Is.EqualTo(new DateTimeOffset?[] { null, recorded[2], recorded[1] }));
    }

    [Test]
    public async Task Lists_a_deleted_value_with_when_it_ended()
    {
        await GivenKpiAsync("defect-rate");
        await PushAsync("defect-rate", MeasurementBody("2026-07-14", 1.5m));
        ApiFixture.Clock.Advance(TimeSpan.FromSeconds(1));
        await PushAsync("defect-rate", MeasurementBody("2026-07-14", 2.5m));
        ApiFixture.Clock.Advance(TimeSpan.FromSeconds(1));
        Assert.That((await SendAsync(HttpMethod.Delete, "/api/v1/kpis/defect-rate/measurements/2026-07-14")).StatusCode, Is.EqualTo(HttpStatusCode.NoContent));

        var listed = await RevisionsAsync("defect-rate", "2026-07-14");

        Assert.That(listed.Revisions.Select(r => (r.State, r.Value.ToString())), Is.EqualTo(new[]
        {
            (RevisionState.Deleted, "2.5"), (RevisionState.Replaced, "1.5"),
        }));
        Assert.That(listed.Revisions[0].EndedAt, Is.EqualTo(ApiFixture.Clock.GetUtcNow()));
        Assert.That(listed.Revisions[1].EndedAt, Is.EqualTo(listed.Revisions[0].RecordedAt));
    }

    [TestCase("2026-07-14")]
    [TestCase("2026-07-14T16:20:00Z")]
    [TestCase("2026-07-15T01:00:00+03:00")]
    public async Task Finds_the_period_from_any_instant_or_date_inside_it(string period)
    {
        await GivenKpiAsync("defect-rate");
        await PushAsync("defect-rate", MeasurementBody("2026-07-14", 1.5m));

        var listed = await RevisionsAsync("defect-rate", Uri.EscapeDataString(period));

        Assert.That(listed.Period, Is.EqualTo("2026-07-14"));
        Assert.That(listed.Revisions.Select(r => r.Value.ToString()), Is.EqualTo(new[] { "1.5" }));
    }

    [Test]
    public async Task Lists_the_same_revisions_for_the_kpi_addressed_by_id_or_by_key()
    {
        var kpi = await GivenKpiAsync("defect-rate");
        await PushAsync("defect-rate", MeasurementBody("2026-07-14", 1.5m));
        await PushAsync(kpi.Id.ToString(), MeasurementBody("2026-07-14", 2.5m));

        var byId = await RevisionsAsync(kpi.Id.ToString(), "2026-07-14");
        var byKey = await RevisionsAsync("Defect-Rate", "2026-07-14");

        Assert.That(byId.Revisions.Select(r => r.Value.ToString()), Is.EqualTo(new[] { "2.5", "1.5" }));
        Assert.That(byKey.Revisions.Select(r => r.Value.ToString()), Is.EqualTo(new[] { "2.5", "1.5" }));
        Assert.That((byKey.KpiId, byKey.Period), Is.EqualTo((byId.KpiId, byId.Period)));
    }

    [Test]
    public async Task Lists_boolean_values_as_true_and_false()
    {
        await GivenKpiAsync("audit-passed", change: body =>
        {
            body["valueType"] = "boolean";
            body["target"] = new JsonObject { ["comparator"] = "equals", ["value"] = 1 };
        });
        await PostRawAsync("/api/v1/kpis/audit-passed/measurements", """{ "period": "2026-07-14", "value": false }""");
        await PostRawAsync("/api/v1/kpis/audit-passed/measurements", """{ "period": "2026-07-14", "value": true }""");

        var listed = JsonNode.Parse(await Api.GetStringAsync("/api/v1/kpis/audit-passed/measurements/2026-07-14/revisions"))!;

        Assert.That(listed["revisions"]!.AsArray().Select(r => r!["value"]!.ToJsonString()), Is.EqualTo(new[] { "true", "false" }));
    }

    [Test]
    public async Task Lists_nothing_for_a_period_that_was_never_measured()
    {
        await GivenKpiAsync("defect-rate");
        await PushAsync("defect-rate", MeasurementBody("2026-07-14", 1.5m));

        var listed = await RevisionsAsync("defect-rate", "2026-07-13");

        Assert.That(listed.Period, Is.EqualTo("2026-07-13"));
        Assert.That(listed.Revisions, Is.Empty);
    }

    [TestCase("no-such-kpi")]
    [TestCase("0f8fad5b-d9cb-469f-a165-70867728950e")]
    public async Task Answers_404_for_an_unknown_kpi(string idOrKey)
    {
        await GivenKpiAsync("defect-rate");

        var response = await Api.GetAsync($"/api/v1/kpis/{idOrKey}/measurements/2026-07-14/revisions");

        await ProblemAsync(response, HttpStatusCode.NotFound);
    }

    [TestCase("yesterday")]
    [TestCase("2026-02-30")]
    [TestCase("2026-07")]
    [TestCase("2026-W29")]
    public async Task Refuses_a_period_that_is_not_a_day_of_a_daily_kpi(string period)
    {
        await GivenKpiAsync("defect-rate");

        var response = await Api.GetAsync($"/api/v1/kpis/defect-rate/measurements/{period}/revisions");

        await FieldErrorsAsync(response, "period");
    }
}
