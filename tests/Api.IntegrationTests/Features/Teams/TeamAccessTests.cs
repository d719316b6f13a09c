using System.Net;
using System.Net.Http.Json;
using OkrKpi.Api.Infrastructure.Security;

namespace OkrKpi.Api.IntegrationTests.Features.Teams;

/// <summary>Everyone signed in reads the organisation chart; only admins change it (docs/security.md).</summary>
public sealed class TeamAccessTests : IntegrationTest
{
    [Test]
    public async Task Only_admins_create_rename_move_and_delete_teams()
    {
        var team = await GivenTeamAsync("Quality");
        using var editor = await Callers.GivenPersonClientAsync(Role.Editor, team.Id);
        var ifMatch = $"\"{team.Version}\"";

        var create = await editor.PostAsJsonAsync("/api/v1/teams", new { name = "Shadow team" });
        var rename = await editor.SendAsync(new HttpRequestMessage(HttpMethod.Put, $"/api/v1/teams/{team.Id}/name")
            { Content = JsonContent.Create(new { name = "Renamed" }), Headers = { { "If-Match", ifMatch } } });
        var move = await editor.SendAsync(new HttpRequestMessage(HttpMethod.Put, $"/api/v1/teams/{team.Id}/parent")
            { Content = JsonContent.Create(new { parentTeamId = (Guid?)null }), Headers = { { "If-Match", ifMatch } } });
        var delete = await editor.DeleteAsync($"/api/v1/teams/{team.Id}");

        foreach (var response in new[] { create, rename, move, delete })
            await ProblemAsync(response, HttpStatusCode.Forbidden);
        Assert.That((await Api.GetFromJsonAsync<OkrKpi.Api.Features.Teams.TeamResponse>($"/api/v1/teams/{team.Id}", Json))!.Name, Is.EqualTo("Quality"));
    }

    [Test]
    public async Task Viewers_and_tokens_with_either_read_scope_read_teams()
    {
        var team = await GivenTeamAsync("Quality");
        var viewer = await Callers.GivenUserAsync(Role.Viewer);
        using var person = await Callers.GivenPersonClientAsync(Role.Viewer);
        using var okrsReader = await Callers.GivenTokenClientAsync(viewer, [Scopes.OkrsRead]);
        var editor = await Callers.GivenUserAsync(Role.Editor);
        using var writeOnly = await Callers.GivenTokenClientAsync(editor, [Scopes.MeasurementsWrite]);

        Assert.That((await person.GetAsync($"/api/v1/teams/{team.Id}")).StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That((await okrsReader.GetAsync("/api/v1/teams")).StatusCode, Is.EqualTo(HttpStatusCode.OK));
        await ProblemAsync(await writeOnly.GetAsync("/api/v1/teams"), HttpStatusCode.Forbidden);
    }
}
