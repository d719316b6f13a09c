using System.Text.Json.Nodes;
using OkrKpi.Api.Features.Notifications;
using OkrKpi.Api.IntegrationTests.Features.Measurements;
using OkrKpi.Api.IntegrationTests.Features.Notifications;

namespace OkrKpi.Api.IntegrationTests.Features.Kpis.Formulas;

/// <summary>A recomputed value emits its events into the outbox like a pushed one, in the transaction of the write that caused it.</summary>
public sealed class RecomputedEventsTests : ComputedKpiTest
{
    [SetUp]
    public async Task GivenSignupRate()
    {
        await GivenInputAsync("visitors");
        await GivenInputAsync("signups");
        await GivenComputedAsync("signup-rate", "{signups} / {visitors} * 100");
    }

    /// <summary>The outbox's events about <paramref name="kpi"/>, oldest first.</summary>
    private static async Task<IReadOnlyList<(string Type, JsonNode Data)>> EventsOfAsync(string kpi)
    {
        await using var connection = await ApiFixture.Database.OpenAsync();
        var rows = await Dapper.SqlMapper.QueryAsync<(string, string)>(connection, "SELECT Type, Payload FROM OutboxEvent ORDER BY Id");
        return rows.Select(r => (r.Item1, JsonNode.Parse(r.Item2)!["data"]!)).Where(e => e.Item2["kpi"]!["key"]!.GetValue<string>() == kpi).ToList();
    }

    /// <summary>Clears the outbox, so that the events a test looks at are those of its last action (ids order them only within a clock tick).</summary>
    private static async Task ForgetEventsAsync()
    {
        await using var connection = await ApiFixture.Database.OpenAsync();
        await Dapper.SqlMapper.ExecuteAsync(connection, "DELETE FROM OutboxEvent");
    }

    private static string Text(JsonNode data, string field) => data[field]!.ToJsonString().Trim('"');

    [Test]
    public async Task Pushed_inputs_make_the_computed_kpi_emit_value_recorded_and_its_status_changes()
    {
        await Subscriptions.GivenListeningToAsync(Api, EventTypes.KpiValueRecorded);
        await GivenValueAsync("visitors", "2026-W28", 2000);
        await ForgetEventsAsync();

        await GivenValueAsync("signups", "2026-W28", 90);
        var first = await EventsOfAsync("signup-rate");
        await ForgetEventsAsync();
        await GivenValueAsync("signups", "2026-W28", 120);
        var second = await EventsOfAsync("signup-rate");

        Assert.That(first.Select(e => e.Type), Is.EquivalentTo(new[] { EventTypes.KpiValueRecorded, EventTypes.KpiStatusChanged }));
        Assert.That(second.Select(e => e.Type), Is.EquivalentTo(new[] { EventTypes.KpiValueRecorded, EventTypes.KpiStatusChanged }));
        var values = first.Concat(second).Where(e => e.Type == EventTypes.KpiValueRecorded).Select(e => e.Data).ToList();
        Assert.That(values.Select(v => (v["value"]!.GetValue<decimal>(), Text(v, "source"), Text(v, "period"))),
            Is.EqualTo(new[] { (4.5m, "computed", "2026-W28"), (6m, "computed", "2026-W28") }));
        Assert.That(first.Concat(second).Where(e => e.Type == EventTypes.KpiStatusChanged).Select(e => (Text(e.Data, "from"), Text(e.Data, "to"))),
            Is.EqualTo(new[] { ("noData", "atRisk"), ("atRisk", "onTarget") }));
    }

    [Test]
    public async Task An_import_of_inputs_makes_the_computed_kpi_emit_its_status_change_only_as_an_import_does()
    {
        var response = await MeasurementImports.ImportAsync(Api, MeasurementImports.Csv("kpi,period,value\nvisitors,2026-W28,2000\nsignups,2026-W28,90\n"));
        Assert.That(response.IsSuccessStatusCode, Is.True, await response.Content.ReadAsStringAsync());

        var events = await EventsOfAsync("signup-rate");

        Assert.That(events.Select(e => (e.Type, Text(e.Data, "to"))), Is.EqualTo(new[] { (EventTypes.KpiStatusChanged, "atRisk") }));
    }

    [Test]
    public async Task A_formula_change_that_changes_the_status_emits_it()
    {
        await GivenValueAsync("visitors", "2026-W28", 2000);
        await GivenValueAsync("signups", "2026-W28", 90);
        await ForgetEventsAsync();

        var patched = await PatchAsync("/api/v1/kpis/signup-rate", new JsonObject { ["formula"] = "{signups} / {visitors} * 200" }, "\"1\"");
        Assert.That(patched.IsSuccessStatusCode, Is.True, await patched.Content.ReadAsStringAsync());

        var events = await EventsOfAsync("signup-rate");
        Assert.That(events.Select(e => (e.Type, Text(e.Data, "from"), Text(e.Data, "to"))),
            Is.EqualTo(new[] { (EventTypes.KpiStatusChanged, "atRisk", "onTarget") }));
        Assert.That(events.Single().Data["value"]!.GetValue<decimal>(), Is.EqualTo(9m));
    }

    [Test]
    public async Task Deleting_an_input_value_emits_the_status_change_the_computed_kpi_undergoes()
    {
        await GivenValueAsync("visitors", "2026-W27", 2000);
        await GivenValueAsync("signups", "2026-W27", 120);
        await GivenValueAsync("visitors", "2026-W28", 2000);
        await GivenValueAsync("signups", "2026-W28", 90);
        await ForgetEventsAsync();

        await SendAsync(HttpMethod.Delete, "/api/v1/kpis/visitors/measurements/2026-W28");

        var events = await EventsOfAsync("signup-rate");
        Assert.That(events.Select(e => (e.Type, Text(e.Data, "to"), Text(e.Data, "period"))),
            Is.EqualTo(new[] { (EventTypes.KpiStatusChanged, "onTarget", "2026-W27") }));
    }
}
