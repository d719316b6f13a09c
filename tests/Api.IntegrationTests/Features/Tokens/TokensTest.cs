using System.Net;
using System.Net.Http.Json;
using OkrKpi.Api.Features.Tokens;
using OkrKpi.Api.Infrastructure.Security;

namespace OkrKpi.Api.IntegrationTests.Features.Tokens;

/// <summary>Tokens are made by a signed-in person: each test signs one in with a browser session.</summary>
public abstract class TokensTest : IntegrationTest
{
    protected static async Task<(Browser Browser, Guid UserId)> GivenSignedInAsync(Role role = Role.Editor)
    {
        var user = await Callers.GivenUserAsync(role);
        var browser = new Browser();
        await browser.GivenSessionAsync(user);
        return (browser, user);
    }

    protected static Task<HttpResponseMessage> CreateAsync(Browser browser, object body) =>
        browser.SendAsync(HttpMethod.Post, "/api/v1/tokens", body);

    protected static async Task<CreateToken.Response> GivenTokenAsync(Browser browser, string[]? scopes = null, string[]? kpiKeys = null, int expiresInDays = 30)
    {
        var response = await CreateAsync(browser, new { name = "integration", scopes = scopes ?? [Scopes.KpisRead], kpiKeys, expiresInDays });
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created), await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<CreateToken.Response>(Json))!;
    }

    protected static HttpClient WithToken(string token) => Callers.Client(token);
}
