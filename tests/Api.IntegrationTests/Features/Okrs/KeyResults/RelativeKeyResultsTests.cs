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
