using System.Net;
using System.Text.Json.Nodes;
using OkrKpi.Api.Features.Events;
using OkrKpi.Api.Features.Measurements;

namespace OkrKpi.Api.IntegrationTests.Features.Events;

/// <summary>Events of many KPIs in one request: all of them or none, unless mode=partial.</summary>
public sealed class RecordEventBatchTests : EventsTest
{
    [Test]
    public async Task Records_events_of_several_kpis_and_answers_every_period_it_changed()
    {
        await GivenEventsKpiAsync("deployments");
        await GivenEventsKpiAsync("lead-time", "median");

        var response = await BatchAsync(
            Item("deployments", "2026-07-14T10:00:00Z", eventId: "run-1"),
            Item("lead-time", "2026-07-14T10:00:00Z", 30, "run-1"),
            Item("deployments", "2026-07-14T11:00:00Z", eventId: "run-2"),
            Item("lead-time", "2026-07-14T11:00:00Z", 50, "run-2"));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        var batch = await ReadAsync<EventBatchResponse>(response);
        Assert.That((batch.Committed, batch.Created, batch.Unchanged, batch.Rejected), Is.EqualTo((true, 4, 0, 0)));
        Assert.That(batch.Periods.Select(p => (p.KpiKey, p.Period, Plain(p.Value))),
            Is.EqualTo(new[] { ("deployments", "2026-W29", (object?)2m), ("lead-time", "2026-W29", 40m) }));
    }

    [Test]
    public async Task A_repeated_event_id_in_one_batch_and_a_known_one_are_both_unchanged()
    {
        await GivenEventsKpiAsync("deployments");
        await BatchAsync(Item("deployments", "2026-07-14T10:00:00Z", eventId: "run-1"));

        var response = await BatchAsync(
            Item("deployments", "2026-07-14T10:00:00Z", eventId: "run-1"),
            Item("deployments", "2026-07-14T11:00:00Z", eventId: "run-2"),
            Item("deployments", "2026-07-14T11:00:00Z", eventId: "run-2"));

        var batch = await ReadAsync<EventBatchResponse>(response);
        Assert.That(batch.Items.Select(i => i.Result), Is.EqualTo(new[] { ItemResult.Unchanged, ItemResult.Created, ItemResult.Unchanged }));
        Assert.That(Plain(batch.Periods.Single().Value), Is.EqualTo(2m));
    }

    [Test]
    public async Task An_atomic_batch_with_a_refused_event_stores_nothing_and_says_which_and_why()
    {
        await GivenEventsKpiAsync("deployments");
        await GivenKpiAsync("defect-rate");

        var response = await BatchAsync(
            Item("deployments", "2026-07-14T10:00:00Z"),
            Item("defect-rate", "2026-07-14T10:00:00Z", 1),
            Item("deployments", "2030-01-01"));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.UnprocessableEntity), await response.Content.ReadAsStringAsync());
        var batch = await ReadAsync<EventBatchResponse>(response);
        Assert.That((batch.Committed, batch.Created, batch.Rejected), Is.EqualTo((false, 0, 2)));
        Assert.That(batch.Items.Select(i => (i.Result, i.Field)), Is.EqualTo(new[]
        {
            (ItemResult.Created, (string?)null), (ItemResult.Rejected, "kpi"), (ItemResult.Rejected, "occurredAt"),
        }));
        Assert.That(batch.Periods, Is.Empty);
        Assert.That((await EventsAsync("deployments")).Items, Is.Empty);
        Assert.That((await SeriesAsync("deployments", "2026-W29", "2026-W29")).Items, Is.Empty);
    }

    [Test]
    public async Task A_partial_batch_keeps_the_accepted_events()
    {
        await GivenEventsKpiAsync("deployments");

        var response = await PostJsonAsync("/api/v1/events?mode=partial", new JsonObject
        {
            ["items"] = new JsonArray(Item("deployments", "2026-07-14T10:00:00Z"), Item("unknown-kpi")),
        });

        var batch = await ReadAsync<EventBatchResponse>(response);
        Assert.That((batch.Committed, batch.Created, batch.Rejected), Is.EqualTo((true, 1, 1)));
        Assert.That((await EventsAsync("deployments")).Items, Has.Count.EqualTo(1));
    }

    [Test]
    public async Task A_batch_over_the_limit_is_refused_naming_items()
    {
        var items = new JsonArray(Enumerable.Range(0, EventLimits.MaxBatchItems + 1).Select(_ => (JsonNode)Item("deployments")).ToArray());

        var response = await PostJsonAsync("/api/v1/events", new JsonObject { ["items"] = items });

        Assert.That((await FieldErrorsAsync(response, "items")).Single(), Does.Contain($"1 to {EventLimits.MaxBatchItems}"));
    }

    [Test]
    public async Task Ten_batches_of_ten_thousand_events_count_one_hundred_thousand_occurrences()
    {
        await GivenEventsKpiAsync("page-views", frequency: "daily");
        for (var batch = 0; batch < 10; batch++)
        {
            var items = new JsonArray(Enumerable.Range(0, EventLimits.MaxBatchItems)
                .Select(i => (JsonNode)Item("page-views", $"2026-07-14T{i % 24:D2}:00:00Z", eventId: $"view-{batch}-{i}")).ToArray());
            var response = await PostJsonAsync("/api/v1/events", new JsonObject { ["items"] = items });
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        }

        var series = await SeriesAsync("page-views", "2026-07-14", "2026-07-14");

        Assert.That(Plain(series.Items.Single().Value), Is.EqualTo(100_000m));
    }
}
