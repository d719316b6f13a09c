using System.Net;
using System.Net.Http.Json;
using OkrKpi.Api.Features.Users;
using OkrKpi.Api.Infrastructure.Http;
using OkrKpi.Api.Infrastructure.Security;

namespace OkrKpi.Api.IntegrationTests.Features.Users;

public sealed class ListUsersTests : IntegrationTest
{
    private static async Task<Page<UserResponse>> ListAsync(string query = "", HttpClient? client = null)
    {
        var response = await (client ?? Api).GetAsync($"/api/v1/users{query}");
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        return await ReadAsync<Page<UserResponse>>(response);
    }

    [Test]
    public async Task Lists_people_by_email_a_page_at_a_time()
    {
        foreach (var name in new[] { "cleo", "bob", "ann", "dan" })
            await Callers.GivenUserAsync(Role.Viewer, email: $"{name}@example.com");

        var first = await ListAsync("?limit=3");
        var second = await ListAsync($"?limit=3&cursor={first.NextCursor}");

        Assert.That(first.Items.Select(u => u.Email), Is.EqualTo(new[] { Callers.AdminEmail, "ann@example.com", "bob@example.com" }));
        Assert.That(second.Items.Select(u => u.Email), Is.EqualTo(new[] { "cleo@example.com", "dan@example.com" }));
        Assert.That(second.NextCursor, Is.Null);
    }

    [Test]
    public async Task Filters_by_role_team_and_text()
    {
        var quality = await GivenTeamAsync("Quality");
        await Callers.GivenUserAsync(Role.Editor, [quality.Id], email: "ann@example.com");
        await Callers.GivenUserAsync(Role.Editor, email: "bob@example.com");
        await Callers.GivenUserAsync(Role.Viewer, [quality.Id], email: "cleo@example.com");

        Assert.That((await ListAsync("?role=editor")).Items.Select(u => u.Email), Is.EqualTo(new[] { "ann@example.com", "bob@example.com" }));
        Assert.That((await ListAsync($"?teamId={quality.Id}")).Items.Select(u => u.Email), Is.EqualTo(new[] { "ann@example.com", "cleo@example.com" }));
        Assert.That((await ListAsync("?text=CLE")).Items.Select(u => u.Email), Is.EqualTo(new[] { "cleo@example.com" }));
        Assert.That((await ListAsync($"?role=viewer&teamId={quality.Id}")).Items.Single().TeamIds, Is.EqualTo(new[] { quality.Id }));
    }

    [Test]
    public async Task Refuses_a_role_filter_that_is_not_a_role() =>
        await FieldErrorsAsync(await Api.GetAsync("/api/v1/users?role=owner"), "role");

    [Test]
    public async Task Every_signed_in_person_reads_the_directory()
    {
        var viewer = await Callers.GivenPersonClientAsync(Role.Viewer);

        var page = await ListAsync(client: viewer);

        Assert.That(page.Items, Has.Count.EqualTo(2));
        Assert.That((await viewer.GetAsync($"/api/v1/users/{Callers.AdminId}")).StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    [Test]
    public async Task Anonymous_callers_cannot_read_it() =>
        await ProblemAsync(await Callers.Client().GetAsync("/api/v1/users"), HttpStatusCode.Unauthorized);

    [Test]
    public async Task Reading_an_unknown_person_is_404() =>
        Assert.That((await Api.GetAsync($"/api/v1/users/{Guid.CreateVersion7()}")).StatusCode, Is.EqualTo(HttpStatusCode.NotFound));

    [Test]
    public async Task Reading_a_person_gives_their_version_as_etag()
    {
        var response = await Api.GetAsync($"/api/v1/users/{Callers.AdminId}");

        Assert.That(response.Headers.ETag?.Tag, Is.EqualTo("\"1\""));
        Assert.That((await response.Content.ReadFromJsonAsync<UserResponse>(Json))!.Role, Is.EqualTo(Role.Admin));
    }
}
