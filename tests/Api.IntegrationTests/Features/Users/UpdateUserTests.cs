using System.Net;
using System.Net.Http.Json;
using Dapper;
using OkrKpi.Api.Features.Users;
using OkrKpi.Api.Infrastructure.Security;

namespace OkrKpi.Api.IntegrationTests.Features.Users;

public sealed class UpdateUserTests : IntegrationTest
{
    private static object Body(string role = "editor", bool disabled = false, string displayName = "Ann Example", params Guid[] teamIds) =>
        new { displayName, role, disabled, teamIds };

    [Test]
    public async Task Changes_name_role_and_teams_and_bumps_the_version()
    {
        var quality = await GivenTeamAsync("Quality");
        var sales = await GivenTeamAsync("Sales");
        var ann = await Callers.GivenUserAsync(Role.Viewer, [quality.Id]);

        var response = await PutJsonAsync($"/api/v1/users/{ann}", Body("editor", displayName: " Ann E. ", teamIds: sales.Id), "\"1\"");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        Assert.That(response.Headers.ETag?.Tag, Is.EqualTo("\"2\""));
        var user = await ReadAsync<UserResponse>(response);
        Assert.That(user.DisplayName, Is.EqualTo("Ann E."));
        Assert.That(user.Role, Is.EqualTo(Role.Editor));
        Assert.That(user.TeamIds, Is.EqualTo(new[] { sales.Id }));
        Assert.That(user.Version, Is.EqualTo(2));
    }

    [Test]
    public async Task Requires_if_match_and_refuses_a_stale_one()
    {
        var ann = await Callers.GivenUserAsync(Role.Viewer);

        await ProblemAsync(await PutJsonAsync($"/api/v1/users/{ann}", Body(), ifMatch: null), HttpStatusCode.PreconditionRequired);
        await ProblemAsync(await PutJsonAsync($"/api/v1/users/{ann}", Body(), "\"7\""), HttpStatusCode.PreconditionFailed);
        Assert.That((await Api.GetFromJsonAsync<UserResponse>($"/api/v1/users/{ann}", Json))!.Role, Is.EqualTo(Role.Viewer));
    }

    [Test]
    public async Task Updating_an_unknown_person_is_404() =>
        await ProblemAsync(await PutJsonAsync($"/api/v1/users/{Guid.CreateVersion7()}", Body(), "\"1\""), HttpStatusCode.NotFound);

    [Test]
    public async Task Refuses_an_unknown_team_and_changes_nothing()
    {
        var ann = await Callers.GivenUserAsync(Role.Viewer);

        await FieldErrorsAsync(await PutJsonAsync($"/api/v1/users/{ann}", Body(teamIds: Guid.CreateVersion7()), "\"1\""), "teamIds[0]");

        Assert.That((await Api.GetFromJsonAsync<UserResponse>($"/api/v1/users/{ann}", Json))!.Version, Is.EqualTo(1));
    }

    [Test]
    public async Task Disabling_a_person_stops_their_tokens()
    {
        var ann = await Callers.GivenUserAsync(Role.Editor);
        var annToken = await Callers.GivenTokenClientAsync(ann, [Scopes.KpisRead]);
        Assert.That((await annToken.GetAsync("/api/v1/kpis")).StatusCode, Is.EqualTo(HttpStatusCode.OK));

        var response = await PutJsonAsync($"/api/v1/users/{ann}", Body(disabled: true), "\"1\"");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        Assert.That((await ReadAsync<UserResponse>(response)).Disabled, Is.True);
        await ProblemAsync(await annToken.GetAsync("/api/v1/kpis"), HttpStatusCode.Unauthorized);
    }

    [Test]
    public async Task The_last_enabled_admin_cannot_be_disabled_or_demoted()
    {
        var me = await Callers.GivenUserAsync(Role.Admin);
        using var browser = new Browser();
        await browser.GivenSessionAsync(me);
        await using (var connection = await ApiFixture.Database.OpenAsync())
            await connection.ExecuteAsync("UPDATE AppUser SET Disabled = 1 WHERE Id = @Id", new { Id = Callers.AdminId });

        var disable = await browser.SendAsync(HttpMethod.Put, $"/api/v1/users/{me}", Body("admin", disabled: true), "\"1\"");
        var demote = await browser.SendAsync(HttpMethod.Put, $"/api/v1/users/{me}", Body("editor"), "\"1\"");

        await ProblemAsync(disable, HttpStatusCode.Conflict);
        await ProblemAsync(demote, HttpStatusCode.Conflict);
        var unchanged = await browser.Client.GetFromJsonAsync<UserResponse>($"/api/v1/users/{me}", Json);
        Assert.That(unchanged!.Role, Is.EqualTo(Role.Admin));
        Assert.That(unchanged.Disabled, Is.False);
        Assert.That(unchanged.Version, Is.EqualTo(1));
    }

    [Test]
    public async Task An_admin_may_step_down_while_another_admin_remains()
    {
        var me = await Callers.GivenUserAsync(Role.Admin);
        using var browser = new Browser();
        await browser.GivenSessionAsync(me);

        var demote = await browser.SendAsync(HttpMethod.Put, $"/api/v1/users/{me}", Body("editor"), "\"1\"");

        Assert.That(demote.StatusCode, Is.EqualTo(HttpStatusCode.OK), await demote.Content.ReadAsStringAsync());
        await ProblemAsync(await browser.SendAsync(HttpMethod.Put, $"/api/v1/users/{Callers.AdminId}", Body("viewer"), "\"1\""), HttpStatusCode.Forbidden);
    }

    [Test]
    public async Task Only_an_admin_may_change_people()
    {
        var ann = await Callers.GivenUserAsync(Role.Editor);
        var editor = await Callers.GivenPersonClientAsync(Role.Editor);
        var request = new HttpRequestMessage(HttpMethod.Put, $"/api/v1/users/{ann}") { Content = JsonContent.Create(Body("admin")) };
        request.Headers.TryAddWithoutValidation("If-Match", "\"1\"");

        await ProblemAsync(await editor.SendAsync(request), HttpStatusCode.Forbidden);
    }

    [Test]
    public async Task Records_before_and_after_in_the_audit_log()
    {
        var ann = await Callers.GivenUserAsync(Role.Viewer);

        await PutJsonAsync($"/api/v1/users/{ann}", Body("editor"), "\"1\"");

        await using var connection = await ApiFixture.Database.OpenAsync();
        var entry = await connection.QuerySingleAsync<(string Action, string Before, string After)>(
            "SELECT Action, Before, After FROM AuditEntry WHERE Entity = 'user' AND EntityId = @Id", new { Id = ann.ToString() });
        Assert.That(entry.Action, Is.EqualTo("update"));
        Assert.That(entry.Before, Does.Contain("\"role\":\"viewer\""));
        Assert.That(entry.After, Does.Contain("\"role\":\"editor\""));
    }
}
