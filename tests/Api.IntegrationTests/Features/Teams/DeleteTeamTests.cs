using System.Net;

namespace OkrKpi.Api.IntegrationTests.Features.Teams;

public sealed class DeleteTeamTests : IntegrationTest
{
    [Test]
    public async Task Deletes_a_team_so_it_can_no_longer_be_read()
    {
        var team = await GivenTeamAsync("Quality");

        var response = await SendAsync(HttpMethod.Delete, $"/api/v1/teams/{team.Id}");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
        var read = await Api.GetAsync($"/api/v1/teams/{team.Id}");
        Assert.That(read.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
    }

    [TestCase("\"1\"")]
    [TestCase("*")]
    public async Task Deletes_a_team_when_if_match_names_its_current_version(string ifMatch)
    {
        var team = await GivenTeamAsync("Quality");

        var response = await SendAsync(HttpMethod.Delete, $"/api/v1/teams/{team.Id}", ifMatch);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
        var read = await Api.GetAsync($"/api/v1/teams/{team.Id}");
        Assert.That(read.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
    }

    [Test]
    public async Task Refuses_an_if_match_naming_a_version_that_is_no_longer_current()
    {
        var team = await GivenTeamAsync("Quality");
        await PutJsonAsync($"/api/v1/teams/{team.Id}/name", new { name = "Quality control" }, "\"1\"");

        var response = await SendAsync(HttpMethod.Delete, $"/api/v1/teams/{team.Id}", "\"1\"");

        await ProblemAsync(response, HttpStatusCode.PreconditionFailed);
        var read = await Api.GetAsync($"/api/v1/teams/{team.Id}");
        Assert.That(read.StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    [Test]
    public async Task Refuses_to_delete_a_team_that_has_a_child_team()
    {
        var company = await GivenTeamAsync("Acme");
        await GivenTeamAsync("Sales", company.Id);

        var response = await SendAsync(HttpMethod.Delete, $"/api/v1/teams/{company.Id}");

        await ProblemAsync(response, HttpStatusCode.Conflict);
        var read = await Api.GetAsync($"/api/v1/teams/{company.Id}");
        Assert.That(read.StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    [Test]
    public async Task Refuses_to_delete_a_team_that_owns_a_kpi()
    {
        var quality = await GivenTeamAsync("Quality");
        await GivenKpiAsync(ownerTeamId: quality.Id);

        var response = await SendAsync(HttpMethod.Delete, $"/api/v1/teams/{quality.Id}");

        await ProblemAsync(response, HttpStatusCode.Conflict);
        var read = await Api.GetAsync($"/api/v1/teams/{quality.Id}");
        Assert.That(read.StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    [Test]
    public async Task Deletes_a_parent_team_once_its_child_has_been_deleted()
    {
        var company = await GivenTeamAsync("Acme");
        var sales = await GivenTeamAsync("Sales", company.Id);
        await SendAsync(HttpMethod.Delete, $"/api/v1/teams/{sales.Id}");

        var response = await SendAsync(HttpMethod.Delete, $"/api/v1/teams/{company.Id}");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
    }

    [Test]
    public async Task Returns_404_problem_for_an_unknown_team()
    {
        var response = await SendAsync(HttpMethod.Delete, $"/api/v1/teams/{Guid.NewGuid()}");

        await ProblemAsync(response, HttpStatusCode.NotFound);
    }
}
