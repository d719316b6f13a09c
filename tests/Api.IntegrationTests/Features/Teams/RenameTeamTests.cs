using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using OkrKpi.Api.Features.Teams;

namespace OkrKpi.Api.IntegrationTests.Features.Teams;

public sealed class RenameTeamTests : IntegrationTest
{
    [Test]
    public async Task Renames_a_team_and_bumps_its_version()
    {
        var team = await GivenTeamAsync("Quality");

        var response = await PutJsonAsync($"/api/v1/teams/{team.Id}/name", new { name = "  Quality assurance " }, "\"1\"");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        Assert.That(response.Headers.ETag?.Tag, Is.EqualTo("\"2\""));
        var renamed = await ReadAsync<TeamResponse>(response);
        Assert.That(renamed.Name, Is.EqualTo("Quality assurance"));
        Assert.That(renamed.Version, Is.EqualTo(2));
        var read = await Api.GetAsync($"/api/v1/teams/{team.Id}");
        Assert.That(read.Headers.ETag?.Tag, Is.EqualTo("\"2\""));
        Assert.That((await ReadAsync<TeamResponse>(read)).Name, Is.EqualTo("Quality assurance"));
    }

    [Test]
    public async Task Lets_a_team_change_the_case_of_its_own_name()
    {
        var team = await GivenTeamAsync("Sales");

        var response = await PutJsonAsync($"/api/v1/teams/{team.Id}/name", new { name = "SALES" }, "\"1\"");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        Assert.That((await ReadAsync<TeamResponse>(response)).Name, Is.EqualTo("SALES"));
    }

    [Test]
    public async Task Accepts_a_wildcard_if_match()
    {
        var team = await GivenTeamAsync("Quality");
        await PutJsonAsync($"/api/v1/teams/{team.Id}/name", new { name = "Quality control" }, "\"1\"");

        var response = await PutJsonAsync($"/api/v1/teams/{team.Id}/name", new { name = "Quality assurance" }, "*");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        Assert.That(response.Headers.ETag?.Tag, Is.EqualTo("\"3\""));
        Assert.That((await ReadAsync<TeamResponse>(response)).Name, Is.EqualTo("Quality assurance"));
    }

    [Test]
    public async Task Requires_an_if_match_header()
    {
        var team = await GivenTeamAsync("Quality");

        var response = await PutJsonAsync($"/api/v1/teams/{team.Id}/name", new { name = "Quality assurance" }, ifMatch: null);

        await ProblemAsync(response, HttpStatusCode.PreconditionRequired);
        var unchanged = await Api.GetFromJsonAsync<TeamResponse>($"/api/v1/teams/{team.Id}", Json);
        Assert.That(unchanged, Is.EqualTo(team));
    }

    [Test]
    public async Task Refuses_an_if_match_naming_a_version_that_is_no_longer_current()
    {
        var team = await GivenTeamAsync("Quality");
        await PutJsonAsync($"/api/v1/teams/{team.Id}/name", new { name = "Quality control" }, "\"1\"");

        var response = await PutJsonAsync($"/api/v1/teams/{team.Id}/name", new { name = "Quality assurance" }, "\"1\"");

        await ProblemAsync(response, HttpStatusCode.PreconditionFailed);
        var current = await Api.GetFromJsonAsync<TeamResponse>($"/api/v1/teams/{team.Id}", Json);
        Assert.That(current!.Name, Is.EqualTo("Quality control"));
        Assert.That(current.Version, Is.EqualTo(2));
    }

    [TestCase("1")]
    [TestCase("W/\"1\"")]
    [TestCase("\"1\", \"2\"")]
    public async Task Refuses_an_if_match_that_is_not_one_strong_etag_of_this_api(string ifMatch)
    {
        var team = await GivenTeamAsync("Quality");

        var response = await PutJsonAsync($"/api/v1/teams/{team.Id}/name", new { name = "Quality assurance" }, ifMatch);

        await ProblemAsync(response, HttpStatusCode.PreconditionFailed);
    }

    [Test]
    public async Task Returns_404_problem_for_an_unknown_team()
    {
        var response = await PutJsonAsync($"/api/v1/teams/{Guid.NewGuid()}/name", new { name = "Quality" }, "\"1\"");

        await ProblemAsync(response, HttpStatusCode.NotFound);
    }

    [Test]
    public async Task Refuses_the_name_of_another_team_in_any_case()
    {
        await GivenTeamAsync("Sales");
        var marketing = await GivenTeamAsync("Marketing");

        var response = await PutJsonAsync($"/api/v1/teams/{marketing.Id}/name", new { name = " sALES " }, "\"1\"");

        await ProblemAsync(response, HttpStatusCode.Conflict);
        var unchanged = await Api.GetFromJsonAsync<TeamResponse>($"/api/v1/teams/{marketing.Id}", Json);
        Assert.That(unchanged, Is.EqualTo(marketing));
    }

    [TestCase("")]
    [TestCase("   ")]
    public async Task Requires_a_name(string name)
    {
        var team = await GivenTeamAsync("Quality");

        var response = await PutJsonAsync($"/api/v1/teams/{team.Id}/name", new { name }, "\"1\"");

        await FieldErrorsAsync(response, "name");
    }

    [Test]
    public async Task Requires_the_name_property()
    {
        var team = await GivenTeamAsync("Quality");

        var response = await PutJsonAsync($"/api/v1/teams/{team.Id}/name", new JsonObject(), "\"1\"");

        await FieldErrorsAsync(response, "name");
    }

    [Test]
    public async Task Refuses_a_name_longer_than_100_characters()
    {
        var team = await GivenTeamAsync("Quality");

        var response = await PutJsonAsync($"/api/v1/teams/{team.Id}/name", new { name = new string('x', 101) }, "\"1\"");

        await FieldErrorsAsync(response, "name");
    }
}
