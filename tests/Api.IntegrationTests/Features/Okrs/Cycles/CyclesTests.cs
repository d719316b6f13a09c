using System.Net;
using System.Text.Json.Nodes;
using OkrKpi.Api.Features.Okrs;
using OkrKpi.Api.Infrastructure.Http;
using OkrKpi.Api.Infrastructure.Security;

namespace OkrKpi.Api.IntegrationTests.Features.Okrs;

public sealed class CyclesTests : OkrTest
{
    [Test]
    public async Task Creates_a_cycle_in_planning_with_an_etag_and_location()
    {
        var response = await PostJsonAsync("/api/v1/cycles", new JsonObject { ["name"] = " 2026-Q4 ", ["startDate"] = "2026-10-01", ["endDate"] = "2026-12-31" });

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created));
        var cycle = await ReadAsync<CycleResponse>(response);
        Assert.That(cycle.Name, Is.EqualTo("2026-Q4"));
        Assert.That(cycle.StartDate, Is.EqualTo(new DateOnly(2026, 10, 1)));
        Assert.That(cycle.Status, Is.EqualTo(CycleStatus.Planning));
        Assert.That(response.Headers.ETag?.Tag, Is.EqualTo("\"1\""));
        Assert.That(response.Headers.Location?.ToString(), Is.EqualTo($"/api/v1/cycles/{cycle.Id}"));
    }

    [Test]
    public async Task Offers_the_current_quarter_when_there_is_no_cycle_and_the_next_one_after_the_latest()
    {
        var first = await ReadAsync<SuggestCycle.Suggestion>(await Api.GetAsync("/api/v1/cycles/next"));
        await GivenCycleAsync("2026-Q3", "2026-07-01", "2026-09-30", activate: false);
        var second = await ReadAsync<SuggestCycle.Suggestion>(await Api.GetAsync("/api/v1/cycles/next"));

        Assert.That(first, Is.EqualTo(new SuggestCycle.Suggestion("2026-Q3", new DateOnly(2026, 7, 1), new DateOnly(2026, 9, 30))));
        Assert.That(second, Is.EqualTo(new SuggestCycle.Suggestion("2026-Q4", new DateOnly(2026, 10, 1), new DateOnly(2026, 12, 31))));
    }

    [Test]
    public async Task The_next_quarter_follows_the_latest_quarter_not_an_enclosing_fiscal_year()
    {
        await GivenCycleAsync("FY 2026/27", "2026-07-01", "2027-06-30", activate: false);
        var yearOnly = await ReadAsync<SuggestCycle.Suggestion>(await Api.GetAsync("/api/v1/cycles/next"));
        await GivenCycleAsync("2026-Q3", "2026-07-01", "2026-09-30", activate: false);
        await GivenCycleAsync("2026-Q4", "2026-10-01", "2026-12-31", activate: false);

        var next = await ReadAsync<SuggestCycle.Suggestion>(await Api.GetAsync("/api/v1/cycles/next"));

        Assert.That(yearOnly.Name, Is.EqualTo("2027-Q3"), "without quarters, the first quarter after the year");
        Assert.That(next, Is.EqualTo(new SuggestCycle.Suggestion("2027-Q1", new DateOnly(2027, 1, 1), new DateOnly(2027, 3, 31))));
    }

    [Test]
    public async Task An_empty_body_creates_the_suggested_next_quarter()
    {
        await GivenCycleAsync("2026-Q4", "2026-10-01", "2026-12-31", activate: false);

        var response = await PostJsonAsync("/api/v1/cycles", new JsonObject());

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created), await response.Content.ReadAsStringAsync());
        var cycle = await ReadAsync<CycleResponse>(response);
        Assert.That((cycle.Name, cycle.StartDate, cycle.EndDate), Is.EqualTo(("2027-Q1", new DateOnly(2027, 1, 1), new DateOnly(2027, 3, 31))));
    }

    [Test]
    public async Task A_custom_cycle_is_followed_by_the_first_whole_quarter_after_it()
    {
        Assert.That(SuggestCycle.Handler.Next(new DateOnly(2026, 8, 15), new DateOnly(2026, 1, 1)).StartDate, Is.EqualTo(new DateOnly(2026, 10, 1)));
        Assert.That(SuggestCycle.Handler.Next(new DateOnly(2026, 12, 31), new DateOnly(2026, 1, 1)).Name, Is.EqualTo("2027-Q1"));
        await Task.CompletedTask;
    }

    [TestCase("name", "", "name")]
    [TestCase("endDate", "2026-06-30", "endDate")]
    [TestCase("endDate", "2046-06-30", "endDate")]
    [TestCase("startDate", null, "startDate")]
    public async Task Refuses_an_invalid_cycle_naming_the_field(string field, string? value, string errorField)
    {
        var body = new JsonObject { ["name"] = "2026-Q3", ["startDate"] = "2026-07-01", ["endDate"] = "2026-09-30" };
        body[field] = value;

        var response = await PostJsonAsync("/api/v1/cycles", body);

        await FieldErrorsAsync(response, errorField);
    }

    [Test]
    public async Task Refuses_a_second_cycle_of_the_same_name_ignoring_case()
    {
        await GivenCycleAsync("2026-Q3", activate: false);

        var response = await PostJsonAsync("/api/v1/cycles", new JsonObject { ["name"] = "2026-q3", ["startDate"] = "2026-07-01", ["endDate"] = "2026-09-30" });

        await ProblemAsync(response, HttpStatusCode.Conflict);
    }

    [Test]
    public async Task Lists_cycles_latest_first_a_page_at_a_time_and_by_status()
    {
        await GivenCycleAsync("2026-Q1", "2026-01-01", "2026-03-31", activate: false);
        await GivenCycleAsync("2026-Q2", "2026-04-01", "2026-06-30", activate: false);
        await GivenCycleAsync("2026-Q3", "2026-07-01", "2026-09-30");

        var first = await ReadAsync<Page<CycleResponse>>(await Api.GetAsync("/api/v1/cycles?limit=2"));
        var second = await ReadAsync<Page<CycleResponse>>(await Api.GetAsync($"/api/v1/cycles?limit=2&cursor={first.NextCursor}"));
        var active = await ReadAsync<Page<CycleResponse>>(await Api.GetAsync("/api/v1/cycles?status=active"));

        Assert.That(first.Items.Select(c => c.Name), Is.EqualTo(new[] { "2026-Q3", "2026-Q2" }));
        Assert.That(second.Items.Select(c => c.Name), Is.EqualTo(new[] { "2026-Q1" }));
        Assert.That(second.NextCursor, Is.Null);
        Assert.That(active.Items.Select(c => c.Name), Is.EqualTo(new[] { "2026-Q3" }));
    }

    [Test]
    public async Task Updates_a_cycle_with_if_match_and_refuses_stale_or_missing_versions()
    {
        var cycle = await GivenCycleAsync(activate: false);
        var body = new JsonObject { ["name"] = "Q3 2026", ["startDate"] = "2026-07-01", ["endDate"] = "2026-09-30" };

        var missing = await PutJsonAsync($"/api/v1/cycles/{cycle.Id}", body, null);
        var updated = await PutJsonAsync($"/api/v1/cycles/{cycle.Id}", body, "\"1\"");
        var stale = await PutJsonAsync($"/api/v1/cycles/{cycle.Id}", body, "\"1\"");

        await ProblemAsync(missing, HttpStatusCode.PreconditionRequired);
        Assert.That(updated.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That((await ReadAsync<CycleResponse>(updated)).Name, Is.EqualTo("Q3 2026"));
        Assert.That(updated.Headers.ETag?.Tag, Is.EqualTo("\"2\""));
        await ProblemAsync(stale, HttpStatusCode.PreconditionFailed);
    }

    [Test]
    public async Task Moves_through_planning_active_closed_and_refuses_other_transitions()
    {
        var cycle = await GivenCycleAsync(activate: false);

        var closeEarly = await Api.PostAsync($"/api/v1/cycles/{cycle.Id}/close", null);
        var activate = await Api.PostAsync($"/api/v1/cycles/{cycle.Id}/activate", null);
        var activateAgain = await Api.PostAsync($"/api/v1/cycles/{cycle.Id}/activate", null);
        var close = await Api.PostAsync($"/api/v1/cycles/{cycle.Id}/close", null);
        var rename = await PutJsonAsync($"/api/v1/cycles/{cycle.Id}",
            new JsonObject { ["name"] = "x", ["startDate"] = "2026-07-01", ["endDate"] = "2026-09-30" }, "*");

        await ProblemAsync(closeEarly, HttpStatusCode.Conflict);
        Assert.That((await ReadAsync<CycleResponse>(activate)).Status, Is.EqualTo(CycleStatus.Active));
        await ProblemAsync(activateAgain, HttpStatusCode.Conflict);
        Assert.That((await ReadAsync<CycleResponse>(close)).Status, Is.EqualTo(CycleStatus.Closed));
        await ProblemAsync(rename, HttpStatusCode.Conflict);
    }

    [Test]
    public async Task Only_an_admin_reopens_a_closed_cycle_and_the_reopening_is_audited()
    {
        var cycle = await GivenCycleAsync();
        await Api.PostAsync($"/api/v1/cycles/{cycle.Id}/close", null);
        var editor = await Callers.GivenPersonClientAsync(Role.Editor);

        var refused = await editor.PostAsync($"/api/v1/cycles/{cycle.Id}/reopen", null);
        var reopened = await Api.PostAsync($"/api/v1/cycles/{cycle.Id}/reopen", null);

        await ProblemAsync(refused, HttpStatusCode.Forbidden);
        Assert.That((await ReadAsync<CycleResponse>(reopened)).Status, Is.EqualTo(CycleStatus.Active));
        await using var connection = await ApiFixture.Database.OpenAsync();
        var actions = await Dapper.SqlMapper.QueryAsync<string>(connection,
            "SELECT Action FROM AuditEntry WHERE Entity = 'cycle' AND EntityId = @Id ORDER BY At, Id", new { Id = cycle.Id.ToString() });
        Assert.That(actions, Is.EquivalentTo(new[] { "create", "activate", "close", "reopen" }));
    }

    [Test]
    public async Task Editors_cannot_create_cycles_and_viewers_cannot_write_but_both_read()
    {
        await GivenCycleAsync();
        var editor = await Callers.GivenPersonClientAsync(Role.Editor);
        var viewer = await Callers.GivenPersonClientAsync(Role.Viewer);
        var body = new JsonObject { ["name"] = "2026-Q4", ["startDate"] = "2026-10-01", ["endDate"] = "2026-12-31" };

        await ProblemAsync(await editor.PostAsync("/api/v1/cycles", JsonBody(body)), HttpStatusCode.Forbidden);
        await ProblemAsync(await viewer.PostAsync("/api/v1/cycles", JsonBody(body)), HttpStatusCode.Forbidden);
        Assert.That((await viewer.GetAsync("/api/v1/cycles")).StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That((await editor.GetAsync("/api/v1/cycles/next")).StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    [Test]
    public async Task An_unknown_cycle_is_404()
    {
        await ProblemAsync(await Api.GetAsync($"/api/v1/cycles/{Guid.NewGuid()}"), HttpStatusCode.NotFound);
        await ProblemAsync(await Api.PostAsync($"/api/v1/cycles/{Guid.NewGuid()}/activate", null), HttpStatusCode.NotFound);
    }
}
