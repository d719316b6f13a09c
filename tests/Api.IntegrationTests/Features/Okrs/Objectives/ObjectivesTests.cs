using System.Net;
using System.Text.Json.Nodes;
using OkrKpi.Api.Features.Okrs;
using OkrKpi.Api.Infrastructure.Http;
using OkrKpi.Api.Infrastructure.Security;

namespace OkrKpi.Api.IntegrationTests.Features.Okrs;

public sealed class ObjectivesTests : OkrTest
{
    [Test]
    public async Task Lists_the_objectives_a_kpi_is_linked_to_or_feeds_a_key_result_of_by_its_key()
    {
        var cycle = await GivenCycleAsync();
        var nps = await GivenKpiAsync("net-promoter-score");
        var defects = await GivenKpiAsync("defect-rate");
        var linked = await GivenObjectiveAsync(cycle.Id, title: "Delight customers", change: b => b["kpiIds"] = new JsonArray(nps.Id.ToString()));
        var fed = await GivenObjectiveAsync(cycle.Id, title: "Be recommended");
        await GivenKeyResultAsync(fed.Id, change: b => b["kpiId"] = nps.Id.ToString());
        await GivenObjectiveAsync(cycle.Id, title: "Fewer defects", change: b => b["kpiIds"] = new JsonArray(defects.Id.ToString()));

        var page = await ReadAsync<Page<ObjectiveResponse>>(await Api.GetAsync("/api/v1/objectives?kpiKey=NET-promoter-score"));
        var none = await ReadAsync<Page<ObjectiveResponse>>(await Api.GetAsync("/api/v1/objectives?kpiKey=no-such-kpi"));

        Assert.That(page.Items.Select(o => o.Id), Is.EquivalentTo(new[] { linked.Id, fed.Id }));
        Assert.That(none.Items, Is.Empty);
    }

    [Test]
    public async Task Creates_an_objective_owned_by_a_team_with_linked_kpis_and_no_progress_yet()
    {
        var cycle = await GivenCycleAsync();
        var team = await GivenTeamAsync("Customer success");
        var nps = await GivenKpiAsync("nps");

        var response = await PostJsonAsync("/api/v1/objectives", ObjectiveBody(cycle.Id, team.Id).Also(b => b["kpiIds"] = new JsonArray(nps.Id.ToString())));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created), await response.Content.ReadAsStringAsync());
        var objective = await ReadAsync<ObjectiveResponse>(response);
        Assert.That(response.Headers.Location?.ToString(), Is.EqualTo($"/api/v1/objectives/{objective.Id}"));
        Assert.That(response.Headers.ETag?.Tag, Is.EqualTo("\"1\""));
        Assert.That(objective.OwnerTeamId, Is.EqualTo(team.Id));
        Assert.That(objective.Status, Is.EqualTo(ObjectiveStatus.Active));
        Assert.That(objective.Kpis.Select(k => k.Key), Is.EqualTo(new[] { "nps" }));
        Assert.That(objective.Progress, Is.Null);
        Assert.That(objective.Health, Is.Null);
        Assert.That(objective.ExpectedProgress, Is.EqualTo(Q3Expected));
        Assert.That(objective.KeyResults, Is.Empty);
    }

    [Test]
    public async Task An_objective_can_be_owned_by_a_person()
    {
        var cycle = await GivenCycleAsync();

        var objective = await GivenObjectiveAsync(cycle.Id, ownerUserId: Callers.AdminId);

        Assert.That((objective.OwnerUserId, objective.OwnerTeamId), Is.EqualTo((Callers.AdminId, (Guid?)null)));
    }

    [TestCase("title", "", "title")]
    [TestCase("cycleId", null, "cycleId")]
    [TestCase("ownerTeamId", null, "ownerTeamId")]
    [TestCase("ownerUserId", "018f0000-0000-7000-8000-000000000001", "ownerUserId")]
    [TestCase("ownerTeamId", "018f0000-0000-7000-8000-0000000000ff", "ownerTeamId")]
    [TestCase("cycleId", "018f0000-0000-7000-8000-0000000000ff", "cycleId")]
    [TestCase("parentObjectiveId", "018f0000-0000-7000-8000-0000000000ff", "parentObjectiveId")]
    [TestCase("status", "finished", "status")]
    public async Task Refuses_an_invalid_objective_naming_the_field(string field, string? value, string errorField)
    {
        var cycle = await GivenCycleAsync();
        var team = await GivenTeamAsync("Sales");
        var body = ObjectiveBody(cycle.Id, team.Id);
        body[field] = value;

        var response = await PostJsonAsync("/api/v1/objectives", body);

        await FieldErrorsAsync(response, errorField);
    }

    [Test]
    public async Task Refuses_an_unknown_linked_kpi_naming_its_position()
    {
        var cycle = await GivenCycleAsync();
        var team = await GivenTeamAsync("Sales");
        var kpi = await GivenKpiAsync("nps");

        var response = await PostJsonAsync("/api/v1/objectives", ObjectiveBody(cycle.Id, team.Id)
            .Also(b => b["kpiIds"] = new JsonArray(kpi.Id.ToString(), Guid.NewGuid().ToString())));

        await FieldErrorsAsync(response, "kpiIds[1]");
    }

    [Test]
    public async Task Aligns_to_an_objective_of_the_same_or_an_enclosing_cycle_only()
    {
        var year = await GivenCycleAsync("2026", "2026-01-01", "2026-12-31");
        var q3 = await GivenCycleAsync("2026-Q3");
        var q4 = await GivenCycleAsync("2026-Q4", "2026-10-01", "2026-12-31");
        var company = await GivenObjectiveAsync(year.Id, title: "Grow revenue");
        var q4Objective = await GivenObjectiveAsync(q4.Id, title: "Launch in Spain");

        var aligned = await GivenObjectiveAsync(q3.Id, parentObjectiveId: company.Id);
        var acrossQuarters = await PostJsonAsync("/api/v1/objectives", ObjectiveBody(q3.Id, company.OwnerTeamId, parentObjectiveId: q4Objective.Id));

        Assert.That(aligned.ParentObjectiveId, Is.EqualTo(company.Id));
        await FieldErrorsAsync(acrossQuarters, "parentObjectiveId");
    }

    [Test]
    public async Task An_alignment_that_would_make_a_loop_is_a_conflict()
    {
        var cycle = await GivenCycleAsync();
        var top = await GivenObjectiveAsync(cycle.Id, title: "Top");
        var middle = await GivenObjectiveAsync(cycle.Id, top.OwnerTeamId, title: "Middle", parentObjectiveId: top.Id);
        var bottom = await GivenObjectiveAsync(cycle.Id, top.OwnerTeamId, title: "Bottom", parentObjectiveId: middle.Id);

        var loop = await PutJsonAsync($"/api/v1/objectives/{top.Id}", UpdateBodyOf(top).Also(b => b["parentObjectiveId"] = bottom.Id.ToString()), "*");
        var self = await PutJsonAsync($"/api/v1/objectives/{top.Id}", UpdateBodyOf(top).Also(b => b["parentObjectiveId"] = top.Id.ToString()), "*");

        Assert.That((await ProblemAsync(loop, HttpStatusCode.Conflict))["detail"]!.GetValue<string>(), Does.Contain("loop"));
        await ProblemAsync(self, HttpStatusCode.Conflict);
        Assert.That((await ObjectiveAsync(top.Id)).ParentObjectiveId, Is.Null);
    }

    [Test]
    public async Task Updates_with_if_match_and_refuses_stale_or_missing_versions()
    {
        var cycle = await GivenCycleAsync();
        var objective = await GivenObjectiveAsync(cycle.Id);
        var body = UpdateBodyOf(objective).Also(b => { b["title"] = "Delight customers"; b["status"] = "draft"; });

        var missing = await PutJsonAsync($"/api/v1/objectives/{objective.Id}", body, null);
        var updated = await PutJsonAsync($"/api/v1/objectives/{objective.Id}", body, "\"1\"");
        var stale = await PutJsonAsync($"/api/v1/objectives/{objective.Id}", body, "\"1\"");

        await ProblemAsync(missing, HttpStatusCode.PreconditionRequired);
        Assert.That(updated.StatusCode, Is.EqualTo(HttpStatusCode.OK), await updated.Content.ReadAsStringAsync());
        var read = await ReadAsync<ObjectiveResponse>(updated);
        Assert.That((read.Title, read.Status, read.Version), Is.EqualTo(("Delight customers", ObjectiveStatus.Draft, 2L)));
        await ProblemAsync(stale, HttpStatusCode.PreconditionFailed);
    }

    [Test]
    public async Task Lists_objectives_by_cycle_owner_status_parent_and_text_a_page_at_a_time()
    {
        var q3 = await GivenCycleAsync();
        var q4 = await GivenCycleAsync("2026-Q4", "2026-10-01", "2026-12-31");
        var sales = await GivenTeamAsync("Sales");
        var parent = await GivenObjectiveAsync(q3.Id, sales.Id, title: "Increase sales revenue");
        await GivenObjectiveAsync(q3.Id, sales.Id, title: "Open two new markets", parentObjectiveId: parent.Id);
        await GivenObjectiveAsync(q3.Id, ownerUserId: Callers.AdminId, title: "Hire a sales lead", change: b => b["status"] = "draft");
        await GivenObjectiveAsync(q4.Id, sales.Id, title: "Keep customers");

        async Task<string[]> Titles(string query) =>
            (await ReadAsync<Page<ObjectiveResponse>>(await Api.GetAsync($"/api/v1/objectives?{query}"))).Items.Select(o => o.Title).Order().ToArray();

        Assert.That(await Titles($"cycleId={q3.Id}"), Is.EqualTo(new[] { "Hire a sales lead", "Increase sales revenue", "Open two new markets" }));
        Assert.That(await Titles($"ownerTeamId={sales.Id}&cycleId={q3.Id}"), Is.EqualTo(new[] { "Increase sales revenue", "Open two new markets" }));
        Assert.That(await Titles($"ownerUserId={Callers.AdminId}"), Is.EqualTo(new[] { "Hire a sales lead" }));
        Assert.That(await Titles("status=draft"), Is.EqualTo(new[] { "Hire a sales lead" }));
        Assert.That(await Titles($"parentObjectiveId={parent.Id}"), Is.EqualTo(new[] { "Open two new markets" }));
        Assert.That(await Titles("q=SALES"), Is.EqualTo(new[] { "Hire a sales lead", "Increase sales revenue" }));

        var first = await ReadAsync<Page<ObjectiveResponse>>(await Api.GetAsync("/api/v1/objectives?limit=3"));
        var second = await ReadAsync<Page<ObjectiveResponse>>(await Api.GetAsync($"/api/v1/objectives?limit=3&cursor={first.NextCursor}"));
        Assert.That(first.Items.Concat(second.Items).Select(o => o.Id).Distinct().Count(), Is.EqualTo(4));
        Assert.That(second.NextCursor, Is.Null);
        await FieldErrorsAsync(await Api.GetAsync("/api/v1/objectives?status=done"), "status");
        await FieldErrorsAsync(await Api.GetAsync("/api/v1/objectives?cursor=nonsense"), "cursor");
    }

    [Test]
    public async Task Delete_refuses_an_objective_with_key_results_unless_cascading()
    {
        var cycle = await GivenCycleAsync();
        var objective = await GivenObjectiveAsync(cycle.Id);
        var keyResult = await GivenKeyResultAsync(objective.Id);
        Assert.That((await CheckInAsync(keyResult.Id, 35)).StatusCode, Is.EqualTo(HttpStatusCode.Created));

        var refused = await SendAsync(HttpMethod.Delete, $"/api/v1/objectives/{objective.Id}");
        var stale = await SendAsync(HttpMethod.Delete, $"/api/v1/objectives/{objective.Id}?cascade=true", "\"7\"");
        var deleted = await SendAsync(HttpMethod.Delete, $"/api/v1/objectives/{objective.Id}?cascade=true", "\"1\"");

        await ProblemAsync(refused, HttpStatusCode.Conflict);
        await ProblemAsync(stale, HttpStatusCode.PreconditionFailed);
        Assert.That(deleted.StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
        await ProblemAsync(await Api.GetAsync($"/api/v1/objectives/{objective.Id}"), HttpStatusCode.NotFound);
        await ProblemAsync(await Api.GetAsync($"/api/v1/key-results/{keyResult.Id}"), HttpStatusCode.NotFound);
    }

    [Test]
    public async Task Delete_refuses_an_objective_others_align_to_and_deletes_an_empty_one()
    {
        var cycle = await GivenCycleAsync();
        var parent = await GivenObjectiveAsync(cycle.Id);
        var child = await GivenObjectiveAsync(cycle.Id, parent.OwnerTeamId, parentObjectiveId: parent.Id);

        var refused = await SendAsync(HttpMethod.Delete, $"/api/v1/objectives/{parent.Id}?cascade=true");
        var childDeleted = await SendAsync(HttpMethod.Delete, $"/api/v1/objectives/{child.Id}");
        var parentDeleted = await SendAsync(HttpMethod.Delete, $"/api/v1/objectives/{parent.Id}");

        await ProblemAsync(refused, HttpStatusCode.Conflict);
        Assert.That(childDeleted.StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
        Assert.That(parentDeleted.StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
    }

    [Test]
    public async Task An_editor_of_another_team_cannot_change_this_teams_objective()
    {
        var cycle = await GivenCycleAsync();
        var sales = await GivenTeamAsync("Sales");
        var support = await GivenTeamAsync("Support");
        var objective = await GivenObjectiveAsync(cycle.Id, sales.Id);
        var supportEditor = await Callers.GivenPersonClientAsync(Role.Editor, support.Id);
        var salesEditor = await Callers.GivenPersonClientAsync(Role.Editor, sales.Id);

        var refused = await PutAsync(supportEditor, $"/api/v1/objectives/{objective.Id}", UpdateBodyOf(objective).Also(b => b["title"] = "Mine now"), "*");
        var deleteRefused = await supportEditor.DeleteAsync($"/api/v1/objectives/{objective.Id}");
        var createRefused = await supportEditor.PostAsync("/api/v1/objectives", JsonBody(ObjectiveBody(cycle.Id, sales.Id)));
        var stealRefused = await PutAsync(salesEditor, $"/api/v1/objectives/{objective.Id}", UpdateBodyOf(objective).Also(b => b["ownerTeamId"] = support.Id.ToString()), "*");
        var allowed = await PutAsync(salesEditor, $"/api/v1/objectives/{objective.Id}", UpdateBodyOf(objective).Also(b => b["title"] = "Ours"), "*");

        await ProblemAsync(refused, HttpStatusCode.Forbidden);
        await ProblemAsync(deleteRefused, HttpStatusCode.Forbidden);
        await ProblemAsync(createRefused, HttpStatusCode.Forbidden);
        await ProblemAsync(stealRefused, HttpStatusCode.Forbidden);
        Assert.That(allowed.StatusCode, Is.EqualTo(HttpStatusCode.OK), await allowed.Content.ReadAsStringAsync());
    }

    [Test]
    public async Task An_editor_writes_objectives_it_owns_as_a_person()
    {
        var cycle = await GivenCycleAsync();
        var editorId = await Callers.GivenUserAsync(Role.Editor);
        var editor = await Callers.GivenTokenClientAsync(editorId, [Scopes.OkrsRead, Scopes.OkrsWrite]);

        var own = await editor.PostAsync("/api/v1/objectives", JsonBody(ObjectiveBody(cycle.Id, ownerUserId: editorId)));
        var someoneElses = await editor.PostAsync("/api/v1/objectives", JsonBody(ObjectiveBody(cycle.Id, ownerUserId: Callers.AdminId)));

        Assert.That(own.StatusCode, Is.EqualTo(HttpStatusCode.Created), await own.Content.ReadAsStringAsync());
        await ProblemAsync(someoneElses, HttpStatusCode.Forbidden);
    }

    [Test]
    public async Task Viewers_and_kpi_only_tokens_cannot_write_objectives_and_kpi_only_tokens_cannot_read_them()
    {
        var cycle = await GivenCycleAsync();
        var team = await GivenTeamAsync("Sales");
        var objective = await GivenObjectiveAsync(cycle.Id, team.Id);
        var viewer = await Callers.GivenPersonClientAsync(Role.Viewer, team.Id);
        var kpisOnly = await Callers.GivenTokenClientAsync(Callers.AdminId, [Scopes.KpisRead, Scopes.KpisWrite, Scopes.MeasurementsWrite]);
        var okrsWrite = await Callers.GivenTokenClientAsync(await Callers.GivenUserAsync(Role.Editor, [team.Id]), [Scopes.OkrsRead, Scopes.OkrsWrite]);

        await ProblemAsync(await viewer.PostAsync("/api/v1/objectives", JsonBody(ObjectiveBody(cycle.Id, team.Id))), HttpStatusCode.Forbidden);
        Assert.That((await viewer.GetAsync($"/api/v1/objectives/{objective.Id}")).StatusCode, Is.EqualTo(HttpStatusCode.OK));
        await ProblemAsync(await kpisOnly.PostAsync("/api/v1/objectives", JsonBody(ObjectiveBody(cycle.Id, team.Id))), HttpStatusCode.Forbidden);
        await ProblemAsync(await kpisOnly.GetAsync($"/api/v1/objectives/{objective.Id}"), HttpStatusCode.Forbidden);
        Assert.That((await okrsWrite.PostAsync("/api/v1/objectives", JsonBody(ObjectiveBody(cycle.Id, team.Id)))).StatusCode, Is.EqualTo(HttpStatusCode.Created));
    }

    [Test]
    public async Task My_okrs_are_those_i_or_my_teams_own_or_hold_a_key_result_of_in_active_cycles()
    {
        var cycle = await GivenCycleAsync();
        var planning = await GivenCycleAsync("2026-Q4", "2026-10-01", "2026-12-31", activate: false);
        var sales = await GivenTeamAsync("Sales");
        var support = await GivenTeamAsync("Support");
        var userId = await Callers.GivenUserAsync(Role.Editor, [sales.Id]);
        var me = await Callers.GivenTokenClientAsync(userId, [Scopes.OkrsRead]);
        await GivenObjectiveAsync(cycle.Id, sales.Id, title: "Team objective");
        await GivenObjectiveAsync(cycle.Id, ownerUserId: userId, title: "Personal objective");
        var supportObjective = await GivenObjectiveAsync(cycle.Id, support.Id, title: "Support objective with my key result");
        await GivenKeyResultAsync(supportObjective.Id, change: b => b["ownerUserId"] = userId.ToString());
        await GivenObjectiveAsync(cycle.Id, support.Id, title: "Not mine");
        await GivenObjectiveAsync(planning.Id, sales.Id, title: "Next quarter");

        var mine = await ReadAsync<Page<ObjectiveResponse>>(await me.GetAsync("/api/v1/okrs/mine"));
        var nextQuarter = await ReadAsync<Page<ObjectiveResponse>>(await me.GetAsync($"/api/v1/okrs/mine?cycleId={planning.Id}"));

        Assert.That(mine.Items.Select(o => o.Title).Order(), Is.EqualTo(new[] { "Personal objective", "Support objective with my key result", "Team objective" }));
        Assert.That(nextQuarter.Items.Select(o => o.Title), Is.EqualTo(new[] { "Next quarter" }));
    }

    [Test]
    public async Task Objectives_of_a_closed_cycle_cannot_change()
    {
        var cycle = await GivenCycleAsync();
        var objective = await GivenObjectiveAsync(cycle.Id);
        await Api.PostAsync($"/api/v1/cycles/{cycle.Id}/close", null);

        var update = await PutJsonAsync($"/api/v1/objectives/{objective.Id}", UpdateBodyOf(objective), "*");
        var create = await PostJsonAsync("/api/v1/objectives", ObjectiveBody(cycle.Id, objective.OwnerTeamId));
        var delete = await SendAsync(HttpMethod.Delete, $"/api/v1/objectives/{objective.Id}");

        await ProblemAsync(update, HttpStatusCode.Conflict);
        await ProblemAsync(create, HttpStatusCode.Conflict);
        await ProblemAsync(delete, HttpStatusCode.Conflict);
    }
}

internal static class JsonObjectExtensions
{
    public static JsonObject Also(this JsonObject body, Action<JsonObject> change)
    {
        change(body);
        return body;
    }
}
