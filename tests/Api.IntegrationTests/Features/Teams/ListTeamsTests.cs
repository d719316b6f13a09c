using System.Net;
using OkrKpi.Api.Features.Teams;
using OkrKpi.Api.Infrastructure.Http;

namespace OkrKpi.Api.IntegrationTests.Features.Teams;

public sealed class ListTeamsTests : IntegrationTest
{
    [Test]
    public async Task Lists_teams_sorted_by_name_ignoring_case()
    {
        await GivenTeamAsync("beta");
        await GivenTeamAsync("Gamma");
        await GivenTeamAsync("Alpha");
        await GivenTeamAsync("delta");

        var response = await Api.GetAsync("/api/v1/teams");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        var page = await ReadAsync<Page<TeamResponse>>(response);
        Assert.That(page.Items.Select(t => t.Name), Is.EqualTo(new[] { "Alpha", "beta", "delta", "Gamma" }));
        Assert.That(page.NextCursor, Is.Null);
    }

    [TestCase(7, 3, 3)]
    [TestCase(6, 3, 2)]
    [TestCase(1, 1, 1)]
    public async Task Pages_through_every_team_once_following_next_cursor(int teams, int limit, int expectedPages)
    {
        var created = new List<TeamResponse>();
        for (var i = 0; i < teams; i++)
            created.Add(await GivenTeamAsync($"Team {(char)('A' + (i * 5 % teams))}"));

        var seen = new List<string>();
        var pages = 0;
        string? cursor = null;
        do
        {
            var url = cursor is null ? $"/api/v1/teams?limit={limit}" : $"/api/v1/teams?limit={limit}&cursor={Uri.EscapeDataString(cursor)}";
            var response = await Api.GetAsync(url);
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
            var page = await ReadAsync<Page<TeamResponse>>(response);
            Assert.That(page.Items, Has.Count.InRange(1, limit));
            seen.AddRange(page.Items.Select(t => t.Name));
            cursor = page.NextCursor;
            pages++;
        } while (cursor is not null && pages <= teams);

        Assert.That(seen, Is.EqualTo(created.Select(t => t.Name).OrderBy(n => n.ToUpperInvariant(), StringComparer.Ordinal)));
        Assert.That(pages, Is.EqualTo(expectedPages));
    }

    [TestCase(1)]
    [TestCase(200)]
    public async Task Accepts_a_limit_at_either_end_of_the_range(int limit)
    {
        await GivenTeamAsync("Alpha");
        await GivenTeamAsync("Beta");

        var response = await Api.GetAsync($"/api/v1/teams?limit={limit}");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        var page = await ReadAsync<Page<TeamResponse>>(response);
        Assert.That(page.Items, Has.Count.EqualTo(Math.Min(limit, 2)));
        Assert.That(page.NextCursor, limit == 1 ? Is.Not.Null : Is.Null);
    }

    [TestCase("0")]
    [TestCase("201")]
    [TestCase("-1")]
    public async Task Refuses_a_limit_outside_1_to_200(string limit)
    {
        var response = await Api.GetAsync($"/api/v1/teams?limit={limit}");

        await FieldErrorsAsync(response, "limit");
    }

    [Test]
    public async Task Refuses_a_limit_that_is_not_a_number()
    {
        var response = await Api.GetAsync("/api/v1/teams?limit=abc");

        await FieldErrorsAsync(response, "limit");
    }

    [TestCase("garbage")]
    [TestCase("%21%21%21")]
    [TestCase("a")]
    [TestCase("aGVsbG8")]
    public async Task Refuses_a_cursor_this_api_did_not_issue(string cursor)
    {
        await GivenTeamAsync("Alpha");

        var response = await Api.GetAsync($"/api/v1/teams?cursor={cursor}");

        await FieldErrorsAsync(response, "cursor");
    }

    [Test]
    public async Task Lists_only_the_direct_children_of_a_parent_team()
    {
        var company = await GivenTeamAsync("Acme");
        var sales = await GivenTeamAsync("Sales", company.Id);
        var operations = await GivenTeamAsync("Operations", company.Id);
        await GivenTeamAsync("Field sales", sales.Id);
        var other = await GivenTeamAsync("Other company");
        await GivenTeamAsync("Other sales", other.Id);

        var response = await Api.GetAsync($"/api/v1/teams?parentTeamId={company.Id}");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        var page = await ReadAsync<Page<TeamResponse>>(response);
        Assert.That(page.Items.Select(t => t.Id), Is.EqualTo(new[] { operations.Id, sales.Id }));
    }

    [Test]
    public async Task Pages_through_the_children_of_a_parent_team()
    {
        var company = await GivenTeamAsync("Acme");
        var a = await GivenTeamAsync("A", company.Id);
        await GivenTeamAsync("B");
        var c = await GivenTeamAsync("C", company.Id);
        await GivenTeamAsync("D");
        var e = await GivenTeamAsync("E", company.Id);

        var first = await ReadAsync<Page<TeamResponse>>(await Api.GetAsync($"/api/v1/teams?parentTeamId={company.Id}&limit=2"));
        var second = await ReadAsync<Page<TeamResponse>>(await Api.GetAsync(
            $"/api/v1/teams?parentTeamId={company.Id}&limit=2&cursor={Uri.EscapeDataString(first.NextCursor!)}"));

        Assert.That(first.Items.Select(t => t.Id), Is.EqualTo(new[] { a.Id, c.Id }));
        Assert.That(second.Items.Select(t => t.Id), Is.EqualTo(new[] { e.Id }));
        Assert.That(second.NextCursor, Is.Null);
    }

    [Test]
    public async Task Lists_nothing_for_a_parent_team_without_children()
    {
        await GivenTeamAsync("Acme");

        var response = await Api.GetAsync($"/api/v1/teams?parentTeamId={Guid.NewGuid()}");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        var page = await ReadAsync<Page<TeamResponse>>(response);
        Assert.That(page.Items, Is.Empty);
        Assert.That(page.NextCursor, Is.Null);
    }

    [Test]
    public async Task Refuses_a_parent_team_id_that_is_not_a_guid()
    {
        var response = await Api.GetAsync("/api/v1/teams?parentTeamId=acme");

        await FieldErrorsAsync(response, "parentTeamId");
    }
}
