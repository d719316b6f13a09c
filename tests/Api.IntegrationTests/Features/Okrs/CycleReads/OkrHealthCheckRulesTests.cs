using System.Net;
using System.Text.Json.Nodes;
using OkrKpi.Api.Features.Okrs;

namespace OkrKpi.Api.IntegrationTests.Features.Okrs;

/// <summary>The health check's rules for the mistakes every OKR guide warns about, one test each, through HTTP.</summary>
public sealed class OkrHealthCheckRulesTests : OkrTest
{
    [Test]
    public async Task A_key_result_aiming_short_of_its_kpis_target_is_flagged()
    {
        var objective = await GivenObjectiveAsync((await GivenCycleAsync()).Id);
        await GivenKpiAsync("nps", change: b => { b["valueType"] = "number"; b["target"] = new JsonObject { ["comparator"] = "atLeast", ["value"] = 45 }; });
        var modest = await GivenKeyResultAsync(objective.Id, 31, 40, b => b["kpiKey"] = "nps");
        var ambitious = await GivenKeyResultAsync(objective.Id, 31, 50, b => b["kpiKey"] = "nps");

        var found = await FoundAsync(objective.CycleId);

        Assert.That(found, Does.Contain((GetOkrHealthCheck.Rules.KeyResultBelowKpiTarget, modest.Id)));
        Assert.That(found, Does.Not.Contain((GetOkrHealthCheck.Rules.KeyResultBelowKpiTarget, ambitious.Id)));
    }

    [Test]
    public async Task A_key_result_its_kpi_met_before_it_began_is_flagged()
    {
        var objective = await GivenObjectiveAsync((await GivenCycleAsync()).Id);
        await GivenKpiAsync("deployments", change: b => { b["valueType"] = "number"; b["target"] = new JsonObject { ["comparator"] = "atLeast", ["value"] = 5 }; });
        Assert.That((await PushValueAsync("deployments", 14m, "2026-06-30")).IsSuccessStatusCode, Is.True);
        var met = await GivenKeyResultAsync(objective.Id, 8, 12, b => b["kpiKey"] = "deployments");
        var later = await GivenKeyResultAsync(objective.Id, 8, 12, b => { b["kpiKey"] = "deployments"; b["startDate"] = "2026-06-01"; b["timeframeReason"] = "started in June"; });

        var warnings = await WarningsAsync(objective.CycleId);

        var flagged = warnings.Where(w => w.Rule == GetOkrHealthCheck.Rules.KeyResultAlreadyMet).ToList();
        Assert.That(flagged.Select(w => w.Entity.Id), Is.EqualTo(new[] { met.Id }));
        Assert.That(flagged[0].Message, Does.Contain("14").And.Contain("2026-06-30"));
        Assert.That(later.Id, Is.Not.EqualTo(met.Id));
    }

    [Test]
    public async Task An_objective_of_milestones_only_is_a_task_list()
    {
        var objective = await GivenObjectiveAsync((await GivenCycleAsync()).Id);
        var milestone = (JsonObject b) => { b["type"] = "milestone"; b.Remove("startValue"); b.Remove("targetValue"); };
        await GivenKeyResultAsync(objective.Id, change: milestone);
        await GivenKeyResultAsync(objective.Id, change: milestone);
        var mixed = await GivenObjectiveAsync(objective.CycleId, title: "Mixed");
        await GivenKeyResultAsync(mixed.Id, change: milestone);
        await GivenKeyResultAsync(mixed.Id);

        var found = await FoundAsync(objective.CycleId);

        Assert.That(found, Does.Contain((GetOkrHealthCheck.Rules.ObjectiveOnlyMilestones, objective.Id)));
        Assert.That(found, Does.Not.Contain((GetOkrHealthCheck.Rules.ObjectiveOnlyMilestones, mixed.Id)));
    }

    [Test]
    public async Task A_key_result_fed_by_a_quarterly_kpi_can_move_once_in_a_quarter()
    {
        var objective = await GivenObjectiveAsync((await GivenCycleAsync()).Id);
        await GivenKpiAsync("revenue", change: b => { b["valueType"] = "number"; b["frequency"] = "quarterly"; });
        await GivenKpiAsync("orders", change: b => { b["valueType"] = "number"; b["frequency"] = "monthly"; });
        var quarterly = await GivenKeyResultAsync(objective.Id, 10, 5, b => b["kpiKey"] = "revenue");
        var monthly = await GivenKeyResultAsync(objective.Id, 10, 5, b => b["kpiKey"] = "orders");

        var found = await FoundAsync(objective.CycleId);

        Assert.That(found, Does.Contain((GetOkrHealthCheck.Rules.KeyResultKpiTooCoarse, quarterly.Id)));
        Assert.That(found, Does.Not.Contain((GetOkrHealthCheck.Rules.KeyResultKpiTooCoarse, monthly.Id)));
    }

    [Test]
    public async Task A_kpi_both_watched_and_feeding_a_key_result_is_counted_twice()
    {
        var kpi = await GivenKpiAsync("defect-rate");
        var objective = await GivenObjectiveAsync((await GivenCycleAsync()).Id, change: b => b["kpiIds"] = new JsonArray(kpi.Id.ToString()));
        var fed = await GivenKeyResultAsync(objective.Id, 5, 1, b => b["kpiKey"] = "defect-rate");

        var found = await FoundAsync(objective.CycleId);

        Assert.That(found, Does.Contain((GetOkrHealthCheck.Rules.ObjectiveKpiDoubleCounted, fed.Id)));
    }

    [Test]
    public async Task Ten_times_the_start_within_a_quarter_is_an_implausible_jump()
    {
        var objective = await GivenObjectiveAsync((await GivenCycleAsync()).Id);
        var jump = await GivenKeyResultAsync(objective.Id, 10, 100);
        var stretch = await GivenKeyResultAsync(objective.Id, 10, 99.99m);

        var warnings = await WarningsAsync(objective.CycleId);

        var flagged = warnings.Where(w => w.Rule == GetOkrHealthCheck.Rules.KeyResultImplausibleJump).ToList();
        Assert.That(flagged.Select(w => w.Entity.Id), Is.EqualTo(new[] { jump.Id }));
        Assert.That(flagged[0].Message, Does.Contain("10 times its start").And.Contain("92 days"));
        Assert.That(stretch.Id, Is.Not.EqualTo(jump.Id));
    }

    [Test]
    public async Task A_team_objective_aligned_to_nothing_while_a_company_objective_exists_is_flagged()
    {
        var cycle = await GivenCycleAsync();
        var company = await GivenTeamAsync("Acme");
        var team = await GivenTeamAsync("Support", company.Id);
        var top = await GivenObjectiveAsync(cycle.Id, company.Id, title: "Win the mid-market");
        var alone = await GivenObjectiveAsync(cycle.Id, team.Id, title: "Answer faster");
        var aligned = await GivenObjectiveAsync(cycle.Id, team.Id, title: "Fewer tickets", parentObjectiveId: top.Id);

        var warnings = await WarningsAsync(cycle.Id);

        var flagged = warnings.Where(w => w.Rule == GetOkrHealthCheck.Rules.ObjectiveNotAligned).ToList();
        Assert.That(flagged.Select(w => w.Entity.Id), Is.EqualTo(new[] { alone.Id }));
        Assert.That(flagged[0].Message, Does.Contain("Win the mid-market"));
        Assert.That(aligned.ParentObjectiveId, Is.EqualTo(top.Id));
    }

    [Test]
    public async Task Three_health_metrics_are_fine_and_four_are_too_many_by_default()
    {
        var ids = new List<string>();
        foreach (var key in new[] { "kpi-a", "kpi-b", "kpi-c", "kpi-d" }) ids.Add((await GivenKpiAsync(key)).Id.ToString());
        var cycle = await GivenCycleAsync();
        var three = await GivenObjectiveAsync(cycle.Id, change: b => b["kpiIds"] = new JsonArray(ids.Take(3).Select(i => (JsonNode)i).ToArray()));
        var four = await GivenObjectiveAsync(cycle.Id, change: b => b["kpiIds"] = new JsonArray(ids.Select(i => (JsonNode)i).ToArray()));

        var found = await FoundAsync(cycle.Id);

        Assert.That(found, Does.Contain((GetOkrHealthCheck.Rules.ObjectiveTooManyKpis, four.Id)));
        Assert.That(found, Does.Not.Contain((GetOkrHealthCheck.Rules.ObjectiveTooManyKpis, three.Id)));
    }

    private static async Task<IReadOnlyList<GetOkrHealthCheck.Warning>> WarningsAsync(Guid cycleId)
    {
        var response = await Api.GetAsync($"/api/v1/cycles/{cycleId}/health-check");
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        return (await ReadAsync<GetOkrHealthCheck.Response>(response)).Warnings;
    }

    private static async Task<List<(string Rule, Guid Id)>> FoundAsync(Guid cycleId) =>
        (await WarningsAsync(cycleId)).Select(w => (w.Rule, w.Entity.Id)).ToList();
}
