using System.Net;
using System.Text.Json.Nodes;
using OkrKpi.Api.Features.Events;
using OkrKpi.Api.Features.Measurements;

namespace OkrKpi.Api.IntegrationTests.Features.Events;

/// <summary>An occurrence recorded for a KPI fed by events becomes part of its period's value, in the same request.</summary>
public sealed class RecordKpiEventTests : EventsTest
{
    [Test]
    public async Task Each_event_adds_one_to_a_counting_kpi_and_the_period_value_is_stored_like_a_pushed_one()
    {
        await GivenEventsKpiAsync("deployments");

        var first = await RecordedAsync("deployments", Event("2026-07-14T10:00:00Z", eventId: "deploy-1"));
        var second = await RecordedAsync("deployments", Event("2026-07-15T08:00:00Z", eventId: "deploy-2"));

        Assert.That(first.Result, Is.EqualTo(ItemResult.Created));
        Assert.That(first.Event.Period, Is.EqualTo("2026-W29"));
        Assert.That(Plain(second.Measurement.Value), Is.EqualTo(2m));
        Assert.That(second.Measurement.Source, Is.EqualTo(MeasurementSource.Events));
        Assert.That(second.Measurement.Note, Is.EqualTo("count of 2 events"));
        Assert.That(second.Measurement.Status, Is.EqualTo(OkrKpi.Api.Features.Kpis.KpiPeriodStatus.OffTarget));
        var revisions = await RevisionsAsync("deployments", "2026-W29");
        Assert.That(revisions.Revisions.Select(r => Plain(r.Value)), Is.EqualTo(new object[] { 2m, 1m }));
    }

    [Test]
    public async Task A_redelivered_event_is_answered_unchanged_and_adds_nothing()
    {
        await GivenEventsKpiAsync("deployments");
        await RecordedAsync("deployments", Event("2026-07-14T10:00:00Z", eventId: "deploy-1"));

        var again = await RecordedAsync("deployments", Event("2026-07-14T10:00:00Z", eventId: "deploy-1"), HttpStatusCode.OK);

        Assert.That(again.Result, Is.EqualTo(ItemResult.Unchanged));
        Assert.That(Plain(again.Measurement.Value), Is.EqualTo(1m));
        Assert.That((await EventsAsync("deployments")).Items, Has.Count.EqualTo(1));
    }

    [Test]
    public async Task An_event_without_an_id_is_recorded_every_time_it_is_sent()
    {
        await GivenEventsKpiAsync("deployments");

        await RecordedAsync("deployments", Event("2026-07-14T10:00:00Z"));
        var second = await RecordedAsync("deployments", Event("2026-07-14T10:00:00Z"));

        Assert.That(Plain(second.Measurement.Value), Is.EqualTo(2m));
    }

    [Test]
    public async Task A_late_event_updates_its_ended_period_and_the_history_says_so()
    {
        await GivenEventsKpiAsync("deployments");
        await RecordedAsync("deployments", Event("2026-07-08T10:00:00Z", eventId: "deploy-1"));

        var late = await RecordedAsync("deployments", Event("2026-07-09T10:00:00Z", eventId: "deploy-2"));

        Assert.That(late.Event.Late, Is.True);
        Assert.That(late.Event.Period, Is.EqualTo("2026-W28"));
        Assert.That(Plain(late.Measurement.Value), Is.EqualTo(2m));
        var revisions = await RevisionsAsync("deployments", "2026-W28");
        Assert.That(revisions.Revisions[0].Note, Does.Contain("updated by a late event (occurred 2026-07-09T10:00:00Z, recorded 2026-07-15T09:30:00Z)"));
        Assert.That(revisions.Revisions[1].State, Is.EqualTo(ListMeasurementRevisions.RevisionState.Replaced));
        Assert.That(Plain(revisions.Revisions[1].Value), Is.EqualTo(1m));
    }

    [Test]
    public async Task An_event_in_the_current_period_is_not_late()
    {
        await GivenEventsKpiAsync("deployments");

        var recorded = await RecordedAsync("deployments", Event("2026-07-13T00:00:00Z"));

        Assert.That(recorded.Event.Late, Is.False);
        Assert.That(recorded.Measurement.Note, Does.Not.Contain("late"));
    }

    [TestCase("count", 3)]
    [TestCase("sum", 6)]
    [TestCase("average", 2)]
    [TestCase("min", 1)]
    [TestCase("max", 3)]
    [TestCase("last", 2)]
    [TestCase("median", 2)]
    public async Task The_period_value_is_the_aggregation_of_its_events(string aggregation, decimal expected)
    {
        await GivenEventsKpiAsync("lead-time", aggregation);

        // Sent out of order: "last" is the latest occurrence, not the latest arrival.
        await RecordedAsync("lead-time", Event("2026-07-14T12:00:00Z", 2));
        await RecordedAsync("lead-time", Event("2026-07-13T12:00:00Z", 3));
        var third = await RecordedAsync("lead-time", Event("2026-07-13T18:00:00Z", 1));

        Assert.That(Plain(third.Measurement.Value), Is.EqualTo(expected));
        Assert.That(third.Measurement.Note, Is.EqualTo($"{aggregation} of 3 events"));
    }

    [Test]
    public async Task The_median_of_an_even_count_is_the_mean_of_the_middle_two()
    {
        await GivenEventsKpiAsync("lead-time", "median");
        foreach (var value in new[] { 4m, 1m, 10m, 2m })
            await RecordedAsync("lead-time", Event("2026-07-14T12:00:00Z", value));

        var series = await SeriesAsync("lead-time", "2026-W29", "2026-W29");

        Assert.That(Plain(series.Items.Single().Value), Is.EqualTo(3m));
    }

    [Test]
    public async Task An_instant_with_an_offset_lands_in_the_organisation_period_that_contains_it()
    {
        await GivenEventsKpiAsync("incidents", frequency: "daily");

        var recorded = await RecordedAsync("incidents", Event("2026-07-15T01:30:00+10:00"));

        Assert.That(recorded.Event.Period, Is.EqualTo("2026-07-14"));
        Assert.That(recorded.Event.OccurredAt, Is.EqualTo(new DateTimeOffset(2026, 7, 14, 15, 30, 0, TimeSpan.Zero)));
    }

    [Test]
    public async Task An_event_without_a_moment_happened_now()
    {
        await GivenEventsKpiAsync("incidents", frequency: "daily");

        var recorded = await RecordedAsync("incidents", Event());

        Assert.That(recorded.Event.OccurredAt, Is.EqualTo(PinnedNow));
        Assert.That(recorded.Event.Period, Is.EqualTo("2026-07-15"));
    }

    [Test]
    public async Task An_event_a_few_minutes_ahead_of_the_server_clock_is_taken_as_now()
    {
        await GivenEventsKpiAsync("incidents", frequency: "hourly");

        var recorded = await RecordedAsync("incidents", Event("2026-07-15T09:34:59Z"));

        Assert.That(recorded.Event.OccurredAt, Is.EqualTo(PinnedNow));
    }

    [Test]
    public async Task An_event_further_in_the_future_is_refused_naming_occurredAt()
    {
        await GivenEventsKpiAsync("incidents", frequency: "hourly");

        var response = await RecordAsync("incidents", Event("2026-07-15T09:35:01Z"));

        var messages = await FieldErrorsAsync(response, "occurredAt");
        Assert.That(messages.Single(), Does.Contain("in the future"));
    }

    [TestCase("2026-07-14T10:00:00", "has no offset")]
    [TestCase("2026-W29", "is a period, not a moment")]
    [TestCase("yesterday", "is not a period")]
    public async Task An_occurredAt_that_is_not_a_moment_is_refused_with_the_reason(string occurredAt, string reason)
    {
        await GivenEventsKpiAsync("deployments");

        var response = await RecordAsync("deployments", Event(occurredAt));

        Assert.That((await FieldErrorsAsync(response, "occurredAt")).Single(), Does.Contain(reason));
    }

    [Test]
    public async Task A_kpi_that_combines_values_needs_a_value_with_each_event()
    {
        await GivenEventsKpiAsync("lead-time", "median");

        var response = await RecordAsync("lead-time", Event("2026-07-14T10:00:00Z"));

        Assert.That((await FieldErrorsAsync(response, "value")).Single(), Does.Contain("value is required"));
    }

    [Test]
    public async Task A_quoted_number_is_refused_naming_value()
    {
        await GivenEventsKpiAsync("lead-time", "sum");

        var response = await RecordAsync("lead-time", Event("2026-07-14T10:00:00Z", "12"));

        Assert.That((await FieldErrorsAsync(response, "value")).Single(), Does.Contain("JSON number"));
    }

    [Test]
    public async Task An_event_id_longer_than_the_limit_is_refused()
    {
        await GivenEventsKpiAsync("deployments");

        var response = await RecordAsync("deployments", Event(eventId: new string('x', EventLimits.EventIdMaxLength + 1)));

        Assert.That((await FieldErrorsAsync(response, "eventId")).Single(), Does.Contain($"at most {EventLimits.EventIdMaxLength}"));
    }

    [Test]
    public async Task Events_for_a_kpi_fed_by_values_are_a_conflict_that_says_why()
    {
        await GivenKpiAsync("defect-rate");

        var response = await RecordAsync("defect-rate", Event());

        var problem = await ProblemAsync(response, HttpStatusCode.Conflict);
        Assert.That(problem["detail"]!.GetValue<string>(), Does.Contain("is fed by values, not events"));
    }

    [Test]
    public async Task Values_pushed_to_a_kpi_fed_by_events_are_a_conflict_that_names_the_events_endpoint()
    {
        await GivenEventsKpiAsync("deployments");

        var pushed = await PushAsync("deployments", MeasurementBody("2026-07-14", 3));
        var batch = await PostJsonAsync("/api/v1/kpis/deployments/measurements/batch", new JsonObject { ["items"] = new JsonArray(MeasurementBody("2026-07-14", 3)) });

        var problem = await ProblemAsync(pushed, HttpStatusCode.Conflict);
        Assert.That(problem["detail"]!.GetValue<string>(), Does.Contain("is fed by events").And.Contain("/api/v1/kpis/deployments/events"));
        await ProblemAsync(batch, HttpStatusCode.Conflict);
    }

    [Test]
    public async Task An_unknown_kpi_is_not_found()
    {
        var response = await RecordAsync("nothing-here", Event());

        await ProblemAsync(response, HttpStatusCode.NotFound);
    }

    [Test]
    public async Task A_retry_with_the_same_idempotency_key_replays_the_first_answer()
    {
        await GivenEventsKpiAsync("deployments");
        var body = Event("2026-07-14T10:00:00Z");

        var first = await SendWithKeyAsync(body, "event-1");
        var retry = await SendWithKeyAsync(body, "event-1");

        Assert.That(retry.StatusCode, Is.EqualTo(HttpStatusCode.Created));
        Assert.That(retry.Headers.GetValues(OkrKpi.Api.Infrastructure.Idempotency.IdempotencyKey.ReplayedHeader), Is.EqualTo(new[] { "true" }));
        Assert.That(await retry.Content.ReadAsStringAsync(), Is.EqualTo(await first.Content.ReadAsStringAsync()));
        Assert.That((await EventsAsync("deployments")).Items, Has.Count.EqualTo(1));
    }

    private static Task<HttpResponseMessage> SendWithKeyAsync(JsonObject body, string key)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/kpis/deployments/events") { Content = JsonContent(body) };
        request.Headers.Add("Idempotency-Key", key);
        return Api.SendAsync(request);
    }

    private static StringContent JsonContent(JsonNode body) => new(body.ToJsonString(), System.Text.Encoding.UTF8, "application/json");
}
