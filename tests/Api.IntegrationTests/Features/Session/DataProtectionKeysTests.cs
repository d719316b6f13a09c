using System.Net;
using Dapper;
using OkrKpi.Api.Infrastructure.Security;

namespace OkrKpi.Api.IntegrationTests.Features.Session;

/// <summary>The Data Protection key ring lives in the database, so every instance accepts the CSRF tokens of every other.</summary>
public sealed class DataProtectionKeysTests : IntegrationTest
{
    private static readonly object TokenBody = new { name = "ci", scopes = new[] { "kpis:read" }, expiresInDays = 30 };

    [Test]
    public async Task Two_instances_on_one_database_accept_each_others_csrf_tokens()
    {
        await using var second = OtherInstances.Start();
        var person = await Callers.GivenUserAsync(Role.Viewer);

        using var issuedByFirst = new Browser();
        await issuedByFirst.GivenSessionAsync(person);
        using var toSecond = new Browser(instance: second, cookies: issuedByFirst.Cookies);
        var accepted = await toSecond.SendAsync(HttpMethod.Post, "/api/v1/tokens", TokenBody);
        Assert.That(accepted.StatusCode, Is.EqualTo(HttpStatusCode.Created), await accepted.Content.ReadAsStringAsync());

        using var issuedBySecond = new Browser(instance: second);
        await issuedBySecond.GivenSessionAsync(person);
        using var toFirst = new Browser(cookies: issuedBySecond.Cookies);
        var acceptedBack = await toFirst.SendAsync(HttpMethod.Post, "/api/v1/tokens", TokenBody);
        Assert.That(acceptedBack.StatusCode, Is.EqualTo(HttpStatusCode.Created), await acceptedBack.Content.ReadAsStringAsync());

        await using var connection = await ApiFixture.Database.OpenAsync();
        Assert.That(await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM DataProtectionKey"), Is.GreaterThanOrEqualTo(1));
    }
}
