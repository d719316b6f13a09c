using System.Net;
using System.Text.Json.Nodes;
using OkrKpi.Api.Features.Kpis;
using OkrKpi.Api.Features.Okrs;

namespace OkrKpi.Api.IntegrationTests.Features.Okrs;

/// <summary>"Increase deployments per week by 50 %": a target declared as a change from a baseline.</summary>
public sealed class RelativeKeyResultsTests : OkrTest
{
    [Test]
    public async Task A_key_result_up_50_percent_from_its_kpis_latest_value_of_8_starts_at_8_and_aims_at_12()
    {
        var objective = await GivenObjectiveAsync((await GivenCycleAsync()).Id);
        await GivenDeploymentsAsync(8m);

        var keyResult = await GivenKeyResultAsync(objective.Id, change: b =>
        {
            UpHalfFromDeployments(b);
            b["title"] = "Increase deployments per week by 50 %";
        });

        Assert.That((keyResult.StartValue, keyResult.TargetValue, keyResult.CurrentValue, keyResult.Progress), Is.EqualTo((8m, 12m, (decimal?)8m, 0m)));
        Assert.That(keyResult.Change, Is.EqualTo(new KeyResultChangeDeclaration(50m, null, 8m, BaselineSource.Kpi)));
        Assert.That(keyResult.Comparator, Is.EqualTo(TargetComparator.AtLeast));
    }

    [Test]
    public async Task With_a_check_in_of_10_its_progress_is_half()
    {
        var objective = await GivenObjectiveAsync((await GivenCycleAsync()).Id);
        await GivenDeploymentsAsync(8m);
        var keyResult = await GivenKeyResultAsync(objective.Id, change: UpHalfFromDeployments);

        var checkIn = await PostJsonAsync($"/api/v1/key-results/{keyResult.Id}/check-ins", new JsonObject { ["confidence"] = 6, ["note"] = "pipeline faster" });
        Assert.That((await PushValueAsync("deployments", 10m, "2026-07-13")).IsSuccessStatusCode, Is.True);
        var checkedIn = await ReadAsync<CheckInResponse>(checkIn);
        var manual = await GivenKeyResultAsync(objective.Id, change: b =>
        {
            b["startValue"] = 8;
            b.Remove("targetValue");
            b["change"] = new JsonObject { ["percent"] = 50 };
        });
        Assert.That((await CheckInAsync(manual.Id, 10)).StatusCode, Is.EqualTo(HttpStatusCode.Created));

        Assert.That((checkedIn.Value, checkedIn.ValueSource, checkedIn.Confidence, checkedIn.Note), Is.EqualTo((8m, CurrentValueSource.Kpi, (int?)6, "pipeline faster")));
        Assert.That((await KeyResultAsync(keyResult.Id)).Progress, Is.EqualTo(0.5m));
        var read = await KeyResultAsync(manual.Id);
        Assert.That((read.StartValue, read.TargetValue, read.Progress), Is.EqualTo((8m, 12m, 0.5m)));
        Assert.That(read.Change, Is.EqualTo(new KeyResultChangeDeclaration(50m, null, 8m, BaselineSource.Given)));
    }

    [Test]
    public async Task Reduce_by_an_amount_is_a_decrease_key_result()
    {
        var objective = await GivenObjectiveAsync((await GivenCycleAsync()).Id);

        var keyResult = await GivenKeyResultAsync(objective.Id, change: b =>
        {
            b["title"] = "Cut the defect rate by 2.5 points";
            b["startValue"] = 4;
            b.Remove("targetValue");
            b["change"] = new JsonObject { ["by"] = -2.5 };
        });

        Assert.That((keyResult.StartValue, keyResult.TargetValue, keyResult.Direction, keyResult.Comparator),
            Is.EqualTo((4m, 1.5m, KeyResultDirection.Decrease, TargetComparator.AtMost)));
        Assert.That(keyResult.Change, Is.EqualTo(new KeyResultChangeDeclaration(null, -2.5m, 4m, BaselineSource.Given)));
    }

    [Test]
    public async Task A_patch_of_the_title_keeps_the_declaration_and_a_new_target_ends_it()
    {
        var objective = await GivenObjectiveAsync((await GivenCycleAsync()).Id);
        await GivenDeploymentsAsync(8m);
        var keyResult = await GivenKeyResultAsync(objective.Id, change: UpHalfFromDeployments);

        var renamed = await ReadAsync<KeyResultResponse>(await PatchAsync($"/api/v1/key-results/{keyResult.Id}", new JsonObject { ["title"] = "Ship more often" }, "\"1\""));
        var absolute = await ReadAsync<KeyResultResponse>(await PatchAsync($"/api/v1/key-results/{keyResult.Id}", new JsonObject { ["targetValue"] = 14 }, "\"2\""));

        Assert.That((renamed.Title, renamed.TargetValue, renamed.Change), Is.EqualTo(("Ship more often", 12m, new KeyResultChangeDeclaration(50m, null, 8m, BaselineSource.Kpi))));
        Assert.That((absolute.StartValue, absolute.TargetValue, absolute.Change), Is.EqualTo((8m, 14m, (KeyResultChangeDeclaration?)null)));
    }

    [TestCase("""{ "percent": 10, "by": 1 }""", true, "change")]
    [TestCase("""{ "percent": 0 }""", true, "change.percent")]
    [TestCase("""{ "percent": -150 }""", true, "change.percent")]
    [TestCase("""{ "by": 0 }""", true, "change.by")]
    [TestCase("""{ "percent": 10 }""", false, "startValue")]
    public async Task Refuses_a_change_it_cannot_turn_into_a_target(string change, bool withStart, string field)
    {
        var objective = await GivenObjectiveAsync((await GivenCycleAsync()).Id);
        var body = KeyResultBody();
        body.Remove("targetValue");
        if (!withStart) body.Remove("startValue");
        body["change"] = JsonNode.Parse(change);

        await FieldErrorsAsync(await PostJsonAsync($"/api/v1/objectives/{objective.Id}/key-results", body), field);
    }

    [Test]
    public async Task Refuses_a_change_with_a_target_and_a_baseline_from_a_kpi_without_values()
    {
        var objective = await GivenObjectiveAsync((await GivenCycleAsync()).Id);
        await GivenKpiAsync("deployments");
        var withTarget = KeyResultBody().Also(b => b["change"] = new JsonObject { ["percent"] = 10 });
        var noValue = KeyResultBody().Also(UpHalfFromDeployments);

        await FieldErrorsAsync(await PostJsonAsync($"/api/v1/objectives/{objective.Id}/key-results", withTarget), "targetValue");
        await FieldErrorsAsync(await PostJsonAsync($"/api/v1/objectives/{objective.Id}/key-results", noValue), "startValue");
        Assert.That((await ObjectiveAsync(objective.Id)).KeyResults, Is.Empty);
    }

    [Test]
    public async Task A_key_result_up_15_percent_from_its_first_check_in_has_no_baseline_until_then_and_takes_the_first_value()
    {
        var objective = await GivenObjectiveAsync((await GivenCycleAsync()).Id);
        var keyResult = await GivenKeyResultAsync(objective.Id, change: UpFifteenPercentFromFirstCheckIn);

        Assert.That((await CheckInAsync(keyResult.Id, 4m)).StatusCode, Is.EqualTo(HttpStatusCode.Created));
        var baselined = await KeyResultAsync(keyResult.Id);
        Assert.That((await CheckInAsync(keyResult.Id, 4.3m)).StatusCode, Is.EqualTo(HttpStatusCode.Created));
        var moved = await KeyResultAsync(keyResult.Id);

        Assert.That((keyResult.StartValue, keyResult.TargetValue, keyResult.CurrentValue, keyResult.Progress), Is.EqualTo(((decimal?)null, (decimal?)null, (decimal?)null, 0m)));
        Assert.That(keyResult.Change, Is.EqualTo(new KeyResultChangeDeclaration(15m, null, null, BaselineSource.FirstCheckIn)));
        Assert.That((baselined.StartValue, baselined.TargetValue, baselined.CurrentValue, baselined.Progress), Is.EqualTo(((decimal?)4m, (decimal?)4.6m, (decimal?)4m, 0m)));
        Assert.That(baselined.Change, Is.EqualTo(new KeyResultChangeDeclaration(15m, null, 4m, BaselineSource.FirstCheckIn)));
        Assert.That(moved.Progress, Is.EqualTo(0.5m));
    }

    [Test]
    public async Task A_kpi_fed_key_result_takes_the_kpis_value_at_its_first_check_in_as_its_baseline()
    {
        var objective = await GivenObjectiveAsync((await GivenCycleAsync()).Id);
        await GivenKpiAsync("deployments");
        var keyResult = await GivenKeyResultAsync(objective.Id, change: b =>
        {
            UpHalfFromDeployments(b);
            b["change"]!["baselineSource"] = "firstCheckIn";
        });
        Assert.That((await PushValueAsync("deployments", 8m, "2026-07-12")).IsSuccessStatusCode, Is.True);
        var waiting = await KeyResultAsync(keyResult.Id);

        Assert.That((await PostJsonAsync($"/api/v1/key-results/{keyResult.Id}/check-ins", new JsonObject { ["confidence"] = 5 })).StatusCode, Is.EqualTo(HttpStatusCode.Created));

        Assert.That((waiting.StartValue, waiting.CurrentValue, waiting.Progress), Is.EqualTo(((decimal?)null, (decimal?)8m, 0m)));
        var read = await KeyResultAsync(keyResult.Id);
        Assert.That((read.StartValue, read.TargetValue, read.Progress), Is.EqualTo(((decimal?)8m, (decimal?)12m, 0m)));
    }

    [Test]
    public async Task A_patch_keeps_the_baseline_from_the_first_check_in_before_and_after_it()
    {
        var objective = await GivenObjectiveAsync((await GivenCycleAsync()).Id);
        var keyResult = await GivenKeyResultAsync(objective.Id, change: UpFifteenPercentFromFirstCheckIn);

        var renamed = await ReadAsync<KeyResultResponse>(await PatchAsync($"/api/v1/key-results/{keyResult.Id}", new JsonObject { ["title"] = "Lift the rating" }, "\"1\""));
        Assert.That((await CheckInAsync(keyResult.Id, 4m)).StatusCode, Is.EqualTo(HttpStatusCode.Created));
        var reweighted = await ReadAsync<KeyResultResponse>(await PatchAsync($"/api/v1/key-results/{keyResult.Id}", new JsonObject { ["weight"] = 2 }, "\"3\""));

        Assert.That((renamed.StartValue, renamed.Change), Is.EqualTo(((decimal?)null, new KeyResultChangeDeclaration(15m, null, null, BaselineSource.FirstCheckIn))));
        Assert.That((reweighted.StartValue, reweighted.TargetValue, reweighted.Change),
            Is.EqualTo(((decimal?)4m, (decimal?)4.6m, new KeyResultChangeDeclaration(15m, null, 4m, BaselineSource.FirstCheckIn))));
    }

    [TestCase("startValue")]
    [TestCase("currentValue")]
    public async Task Refuses_a_baseline_from_the_first_check_in_with_a_value_of_its_own(string field)
    {
        var objective = await GivenObjectiveAsync((await GivenCycleAsync()).Id);
        var body = KeyResultBody().Also(UpFifteenPercentFromFirstCheckIn);
        body[field] = 4;

        await FieldErrorsAsync(await PostJsonAsync($"/api/v1/objectives/{objective.Id}/key-results", body), field);
    }

    [Test]
    public async Task A_first_check_in_a_percentage_cannot_move_is_refused_and_leaves_it_waiting()
    {
        var objective = await GivenObjectiveAsync((await GivenCycleAsync()).Id);
        var keyResult = await GivenKeyResultAsync(objective.Id, change: UpFifteenPercentFromFirstCheckIn);

        await FieldErrorsAsync(await CheckInAsync(keyResult.Id, 0m), "value");

        var read = await KeyResultAsync(keyResult.Id);
        Assert.That((read.StartValue, read.LastCheckInAt, read.Version), Is.EqualTo(((decimal?)null, (DateTimeOffset?)null, 1L)));
    }

    /// <summary>"+15 %" from whatever the first check-in says.</summary>
    private static void UpFifteenPercentFromFirstCheckIn(JsonObject body)
    {
        body.Remove("startValue");
        body.Remove("targetValue");
        body["title"] = "Raise the app rating by 15 %";
        body["change"] = new JsonObject { ["percent"] = 15, ["baselineSource"] = "firstCheckIn" };
    }

    /// <summary>"+50 %" from the deployments KPI's latest value: no start, no target.</summary>
    private static void UpHalfFromDeployments(JsonObject body)
    {
        body.Remove("startValue");
        body.Remove("targetValue");
        body["change"] = new JsonObject { ["percent"] = 50 };
        body["kpiKey"] = "deployments";
    }

    private static async Task GivenDeploymentsAsync(decimal latest)
    {
        await GivenKpiAsync("deployments", change: b =>
        {
            b["name"] = "Deployments per week";
            b["unit"] = "deployments";
            b["valueType"] = "number";
            b["target"] = new JsonObject { ["comparator"] = "atLeast", ["value"] = 10 };
        });
        Assert.That((await PushValueAsync("deployments", latest, "2026-07-12")).IsSuccessStatusCode, Is.True);
    }
}
