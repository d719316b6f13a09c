using System.Net;
using System.Text.Json.Nodes;

namespace OkrKpi.Api.IntegrationTests.Infrastructure;

/// <summary>Every cursor-paged list reads an empty cursor as none: the first page.</summary>
public sealed class PagingTests : IntegrationTest
{
    [TestCase("/api/v1/kpis")]
    [TestCase("/api/v1/teams")]
    [TestCase("/api/v1/users")]
    [TestCase("/api/v1/cycles")]
    [TestCase("/api/v1/objectives")]
    [TestCase("/api/v1/audit")]
    public async Task An_empty_cursor_asks_for_the_first_page(string list)
    {
        await GivenTeamAsync("Sales");

        var withEmpty = await Api.GetAsync(list + (list.Contains('?') ? "&" : "?") + "cursor=");
        var without = await Api.GetAsync(list);

        Assert.That(withEmpty.StatusCode, Is.EqualTo(HttpStatusCode.OK), await withEmpty.Content.ReadAsStringAsync());
        Assert.That(JsonNode.Parse(await withEmpty.Content.ReadAsStringAsync())!["items"]!.ToJsonString(),
            Is.EqualTo(JsonNode.Parse(await without.Content.ReadAsStringAsync())!["items"]!.ToJsonString()));
    }
}
