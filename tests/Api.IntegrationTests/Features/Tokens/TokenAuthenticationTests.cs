using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using Dapper;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using OkrKpi.Api.Infrastructure.Data;
using OkrKpi.Api.Infrastructure.Security;

namespace OkrKpi.Api.IntegrationTests.Features.Tokens;

/// <summary>How a token is accepted: only as a bearer, only while unexpired, unrevoked and its person enabled; every failure alike.</summary>
public sealed class TokenAuthenticationTests : TokensTest
{

    [Test]
    public async Task An_expired_token_is_refused()
    {
        var (browser, _) = await GivenSignedInAsync();
        using var _ = browser;
        var token = await GivenTokenAsync(browser, expiresInDays: 1);
        Assert.That((await WithToken(token.Token).GetAsync("/api/v1/kpis")).StatusCode, Is.EqualTo(HttpStatusCode.OK));

        ApiFixture.Clock.Advance(TimeSpan.FromDays(1));

        await ProblemAsync(await WithToken(token.Token).GetAsync("/api/v1/kpis"), HttpStatusCode.Unauthorized);
    }

    [Test]
    public async Task A_revoked_token_fails_on_its_next_request()
    {
        var (browser, _) = await GivenSignedInAsync();
        using var _ = browser;
        var token = await GivenTokenAsync(browser);
        var client = WithToken(token.Token);
        Assert.That((await client.GetAsync("/api/v1/kpis")).StatusCode, Is.EqualTo(HttpStatusCode.OK));

        var revoke = await browser.SendAsync(HttpMethod.Delete, $"/api/v1/tokens/{token.Id}");

        Assert.That(revoke.StatusCode, Is.EqualTo(HttpStatusCode.NoContent), await revoke.Content.ReadAsStringAsync());
        await ProblemAsync(await client.GetAsync("/api/v1/kpis"), HttpStatusCode.Unauthorized);
    }

    [Test]
    public async Task Records_when_a_token_was_last_used()
    {
        var (browser, _) = await GivenSignedInAsync();
        using var _ = browser;
        var token = await GivenTokenAsync(browser);
        ApiFixture.Clock.Advance(TimeSpan.FromMinutes(5));

        await WithToken(token.Token).GetAsync("/api/v1/kpis");

        Assert.That(await LastUsedAtAsync(browser), Is.EqualTo(ApiFixture.Clock.GetUtcNow()));
    }

    [Test]
    public async Task A_read_does_not_wait_for_the_record_of_its_tokens_use_while_another_writer_holds_the_database()
    {
        if (ApiFixture.Database.Provider != DatabaseProvider.Sqlite) Assert.Ignore("SQLite's file lock only.");
        var (browser, _) = await GivenSignedInAsync();
        using var _ = browser;
        var token = await GivenTokenAsync(browser);
        ApiFixture.Clock.Advance(TimeSpan.FromMinutes(5));
        var busyTimeout = ApiFixture.Factory.Services.GetRequiredService<IOptions<DatabaseOptions>>().Value.BusyTimeoutSeconds;

        await using (var holder = new SqliteConnection(ApiFixture.Database.ConnectionString + ";Pooling=False"))
        {
            await holder.OpenAsync();
            await using var transaction = await holder.BeginTransactionAsync();   // BEGIN IMMEDIATE: takes the write lock
            var clock = Stopwatch.StartNew();

            var response = await WithToken(token.Token).GetAsync("/api/v1/kpis");

            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(clock.Elapsed, Is.LessThan(TimeSpan.FromSeconds(busyTimeout)), "the read waited for the write lock");
        }

        Assert.That(await LastUsedAtAsync(browser), Is.EqualTo(ApiFixture.Clock.GetUtcNow()), "recorded once the lock was released");
    }

    /// <summary>The token's last use as its owner lists it, once recorded (after the request that used it).</summary>
    private static async Task<DateTimeOffset?> LastUsedAtAsync(Browser browser)
    {
        var waited = Stopwatch.StartNew();
        while (true)
        {
            var listed = await browser.Client.GetFromJsonAsync<OkrKpi.Api.Infrastructure.Http.Page<OkrKpi.Api.Features.Tokens.TokenResponse>>("/api/v1/tokens", Json);
            var lastUsedAt = listed!.Items.Single().LastUsedAt;
            if (lastUsedAt is not null || waited.Elapsed > TimeSpan.FromSeconds(10)) return lastUsedAt;
            await Task.Delay(20);
        }
    }

    [Test]
    public async Task Unknown_malformed_expired_and_revoked_tokens_get_one_identical_401()
    {
        var (browser, _) = await GivenSignedInAsync();
        using var _ = browser;
        var expired = await GivenTokenAsync(browser, expiresInDays: 1);
        var revoked = await GivenTokenAsync(browser);
        await browser.SendAsync(HttpMethod.Delete, $"/api/v1/tokens/{revoked.Id}");
        var (unknown, _, _) = ApiTokens.New();
        var wrongSecret = revoked.Token[..^4] + "AAAA";
        ApiFixture.Clock.Advance(TimeSpan.FromDays(1));

        var answers = new List<string>();
        foreach (var token in new[] { unknown, "okr_not-a-token", "garbage", expired.Token, revoked.Token, wrongSecret })
        {
            var response = await WithToken(token).GetAsync("/api/v1/kpis");
            var problem = await ProblemAsync(response, HttpStatusCode.Unauthorized);
            problem.Remove("traceId");
            answers.Add($"{string.Join(",", response.Headers.WwwAuthenticate)} {problem.ToJsonString()}");
        }

        Assert.That(answers.Distinct().ToList(), Has.Count.EqualTo(1), string.Join("\n", answers));
    }

    [Test]
    public async Task A_token_in_a_cookie_or_in_the_query_string_is_not_accepted()
    {
        var client = Callers.Client();

        var query = await client.GetAsync($"/api/v1/kpis?access_token={Callers.AdminToken}&token={Callers.AdminToken}");
        var cookie = new HttpRequestMessage(HttpMethod.Get, "/api/v1/kpis");
        cookie.Headers.Add("Cookie", $"okrkpi-session={Callers.AdminToken}; access_token={Callers.AdminToken}; token={Callers.AdminToken}");
        var inCookie = await client.SendAsync(cookie);

        await ProblemAsync(query, HttpStatusCode.BadRequest);   // and says where a token belongs (TokenTransportTests)
        await ProblemAsync(inCookie, HttpStatusCode.Unauthorized);
    }

    [Test]
    public async Task A_disabled_persons_tokens_stop_working()
    {
        var (browser, user) = await GivenSignedInAsync();
        using var _ = browser;
        var token = await GivenTokenAsync(browser);

        await using (var connection = await ApiFixture.Database.OpenAsync())
            await connection.ExecuteAsync("UPDATE AppUser SET Disabled = 1 WHERE Id = @Id", new { Id = user });

        await ProblemAsync(await WithToken(token.Token).GetAsync("/api/v1/kpis"), HttpStatusCode.Unauthorized);
    }

    [Test]
    public async Task Lowering_the_persons_role_narrows_their_tokens_at_once()
    {
        var (browser, user) = await GivenSignedInAsync(Role.Admin);
        using var _ = browser;
        var token = await GivenTokenAsync(browser, [Scopes.Admin, Scopes.KpisRead]);
        await using (var connection = await ApiFixture.Database.OpenAsync())
            await connection.ExecuteAsync("UPDATE AppUser SET Role = 'Editor' WHERE Id = @Id", new { Id = user });

        var adminWrite = await WithToken(token.Token).PostAsJsonAsync("/api/v1/users",
            new { email = "new@example.com", displayName = "New", role = "viewer", teamIds = Array.Empty<Guid>() });

        await ProblemAsync(adminWrite, HttpStatusCode.Forbidden);
        Assert.That((await WithToken(token.Token).GetAsync("/api/v1/users")).StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }
}
