using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using OkrKpi.Api.Features.Measurements;
using OkrKpi.Api.Infrastructure.Security;
using static OkrKpi.Api.IntegrationTests.Features.Measurements.MeasurementImports;

namespace OkrKpi.Api.IntegrationTests.Features.Measurements;

/// <summary>
/// Who may write values: editors of the owning team and admins, and a token restricted to named KPIs only to those.
/// A single push is refused with 403; in a batch the item is rejected with its reason, in an import the row is an
/// error of its line; never silently dropped. Every value records who pushed it.
/// </summary>
public sealed class MeasurementAccessTests : MeasurementsTest
{
    private Guid _teamA;
    private Guid _teamB;
    private Guid _defectRate;

    [SetUp]
    public async Task GivenKpisOfTwoTeams()
    {
        _teamA = (await GivenTeamAsync("Team A")).Id;
        _teamB = (await GivenTeamAsync("Team B")).Id;
        _defectRate = (await GivenKpiAsync("defect-rate", _teamA)).Id;
        await GivenKpiAsync("scrap-rate", _teamA);
        await GivenKpiAsync("uptime", _teamB);
    }

    private static Task<HttpClient> DefectRateOnlyAsync(Guid teamA) => Callers.GivenUserAsync(Role.Editor, [teamA])
        .ContinueWith(user => Callers.GivenTokenClientAsync(user.Result, [Scopes.MeasurementsWrite, Scopes.KpisRead], ["defect-rate"])).Unwrap();

    private static Task<HttpResponseMessage> PushAsync(HttpClient client, string kpi, string period = "2026-07-14", decimal value = 1.5m) =>
        client.PostAsync($"/api/v1/kpis/{kpi}/measurements",
            new StringContent(MeasurementBody(period, value).ToJsonString(), Encoding.UTF8, "application/json"));

    private static Task<HttpResponseMessage> BatchAsync(HttpClient client, string mode, params string[] kpis) =>
        client.PostAsync($"/api/v1/measurements/batch?mode={mode}", new StringContent(new JsonObject
        {
            ["items"] = new JsonArray(kpis.Select(k => (JsonNode)new JsonObject { ["kpi"] = k, ["period"] = "2026-07-14", ["value"] = 1 }).ToArray()),
        }.ToJsonString(), Encoding.UTF8, "application/json"));

    private static string Actor(HttpClient tokenClient) =>
        $"token:{ApiTokens.Parse(tokenClient.DefaultRequestHeaders.Authorization!.Parameter!)!.Value.PublicId}";

    [Test]
    public async Task A_token_restricted_to_defect_rate_pushes_to_it_and_to_nothing_else()
    {
        using var token = await DefectRateOnlyAsync(_teamA);

        var allowed = await PushAsync(token, "defect-rate");
        var sameTeamOtherKpi = await PushAsync(token, "scrap-rate");

        Assert.That(allowed.StatusCode, Is.EqualTo(HttpStatusCode.Created), await allowed.Content.ReadAsStringAsync());
        var problem = await ProblemAsync(sameTeamOtherKpi, HttpStatusCode.Forbidden);
        Assert.That(problem["detail"]!.GetValue<string>(), Does.Contain("restricted to the KPIs defect-rate"));
        Assert.That((await Api.GetAsync("/api/v1/kpis/scrap-rate/measurements/2026-07-14")).StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
    }

    [Test]
    public async Task A_restricted_token_sees_other_kpis_rejected_item_by_item_in_a_batch()
    {
        using var token = await DefectRateOnlyAsync(_teamA);

        var atomic = await BatchAsync(token, "atomic", "defect-rate", "scrap-rate");
        var partial = await BatchAsync(token, "partial", "defect-rate", "scrap-rate");

        Assert.That(atomic.StatusCode, Is.EqualTo(HttpStatusCode.UnprocessableEntity));
        var refused = await ReadAsync<BatchResponse>(atomic);
        Assert.That(refused.Items.Select(i => i.Result), Is.EqualTo(new[] { ItemResult.Created, ItemResult.Rejected }),
            "an atomic batch answers every item, the allowed one as it would have gone");
        Assert.That(refused.Items[1].Reason, Does.Contain("restricted to the KPIs defect-rate"));
        Assert.That(partial.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        var stored = await ReadAsync<BatchResponse>(partial);
        Assert.That((stored.Created, stored.Rejected), Is.EqualTo((1, 1)));
        Assert.That(stored.Items[1].Field, Is.EqualTo("kpi"));
        Assert.That(await StoredRowsAsync(), Is.EqualTo((1L, 0L)));
    }

    [Test]
    public async Task A_restricted_token_sees_rows_of_other_kpis_refused_by_line_in_an_import()
    {
        using var token = await DefectRateOnlyAsync(_teamA);
        const string csv = "kpi,period,value\ndefect-rate,2026-07-14,1\nscrap-rate,2026-07-14,2\ndefect-rate,2026-07-13,3\n";

        var atomic = await ImportAsync(token, Csv(csv));
        var partial = await ImportAsync(token, Csv(csv), "?mode=partial");

        Assert.That(atomic.StatusCode, Is.EqualTo(HttpStatusCode.UnprocessableEntity));
        var refused = await ReadAsync<ImportMeasurements.Response>(atomic);
        Assert.That(refused.Errors.Select(e => (e.Line, e.Column)), Is.EqualTo(new[] { (3L, "kpi") }));
        Assert.That(refused.Errors[0].Reason, Does.Contain("restricted to the KPIs defect-rate"));
        var stored = await ReadAsync<ImportMeasurements.Response>(partial);
        Assert.That((stored.Committed, stored.Created, stored.Rejected), Is.EqualTo((true, 2L, 1L)));
    }

    [Test]
    public async Task A_kpi_batch_for_a_kpi_outside_the_tokens_list_is_refused_whole()
    {
        using var token = await DefectRateOnlyAsync(_teamA);

        var response = await token.PostAsync("/api/v1/kpis/scrap-rate/measurements/batch", new StringContent(
            """{"items":[{"period":"2026-07-14","value":1}]}""", Encoding.UTF8, "application/json"));

        await ProblemAsync(response, HttpStatusCode.Forbidden);
    }

    [Test]
    public async Task An_editor_writes_values_of_its_teams_kpis_only()
    {
        using var editorOfA = await Callers.GivenPersonClientAsync(Role.Editor, _teamA);

        var own = await PushAsync(editorOfA, "defect-rate");
        var other = await PushAsync(editorOfA, "uptime");
        var batch = await BatchAsync(editorOfA, "partial", "scrap-rate", "uptime");
        var import = await ImportAsync(editorOfA, Csv("kpi,period,value\nuptime,2026-07-13,1\n"));
        var delete = await editorOfA.DeleteAsync("/api/v1/kpis/uptime/measurements/2026-07-14");

        Assert.That(own.StatusCode, Is.EqualTo(HttpStatusCode.Created));
        await ProblemAsync(other, HttpStatusCode.Forbidden);
        Assert.That((await ReadAsync<BatchResponse>(batch)).Items.Select(i => i.Result), Is.EqualTo(new[] { ItemResult.Created, ItemResult.Rejected }));
        Assert.That((await ReadAsync<ImportMeasurements.Response>(import)).Errors.Single().Reason, Does.Contain("not a member"));
        await ProblemAsync(delete, HttpStatusCode.Forbidden);
    }

    [Test]
    public async Task A_viewer_cannot_write_values()
    {
        using var viewer = await Callers.GivenPersonClientAsync(Role.Viewer, _teamA);

        await ProblemAsync(await PushAsync(viewer, "defect-rate"), HttpStatusCode.Forbidden);
        await ProblemAsync(await BatchAsync(viewer, "partial", "defect-rate"), HttpStatusCode.Forbidden);
        await ProblemAsync(await ImportAsync(viewer, Csv("kpi,period,value\ndefect-rate,2026-07-13,1\n")), HttpStatusCode.Forbidden);
        Assert.That((await viewer.GetAsync("/api/v1/dashboard/kpis")).StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    [Test]
    public async Task Every_value_records_who_pushed_it_and_who_replaced_or_deleted_it()
    {
        using var token = await DefectRateOnlyAsync(_teamA);
        await GivenMeasurementAsync(_defectRate, 1m);

        var pushed = await PushAsync(token, "defect-rate", value: 2m);
        await BatchAsync(token, "atomic", "defect-rate");
        await ImportAsync(token, Csv("kpi,period,value\ndefect-rate,2026-07-13,4\n"));
        var deleted = await Api.DeleteAsync("/api/v1/kpis/defect-rate/measurements/2026-07-14");

        Assert.That((await ReadAsync<PushMeasurement.Response>(pushed)).Measurement.RecordedBy, Is.EqualTo(Actor(token)));
        Assert.That(deleted.StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
        var revisions = (await RevisionsAsync("defect-rate", "2026-07-14")).Revisions;
        Assert.That(revisions.Select(r => (r.RecordedBy, r.EndedBy)), Is.EqualTo(new[]
        {
            (Actor(token), Actor(Api)),       // the batch's value, deleted by the admin
            (Actor(token), Actor(token)),             // the push's value, replaced by the batch
            (Actor(Api), Actor(token)),       // the first value, replaced by the push
        }).Or.EqualTo(new[]
        {
            (Actor(Api), Actor(token)),
            (Actor(token), Actor(token)),
            (Actor(token), Actor(Api)),
        }));
        var imported = await ReadAsync<MeasurementResponse>(await Api.GetAsync("/api/v1/kpis/defect-rate/measurements/2026-07-13"));
        Assert.That(imported.RecordedBy, Is.EqualTo(Actor(token)));
    }
}
