using System.Net;
using System.Text.Json.Nodes;
using OkrKpi.Api.Features.Teams;

namespace OkrKpi.Api.IntegrationTests.Features.Teams;

/// <summary>PATCH /teams/{id}: rename, move, or both as one change.</summary>
public sealed class PatchTeamTests : IntegrationTest
{
    [Test]
    public async Task Renames_and_moves_a_team_in_one_change()
    {
        var company = await GivenTeamAsync("Acme Corp");
        var team = await GivenTeamAsync("Platfrom");

        var response = await PatchAsync($"/api/v1/teams/{team.Id}", new JsonObject { ["name"] = "Platform", ["parentTeamId"] = company.Id.ToString() }, $"\"{team.Version}\"");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        var patched = await ReadAsync<TeamResponse>(response);
        Assert.That((patched.Name, patched.ParentTeamId, patched.Version), Is.EqualTo(("Platform", (Guid?)company.Id, team.Version + 1)));
    }

    [Test]
    public async Task A_rename_keeps_the_parent_and_null_moves_to_the_top()
    {
        var company = await GivenTeamAsync("Acme Corp");
        var team = await GivenTeamAsync("Sales", company.Id);

        var renamed = await ReadAsync<TeamResponse>(await PatchAsync($"/api/v1/teams/{team.Id}", new JsonObject { ["name"] = "Sales & Marketing" }, "*"));
        var top = await ReadAsync<TeamResponse>(await PatchAsync($"/api/v1/teams/{team.Id}", new JsonObject { ["parentTeamId"] = null }, "*"));

        Assert.That(renamed.ParentTeamId, Is.EqualTo(company.Id));
        Assert.That((top.Name, top.ParentTeamId), Is.EqualTo(("Sales & Marketing", (Guid?)null)));
    }

    [Test]
    public async Task A_move_that_would_make_a_loop_changes_nothing_not_even_the_name()
    {
        var parent = await GivenTeamAsync("Engineering");
        var child = await GivenTeamAsync("Platform", parent.Id);

        var response = await PatchAsync($"/api/v1/teams/{parent.Id}", new JsonObject { ["name"] = "R&D", ["parentTeamId"] = child.Id.ToString() }, "*");

        await ProblemAsync(response, HttpStatusCode.Conflict);
        var unchanged = await ReadAsync<TeamResponse>(await Api.GetAsync($"/api/v1/teams/{parent.Id}"));
        Assert.That((unchanged.Name, unchanged.Version), Is.EqualTo(("Engineering", parent.Version)));
    }
}
