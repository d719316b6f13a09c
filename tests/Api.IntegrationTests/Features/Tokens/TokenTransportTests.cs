using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using OkrKpi.Api.Features.Tokens;
using OkrKpi.Api.Infrastructure.Http;

namespace OkrKpi.Api.IntegrationTests.Features.Tokens;

/// <summary>Where a token may travel: Bearer, the password of Basic auth (for Azure DevOps service hooks), never the query string.</summary>
public sealed class TokenTransportTests : TokensTest
{
    private static HttpClient WithBasic(string user, string password)
    {
        var client = Callers.Client();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}")));
        return client;
    }

    [TestCase("")]
    [TestCase("azure-devops")]
    public async Task A_token_is_accepted_as_the_password_of_Basic_auth_with_any_user_name(string user)
    {
        var (browser, _) = await GivenSignedInAsync();
        using var _ = browser;
        var token = await GivenTokenAsync(browser);

        var session = await WithBasic(user, token.Token).GetFromJsonAsync<System.Text.Json.Nodes.JsonObject>("/api/v1/session");

        Assert.That(session!["authenticatedBy"]!.GetValue<string>(), Is.EqualTo("token"));
    }

    [Test]
    public async Task A_wrong_password_in_Basic_auth_is_a_401_like_a_wrong_bearer()
    {
        await ProblemAsync(await WithBasic("x", "okr_0123456789abcdef_" + new string('a', 43)).GetAsync("/api/v1/kpis"), HttpStatusCode.Unauthorized);
        await ProblemAsync(await WithBasic("x", "a password").GetAsync("/api/v1/kpis"), HttpStatusCode.Unauthorized);
        var garbled = Callers.Client();
        garbled.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", "not base64!");
        await ProblemAsync(await garbled.GetAsync("/api/v1/kpis"), HttpStatusCode.Unauthorized);
    }

    [TestCase("access_token")]
    [TestCase("token")]
    public async Task A_token_in_the_query_string_is_refused_with_a_400_saying_where_it_belongs(string parameter)
    {
        var (browser, _) = await GivenSignedInAsync();
        using var _ = browser;
        var token = await GivenTokenAsync(browser);

        var problem = await ProblemAsync(await Callers.Client().GetAsync($"/api/v1/kpis?{parameter}={token.Token}"), HttpStatusCode.BadRequest);

        Assert.That(problem["code"]!.GetValue<string>(), Is.EqualTo("token-in-query"));
        Assert.That(problem["detail"]!.GetValue<string>(), Does.Contain("never accepted in the query string").And.Contain("Authorization: Bearer"));
    }

    [Test]
    public async Task Records_the_address_a_token_was_last_used_from()
    {
        var (browser, _) = await GivenSignedInAsync();
        using var _ = browser;
        var token = await GivenTokenAsync(browser);
        ApiFixture.Clock.Advance(TimeSpan.FromMinutes(5));

        await WithToken(token.Token).GetAsync("/api/v1/kpis");

        var waited = Stopwatch.StartNew();
        TokenResponse listed;
        do listed = (await browser.Client.GetFromJsonAsync<Page<TokenResponse>>("/api/v1/tokens", Json))!.Items.Single();
        while (listed.LastUsedAt is null && waited.Elapsed < TimeSpan.FromSeconds(10));
        Assert.That(listed.LastUsedAt, Is.EqualTo(ApiFixture.Clock.GetUtcNow()));
        Assert.That(listed.LastUsedFrom, Is.Not.Null.And.Not.Empty);
    }
}
