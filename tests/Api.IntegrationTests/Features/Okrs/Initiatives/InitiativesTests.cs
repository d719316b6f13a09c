using System.Net;
using System.Text.Json.Nodes;
using OkrKpi.Api.Features.Okrs;
using OkrKpi.Api.Infrastructure.Http;
using OkrKpi.Api.Infrastructure.Security;

namespace OkrKpi.Api.IntegrationTests.Features.Okrs;

public sealed class InitiativesTests : OkrTest
{
    [Test]
    public async Task Creates_lists_updates_and_deletes_initiatives_under_a_key_result()
    {
        var cycle = await GivenCycleAsync();
        var keyResult = await GivenKeyResultAsync((await GivenObjectiveAsync(cycle.Id)).Id);
        var url = $"/api/v1/key-results/{keyResult.Id}/initiatives";

        var created = await PostJsonAsync(url, new JsonObject { ["title"] = "Survey wave 2", ["externalUrl"] = "https://jira.example.com/browse/CS-12" });
        var initiative = await ReadAsync<InitiativeResponse>(created);
        var updated = await PutJsonAsync($"/api/v1/initiatives/{initiative.Id}",
            new JsonObject { ["title"] = "Survey wave 2", ["status"] = "inProgress", ["externalUrl"] = null }, "\"1\"");
        var stale = await PutJsonAsync($"/api/v1/initiatives/{initiative.Id}", new JsonObject { ["title"] = "x", ["status"] = "done" }, "\"1\"");
        var listed = await ReadAsync<Page<InitiativeResponse>>(await Api.GetAsync(url));
        var deleted = await SendAsync(HttpMethod.Delete, $"/api/v1/initiatives/{initiative.Id}", "\"2\"");

        Assert.That(created.StatusCode, Is.EqualTo(HttpStatusCode.Created));
        Assert.That((initiative.Status, initiative.ExternalUrl), Is.EqualTo((InitiativeStatus.Planned, "https://jira.example.com/browse/CS-12")));
        Assert.That((await ReadAsync<InitiativeResponse>(updated)).Status, Is.EqualTo(InitiativeStatus.InProgress));
        await ProblemAsync(stale, HttpStatusCode.PreconditionFailed);
        Assert.That(listed.Items.Select(i => (i.Title, i.ExternalUrl)), Is.EqualTo(new[] { ("Survey wave 2", (string?)null) }));
        Assert.That(deleted.StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
        await ProblemAsync(await Api.GetAsync($"/api/v1/initiatives/{initiative.Id}"), HttpStatusCode.NotFound);
    }

    [Test]
    public async Task An_objective_takes_initiatives_of_its_own_beside_those_of_its_key_results()
    {
        var cycle = await GivenCycleAsync();
        var objective = await GivenObjectiveAsync(cycle.Id);
        var keyResult = await GivenKeyResultAsync(objective.Id);
        await PostJsonAsync($"/api/v1/key-results/{keyResult.Id}/initiatives", new JsonObject { ["title"] = "Survey wave 2" });
        var url = $"/api/v1/objectives/{objective.Id}/initiatives";

        var created = await PostJsonAsync(url, new JsonObject { ["title"] = "Customer advisory board", ["status"] = "inProgress" });
        var second = await PostJsonAsync(url, new JsonObject { ["title"] = "Onboarding calls" });
        var invalid = await PostJsonAsync(url, new JsonObject { ["title"] = "" });
        var unknown = await PostJsonAsync($"/api/v1/objectives/{Guid.NewGuid()}/initiatives", new JsonObject { ["title"] = "x" });
        var initiative = await ReadAsync<InitiativeResponse>(created);
        var updated = await PutJsonAsync($"/api/v1/initiatives/{initiative.Id}", new JsonObject { ["title"] = "Customer advisory board", ["status"] = "done" }, "\"1\"");
        var listed = await ReadAsync<Page<InitiativeResponse>>(await Api.GetAsync(url));
        var deleteObjective = await SendAsync(HttpMethod.Delete, $"/api/v1/objectives/{objective.Id}?cascade=true", null);

        Assert.That(created.StatusCode, Is.EqualTo(HttpStatusCode.Created), await created.Content.ReadAsStringAsync());
        Assert.That((initiative.ObjectiveId, initiative.KeyResultId, initiative.Status), Is.EqualTo(((Guid?)objective.Id, (Guid?)null, InitiativeStatus.InProgress)));
        Assert.That(second.StatusCode, Is.EqualTo(HttpStatusCode.Created));
        await FieldErrorsAsync(invalid, "title");
        await ProblemAsync(unknown, HttpStatusCode.NotFound);
        Assert.That((await ReadAsync<InitiativeResponse>(updated)).Status, Is.EqualTo(InitiativeStatus.Done));
        Assert.That(listed.Items.Select(i => i.Title), Is.EqualTo(new[] { "Customer advisory board", "Onboarding calls" }));
        Assert.That(deleteObjective.StatusCode, Is.EqualTo(HttpStatusCode.NoContent), await deleteObjective.Content.ReadAsStringAsync());
        await ProblemAsync(await Api.GetAsync($"/api/v1/initiatives/{initiative.Id}"), HttpStatusCode.NotFound);
    }

    [Test]
    public async Task Lists_initiatives_in_the_order_they_were_added_in_though_created_at_one_instant()
    {
        var cycle = await GivenCycleAsync();
        var keyResult = await GivenKeyResultAsync((await GivenObjectiveAsync(cycle.Id)).Id);
        var url = $"/api/v1/key-results/{keyResult.Id}/initiatives";
        var titles = Enumerable.Range(1, 12).Select(i => $"Initiative {i:00}").ToList();
        foreach (var title in titles)
        {
            var created = await PostJsonAsync(url, new JsonObject { ["title"] = title });
            Assert.That(created.StatusCode, Is.EqualTo(HttpStatusCode.Created), await created.Content.ReadAsStringAsync());
        }

        var listed = await ReadAsync<Page<InitiativeResponse>>(await Api.GetAsync(url));

        Assert.That(listed.Items.Select(i => i.CreatedAt).Distinct().Count(), Is.EqualTo(1), "the clock is pinned");
        Assert.That(listed.Items.Select(i => i.Title), Is.EqualTo(titles));
    }

    [TestCase("title", "", "title")]
    [TestCase("externalUrl", "ftp://example.com/x", "externalUrl")]
    [TestCase("externalUrl", "/relative/path", "externalUrl")]
    [TestCase("status", "cancelled", "status")]
    public async Task Refuses_an_invalid_initiative_naming_the_field(string field, string value, string errorField)
    {
        var cycle = await GivenCycleAsync();
        var keyResult = await GivenKeyResultAsync((await GivenObjectiveAsync(cycle.Id)).Id);
        var body = new JsonObject { ["title"] = "Survey", ["status"] = "planned" };
        body[field] = value;

        await FieldErrorsAsync(await PostJsonAsync($"/api/v1/key-results/{keyResult.Id}/initiatives", body), errorField);
    }

    [Test]
    public async Task Another_teams_editor_cannot_add_initiatives()
    {
        var cycle = await GivenCycleAsync();
        var keyResult = await GivenKeyResultAsync((await GivenObjectiveAsync(cycle.Id)).Id);
        var other = await GivenTeamAsync("Other");
        var editor = await Callers.GivenPersonClientAsync(Role.Editor, other.Id);

        var refused = await editor.PostAsync($"/api/v1/key-results/{keyResult.Id}/initiatives", JsonBody(new JsonObject { ["title"] = "Mine" }));

        await ProblemAsync(refused, HttpStatusCode.Forbidden);
    }
}

public sealed class ScoresAndCarryOverTests : OkrTest
{
    [Test]
    public async Task A_score_is_edited_only_after_close_with_a_note_and_survives_reopening()
    {
        var cycle = await GivenCycleAsync();
        var objective = await GivenObjectiveAsync(cycle.Id);
        var keyResult = await GivenKeyResultAsync(objective.Id, 0, 10);
        await CheckInAsync(keyResult.Id, 6);
        var url = $"/api/v1/objectives/{objective.Id}/score";

        var early = await PutJsonAsync(url, new JsonObject { ["score"] = 0.7, ["note"] = "Hit the harder part" }, "*");
        await Api.PostAsync($"/api/v1/cycles/{cycle.Id}/close", null);
        var atClose = await ObjectiveAsync(objective.Id);
        var noNote = await PutJsonAsync(url, new JsonObject { ["score"] = 0.7 }, "*");
        var tooHigh = await PutJsonAsync(url, new JsonObject { ["score"] = 1.2, ["note"] = "x" }, "*");
        var scored = await PutJsonAsync(url, new JsonObject { ["score"] = 0.7, ["note"] = "Hit the harder part" }, $"\"{atClose.Version}\"");
        await Api.PostAsync($"/api/v1/cycles/{cycle.Id}/reopen", null);
        var reopened = await ObjectiveAsync(objective.Id);

        await ProblemAsync(early, HttpStatusCode.Conflict);
        Assert.That(atClose.Score, Is.EqualTo(0.6m));
        await FieldErrorsAsync(noNote, "note");
        await FieldErrorsAsync(tooHigh, "score");
        Assert.That(scored.StatusCode, Is.EqualTo(HttpStatusCode.OK), await scored.Content.ReadAsStringAsync());
        var edited = await ReadAsync<ObjectiveResponse>(scored);
        Assert.That((edited.Score, edited.ScoreNote), Is.EqualTo(((decimal?)0.7m, "Hit the harder part")));
        Assert.That(reopened.Score, Is.EqualTo(0.7m));
        await using var connection = await ApiFixture.Database.OpenAsync();
        var audited = await Dapper.SqlMapper.ExecuteScalarAsync<long>(connection,
            "SELECT COUNT(*) FROM AuditEntry WHERE Entity = 'objective' AND EntityId = @Id AND Action = 'score'", new { Id = objective.Id.ToString() });
        Assert.That(audited, Is.EqualTo(1));
    }

    [Test]
    public async Task Carries_an_objective_with_the_chosen_key_results_into_the_next_cycle()
    {
        var q3 = await GivenCycleAsync();
        var q4 = await GivenCycleAsync("2026-Q4", "2026-10-01", "2026-12-31", activate: false);
        var year = await GivenCycleAsync("2026", "2026-01-01", "2026-12-31");
        var company = await GivenObjectiveAsync(year.Id, title: "Grow");
        var kpi = await GivenKpiAsync("nps");
        var objective = await GivenObjectiveAsync(q3.Id, company.OwnerTeamId, parentObjectiveId: company.Id,
            change: b => b["kpiIds"] = new JsonArray(kpi.Id.ToString()));
        var keep = await GivenKeyResultAsync(objective.Id, 0, 10);
        var drop = await GivenKeyResultAsync(objective.Id, 0, 5);
        await CheckInAsync(keep.Id, 4);
        await Api.PostAsync($"/api/v1/cycles/{q3.Id}/close", null);

        var response = await PostJsonAsync($"/api/v1/objectives/{objective.Id}/carry-over",
            new JsonObject { ["cycleId"] = q4.Id.ToString(), ["keyResultIds"] = new JsonArray(keep.Id.ToString()) });
        var backwards = await PostJsonAsync($"/api/v1/objectives/{objective.Id}/carry-over",
            new JsonObject { ["cycleId"] = q3.Id.ToString(), ["keyResultIds"] = new JsonArray() });
        var foreign = await PostJsonAsync($"/api/v1/objectives/{objective.Id}/carry-over",
            new JsonObject { ["cycleId"] = q4.Id.ToString(), ["keyResultIds"] = new JsonArray(drop.Id.ToString(), Guid.NewGuid().ToString()) });

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created), await response.Content.ReadAsStringAsync());
        var carried = await ReadAsync<ObjectiveResponse>(response);
        Assert.That((carried.CycleId, carried.Title, carried.CarriedFromObjectiveId, carried.ParentObjectiveId),
            Is.EqualTo((q4.Id, objective.Title, (Guid?)objective.Id, (Guid?)company.Id)));
        Assert.That(carried.Kpis.Select(k => k.Key), Is.EqualTo(new[] { "nps" }));
        Assert.That(carried.KeyResults.Select(k => (k.Title, k.StartValue, k.TargetValue, k.CurrentValue)),
            Is.EqualTo(new[] { (keep.Title, 0m, 10m, (decimal?)4m) }));
        Assert.That(carried.KeyResults[0].Id, Is.Not.EqualTo(keep.Id));
        await FieldErrorsAsync(backwards, "cycleId");
        await FieldErrorsAsync(foreign, "keyResultIds[1]");
    }
}
