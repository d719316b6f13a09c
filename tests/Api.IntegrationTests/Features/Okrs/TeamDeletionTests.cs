using System.Net;

namespace OkrKpi.Api.IntegrationTests.Features.Okrs;

public sealed class TeamDeletionTests : OkrTest
{
    [Test]
    public async Task A_team_that_owns_an_objective_cannot_be_deleted_and_keeps_it()
    {
        var team = await GivenTeamAsync("Sales");
        var cycle = await GivenCycleAsync();
        var objective = await GivenObjectiveAsync(cycle.Id, ownerTeamId: team.Id);

        var response = await SendAsync(HttpMethod.Delete, $"/api/v1/teams/{team.Id}");

        var problem = await ProblemAsync(response, HttpStatusCode.Conflict);
        Assert.That(problem["detail"]!.GetValue<string>(), Does.Contain("objectives and key results"));
        var read = await Api.GetAsync($"/api/v1/objectives/{objective.Id}");
        Assert.That(read.StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }
}
