using System.Net;
using System.Text.Json.Nodes;
using OkrKpi.Api.Features.Okrs;

namespace OkrKpi.Api.IntegrationTests.Features.Okrs;

/// <summary>PATCH /objectives/{id} and /key-results/{id}: a change to one field keeps alignment, owners and links.</summary>
public sealed class PatchObjectivesAndKeyResultsTests : OkrTest
{
    [Test]
    public async Task Renaming_an_objective_keeps_its_alignment_owner_and_linked_kpis()
    {
        var year = await GivenCycleAsync("2026", "2026-01-01", "2026-12-31");
        var cycle = await GivenCycleAsync();
        var company = await GivenObjectiveAsync(year.Id, title: "Become our customers' first choice");
        var nps = await GivenKpiAsync("net-promoter-score");
        var objective = await GivenObjectiveAsync(cycle.Id, parentObjectiveId: company.Id, change: b => b["kpiIds"] = new JsonArray(nps.Id.ToString()));

        var response = await PatchAsync($"/api/v1/objectives/{objective.Id}", new JsonObject { ["title"] = "Delight customers" }, $"\"{objective.Version}\"");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        var patched = await ReadAsync<ObjectiveResponse>(response);
        Assert.That(patched.Title, Is.EqualTo("Delight customers"));
        Assert.That((patched.ParentObjectiveId, patched.OwnerTeamId, patched.Description), Is.EqualTo((objective.ParentObjectiveId, objective.OwnerTeamId, objective.Description)));
        Assert.That(patched.Kpis.Select(k => k.Key), Is.EqualTo(new[] { "net-promoter-score" }));
    }

    [Test]
    public async Task A_key_result_switches_to_another_kpi_by_key_and_keeps_its_targets()
    {
        var cycle = await GivenCycleAsync();
        var objective = await GivenObjectiveAsync(cycle.Id);
        await GivenKpiAsync("net-promoter-score");
        var other = await GivenKpiAsync("customer-retention-rate");
        var keyResult = await GivenKeyResultAsync(objective.Id, change: b => b["kpiKey"] = "net-promoter-score");

        var response = await PatchAsync($"/api/v1/key-results/{keyResult.Id}", new JsonObject { ["kpiKey"] = "customer-retention-rate", ["weight"] = 2 }, $"\"{keyResult.Version}\"");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        var patched = await ReadAsync<KeyResultResponse>(response);
        Assert.That((patched.KpiId, patched.Weight), Is.EqualTo(((Guid?)other.Id, 2m)));
        Assert.That((patched.Title, patched.StartValue, patched.TargetValue), Is.EqualTo((keyResult.Title, keyResult.StartValue, keyResult.TargetValue)));
    }
}
