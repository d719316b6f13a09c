using System.Net;
using System.Net.Http.Json;
using Dapper;
using OkrKpi.Api.Features.Tokens;
using OkrKpi.Api.Infrastructure.Http;
using OkrKpi.Api.Infrastructure.Security;

namespace OkrKpi.Api.IntegrationTests.Features.Tokens;

public sealed class ListAndRevokeTokensTests : TokensTest
{
    private static async Task<Page<TokenResponse>> ListAsync(Browser browser, string query = "")
    {
        var response = await browser.Client.GetAsync($"/api/v1/tokens{query}");
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<Page<TokenResponse>>(Json))!;
    }

    [Test]
    public async Task Lists_only_the_callers_own_tokens_oldest_first()
    {
        var (ann, annId) = await GivenSignedInAsync();
        var (bob, _) = await GivenSignedInAsync();
        using var _ = ann;
        using var __ = bob;
        var first = await GivenTokenAsync(ann);
        var second = await GivenTokenAsync(ann);
        await GivenTokenAsync(bob);

        var page = await ListAsync(ann);

        Assert.That(page.Items.Select(t => t.Id), Is.EqualTo(new[] { first.Id, second.Id }));
        Assert.That(page.Items.Select(t => t.UserId).Distinct(), Is.EqualTo(new[] { annId }));
    }

    [Test]
    public async Task An_admin_lists_one_persons_tokens_or_everyones()
    {
        var (ann, annId) = await GivenSignedInAsync();
        var (admin, _) = await GivenSignedInAsync(Role.Admin);
        using var _ = ann;
        using var __ = admin;
        var annsToken = await GivenTokenAsync(ann);

        Assert.That((await ListAsync(admin, $"?userId={annId}")).Items.Select(t => t.Id), Is.EqualTo(new[] { annsToken.Id }));
        Assert.That((await ListAsync(admin, "?all=true")).Items, Has.Count.EqualTo(2), "Ann's and the seeded admin's");
        Assert.That((await ListAsync(admin)).Items, Is.Empty, "without a filter, an admin's own tokens");
    }

    [Test]
    public async Task Someone_not_an_admin_cannot_list_other_peoples_tokens()
    {
        var (ann, _) = await GivenSignedInAsync();
        using var _ = ann;

        await ProblemAsync(await ann.Client.GetAsync("/api/v1/tokens?all=true"), HttpStatusCode.Forbidden);
        await ProblemAsync(await ann.Client.GetAsync($"/api/v1/tokens?userId={Callers.AdminId}"), HttpStatusCode.Forbidden);
    }

    [Test]
    public async Task Pages_through_tokens_with_a_cursor()
    {
        var (ann, _) = await GivenSignedInAsync();
        using var _ = ann;
        var made = new List<Guid>();
        for (var i = 0; i < 3; i++) made.Add((await GivenTokenAsync(ann)).Id);

        var first = await ListAsync(ann, "?limit=2");
        var second = await ListAsync(ann, $"?limit=2&cursor={first.NextCursor}");

        // Listed by id: ids made in the same millisecond (UUID v7) need not follow the order they were made in, and each
        // database orders ids its own way. Every token once, over the two pages, is what paging promises.
        Assert.That(first.Items.Concat(second.Items).Select(t => t.Id), Is.EquivalentTo(made));
        Assert.That(second.NextCursor, Is.Null);
    }

    [Test]
    public async Task Revoking_sets_the_revocation_time_keeps_the_row_and_is_audited()
    {
        var (ann, _) = await GivenSignedInAsync();
        using var _ = ann;
        var token = await GivenTokenAsync(ann);

        var response = await ann.SendAsync(HttpMethod.Delete, $"/api/v1/tokens/{token.Id}");
        var again = await ann.SendAsync(HttpMethod.Delete, $"/api/v1/tokens/{token.Id}");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
        Assert.That(again.StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
        Assert.That((await ListAsync(ann)).Items.Single().RevokedAt, Is.EqualTo(ApiFixture.Clock.GetUtcNow()));
        await using var connection = await ApiFixture.Database.OpenAsync();
        var actions = await connection.QueryAsync<string>("SELECT Action FROM AuditEntry WHERE Entity = 'token' AND EntityId = @Id ", new { Id = token.Id.ToString() });
        Assert.That(actions, Is.EquivalentTo(new[] { "create", "revoke" }));
    }

    [Test]
    public async Task Someone_elses_token_is_not_found_to_a_non_admin_and_revocable_by_an_admin()
    {
        var (ann, _) = await GivenSignedInAsync();
        var (bob, _) = await GivenSignedInAsync();
        var (admin, _) = await GivenSignedInAsync(Role.Admin);
        using var _ = ann;
        using var __ = bob;
        using var ___ = admin;
        var annsToken = await GivenTokenAsync(ann);

        await ProblemAsync(await bob.SendAsync(HttpMethod.Delete, $"/api/v1/tokens/{annsToken.Id}"), HttpStatusCode.NotFound);
        Assert.That((await WithToken(annsToken.Token).GetAsync("/api/v1/kpis")).StatusCode, Is.EqualTo(HttpStatusCode.OK));

        Assert.That((await admin.SendAsync(HttpMethod.Delete, $"/api/v1/tokens/{annsToken.Id}")).StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
        await ProblemAsync(await WithToken(annsToken.Token).GetAsync("/api/v1/kpis"), HttpStatusCode.Unauthorized);
    }

    [Test]
    public async Task Revoking_an_unknown_token_is_404()
    {
        var (ann, _) = await GivenSignedInAsync();
        using var _ = ann;

        await ProblemAsync(await ann.SendAsync(HttpMethod.Delete, $"/api/v1/tokens/{Guid.CreateVersion7()}"), HttpStatusCode.NotFound);
    }
}
