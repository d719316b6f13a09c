using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Dapper;
using OkrKpi.Api.Features.Users;
using OkrKpi.Api.Infrastructure.Security;

namespace OkrKpi.Api.IntegrationTests.Features.Users;

public sealed class CreateUserTests : IntegrationTest
{
    private static JsonObject Body(string email = "ann@example.com", string role = "editor", string? password = "a long enough passphrase", params Guid[] teamIds) => new()
    {
        ["email"] = email,
        ["displayName"] = "Ann Example",
        ["role"] = role,
        ["password"] = password,
        ["teamIds"] = new JsonArray(teamIds.Select(id => (JsonNode)id.ToString()).ToArray()),
    };

    [Test]
    public async Task Creates_a_person_with_a_role_and_teams_and_answers_201_with_an_etag()
    {
        var team = await GivenTeamAsync("Quality");

        var response = await PostJsonAsync("/api/v1/users", Body(teamIds: team.Id));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created), await response.Content.ReadAsStringAsync());
        var user = await ReadAsync<UserResponse>(response);
        Assert.That(response.Headers.ETag?.Tag, Is.EqualTo("\"1\""));
        Assert.That(response.Headers.Location?.ToString(), Is.EqualTo($"/api/v1/users/{user.Id}"));
        Assert.That(user.Email, Is.EqualTo("ann@example.com"));
        Assert.That(user.Role, Is.EqualTo(Role.Editor));
        Assert.That(user.TeamIds, Is.EqualTo(new[] { team.Id }));
        Assert.That(user.HasPassword, Is.True);
        Assert.That(user.Disabled, Is.False);
        Assert.That(await response.Content.ReadAsStringAsync(), Does.Not.Contain("passphrase").And.Not.Contain("passwordHash"));
        Assert.That(await Api.GetFromJsonAsync<UserResponse>($"/api/v1/users/{user.Id}", Json), Is.EqualTo(user).Using<UserResponse>(SameUser));
    }

    [Test]
    public async Task The_password_is_stored_hashed_and_the_person_can_sign_in_with_it()
    {
        var response = await PostJsonAsync("/api/v1/users", Body());
        var user = await ReadAsync<UserResponse>(response);

        await using var connection = await ApiFixture.Database.OpenAsync();
        var hash = await connection.ExecuteScalarAsync<string>("SELECT PasswordHash FROM AppUser WHERE Id = @Id", new { user.Id });
        Assert.That(hash, Does.Not.Contain("a long enough passphrase"));
        Assert.That(People.VerifyPassword(hash, "a long enough passphrase"), Is.EqualTo(People.Verification.Succeeded));
    }

    [Test]
    public async Task A_person_may_have_no_password_and_then_signs_in_only_through_the_identity_provider()
    {
        var response = await PostJsonAsync("/api/v1/users", Body(password: null));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created), await response.Content.ReadAsStringAsync());
        Assert.That((await ReadAsync<UserResponse>(response)).HasPassword, Is.False);
    }

    [Test]
    public async Task Refuses_an_email_already_taken_in_any_case_with_409()
    {
        await PostJsonAsync("/api/v1/users", Body("ann@example.com"));

        await ProblemAsync(await PostJsonAsync("/api/v1/users", Body(" ANN@Example.COM ")), HttpStatusCode.Conflict);
    }

    [TestCase("short pass")]
    [TestCase("12345678901")]
    public async Task Refuses_a_password_shorter_than_12_characters(string password)
    {
        var errors = await FieldErrorsAsync(await PostJsonAsync("/api/v1/users", Body(password: password)), "password");

        Assert.That(errors, Has.Some.Contains("at least 12"));
    }

    [Test]
    public async Task Accepts_a_12_character_password_without_composition_rules()
    {
        var response = await PostJsonAsync("/api/v1/users", Body(password: "aaaaaaaaaaaa"));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created), await response.Content.ReadAsStringAsync());
    }

    [TestCase("not-an-email")]
    [TestCase("")]
    public async Task Refuses_an_email_that_is_not_one(string email) =>
        await FieldErrorsAsync(await PostJsonAsync("/api/v1/users", Body(email)), "email");

    [TestCase("owner")]
    [TestCase("1")]
    public async Task Refuses_an_unknown_role(string role) =>
        await ProblemAsync(await PostJsonAsync("/api/v1/users", Body(role: role)), HttpStatusCode.BadRequest);

    [Test]
    public async Task Refuses_an_unknown_team_naming_its_position()
    {
        var team = await GivenTeamAsync("Quality");

        await FieldErrorsAsync(await PostJsonAsync("/api/v1/users", Body(teamIds: [team.Id, Guid.CreateVersion7()])), "teamIds[1]");

        var list = await Api.GetFromJsonAsync<JsonObject>("/api/v1/users", Json);
        Assert.That(list!["items"]!.AsArray(), Has.Count.EqualTo(1), "only the seeded admin: nothing was half-created");
    }

    [Test]
    public async Task Only_an_admin_may_create_people()
    {
        var editor = await Callers.GivenPersonClientAsync(Role.Editor);

        var response = await editor.PostAsync("/api/v1/users", new StringContent(Body().ToJsonString(), System.Text.Encoding.UTF8, "application/json"));

        await ProblemAsync(response, HttpStatusCode.Forbidden);
    }

    [Test]
    public async Task Records_the_creation_in_the_audit_log_without_the_password()
    {
        var user = await ReadAsync<UserResponse>(await PostJsonAsync("/api/v1/users", Body()));

        await using var connection = await ApiFixture.Database.OpenAsync();
        var entry = await connection.QuerySingleAsync<(string Actor, string Action, string? Before, string After)>(
            "SELECT Actor, Action, Before, After FROM AuditEntry WHERE Entity = 'user' AND EntityId = @Id", new { Id = user.Id.ToString() });
        Assert.That(entry.Actor, Is.EqualTo("token:a0a0a0a0a0a0a0a0"));
        Assert.That(entry.Action, Is.EqualTo("create"));
        Assert.That(entry.Before, Is.Null);
        Assert.That(entry.After, Does.Contain("ann@example.com").And.Not.Contain("passphrase").And.Not.Contain("AQAAAA"));
    }

    private static bool SameUser(UserResponse a, UserResponse b) =>
        a with { TeamIds = [] } == b with { TeamIds = [] } && a.TeamIds.SequenceEqual(b.TeamIds);
}
