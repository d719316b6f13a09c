using System.Net;
using System.Text.Json.Nodes;
using OkrKpi.Api.Features.Okrs;
using OkrKpi.Api.Infrastructure.Http;
using OkrKpi.Api.Infrastructure.Security;

namespace OkrKpi.Api.IntegrationTests.Features.Okrs;

public sealed class KeyResultsTests : OkrTest
{
    [Test]
    public async Task Creates_a_key_result_owned_like_its_objective_starting_at_its_start_value()
    {
        var cycle = await GivenCycleAsync();
        var objective = await GivenObjectiveAsync(cycle.Id);

        var response = await PostJsonAsync($"/api/v1/objectives/{objective.Id}/key-results", KeyResultBody().Also(b => b["unit"] = "points"));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created), await response.Content.ReadAsStringAsync());
        var keyResult = await ReadAsync<KeyResultResponse>(response);
        Assert.That(response.Headers.Location?.ToString(), Is.EqualTo($"/api/v1/key-results/{keyResult.Id}"));
        Assert.That((keyResult.Type, keyResult.Direction, keyResult.CurrentValue, keyResult.Weight, keyResult.Progress),
            Is.EqualTo((KeyResultType.Number, KeyResultDirection.Increase, (decimal?)31m, 1m, 0m)));
        Assert.That(keyResult.OwnerTeamId, Is.EqualTo(objective.OwnerTeamId));
        Assert.That(keyResult.CurrentValueSource, Is.EqualTo(CurrentValueSource.CheckIn));
        Assert.That(keyResult.ExpectedProgress, Is.EqualTo(Q3Expected));
        Assert.That(keyResult.Health, Is.EqualTo(OkrHealth.AtRisk));
        Assert.That((await ObjectiveAsync(objective.Id)).Progress, Is.EqualTo(0m));
    }

    [Test]
    public async Task Key_results_keep_the_order_they_were_added_in_within_one_instant_and_when_carried_over()
    {
        var q3 = await GivenCycleAsync();
        var q4 = await GivenCycleAsync("2026-Q4", "2026-10-01", "2026-12-31", activate: false);
        var objective = await GivenObjectiveAsync(q3.Id);
        var titles = Enumerable.Range(1, 24).Select(i => $"Key result {i:00}").ToList();
        var added = new List<KeyResultResponse>();
        foreach (var title in titles)   // the clock is pinned: every one is created at the same instant
            added.Add(await GivenKeyResultAsync(objective.Id, change: b => b["title"] = title));

        // Named in reverse: the copies follow the objective's order, not the request's. A carry-over writes every copy
        // within one instant, in one transaction.
        var response = await PostJsonAsync($"/api/v1/objectives/{objective.Id}/carry-over",
            new JsonObject { ["cycleId"] = q4.Id.ToString(), ["keyResultIds"] = new JsonArray(added.AsEnumerable().Reverse().Select(k => (JsonNode)k.Id.ToString()).ToArray()) });
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created), await response.Content.ReadAsStringAsync());
        var carried = await ReadAsync<ObjectiveResponse>(response);
        var matrix = await ReadAsync<JsonObject>(await Api.GetAsync($"/api/v1/cycles/{q4.Id}/matrix"));

        Assert.That(added.Select(k => k.CreatedAt).Distinct().Count(), Is.EqualTo(1), "one instant for all");
        Assert.That((await ObjectiveAsync(objective.Id)).KeyResults.Select(k => k.Title), Is.EqualTo(titles));
        Assert.That(carried.KeyResults.Select(k => k.Title), Is.EqualTo(titles));
        Assert.That(matrix["objectives"]![0]!["keyResults"]!.AsArray().Select(k => k!["title"]!.GetValue<string>()), Is.EqualTo(titles));
    }

    [TestCase("title", "", "title")]
    [TestCase("type", "boolean", "type")]
    [TestCase("targetValue", null, "targetValue")]
    [TestCase("weight", 0, "weight")]
    [TestCase("weight", -1, "weight")]
    [TestCase("startValue", 0.0000000000001, "startValue")]
    [TestCase("direction", "decrease", "direction")]
    [TestCase("kpiKey", "no-such-kpi", "kpiKey")]
    [TestCase("kpiId", "018f0000-0000-7000-8000-0000000000ff", "kpiId")]
    [TestCase("ownerUserId", "018f0000-0000-7000-8000-0000000000ff", "ownerUserId")]
    public async Task Refuses_an_invalid_key_result_naming_the_field(string field, object? value, string errorField)
    {
        var cycle = await GivenCycleAsync();
        var objective = await GivenObjectiveAsync(cycle.Id);
        var body = KeyResultBody();
        body[field] = value switch { null => null, string s => s, int i => i, double d => (decimal)d, _ => throw new ArgumentException() };

        var response = await PostJsonAsync($"/api/v1/objectives/{objective.Id}/key-results", body);

        await FieldErrorsAsync(response, errorField);
    }

    [Test]
    public async Task A_milestone_goes_from_0_to_1_and_takes_only_0_or_1()
    {
        var cycle = await GivenCycleAsync();
        var objective = await GivenObjectiveAsync(cycle.Id);
        var milestone = await GivenKeyResultAsync(objective.Id, change: b =>
        {
            b["type"] = "milestone";
            b.Remove("startValue");
            b.Remove("targetValue");
        });

        var half = await CheckInAsync(milestone.Id, 0.5m);
        var done = await CheckInAsync(milestone.Id, 1);

        Assert.That((milestone.StartValue, milestone.TargetValue, milestone.CurrentValue), Is.EqualTo((0m, 1m, (decimal?)0m)));
        await FieldErrorsAsync(half, "value");
        Assert.That(done.StatusCode, Is.EqualTo(HttpStatusCode.Created));
        Assert.That((await KeyResultAsync(milestone.Id)).Progress, Is.EqualTo(1m));
    }

    [Test]
    public async Task A_kpi_push_moves_the_linked_key_result_and_its_objective_at_once()
    {
        var cycle = await GivenCycleAsync();
        var objective = await GivenObjectiveAsync(cycle.Id);
        await GivenKpiAsync("defect-rate");
        var defects = await GivenKeyResultAsync(objective.Id, change: b =>
        {
            b["title"] = "Cut the defect rate from 5 % to 2 %";
            b["startValue"] = 5;
            b["targetValue"] = 2;
            b["kpiKey"] = "defect-rate";
        });
        await GivenKeyResultAsync(objective.Id);

        var before = await ObjectiveAsync(objective.Id);
        Assert.That((await PushValueAsync("defect-rate", 3.5m, "2026-07-14")).IsSuccessStatusCode, Is.True);
        var afterFirst = await ObjectiveAsync(objective.Id);
        Assert.That((await PushValueAsync("defect-rate", 2.6m, "2026-07-15")).IsSuccessStatusCode, Is.True);
        var afterSecond = await ObjectiveAsync(objective.Id);

        Assert.That(defects.Direction, Is.EqualTo(KeyResultDirection.Decrease));
        Assert.That(defects.KpiKey, Is.EqualTo("defect-rate"));
        Assert.That((before.KeyResults[0].CurrentValue, before.KeyResults[0].Progress, before.Progress), Is.EqualTo(((decimal?)null, 0m, (decimal?)0m)));
        Assert.That((afterFirst.KeyResults[0].CurrentValue, afterFirst.KeyResults[0].Progress, afterFirst.Progress), Is.EqualTo(((decimal?)3.5m, 0.5m, (decimal?)0.25m)));
        Assert.That((afterSecond.KeyResults[0].CurrentValue, afterSecond.KeyResults[0].Progress, afterSecond.Progress), Is.EqualTo(((decimal?)2.6m, 0.8m, (decimal?)0.4m)));
        Assert.That(afterSecond.KeyResults[0].CurrentValueSource, Is.EqualTo(CurrentValueSource.Kpi));
    }

    [Test]
    public async Task A_kpi_linked_key_result_refuses_a_value_of_its_own_in_check_ins_and_at_creation()
    {
        var cycle = await GivenCycleAsync();
        var objective = await GivenObjectiveAsync(cycle.Id);
        var kpi = await GivenKpiAsync("defect-rate");
        var linked = await GivenKeyResultAsync(objective.Id, 5, 2, b => b["kpiId"] = kpi.Id.ToString());

        var checkIn = await CheckInAsync(linked.Id, 3);
        var beforeAnyValue = await CheckInAsync(linked.Id, null, 5, "waiting for the first line report");
        var withCurrent = await PostJsonAsync($"/api/v1/objectives/{objective.Id}/key-results",
            KeyResultBody().Also(b => { b["kpiId"] = kpi.Id.ToString(); b["currentValue"] = 40; }));

        await FieldErrorsAsync(checkIn, "value");
        await ProblemAsync(beforeAnyValue, HttpStatusCode.Conflict);
        await FieldErrorsAsync(withCurrent, "currentValue");
    }

    [Test]
    public async Task A_check_in_on_a_kpi_fed_key_result_carries_confidence_and_note_with_the_kpis_value()
    {
        var cycle = await GivenCycleAsync();
        var objective = await GivenObjectiveAsync(cycle.Id);
        await GivenKpiAsync("defect-rate");
        var linked = await GivenKeyResultAsync(objective.Id, 5, 2, b => b["kpiKey"] = "defect-rate");
        await PushValueAsync("defect-rate", 3.5m, "2026-07-14");

        var response = await CheckInAsync(linked.Id, null, 4, "line 3 still scrapping");
        await PushValueAsync("defect-rate", 3m, "2026-07-15");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created), await response.Content.ReadAsStringAsync());
        var checkIn = await ReadAsync<CheckInResponse>(response);
        Assert.That((checkIn.Value, checkIn.ValueSource, checkIn.Confidence, checkIn.Note), Is.EqualTo((3.5m, CurrentValueSource.Kpi, (int?)4, "line 3 still scrapping")));
        var history = await ReadAsync<Page<CheckInResponse>>(await Api.GetAsync($"/api/v1/key-results/{linked.Id}/check-ins"));
        Assert.That(history.Items.Select(c => (c.Value, c.ValueSource, c.Note)), Is.EqualTo(new[] { (3.5m, CurrentValueSource.Kpi, (string?)"line 3 still scrapping") }));
        var read = await KeyResultAsync(linked.Id);
        Assert.That((read.CurrentValue, read.CurrentValueSource, read.LastCheckInAt), Is.EqualTo(((decimal?)3m, CurrentValueSource.Kpi, (DateTimeOffset?)Now)));
    }

    [Test]
    public async Task Check_ins_set_the_current_value_and_are_listed_newest_first_a_page_at_a_time()
    {
        var cycle = await GivenCycleAsync();
        var objective = await GivenObjectiveAsync(cycle.Id);
        var keyResult = await GivenKeyResultAsync(objective.Id);

        var first = await CheckInAsync(keyResult.Id, 33, 6, "slow start");
        await CheckInAsync(keyResult.Id, 36, 7);
        await CheckInAsync(keyResult.Id, 38, null);
        var invalid = await CheckInAsync(keyResult.Id, 40, 11);

        Assert.That(first.StatusCode, Is.EqualTo(HttpStatusCode.Created));
        var created = await ReadAsync<CheckInResponse>(first);
        Assert.That((created.Value, created.Confidence, created.Note, created.Author, created.AuthorId),
            Is.EqualTo((33m, (int?)6, "slow start", "token:a0a0a0a0a0a0a0a0", (Guid?)Callers.AdminId)));
        await FieldErrorsAsync(invalid, "confidence");
        var page1 = await ReadAsync<Page<CheckInResponse>>(await Api.GetAsync($"/api/v1/key-results/{keyResult.Id}/check-ins?limit=2"));
        var page2 = await ReadAsync<Page<CheckInResponse>>(await Api.GetAsync($"/api/v1/key-results/{keyResult.Id}/check-ins?limit=2&cursor={page1.NextCursor}"));
        Assert.That(page1.Items.Select(c => c.Value).Concat(page2.Items.Select(c => c.Value)), Is.EqualTo(new[] { 38m, 36m, 33m }));
        Assert.That(page2.NextCursor, Is.Null);
        var read = await KeyResultAsync(keyResult.Id);
        Assert.That((read.CurrentValue, read.Progress, read.LastCheckInAt), Is.EqualTo(((decimal?)38m, 0.5m, (DateTimeOffset?)ApiFixture.Clock.GetUtcNow())));
        await ProblemAsync(await Api.GetAsync($"/api/v1/key-results/{Guid.NewGuid()}/check-ins"), HttpStatusCode.NotFound);
    }

    [Test]
    public async Task A_key_result_without_a_check_in_for_longer_than_the_configured_days_is_stale_and_never_on_track()
    {
        var cycle = await GivenCycleAsync();
        var objective = await GivenObjectiveAsync(cycle.Id);
        var keyResult = await GivenKeyResultAsync(objective.Id, 0, 100);
        await CheckInAsync(keyResult.Id, 60);
        {
            ApiFixture.Clock.Advance(TimeSpan.FromDays(14));
            var fresh = await KeyResultAsync(keyResult.Id);
            ApiFixture.Clock.Advance(TimeSpan.FromHours(1));
            var stale = await ObjectiveAsync(objective.Id);
            await CheckInAsync(keyResult.Id, 61);
            var checkedIn = await KeyResultAsync(keyResult.Id);

            Assert.That((fresh.Stale, fresh.Health), Is.EqualTo((false, OkrHealth.OnTrack)));
            Assert.That((stale.KeyResults[0].Stale, stale.KeyResults[0].Health), Is.EqualTo((true, OkrHealth.AtRisk)));
            Assert.That((stale.Stale, stale.Health), Is.EqualTo((true, (OkrHealth?)OkrHealth.AtRisk)));
            Assert.That((checkedIn.Stale, checkedIn.Health), Is.EqualTo((false, OkrHealth.OnTrack)));
        }
    }

    [Test]
    public async Task A_kpi_linked_key_result_goes_stale_when_its_kpi_is_not_measured()
    {
        var cycle = await GivenCycleAsync();
        var objective = await GivenObjectiveAsync(cycle.Id);
        await GivenKpiAsync("defect-rate");
        var keyResult = await GivenKeyResultAsync(objective.Id, 5, 2, b => b["kpiKey"] = "defect-rate");
        await PushValueAsync("defect-rate", 2, "2026-07-14");
        {
            ApiFixture.Clock.Advance(TimeSpan.FromDays(15));
            var stale = await KeyResultAsync(keyResult.Id);
            await PushValueAsync("defect-rate", 2, "2026-07-29");
            var measured = await KeyResultAsync(keyResult.Id);

            Assert.That((stale.Progress, stale.Stale, stale.Health), Is.EqualTo((1m, true, OkrHealth.AtRisk)));
            Assert.That((measured.Stale, measured.Health), Is.EqualTo((false, OkrHealth.OnTrack)));
        }
    }

    [Test]
    public async Task Nothing_is_stale_or_started_before_the_cycle_begins()
    {
        var cycle = await GivenCycleAsync("2026-Q4", "2026-10-01", "2026-12-31");
        var objective = await GivenObjectiveAsync(cycle.Id);
        var keyResult = await GivenKeyResultAsync(objective.Id);

        Assert.That((keyResult.Health, keyResult.Stale, keyResult.ExpectedProgress), Is.EqualTo((OkrHealth.NotStarted, false, 0m)));
        Assert.That((await ObjectiveAsync(objective.Id)).Health, Is.EqualTo(OkrHealth.NotStarted));
    }

    [Test]
    public async Task Closing_the_cycle_freezes_key_results_and_scores_objectives_by_their_progress()
    {
        var cycle = await GivenCycleAsync();
        var objective = await GivenObjectiveAsync(cycle.Id);
        await GivenKpiAsync("defect-rate");
        var linked = await GivenKeyResultAsync(objective.Id, 5, 2, b => b["kpiKey"] = "defect-rate");
        var manual = await GivenKeyResultAsync(objective.Id, 0, 10);
        await PushValueAsync("defect-rate", 3.5m, "2026-07-14");
        await CheckInAsync(manual.Id, 3);

        await Api.PostAsync($"/api/v1/cycles/{cycle.Id}/close", null);
        await PushValueAsync("defect-rate", 2, "2026-07-15");
        var closed = await ObjectiveAsync(objective.Id);
        var checkIn = await CheckInAsync(manual.Id, 9);
        var update = await PutJsonAsync($"/api/v1/key-results/{manual.Id}", KeyResultBody(), "*");
        var delete = await SendAsync(HttpMethod.Delete, $"/api/v1/key-results/{manual.Id}");
        await Api.PostAsync($"/api/v1/cycles/{cycle.Id}/reopen", null);
        var reopened = await ObjectiveAsync(objective.Id);

        Assert.That(closed.KeyResults.Select(k => k.CurrentValue), Is.EqualTo(new decimal?[] { 3.5m, 3m }));
        Assert.That(closed.KeyResults.Select(k => k.FinalValue), Is.EqualTo(new decimal?[] { 3.5m, 3m }));
        Assert.That((closed.Progress, closed.Score), Is.EqualTo(((decimal?)0.4m, (decimal?)0.4m)));
        await ProblemAsync(checkIn, HttpStatusCode.Conflict);
        await ProblemAsync(update, HttpStatusCode.Conflict);
        await ProblemAsync(delete, HttpStatusCode.Conflict);
        Assert.That(reopened.KeyResults.Select(k => k.CurrentValue), Is.EqualTo(new decimal?[] { 2m, 3m }));
        Assert.That(reopened.Score, Is.Null);
        Assert.That(linked.Id, Is.EqualTo(closed.KeyResults[0].Id));
    }

    [Test]
    public async Task Updates_a_key_result_with_if_match_and_unlinking_the_kpi_brings_back_check_ins()
    {
        var cycle = await GivenCycleAsync();
        var objective = await GivenObjectiveAsync(cycle.Id);
        var keyResult = await GivenKeyResultAsync(objective.Id, 0, 100);
        await CheckInAsync(keyResult.Id, 20);
        var body = KeyResultBody("Reach 200", 0, 200).Also(b => b["weight"] = 3);

        var missing = await PutJsonAsync($"/api/v1/key-results/{keyResult.Id}", body, null);
        var stale = await PutJsonAsync($"/api/v1/key-results/{keyResult.Id}", body, "\"1\"");
        var updated = await PutJsonAsync($"/api/v1/key-results/{keyResult.Id}", body, "\"2\"");

        await ProblemAsync(missing, HttpStatusCode.PreconditionRequired);
        await ProblemAsync(stale, HttpStatusCode.PreconditionFailed);
        Assert.That(updated.StatusCode, Is.EqualTo(HttpStatusCode.OK), await updated.Content.ReadAsStringAsync());
        var read = await ReadAsync<KeyResultResponse>(updated);
        Assert.That((read.Title, read.TargetValue, read.Weight, read.CurrentValue, read.Progress), Is.EqualTo(("Reach 200", 200m, 3m, (decimal?)20m, 0.1m)));
    }

    [Test]
    public async Task The_owner_of_a_key_result_checks_in_though_the_objective_belongs_to_another_team()
    {
        var cycle = await GivenCycleAsync();
        var sales = await GivenTeamAsync("Sales");
        var support = await GivenTeamAsync("Support");
        var objective = await GivenObjectiveAsync(cycle.Id, sales.Id);
        var supportKeyResult = await GivenKeyResultAsync(objective.Id, change: b => b["ownerTeamId"] = support.Id.ToString());
        var salesKeyResult = await GivenKeyResultAsync(objective.Id);
        var supportEditor = await Callers.GivenPersonClientAsync(Role.Editor, support.Id);
        var viewer = await Callers.GivenPersonClientAsync(Role.Viewer, support.Id);

        var allowed = await CheckInAsync(supportKeyResult.Id, 40, client: supportEditor);
        var refused = await CheckInAsync(salesKeyResult.Id, 40, client: supportEditor);
        var addRefused = await supportEditor.PostAsync($"/api/v1/objectives/{objective.Id}/key-results", JsonBody(KeyResultBody()));
        var viewerRefused = await CheckInAsync(supportKeyResult.Id, 41, client: viewer);

        Assert.That(allowed.StatusCode, Is.EqualTo(HttpStatusCode.Created), await allowed.Content.ReadAsStringAsync());
        await ProblemAsync(refused, HttpStatusCode.Forbidden);
        await ProblemAsync(addRefused, HttpStatusCode.Forbidden);
        await ProblemAsync(viewerRefused, HttpStatusCode.Forbidden);
    }

    [Test]
    public async Task Deletes_a_key_result_and_the_objective_loses_its_progress()
    {
        var cycle = await GivenCycleAsync();
        var objective = await GivenObjectiveAsync(cycle.Id);
        var keyResult = await GivenKeyResultAsync(objective.Id);
        await CheckInAsync(keyResult.Id, 40);

        var deleted = await SendAsync(HttpMethod.Delete, $"/api/v1/key-results/{keyResult.Id}");

        Assert.That(deleted.StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
        Assert.That((await ObjectiveAsync(objective.Id)).Progress, Is.Null);
        await ProblemAsync(await Api.GetAsync($"/api/v1/key-results/{keyResult.Id}"), HttpStatusCode.NotFound);
    }
}
