using System.Net;
using Dapper;
using OkrKpi.Api.Infrastructure.Security;

namespace OkrKpi.Api.IntegrationTests.Features.Users;

/// <summary>A person changes their own password (PUT /users/me/password); an admin sets anyone's (PUT /users/{id}/password).</summary>
public sealed class PasswordTests : IntegrationTest
{
    private const string Old = "the old passphrase";
    private const string New = "the new passphrase";

    private static async Task<string?> HashOfAsync(Guid id)
    {
        await using var connection = await ApiFixture.Database.OpenAsync();
        return await connection.ExecuteScalarAsync<string?>("SELECT PasswordHash FROM AppUser WHERE Id = @Id", new { Id = id });
    }

    private static async Task<long> SessionsOfAsync(Guid id)
    {
        await using var connection = await ApiFixture.Database.OpenAsync();
        return await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM UserSession WHERE UserId = @Id", new { Id = id });
    }

    [Test]
    public async Task A_person_changes_their_password_and_their_other_sessions_end()
    {
        var ann = await Callers.GivenUserAsync(Role.Viewer, password: Old);
        using var here = new Browser();
        using var elsewhere = new Browser();
        await here.GivenSessionAsync(ann);
        await elsewhere.GivenSessionAsync(ann);

        var response = await here.SendAsync(HttpMethod.Put, "/api/v1/users/me/password", new { currentPassword = Old, newPassword = New });

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.NoContent), await response.Content.ReadAsStringAsync());
        Assert.That(People.VerifyPassword(await HashOfAsync(ann), New), Is.EqualTo(People.Verification.Succeeded));
        Assert.That((await here.Client.GetAsync("/api/v1/session")).StatusCode, Is.EqualTo(HttpStatusCode.OK));
        await ProblemAsync(await elsewhere.Client.GetAsync("/api/v1/session"), HttpStatusCode.Unauthorized);
    }

    [Test]
    public async Task Refuses_a_wrong_current_password_and_keeps_the_old_one()
    {
        var ann = await Callers.GivenUserAsync(Role.Viewer, password: Old);
        using var browser = new Browser();
        await browser.GivenSessionAsync(ann);

        var response = await browser.SendAsync(HttpMethod.Put, "/api/v1/users/me/password", new { currentPassword = "not the old one", newPassword = New });

        await FieldErrorsAsync(response, "currentPassword");
        Assert.That(People.VerifyPassword(await HashOfAsync(ann), Old), Is.EqualTo(People.Verification.Succeeded));
    }

    [Test]
    public async Task Refuses_a_new_password_shorter_than_12_characters()
    {
        var ann = await Callers.GivenUserAsync(Role.Viewer, password: Old);
        using var browser = new Browser();
        await browser.GivenSessionAsync(ann);

        var response = await browser.SendAsync(HttpMethod.Put, "/api/v1/users/me/password", new { currentPassword = Old, newPassword = "too short" });

        await FieldErrorsAsync(response, "newPassword");
    }

    [Test]
    public async Task A_token_cannot_change_its_owners_password()
    {
        var ann = await Callers.GivenUserAsync(Role.Admin, password: Old);
        var token = await Callers.GivenTokenClientAsync(ann, Scopes.All);

        var response = await token.PutAsync("/api/v1/users/me/password",
            System.Net.Http.Json.JsonContent.Create(new { currentPassword = Old, newPassword = New }));

        await ProblemAsync(response, HttpStatusCode.Forbidden);
    }

    [Test]
    public async Task An_admin_sets_a_persons_password_which_ends_their_sessions()
    {
        var ann = await Callers.GivenUserAsync(Role.Viewer);
        using var browser = new Browser();
        await browser.GivenSessionAsync(ann);

        var response = await PutJsonAsync($"/api/v1/users/{ann}/password", new { password = New }, ifMatch: null);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.NoContent), await response.Content.ReadAsStringAsync());
        Assert.That(People.VerifyPassword(await HashOfAsync(ann), New), Is.EqualTo(People.Verification.Succeeded));
        Assert.That(await SessionsOfAsync(ann), Is.Zero);
    }

    [Test]
    public async Task Setting_the_password_of_an_unknown_person_is_404() =>
        await ProblemAsync(await PutJsonAsync($"/api/v1/users/{Guid.CreateVersion7()}/password", new { password = New }, null), HttpStatusCode.NotFound);

    [Test]
    public async Task Only_an_admin_sets_someone_elses_password()
    {
        var ann = await Callers.GivenUserAsync(Role.Viewer);
        var editor = await Callers.GivenPersonClientAsync(Role.Editor);

        var response = await editor.PutAsync($"/api/v1/users/{ann}/password", System.Net.Http.Json.JsonContent.Create(new { password = New }));

        await ProblemAsync(response, HttpStatusCode.Forbidden);
    }

    [Test]
    public async Task The_audit_log_records_password_changes_without_the_password_or_its_hash()
    {
        var ann = await Callers.GivenUserAsync(Role.Viewer);

        await PutJsonAsync($"/api/v1/users/{ann}/password", new { password = New }, null);

        var hash = await HashOfAsync(ann);
        await using var connection = await ApiFixture.Database.OpenAsync();
        var entry = await connection.QuerySingleAsync<(string Action, string Before, string After)>(
            "SELECT Action, Before, After FROM AuditEntry WHERE EntityId = @Id", new { Id = ann.ToString() });
        Assert.That(entry.Action, Is.EqualTo("setPassword"));
        Assert.That(entry.Before, Does.Contain("\"hasPassword\":false"));
        Assert.That(entry.After, Does.Contain("\"hasPassword\":true").And.Not.Contain(New).And.Not.Contain(hash!));
    }
}
