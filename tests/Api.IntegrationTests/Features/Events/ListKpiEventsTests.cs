using System.Net;

namespace OkrKpi.Api.IntegrationTests.Features.Events;

/// <summary>A KPI's events read back newest occurrence first, a page at a time.</summary>
public sealed class ListKpiEventsTests : EventsTest
{
    [Test]
    public async Task Lists_events_newest_occurrence_first_in_pages()
    {
        await GivenEventsKpiAsync("lead-time", "median");
        await RecordedAsync("lead-time", Event("2026-07-13T10:00:00Z", 1, "a"));
        await RecordedAsync("lead-time", Event("2026-07-15T09:00:00Z", 3, "c"));
        await RecordedAsync("lead-time", Event("2026-07-14T10:00:00Z", 2, "b"));

        var first = await EventsAsync("lead-time", "?limit=2");
        var second = await EventsAsync("lead-time", $"?limit=2&cursor={first.NextCursor}");

        Assert.That(first.Items.Select(e => e.EventId), Is.EqualTo(new[] { "c", "b" }));
        Assert.That(second.Items.Select(e => e.EventId), Is.EqualTo(new[] { "a" }));
        Assert.That(second.NextCursor, Is.Null);
        Assert.That(Plain(first.Items[0].Value), Is.EqualTo(3m));
    }

    [Test]
    public async Task A_cursor_the_api_did_not_issue_is_refused()
    {
        await GivenEventsKpiAsync("deployments");

        var response = await Api.GetAsync("/api/v1/kpis/deployments/events?cursor=nonsense");

        await FieldErrorsAsync(response, "cursor");
    }

    [Test]
    public async Task An_unknown_kpi_has_no_events_to_list()
    {
        var response = await Api.GetAsync("/api/v1/kpis/nothing-here/events");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
    }
}
