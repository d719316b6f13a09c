using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using OkrKpi.Api.Features.Teams;

namespace OkrKpi.Api.IntegrationTests.Features.Teams;

public sealed class MoveTeamTests : IntegrationTest
{
    [Test]
    public async Task Moves_a_team_under_another_team_and_bumps_its_version()
    {
        var company = await GivenTeamAsync("Acme");
        var sales = await GivenTeamAsync("Sales");

        var response = await PutJsonAsync($"/api/v1/teams/{sales.Id}/parent", new { parentTeamId = company.Id }, "\"1\"");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        Assert.That(response.Headers.ETag?.Tag, Is.EqualTo("\"2\""));
        var moved = await ReadAsync<TeamResponse>(response);
        Assert.That(moved.ParentTeamId, Is.EqualTo(company.Id));
        Assert.That(moved.Version, Is.EqualTo(2));
        var read = await Api.GetFromJsonAsync<TeamResponse>($"/api/v1/teams/{sales.Id}", Json);
        Assert.That(read, Is.EqualTo(moved));
    }

    [Test]
    public async Task Moves_a_team_to_the_top_with_a_null_parent()
    {
        var company = await GivenTeamAsync("Acme");
        var sales = await GivenTeamAsync("Sales", company.Id);

        var response = await PutJsonAsync($"/api/v1/teams/{sales.Id}/parent", new JsonObject { ["parentTeamId"] = null }, "\"1\"");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        var moved = await ReadAsync<TeamResponse>(response);
        Assert.That(moved.ParentTeamId, Is.Null);
        Assert.That(moved.Version, Is.EqualTo(2));
    }

    [Test]
    public async Task Moves_a_team_under_a_team_in_another_branch()
    {
        var company = await GivenTeamAsync("Acme");
        var sales = await GivenTeamAsync("Sales", company.Id);
        var operations = await GivenTeamAsync("Operations", company.Id);
        var plant = await GivenTeamAsync("Plant", operations.Id);

        var response = await PutJsonAsync($"/api/v1/teams/{sales.Id}/parent", new { parentTeamId = plant.Id }, "\"1\"");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        Assert.That((await ReadAsync<TeamResponse>(response)).ParentTeamId, Is.EqualTo(plant.Id));
    }

    [Test]
    public async Task Refuses_to_move_a_team_under_itself()
    {
        var sales = await GivenTeamAsync("Sales");

        var response = await PutJsonAsync($"/api/v1/teams/{sales.Id}/parent", new { parentTeamId = sales.Id }, "\"1\"");

        await ProblemAsync(response, HttpStatusCode.Conflict);
        var unchanged = await Api.GetFromJsonAsync<TeamResponse>($"/api/v1/teams/{sales.Id}", Json);
        Assert.That(unchanged, Is.EqualTo(sales));
    }

    [Test]
    public async Task Refuses_to_move_a_team_under_its_own_child()
    {
        var company = await GivenTeamAsync("Acme");
        var sales = await GivenTeamAsync("Sales", company.Id);

        var response = await PutJsonAsync($"/api/v1/teams/{company.Id}/parent", new { parentTeamId = sales.Id }, "\"1\"");

        await ProblemAsync(response, HttpStatusCode.Conflict);
    }

    [Test]
    public async Task Refuses_to_move_a_team_under_its_own_grandchild()
    {
        var company = await GivenTeamAsync("Acme");
        var sales = await GivenTeamAsync("Sales", company.Id);
        var fieldSales = await GivenTeamAsync("Field sales", sales.Id);

        var response = await PutJsonAsync($"/api/v1/teams/{company.Id}/parent", new { parentTeamId = fieldSales.Id }, "\"1\"");

        await ProblemAsync(response, HttpStatusCode.Conflict);
        var unchanged = await Api.GetFromJsonAsync<TeamResponse>($"/api/v1/teams/{company.Id}", Json);
        Assert.That(unchanged, Is.EqualTo(company));
    }

    [Test]
    public async Task Names_the_parent_when_it_does_not_exist()
    {
        var sales = await GivenTeamAsync("Sales");

        var response = await PutJsonAsync($"/api/v1/teams/{sales.Id}/parent", new { parentTeamId = Guid.NewGuid() }, "\"1\"");

        await FieldErrorsAsync(response, "parentTeamId");
    }

    [Test]
    public async Task Names_the_parent_when_it_is_not_a_guid()
    {
        var sales = await GivenTeamAsync("Sales");

        var response = await PutJsonAsync($"/api/v1/teams/{sales.Id}/parent", new JsonObject { ["parentTeamId"] = "acme" }, "\"1\"");

        await FieldErrorsAsync(response, "parentTeamId");
    }

    [Test]
    public async Task Requires_an_if_match_header()
    {
        var company = await GivenTeamAsync("Acme");
        var sales = await GivenTeamAsync("Sales");

        var response = await PutJsonAsync($"/api/v1/teams/{sales.Id}/parent", new { parentTeamId = company.Id }, ifMatch: null);

        await ProblemAsync(response, HttpStatusCode.PreconditionRequired);
        var unchanged = await Api.GetFromJsonAsync<TeamResponse>($"/api/v1/teams/{sales.Id}", Json);
        Assert.That(unchanged, Is.EqualTo(sales));
    }

    [Test]
    public async Task Refuses_an_if_match_naming_a_version_that_is_no_longer_current()
    {
        var company = await GivenTeamAsync("Acme");
        var sales = await GivenTeamAsync("Sales");
        await PutJsonAsync($"/api/v1/teams/{sales.Id}/parent", new { parentTeamId = company.Id }, "\"1\"");

        var response = await PutJsonAsync($"/api/v1/teams/{sales.Id}/parent", new JsonObject { ["parentTeamId"] = null }, "\"1\"");

        await ProblemAsync(response, HttpStatusCode.PreconditionFailed);
        var current = await Api.GetFromJsonAsync<TeamResponse>($"/api/v1/teams/{sales.Id}", Json);
        Assert.That(current!.ParentTeamId, Is.EqualTo(company.Id));
        Assert.That(current.Version, Is.EqualTo(2));
    }

    [Test]
    public async Task Accepts_a_wildcard_if_match()
    {
        var company = await GivenTeamAsync("Acme");
        var sales = await GivenTeamAsync("Sales");

        var response = await PutJsonAsync($"/api/v1/teams/{sales.Id}/parent", new { parentTeamId = company.Id }, "*");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        Assert.That((await ReadAsync<TeamResponse>(response)).ParentTeamId, Is.EqualTo(company.Id));
    }

    [Test]
    public async Task Returns_404_problem_for_an_unknown_team()
    {
        var company = await GivenTeamAsync("Acme");

        var response = await PutJsonAsync($"/api/v1/teams/{Guid.NewGuid()}/parent", new { parentTeamId = company.Id }, "\"1\"");

        await ProblemAsync(response, HttpStatusCode.NotFound);
    }
}
