using System.Net;
using System.Text.Json.Nodes;
using OkrKpi.Api.Features.Kpis;

namespace OkrKpi.Api.IntegrationTests.Features.Kpis;

public sealed class UpdateKpiTests : IntegrationTest
{
    [Test]
    public async Task Replaces_the_definition_and_answers_with_the_next_version()
    {
        var team = await GivenTeamAsync("Quality");
        var kpi = await GivenKpiAsync("defect-rate");
        var body = KpiBody("defect-rate", team.Id);
        body["name"] = "Defect ratio";
        body["description"] = null;
        body["frequency"] = "weekly";
        body["target"] = new JsonObject { ["comparator"] = "between", ["low"] = 0.5, ["high"] = 1.5, ["warning"] = 2.25 };
        body["tags"] = new JsonArray("Ops");

        var response = await PutJsonAsync($"/api/v1/kpis/{kpi.Id}", body, "\"1\"");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        Assert.That(response.Headers.ETag?.Tag, Is.EqualTo("\"2\""));
        var updated = await ReadAsync<KpiResponse>(response);
        Assert.That(updated.Version, Is.EqualTo(2));
        Assert.That(updated.Id, Is.EqualTo(kpi.Id));
        Assert.That(updated.Name, Is.EqualTo("Defect ratio"));
        Assert.That(updated.Description, Is.Null);
        Assert.That(updated.Frequency, Is.EqualTo(KpiFrequency.Weekly));
        Assert.That(updated.Target, Is.EqualTo(new KpiTarget(TargetComparator.Between, null, 0.5m, 1.5m, 2.25m)));
        Assert.That(updated.OwnerTeamId, Is.EqualTo(team.Id));
        Assert.That(updated.Tags, Is.EqualTo(new[] { "ops" }));
        Assert.That(updated.CreatedAt, Is.EqualTo(kpi.CreatedAt));
    }

    [Test]
    public async Task Stores_the_new_definition()
    {
        var kpi = await GivenKpiAsync("defect-rate");
        var body = KpiBody("defect-rate");
        body["name"] = "Defect ratio";
        body["tags"] = new JsonArray("ops");

        var response = await PutJsonAsync($"/api/v1/kpis/{kpi.Id}", body, "\"1\"");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        var read = await Api.GetAsync($"/api/v1/kpis/{kpi.Id}");
        Assert.That(read.Headers.ETag?.Tag, Is.EqualTo("\"2\""));
        var stored = await ReadAsync<KpiResponse>(read);
        Assert.That(stored.Name, Is.EqualTo("Defect ratio"));
        Assert.That(stored.Tags, Is.EqualTo(new[] { "ops" }));
    }

    [TestCase("defect-rate")]
    [TestCase("DEFECT-RATE")]
    public async Task Updates_a_kpi_addressed_by_its_key(string key)
    {
        var kpi = await GivenKpiAsync("defect-rate");
        var body = KpiBody("defect-rate");
        body["name"] = "Defect ratio";

        var response = await PutJsonAsync($"/api/v1/kpis/{key}", body, "\"1\"");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        var updated = await ReadAsync<KpiResponse>(response);
        Assert.That(updated.Id, Is.EqualTo(kpi.Id));
        Assert.That(updated.Name, Is.EqualTo("Defect ratio"));
        Assert.That(updated.Version, Is.EqualTo(2));
    }

    [Test]
    public async Task Accepts_the_wildcard_if_match()
    {
        var kpi = await GivenKpiAsync("defect-rate");

        var response = await PutJsonAsync($"/api/v1/kpis/{kpi.Id}", KpiBody("defect-rate"), "*");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        Assert.That(response.Headers.ETag?.Tag, Is.EqualTo("\"2\""));
    }

    [Test]
    public async Task Requires_if_match()
    {
        var kpi = await GivenKpiAsync("defect-rate");
        var body = KpiBody("defect-rate");
        body["name"] = "Defect ratio";

        var response = await PutJsonAsync($"/api/v1/kpis/{kpi.Id}", body, ifMatch: null);

        await ProblemAsync(response, HttpStatusCode.PreconditionRequired);
        Assert.That((await ReadAsync<KpiResponse>(await Api.GetAsync($"/api/v1/kpis/{kpi.Id}"))).Name, Is.EqualTo("Defect rate"));
    }

    [TestCase("\"2\"")]
    [TestCase("\"0\"")]
    [TestCase("1")]
    [TestCase("\"1\", \"2\"")]
    public async Task Refuses_an_if_match_that_is_not_the_current_version(string ifMatch)
    {
        var kpi = await GivenKpiAsync("defect-rate");
        var body = KpiBody("defect-rate");
        body["name"] = "Defect ratio";

        var response = await PutJsonAsync($"/api/v1/kpis/{kpi.Id}", body, ifMatch);

        await ProblemAsync(response, HttpStatusCode.PreconditionFailed);
        var stored = await Api.GetAsync($"/api/v1/kpis/{kpi.Id}");
        Assert.That(stored.Headers.ETag?.Tag, Is.EqualTo("\"1\""));
        Assert.That((await ReadAsync<KpiResponse>(stored)).Name, Is.EqualTo("Defect rate"));
    }

    [Test]
    public async Task Refuses_an_update_based_on_a_version_someone_else_replaced()
    {
        var kpi = await GivenKpiAsync("defect-rate");
        var first = KpiBody("defect-rate");
        first["name"] = "First edit";
        var second = KpiBody("defect-rate");
        second["name"] = "Second edit";
        var accepted = await PutJsonAsync($"/api/v1/kpis/{kpi.Id}", first, "\"1\"");
        Assert.That(accepted.StatusCode, Is.EqualTo(HttpStatusCode.OK), await accepted.Content.ReadAsStringAsync());

        var response = await PutJsonAsync($"/api/v1/kpis/{kpi.Id}", second, "\"1\"");

        await ProblemAsync(response, HttpStatusCode.PreconditionFailed);
        Assert.That((await ReadAsync<KpiResponse>(await Api.GetAsync($"/api/v1/kpis/{kpi.Id}"))).Name, Is.EqualTo("First edit"));
    }

    [TestCase("no-such-kpi")]
    [TestCase("0f8fad5b-d9cb-469f-a165-70867728950e")]
    public async Task Answers_404_for_an_unknown_kpi(string idOrKey)
    {
        await GivenKpiAsync("defect-rate");

        var response = await PutJsonAsync($"/api/v1/kpis/{idOrKey}", KpiBody("no-such-kpi"), "\"1\"");

        await ProblemAsync(response, HttpStatusCode.NotFound);
        Assert.That((await Api.GetAsync("/api/v1/kpis/no-such-kpi")).StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
    }

    [TestCase("scrap-rate")]
    [TestCase("Scrap-Rate")]
    public async Task Refuses_a_key_that_another_kpi_has(string key)
    {
        await GivenKpiAsync("scrap-rate");
        var kpi = await GivenKpiAsync("defect-rate");

        var response = await PutJsonAsync($"/api/v1/kpis/{kpi.Id}", KpiBody(key), "\"1\"");

        await ProblemAsync(response, HttpStatusCode.Conflict);
        Assert.That((await ReadAsync<KpiResponse>(await Api.GetAsync($"/api/v1/kpis/{kpi.Id}"))).Key, Is.EqualTo("defect-rate"));
    }

    [Test]
    public async Task Changes_the_key_of_a_kpi_without_measurements()
    {
        var kpi = await GivenKpiAsync("defect-rate");

        var response = await PutJsonAsync($"/api/v1/kpis/{kpi.Id}", KpiBody("defect-ratio"), "\"1\"");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        Assert.That((await ReadAsync<KpiResponse>(response)).Key, Is.EqualTo("defect-ratio"));
        var byNewKey = await Api.GetAsync("/api/v1/kpis/defect-ratio");
        Assert.That(byNewKey.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That((await ReadAsync<KpiResponse>(byNewKey)).Id, Is.EqualTo(kpi.Id));
        await ProblemAsync(await Api.GetAsync("/api/v1/kpis/defect-rate"), HttpStatusCode.NotFound);
    }

    [TestCase("key", "defect-ratio")]
    [TestCase("frequency", "weekly")]
    [TestCase("valueType", "number")]
    public async Task Refuses_to_change_what_its_measurements_depend_on(string field, string value)
    {
        var kpi = await GivenKpiAsync("defect-rate");
        await GivenMeasurementAsync(kpi.Id);
        var body = KpiBody("defect-rate");
        body[field] = value;

        var response = await PutJsonAsync($"/api/v1/kpis/{kpi.Id}", body, "\"1\"");

        var problem = await ProblemAsync(response, HttpStatusCode.Conflict);
        Assert.That(problem["detail"]!.GetValue<string>(), Does.Contain("measurements"));
        var stored = await Api.GetAsync($"/api/v1/kpis/{kpi.Id}");
        Assert.That(stored.Headers.ETag?.Tag, Is.EqualTo("\"1\""));
    }

    [Test]
    public async Task Changes_name_target_and_tags_of_a_kpi_with_measurements()
    {
        var kpi = await GivenKpiAsync("defect-rate");
        await GivenMeasurementAsync(kpi.Id);
        var body = KpiBody("defect-rate");
        body["name"] = "Defect ratio";
        body["target"] = new JsonObject { ["comparator"] = "atMost", ["value"] = 1.5, ["warning"] = 2 };
        body["tags"] = new JsonArray("ops");

        var response = await PutJsonAsync($"/api/v1/kpis/{kpi.Id}", body, "\"1\"");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        var updated = await ReadAsync<KpiResponse>(response);
        Assert.That(updated.Name, Is.EqualTo("Defect ratio"));
        Assert.That(updated.Target, Is.EqualTo(new KpiTarget(TargetComparator.AtMost, 1.5m, null, null, 2m)));
        Assert.That(updated.Tags, Is.EqualTo(new[] { "ops" }));
        Assert.That(updated.HasMeasurements, Is.True);
        Assert.That(updated.Version, Is.EqualTo(2));
    }

    [Test]
    public async Task Keeps_the_status_of_a_retired_kpi()
    {
        var kpi = await GivenKpiAsync("defect-rate");
        await GivenRetiredAsync(kpi.Id);

        var response = await PutJsonAsync($"/api/v1/kpis/{kpi.Id}", KpiBody("defect-rate"), "\"2\"");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        Assert.That((await ReadAsync<KpiResponse>(response)).Status, Is.EqualTo(KpiStatus.Retired));
    }

    [TestCase("key", "\"defect rate\"", "key")]
    [TestCase("key", "\"0f8fad5b-d9cb-469f-a165-70867728950e\"", "key")]
    [TestCase("name", "\"\"", "name")]
    [TestCase("valueType", "null", "valueType")]
    [TestCase("target", """{ "comparator": "atMost", "value": 2, "warning": 1 }""", "target.warning")]
    [TestCase("target", """{ "comparator": "between", "low": 5, "high": 1 }""", "target.low")]
    [TestCase("tags", """["bad tag"]""", "tags[0]")]
    [TestCase("colour", "\"red\"", "colour")]
    public async Task Refuses_an_invalid_definition_and_names_the_field(string property, string json, string field)
    {
        var kpi = await GivenKpiAsync("defect-rate");
        var body = KpiBody("defect-rate");
        body[property] = JsonNode.Parse(json);

        var response = await PutJsonAsync($"/api/v1/kpis/{kpi.Id}", body, "\"1\"");

        var problem = await ProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.That(problem["errors"]!.AsObject().Select(e => e.Key), Is.EqualTo(new[] { field }), problem.ToJsonString());
        var stored = await Api.GetAsync($"/api/v1/kpis/{kpi.Id}");
        Assert.That(stored.Headers.ETag?.Tag, Is.EqualTo("\"1\""));
    }

    [Test]
    public async Task Refuses_an_owner_team_that_does_not_exist()
    {
        var kpi = await GivenKpiAsync("defect-rate");

        var response = await PutJsonAsync($"/api/v1/kpis/{kpi.Id}", KpiBody("defect-rate", Guid.NewGuid()), "\"1\"");

        await FieldErrorsAsync(response, "ownerTeamId");
        Assert.That((await ReadAsync<KpiResponse>(await Api.GetAsync($"/api/v1/kpis/{kpi.Id}"))).OwnerTeamId, Is.Null);
    }

    private static async Task GivenRetiredAsync(Guid kpiId)
    {
        var response = await SendAsync(HttpMethod.Post, $"/api/v1/kpis/{kpiId}/retire");
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
    }
}
