using System.Net;
using OkrKpi.Api.Features.Teams;

namespace OkrKpi.Api.IntegrationTests.Features.Teams;

public sealed class GetTeamTests : IntegrationTest
{
    [Test]
    public async Task Returns_a_team_with_its_version_as_the_etag()
    {
        var company = await GivenTeamAsync("Acme");
        var quality = await GivenTeamAsync("Quality", company.Id);

        var response = await Api.GetAsync($"/api/v1/teams/{quality.Id}");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(response.Headers.ETag?.Tag, Is.EqualTo("\"1\""));
        var team = await ReadAsync<TeamResponse>(response);
        Assert.That(team, Is.EqualTo(quality));
        Assert.That(team.ParentTeamId, Is.EqualTo(company.Id));
        Assert.That(team.Version, Is.EqualTo(1));
    }

    [Test]
    public async Task Returns_404_problem_for_an_unknown_team()
    {
        await GivenTeamAsync("Acme");

        var response = await Api.GetAsync($"/api/v1/teams/{Guid.NewGuid()}");

        await ProblemAsync(response, HttpStatusCode.NotFound);
    }

    [Test]
    public async Task Returns_404_when_the_id_is_not_a_guid()
    {
        var response = await Api.GetAsync("/api/v1/teams/not-a-guid");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
    }
}
