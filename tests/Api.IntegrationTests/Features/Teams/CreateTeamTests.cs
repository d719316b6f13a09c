using System.Net;
using System.Net.Http.Json;
using OkrKpi.Api.Features.Teams;

namespace OkrKpi.Api.IntegrationTests.Features.Teams;

public sealed class CreateTeamTests : IntegrationTest
{
    [Test]
    public async Task Creates_a_team_under_a_parent_and_answers_with_its_location_and_etag()
    {
        var company = await GivenTeamAsync("Acme");

        var response = await Api.PostAsJsonAsync("/api/v1/teams", new { name = "  Manufacturing ", parentTeamId = company.Id });

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created));
        var team = await ReadAsync<TeamResponse>(response);
        Assert.That(team.Name, Is.EqualTo("Manufacturing"));
        Assert.That(team.ParentTeamId, Is.EqualTo(company.Id));
        Assert.That(response.Headers.Location?.ToString(), Is.EqualTo($"/api/v1/teams/{team.Id}"));
        Assert.That(response.Headers.ETag?.Tag, Is.EqualTo("\"1\""));
    }

    [Test]
    public async Task Creates_a_top_level_team_when_no_parent_is_given()
    {
        var response = await Api.PostAsJsonAsync("/api/v1/teams", new { name = "Acme" });

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created));
        var team = await ReadAsync<TeamResponse>(response);
        Assert.That(team.ParentTeamId, Is.Null);
        Assert.That(team.Version, Is.EqualTo(1));
    }

    [Test]
    public async Task Refuses_a_second_team_whose_name_differs_only_by_surrounding_spaces()
    {
        await GivenTeamAsync("Sales");

        var response = await Api.PostAsJsonAsync("/api/v1/teams", new { name = "  Sales  " });

        await ProblemAsync(response, HttpStatusCode.Conflict);
    }

    [Test]
    public async Task Refuses_a_second_team_with_the_same_name_in_any_case()
    {
        await GivenTeamAsync("Sales");

        var response = await Api.PostAsJsonAsync("/api/v1/teams", new { name = "SALES" });

        await ProblemAsync(response, HttpStatusCode.Conflict);
    }

    [Test]
    public async Task Names_the_parent_when_it_does_not_exist()
    {
        var response = await Api.PostAsJsonAsync("/api/v1/teams", new { name = "Orphans", parentTeamId = Guid.NewGuid() });

        await FieldErrorsAsync(response, "parentTeamId");
    }

    [TestCase("")]
    [TestCase("   ")]
    public async Task Requires_a_name(string name)
    {
        var response = await Api.PostAsJsonAsync("/api/v1/teams", new { name });

        await FieldErrorsAsync(response, "name");
    }

    [Test]
    public async Task Accepts_a_name_of_exactly_100_characters_after_trimming()
    {
        var name = new string('x', 100);

        var response = await Api.PostAsJsonAsync("/api/v1/teams", new { name = $" {name} " });

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created), await response.Content.ReadAsStringAsync());
        Assert.That((await ReadAsync<TeamResponse>(response)).Name, Is.EqualTo(name));
    }

    [Test]
    public async Task Refuses_a_name_longer_than_100_characters()
    {
        var response = await Api.PostAsJsonAsync("/api/v1/teams", new { name = new string('x', 101) });

        await FieldErrorsAsync(response, "name");
    }
}
