using System.Net;
using System.Text.Json.Nodes;
using OkrKpi.Api.Features.Users;
using OkrKpi.Api.Infrastructure.Security;

namespace OkrKpi.Api.IntegrationTests.Features.Users;

/// <summary>PATCH /users/{id}: an admin changes one thing about a person and the rest stays.</summary>
public sealed class PatchUserTests : IntegrationTest
{
    [Test]
    public async Task Changes_the_role_and_keeps_the_teams_and_name()
    {
        var team = await GivenTeamAsync("Manufacturing");
        var userId = await Callers.GivenUserAsync(Role.Viewer, [team.Id]);
        var before = await ReadAsync<UserResponse>(await Api.GetAsync($"/api/v1/users/{userId}"));

        var response = await PatchAsync($"/api/v1/users/{userId}", new JsonObject { ["role"] = "editor" }, $"\"{before.Version}\"");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        var patched = await ReadAsync<UserResponse>(response);
        Assert.That((patched.Role, patched.DisplayName, patched.Disabled), Is.EqualTo((Role.Editor, before.DisplayName, false)));
        Assert.That(patched.TeamIds, Is.EqualTo(new[] { team.Id }));
    }

    [Test]
    public async Task A_token_without_admin_cannot_patch_anyone()
    {
        var userId = await Callers.GivenUserAsync(Role.Viewer);
        using var editor = await Callers.GivenPersonClientAsync(Role.Editor);
        var request = new HttpRequestMessage(HttpMethod.Patch, $"/api/v1/users/{userId}")
        {
            Content = new StringContent("""{ "role": "admin" }""", System.Text.Encoding.UTF8, "application/merge-patch+json"),
        };
        request.Headers.TryAddWithoutValidation("If-Match", "*");

        await ProblemAsync(await editor.SendAsync(request), HttpStatusCode.Forbidden);
    }
}
