using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using Dapper;
using OkrKpi.Api.Features.Tokens;
using OkrKpi.Api.Infrastructure.Security;

namespace OkrKpi.Api.IntegrationTests.Features.Tokens;

public sealed class RotateTokenTests : TokensTest
{
    private static Task<HttpResponseMessage> RotateAsync(Browser browser, Guid id, string? ifMatch) =>
        browser.SendAsync(HttpMethod.Post, $"/api/v1/tokens/{id}/rotate", ifMatch: ifMatch);

    private static async Task<CreateToken.Response> RotatedAsync(Browser browser, CreateToken.Response token)
    {
        var response = await RotateAsync(browser, token.Id, $"\"{token.Version}\"");
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        Assert.That(response.Headers.CacheControl?.NoStore, Is.True);
        return (await response.Content.ReadFromJsonAsync<CreateToken.Response>(Json))!;
    }

    [Test]
    public async Task Rotating_gives_a_new_secret_and_the_old_one_works_until_the_grace_period_ends()
    {
        var (browser, user) = await GivenSignedInAsync();
        using var _ = browser;
        var token = await GivenTokenAsync(browser, expiresInDays: 90);
        ApiFixture.Clock.Advance(TimeSpan.FromDays(10));
        await browser.GivenSessionAsync(user);   // the first one has timed out

        var rotated = await RotatedAsync(browser, token);

        Assert.That(rotated.Token, Is.Not.EqualTo(token.Token));
        Assert.That(rotated.PublicId, Is.EqualTo(token.PublicId));
        Assert.That(rotated.RotatedAt, Is.EqualTo(ApiFixture.Clock.GetUtcNow()));
        Assert.That(rotated.ExpiresAt, Is.EqualTo(ApiFixture.Clock.GetUtcNow().AddDays(90)), "as long a lifetime as before");
        Assert.That(rotated.PreviousSecretExpiresAt, Is.EqualTo(ApiFixture.Clock.GetUtcNow().AddHours(24)));
        Assert.That(rotated.Version, Is.EqualTo(token.Version + 1));
        Assert.That((await WithToken(rotated.Token).GetAsync("/api/v1/kpis")).StatusCode, Is.EqualTo(HttpStatusCode.OK));
        var old = await WithToken(token.Token).GetAsync("/api/v1/kpis");
        Assert.That(old.StatusCode, Is.EqualTo(HttpStatusCode.OK), "the old secret works during the grace period");
        Assert.That(old.Headers.GetValues(ApiTokens.ExpiresHeader).Single(), Is.EqualTo("2026-07-26T09:30:00Z"), "and says when it stops");

        ApiFixture.Clock.Advance(TimeSpan.FromHours(24));

        await ProblemAsync(await WithToken(token.Token).GetAsync("/api/v1/kpis"), HttpStatusCode.Unauthorized);
        Assert.That((await WithToken(rotated.Token).GetAsync("/api/v1/kpis")).StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    [Test]
    public async Task Rotating_needs_the_current_version_in_If_Match()
    {
        var (browser, _) = await GivenSignedInAsync();
        using var _ = browser;
        var token = await GivenTokenAsync(browser);

        await ProblemAsync(await RotateAsync(browser, token.Id, null), HttpStatusCode.PreconditionRequired);
        await ProblemAsync(await RotateAsync(browser, token.Id, "\"7\""), HttpStatusCode.PreconditionFailed);
        await RotatedAsync(browser, token);
        await ProblemAsync(await RotateAsync(browser, token.Id, $"\"{token.Version}\""), HttpStatusCode.PreconditionFailed);
    }

    [Test]
    public async Task A_revoked_token_cannot_be_rotated_and_someone_elses_is_not_found()
    {
        var (ann, _) = await GivenSignedInAsync();
        var (bob, _) = await GivenSignedInAsync();
        using var _ = ann;
        using var __ = bob;
        var token = await GivenTokenAsync(ann);

        await ProblemAsync(await RotateAsync(bob, token.Id, "*"), HttpStatusCode.NotFound);
        Assert.That((await ann.SendAsync(HttpMethod.Delete, $"/api/v1/tokens/{token.Id}")).StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
        await ProblemAsync(await RotateAsync(ann, token.Id, "*"), HttpStatusCode.Conflict);
    }

    [Test]
    public async Task Rotation_is_in_the_audit_log_without_either_secret()
    {
        var (browser, _) = await GivenSignedInAsync();
        using var _ = browser;
        var token = await GivenTokenAsync(browser);

        var rotated = await RotatedAsync(browser, token);

        await using var connection = await ApiFixture.Database.OpenAsync();
        var after = await connection.QuerySingleAsync<string>("SELECT After FROM AuditEntry WHERE Entity = 'token' AND Action = 'rotate'");
        Assert.That(after, Does.Contain(token.PublicId).And.Not.Contain(rotated.Token.Split('_', 3)[2]).And.Not.Contain(token.Token.Split('_', 3)[2]));
    }

    [Test]
    public async Task A_token_expiring_within_14_days_is_flagged_in_the_list_and_on_every_answer()
    {
        var (browser, user) = await GivenSignedInAsync();
        using var _ = browser;
        var token = await GivenTokenAsync(browser, expiresInDays: 20);

        var early = await WithToken(token.Token).GetAsync("/api/v1/kpis");
        Assert.That(early.Headers.Contains(ApiTokens.ExpiresHeader), Is.False);
        Assert.That((await GetAsync(browser, token.Id)).ExpiresSoon, Is.False);

        ApiFixture.Clock.Advance(TimeSpan.FromDays(7));
        await browser.GivenSessionAsync(user);   // the first one has timed out

        var late = await WithToken(token.Token).GetAsync("/api/v1/kpis");
        Assert.That(late.Headers.GetValues(ApiTokens.ExpiresHeader).Single(), Is.EqualTo("2026-08-04T09:30:00Z"));
        Assert.That((await GetAsync(browser, token.Id)).ExpiresSoon, Is.True);
        var listed = await browser.Client.GetFromJsonAsync<OkrKpi.Api.Infrastructure.Http.Page<TokenResponse>>("/api/v1/tokens", Json);
        Assert.That(listed!.Items.Single().ExpiresSoon, Is.True);
    }

    [Test]
    public async Task Reading_a_token_gives_its_version_as_ETag()
    {
        var (browser, _) = await GivenSignedInAsync();
        using var _ = browser;
        var token = await GivenTokenAsync(browser);

        var response = await browser.Client.GetAsync($"/api/v1/tokens/{token.Id}");

        Assert.That(response.Headers.ETag?.Tag, Is.EqualTo("\"1\""));
    }

    private static async Task<TokenResponse> GetAsync(Browser browser, Guid id) =>
        (await browser.Client.GetFromJsonAsync<TokenResponse>($"/api/v1/tokens/{id}", Json))!;
}
