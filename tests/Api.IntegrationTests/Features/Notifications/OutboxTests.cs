using System.Net;
using System.Text.Json.Nodes;
using OkrKpi.Api.Features.Notifications;
using OkrKpi.Api.IntegrationTests.Features.Okrs;

namespace OkrKpi.Api.IntegrationTests.Features.Notifications;

/// <summary>Events are written in the transaction of the change that causes them: committed together, or not at all.</summary>
public sealed class OutboxTests : OkrTest
{
    private static async Task<IReadOnlyList<(string Type, JsonNode Data)>> EventsAsync()
    {
        await using var connection = await ApiFixture.Database.OpenAsync();
        var rows = await Dapper.SqlMapper.QueryAsync<(string, string)>(connection, "SELECT Type, Payload FROM OutboxEvent ORDER BY Id");
        return rows.Select(r => (r.Item1, JsonNode.Parse(r.Item2)!["data"]!)).ToList();
    }

    private static Task<Api.Features.Kpis.KpiResponse> GivenDefectRateAsync() =>
        GivenKpiAsync("defect-rate", change: body => body["target"] = new JsonObject { ["comparator"] = "atMost", ["value"] = 2 });

    [Test]
    public async Task A_pushed_value_emits_value_recorded_and_the_status_change_it_causes()
    {
        await Subscriptions.GivenListeningToAsync(Api, EventTypes.KpiValueRecorded);
        var kpi = await GivenDefectRateAsync();
        await GivenMeasurementAsync(kpi.Id, 1.5m, "2026-07-13");

        await GivenMeasurementAsync(kpi.Id, 2.4m, "2026-07-14");

        var events = await EventsAsync();
        Assert.That(events.Select(e => e.Type), Is.EquivalentTo(new[]
        {
            EventTypes.KpiValueRecorded, EventTypes.KpiStatusChanged, EventTypes.KpiValueRecorded, EventTypes.KpiStatusChanged,
        }));
        var change = events.Single(e => e.Type == EventTypes.KpiStatusChanged && e.Data["to"]!.GetValue<string>() == "offTarget").Data;
        Assert.That((change["from"]!.GetValue<string>(), change["to"]!.GetValue<string>(), change["period"]!.GetValue<string>()),
            Is.EqualTo(("onTarget", "offTarget", "2026-07-14")));
        Assert.That(change["value"]!.GetValue<decimal>(), Is.EqualTo(2.4m));
        Assert.That(events.Where(e => e.Type == EventTypes.KpiValueRecorded).Select(e => e.Data["summary"]!.GetValue<string>()),
            Does.Contain("Defect rate recorded 2.4 % for 2026-07-14 (off target; target ≤ 2 %)"));
    }

    [Test]
    public async Task Values_are_written_as_events_only_while_an_enabled_subscription_lists_value_recorded()
    {
        var kpi = await GivenDefectRateAsync();
        await Subscriptions.GivenListeningToAsync(Api, EventTypes.KpiStatusChanged);
        var disabled = await Subscriptions.GivenListeningToAsync(Api, EventTypes.KpiValueRecorded);
        Assert.That((await Api.PostAsync($"/api/v1/webhooks/{disabled}/disable", null)).StatusCode, Is.EqualTo(HttpStatusCode.OK));

        await GivenMeasurementAsync(kpi.Id, 1.5m, "2026-07-13");
        await Subscriptions.GivenListeningToAsync(Api, EventTypes.KpiValueRecorded);
        await GivenMeasurementAsync(kpi.Id, 1.8m, "2026-07-14");

        var events = await EventsAsync();
        Assert.That(events.Select(e => e.Type), Is.EquivalentTo(new[] { EventTypes.KpiStatusChanged, EventTypes.KpiValueRecorded }));
        Assert.That(events.Single(e => e.Type == EventTypes.KpiValueRecorded).Data["period"]!.GetValue<string>(), Is.EqualTo("2026-07-14"));
    }

    [Test]
    public async Task A_value_for_an_older_period_changes_no_status()
    {
        var kpi = await GivenDefectRateAsync();
        await GivenMeasurementAsync(kpi.Id, 1.5m, "2026-07-14");

        await GivenMeasurementAsync(kpi.Id, 9m, "2026-07-10");

        Assert.That((await EventsAsync()).Count(e => e.Type == EventTypes.KpiStatusChanged), Is.EqualTo(1));
    }

    [Test]
    public async Task Deleting_the_newest_value_emits_the_status_change_back_to_the_period_before()
    {
        var kpi = await GivenDefectRateAsync();
        await GivenMeasurementAsync(kpi.Id, 1.5m, "2026-07-13");
        await GivenMeasurementAsync(kpi.Id, 2.4m, "2026-07-14");
        var before = (await EventsAsync()).Count;

        var response = await SendAsync(HttpMethod.Delete, "/api/v1/kpis/defect-rate/measurements/2026-07-14");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.NoContent), await response.Content.ReadAsStringAsync());
        var events = await EventsAsync();
        Assert.That(events, Has.Count.EqualTo(before + 1));
        Assert.That(events.Where(e => e.Type == EventTypes.KpiStatusChanged)
                .Select(e => (e.Data["from"]!.GetValue<string>(), e.Data["to"]!.GetValue<string>(), e.Data["period"]!.GetValue<string>())),
            Does.Contain(("offTarget", "onTarget", "2026-07-13")));
    }

    [Test]
    public async Task An_unchanged_value_emits_nothing()
    {
        var kpi = await GivenDefectRateAsync();
        await GivenMeasurementAsync(kpi.Id, 1.5m, "2026-07-14");
        var before = (await EventsAsync()).Count;

        await GivenMeasurementAsync(kpi.Id, 1.5m, "2026-07-14");

        Assert.That((await EventsAsync()).Count, Is.EqualTo(before));
    }

    [Test]
    public async Task A_refused_atomic_batch_emits_nothing()
    {
        await Subscriptions.GivenListeningToAsync(Api, EventTypes.KpiValueRecorded);
        await GivenDefectRateAsync();

        var response = await PostJsonAsync("/api/v1/measurements/batch", new JsonObject
        {
            ["items"] = new JsonArray(
                new JsonObject { ["kpi"] = "defect-rate", ["period"] = "2026-07-14", ["value"] = 2.4 },
                new JsonObject { ["kpi"] = "no-such-kpi", ["period"] = "2026-07-14", ["value"] = 1 }),
        });

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.UnprocessableEntity), await response.Content.ReadAsStringAsync());
        Assert.That(await EventsAsync(), Is.Empty);
    }

    [Test]
    public async Task A_refused_atomic_import_emits_nothing_and_a_committed_one_emits_its_status_changes()
    {
        await GivenDefectRateAsync();

        var refused = await PostRawAsync("/api/v1/measurements/import", "kpi,period,value\ndefect-rate,2026-07-13,1\ndefect-rate,2026-07-14,2.4\nno-such-kpi,2026-07-14,1\n", "text/csv");
        Assert.That(refused.StatusCode, Is.EqualTo(HttpStatusCode.UnprocessableEntity));
        Assert.That(await EventsAsync(), Is.Empty);

        var committed = await PostRawAsync("/api/v1/measurements/import", "kpi,period,value\ndefect-rate,2026-07-13,1\ndefect-rate,2026-07-14,2.4\n", "text/csv");

        Assert.That(committed.StatusCode, Is.EqualTo(HttpStatusCode.OK), await committed.Content.ReadAsStringAsync());
        var events = await EventsAsync();
        Assert.That(events.Select(e => e.Type), Is.EqualTo(new[] { EventTypes.KpiStatusChanged }));
        Assert.That((events[0].Data["from"]!.GetValue<string>(), events[0].Data["to"]!.GetValue<string>()), Is.EqualTo(("noData", "offTarget")));
    }

    [Test]
    public async Task A_dry_run_import_emits_nothing()
    {
        await GivenDefectRateAsync();

        var response = await PostRawAsync("/api/v1/measurements/import?dryRun=true", "kpi,period,value\ndefect-rate,2026-07-14,2.4\n", "text/csv");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(await EventsAsync(), Is.Empty);
    }

    [Test]
    public async Task A_check_in_emits_its_event_and_the_objective_health_it_changes()
    {
        var cycle = await GivenCycleAsync();
        var objective = await GivenObjectiveAsync(cycle.Id);
        var keyResult = await GivenKeyResultAsync(objective.Id, start: 31, target: 45);

        var response = await CheckInAsync(keyResult.Id, 44, confidence: 8);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created));
        var events = (await EventsAsync()).Where(e => e.Type != EventTypes.CycleActivated).ToList();
        Assert.That(events.Select(e => e.Type), Is.EquivalentTo(new[] { EventTypes.CheckInCreated, EventTypes.ObjectiveHealthChanged }));
        Assert.That(events.Single(e => e.Type == EventTypes.CheckInCreated).Data["summary"]!.GetValue<string>(), Does.StartWith($"{keyResult.Title}: checked in at 44"));
        Assert.That(events.Single(e => e.Type == EventTypes.ObjectiveHealthChanged).Data["to"]!.GetValue<string>(), Is.EqualTo("onTrack"));
    }

    [Test]
    public async Task A_value_pushed_to_a_kpi_feeding_a_key_result_emits_the_objective_health_it_changes()
    {
        var cycle = await GivenCycleAsync();
        var objective = await GivenObjectiveAsync(cycle.Id);
        var nps = await GivenKpiAsync("nps");
        await GivenKeyResultAsync(objective.Id, start: 31, target: 45, change: b => b["kpiKey"] = "nps");

        await GivenMeasurementAsync(nps.Id, 44, "2026-07-14");

        var change = (await EventsAsync()).Single(e => e.Type == EventTypes.ObjectiveHealthChanged).Data;
        Assert.That(change["objective"]!["id"]!.GetValue<Guid>(), Is.EqualTo(objective.Id));
        Assert.That(change["to"]!.GetValue<string>(), Is.EqualTo("onTrack"));
        Assert.That(change["summary"]!.GetValue<string>(), Does.StartWith($"{objective.Title} is on track"));
    }

    [Test]
    public async Task Batched_and_imported_values_emit_the_objective_health_they_change_and_an_unchanged_health_emits_nothing()
    {
        var cycle = await GivenCycleAsync();
        var objective = await GivenObjectiveAsync(cycle.Id);
        await GivenKpiAsync("nps");
        await GivenKeyResultAsync(objective.Id, start: 31, target: 45, change: b => b["kpiKey"] = "nps");
        async Task<IReadOnlyList<string>> HealthChangesAsync() =>
            (await EventsAsync()).Where(e => e.Type == EventTypes.ObjectiveHealthChanged).Select(e => e.Data["to"]!.GetValue<string>()).ToList();

        var batch = await PostJsonAsync("/api/v1/measurements/batch", new JsonObject
        {
            ["items"] = new JsonArray(new JsonObject { ["kpi"] = "nps", ["period"] = "2026-07-13", ["value"] = 44 }),
        });
        Assert.That(batch.StatusCode, Is.EqualTo(HttpStatusCode.OK), await batch.Content.ReadAsStringAsync());
        Assert.That(await HealthChangesAsync(), Is.EqualTo(new[] { "onTrack" }));

        var same = await PostRawAsync("/api/v1/measurements/import", "kpi,period,value\nnps,2026-07-14,45\n", "text/csv");
        Assert.That(same.StatusCode, Is.EqualTo(HttpStatusCode.OK), await same.Content.ReadAsStringAsync());
        Assert.That(await HealthChangesAsync(), Is.EqualTo(new[] { "onTrack" }));

        var lower = await PostRawAsync("/api/v1/measurements/import", "kpi,period,value\nnps,2026-07-15,31\n", "text/csv");
        Assert.That(lower.StatusCode, Is.EqualTo(HttpStatusCode.OK), await lower.Content.ReadAsStringAsync());
        Assert.That(await HealthChangesAsync(), Has.Count.EqualTo(2).And.Not.EqualTo(new[] { "onTrack", "onTrack" }));
    }

    [Test]
    public async Task Activating_and_closing_a_cycle_emit_their_events()
    {
        var cycle = await GivenCycleAsync(activate: false);

        await Api.PostAsync($"/api/v1/cycles/{cycle.Id}/activate", null);
        await Api.PostAsync($"/api/v1/cycles/{cycle.Id}/close", null);

        Assert.That((await EventsAsync()).Select(e => e.Type), Is.EquivalentTo(new[] { EventTypes.CycleActivated, EventTypes.CycleClosed }));
    }
}
