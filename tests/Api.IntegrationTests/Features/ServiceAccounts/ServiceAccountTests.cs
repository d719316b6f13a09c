using System.Net;
using System.Net.Http.Json;
using OkrKpi.Api.Features.ServiceAccounts;
using OkrKpi.Api.Features.Tokens;
using OkrKpi.Api.Features.Users;
using OkrKpi.Api.Infrastructure.Http;
using OkrKpi.Api.Infrastructure.Security;
using OkrKpi.Api.IntegrationTests.Features.Tokens;

namespace OkrKpi.Api.IntegrationTests.Features.ServiceAccounts;

public sealed class ServiceAccountTests : TokensTest
{
    private static async Task<ServiceAccountResponse> GivenServiceAccountAsync(Browser admin, Role role = Role.Editor)
    {
        var response = await admin.SendAsync(HttpMethod.Post, "/api/v1/service-accounts", new { name = "Azure DevOps", role = role.ToString().ToLowerInvariant(), teamIds = Array.Empty<Guid>() });
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created), await response.Content.ReadAsStringAsync());
        Assert.That(response.Headers.ETag?.Tag, Is.EqualTo("\"1\""));
        return (await response.Content.ReadFromJsonAsync<ServiceAccountResponse>(Json))!;
    }

    private static async Task<CreateToken.Response> GivenTokenOfAsync(Browser admin, Guid account, string[] scopes)
    {
        var response = await CreateAsync(admin, new { name = "ado hook", scopes, expiresInDays = 365, serviceAccountId = account });
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created), await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<CreateToken.Response>(Json))!;
    }

    [Test]
    public async Task An_admin_creates_a_service_account_and_a_token_for_it()
    {
        var (admin, _) = await GivenSignedInAsync(Role.Admin);
        using var _ = admin;
        var account = await GivenServiceAccountAsync(admin);

        var token = await GivenTokenOfAsync(admin, account.Id, [Scopes.MeasurementsWrite, Scopes.KpisRead]);

        Assert.That(token.UserId, Is.EqualTo(account.Id));
        Assert.That(token.ServiceAccount, Is.True);
        Assert.That((await WithToken(token.Token).GetAsync("/api/v1/kpis")).StatusCode, Is.EqualTo(HttpStatusCode.OK));
        var listed = await admin.Client.GetFromJsonAsync<Page<TokenResponse>>($"/api/v1/tokens?userId={account.Id}", Json);
        Assert.That(listed!.Items.Select(t => t.Id), Is.EqualTo(new[] { token.Id }));
    }

    [Test]
    public async Task Its_tokens_keep_working_when_the_admin_who_made_them_is_disabled()
    {
        var (maker, makerId) = await GivenSignedInAsync(Role.Admin);
        var (other, _) = await GivenSignedInAsync(Role.Admin);
        using var _ = maker;
        using var __ = other;
        var account = await GivenServiceAccountAsync(maker);
        var token = await GivenTokenOfAsync(maker, account.Id, [Scopes.KpisRead]);

        var disable = await other.SendAsync(HttpMethod.Put, $"/api/v1/users/{makerId}",
            new { displayName = "Former admin", role = "admin", disabled = true, teamIds = Array.Empty<Guid>() }, ifMatch: "*");

        Assert.That(disable.StatusCode, Is.EqualTo(HttpStatusCode.OK), await disable.Content.ReadAsStringAsync());
        Assert.That((await WithToken(token.Token).GetAsync("/api/v1/kpis")).StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    [Test]
    public async Task Disabling_the_service_account_stops_its_tokens()
    {
        var (admin, _) = await GivenSignedInAsync(Role.Admin);
        using var _ = admin;
        var account = await GivenServiceAccountAsync(admin);
        var token = await GivenTokenOfAsync(admin, account.Id, [Scopes.KpisRead]);

        var update = await admin.SendAsync(HttpMethod.Put, $"/api/v1/service-accounts/{account.Id}",
            new { name = "Azure DevOps (old)", role = "editor", disabled = true, teamIds = Array.Empty<Guid>() }, ifMatch: "\"1\"");

        Assert.That(update.StatusCode, Is.EqualTo(HttpStatusCode.OK), await update.Content.ReadAsStringAsync());
        Assert.That(update.Headers.ETag?.Tag, Is.EqualTo("\"2\""));
        await ProblemAsync(await WithToken(token.Token).GetAsync("/api/v1/kpis"), HttpStatusCode.Unauthorized);
        await ProblemAsync(await admin.SendAsync(HttpMethod.Put, $"/api/v1/service-accounts/{account.Id}",
            new { name = "x", role = "editor", disabled = false, teamIds = Array.Empty<Guid>() }, ifMatch: "\"1\""), HttpStatusCode.PreconditionFailed);
    }

    [Test]
    public async Task A_token_can_hold_no_scope_beyond_the_service_accounts_role()
    {
        var (admin, _) = await GivenSignedInAsync(Role.Admin);
        using var _ = admin;
        var account = await GivenServiceAccountAsync(admin, Role.Viewer);

        var problem = await ProblemAsync(await CreateAsync(admin, new { name = "x", scopes = new[] { Scopes.MeasurementsWrite }, expiresInDays = 30, serviceAccountId = account.Id }),
            HttpStatusCode.Forbidden);

        Assert.That(problem["detail"]!.GetValue<string>(), Does.Contain("the service account is viewer"));
    }

    [Test]
    public async Task Only_an_admin_makes_tokens_for_a_service_account_and_it_is_not_a_person_in_the_directory()
    {
        var (admin, _) = await GivenSignedInAsync(Role.Admin);
        var (editor, _) = await GivenSignedInAsync(Role.Editor);
        using var _ = admin;
        using var __ = editor;
        var account = await GivenServiceAccountAsync(admin);

        await ProblemAsync(await CreateAsync(editor, new { name = "x", scopes = new[] { Scopes.KpisRead }, expiresInDays = 30, serviceAccountId = account.Id }),
            HttpStatusCode.Forbidden);
        var people = await admin.Client.GetFromJsonAsync<Page<UserResponse>>("/api/v1/users?limit=200", Json);
        Assert.That(people!.Items.Select(u => u.Id), Has.No.Member(account.Id));
        Assert.That((await admin.Client.GetAsync($"/api/v1/users/{account.Id}")).StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        var accounts = await admin.Client.GetFromJsonAsync<Page<ServiceAccountResponse>>("/api/v1/service-accounts", Json);
        Assert.That(accounts!.Items.Select(a => a.Name), Is.EqualTo(new[] { "Azure DevOps" }));
    }

    [Test]
    public async Task The_list_names_each_service_accounts_teams()
    {
        var (admin, _) = await GivenSignedInAsync(Role.Admin);
        using var _ = admin;
        var team = await GivenTeamAsync("Platform");
        var created = await admin.SendAsync(HttpMethod.Post, "/api/v1/service-accounts", new { name = "CI", role = "editor", teamIds = new[] { team.Id } });
        Assert.That(created.StatusCode, Is.EqualTo(HttpStatusCode.Created), await created.Content.ReadAsStringAsync());

        var accounts = await admin.Client.GetFromJsonAsync<Page<ServiceAccountResponse>>("/api/v1/service-accounts", Json);
        Assert.That(accounts!.Items.Single(a => a.Name == "CI").TeamIds, Is.EqualTo(new[] { team.Id }));
    }
}
