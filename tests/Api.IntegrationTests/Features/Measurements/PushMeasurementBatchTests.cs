using System.Net;
using System.Text.Json.Nodes;
using OkrKpi.Api.Features.Kpis;
using OkrKpi.Api.Features.Measurements;

namespace OkrKpi.Api.IntegrationTests.Features.Measurements;

public sealed class PushMeasurementBatchTests : IntegrationTest
{
    [Test]
    public async Task Stores_values_of_several_kpis_named_by_key_or_by_id()
    {
        var production = await GivenProductionRateAsync();
        var defects = await GivenKpiAsync("defect-rate");
        var downtime = await GivenDowntimeAsync();

        var response = await PushBatchAsync(new JsonArray(
            Item("production-rate", "2026-07-15T08:00:00Z", 110),
            Item(defects.Id.ToString(), "2026-07-14", 1.5m),
            Item("DOWNTIME", "2026-07-14", 45),
            Item(production.Id.ToString().ToUpperInvariant(), "2026-07-15T07:30:00Z", 98)));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        var batch = await ReadAsync<BatchResponse>(response);
        Assert.That(batch.Committed, Is.True);
        Assert.That((batch.Created, batch.Updated, batch.Unchanged, batch.Rejected), Is.EqualTo((4, 0, 0, 0)));
        Assert.That(batch.Items.Select(i => (i.Index, i.Kpi, i.KpiId, i.Period)), Is.EqualTo(new[]
        {
            (0, "production-rate", (Guid?)production.Id, "2026-07-15T08:00:00Z"),
            (1, "defect-rate", defects.Id, "2026-07-14"),
            (2, "downtime", downtime.Id, "2026-07-14"),
            (3, "production-rate", production.Id, "2026-07-15T07:00:00Z"),
        }));
        var hours = await SeriesAsync("production-rate", "2026-07-15T00:00:00Z", "2026-07-15T09:00:00Z");
        Assert.That(hours.Items.Select(m => (m.Period, m.Value.ToString(), m.Status)), Is.EqualTo(new[]
        {
            ("2026-07-15T07:00:00Z", "98", KpiPeriodStatus.AtRisk),
            ("2026-07-15T08:00:00Z", "110", KpiPeriodStatus.OnTarget),
        }));
        var days = await SeriesAsync(downtime.Id.ToString(), "2026-07-14", "2026-07-14");
        Assert.That(days.Items.Select(m => (m.Value.ToString(), m.Status)), Is.EqualTo(new[] { ("45", KpiPeriodStatus.OnTarget) }));
        Assert.That((await SeriesAsync("defect-rate", "2026-07-14", "2026-07-14")).Items, Has.Count.EqualTo(1));
    }

    [Test]
    public async Task Answers_created_updated_or_unchanged_for_each_item_across_kpis()
    {
        var defects = await GivenKpiAsync("defect-rate");
        var downtime = await GivenDowntimeAsync();
        await GivenMeasurementAsync(defects.Id, 1.5m, "2026-07-14");
        await GivenMeasurementAsync(downtime.Id, 45m, "2026-07-14");

        var response = await PushBatchAsync(new JsonArray(
            Item("defect-rate", "2026-07-14", 1.5m),
            Item("downtime", "2026-07-14", 50),
            Item("downtime", "2026-07-13", 30)));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        var batch = await ReadAsync<BatchResponse>(response);
        Assert.That(batch.Items.Select(i => i.Result), Is.EqualTo(new[] { ItemResult.Unchanged, ItemResult.Updated, ItemResult.Created }));
        Assert.That((batch.Created, batch.Updated, batch.Unchanged, batch.Rejected), Is.EqualTo((1, 1, 1, 0)));
        var revisions = (await RevisionsAsync("downtime", "2026-07-14")).Revisions;
        Assert.That(revisions.Select(r => (r.State, r.Value.ToString())), Is.EqualTo(new[]
        {
            (ListMeasurementRevisions.RevisionState.Current, "50"),
            (ListMeasurementRevisions.RevisionState.Replaced, "45"),
        }));
        Assert.That((await RevisionsAsync("defect-rate", "2026-07-14")).Revisions, Has.Count.EqualTo(1));
    }

    [Test]
    public async Task Rejects_the_item_of_a_retired_kpi_naming_the_kpi_field()
    {
        await GivenKpiAsync("defect-rate");
        await GivenDowntimeAsync();
        Assert.That((await SendAsync(HttpMethod.Post, "/api/v1/kpis/downtime/retire")).StatusCode, Is.EqualTo(HttpStatusCode.OK));

        var response = await PushBatchAsync(new JsonArray(
            Item("defect-rate", "2026-07-14", 1.5m),
            Item("downtime", "2026-07-14", 45)), "partial");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        var batch = await ReadAsync<BatchResponse>(response);
        Assert.That(batch.Items.Select(i => (i.Result, i.Field)), Is.EqualTo(new[] { (ItemResult.Created, (string?)null), (ItemResult.Rejected, "kpi") }));
        Assert.That(batch.Items[1].Reason, Does.Contain("retired"));
        Assert.That((await SeriesAsync("defect-rate", "2026-07-14", "2026-07-14")).Items, Has.Count.EqualTo(1));
        Assert.That((await SeriesAsync("downtime", "2026-07-14", "2026-07-14")).Items, Is.Empty);
    }

    [TestCase("no-such-kpi", "not found")]
    [TestCase("0f8fad5b-d9cb-469f-a165-70867728950e", "not found")]
    [TestCase("", "required")]
    [TestCase(null, "required")]
    public async Task Rejects_the_item_of_an_unknown_or_missing_kpi_naming_the_kpi_field(string? kpi, string reason)
    {
        await GivenKpiAsync("defect-rate");

        var response = await PushBatchAsync(new JsonArray(
            Item("defect-rate", "2026-07-14", 1.5m),
            Item(kpi, "2026-07-14", 1.5m)), "partial");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        var batch = await ReadAsync<BatchResponse>(response);
        Assert.That(batch.Items.Select(i => i.Result), Is.EqualTo(new[] { ItemResult.Created, ItemResult.Rejected }));
        Assert.That(batch.Items[1].Field, Is.EqualTo("kpi"));
        Assert.That(batch.Items[1].Reason, Does.Contain(reason));
        Assert.That(batch.Items[1].KpiId, Is.Null);
    }

    [Test]
    public async Task An_atomic_batch_with_a_refused_item_answers_422_and_stores_nothing()
    {
        var defects = await GivenKpiAsync("defect-rate");
        await GivenDowntimeAsync();
        await GivenMeasurementAsync(defects.Id, 1.5m, "2026-07-14");

        var response = await PushBatchAsync(new JsonArray(
            Item("defect-rate", "2026-07-14", 2.5m),
            Item("downtime", "2026-07-14", 45),
            Item("downtime", "2026-07", 45)));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.UnprocessableEntity), await response.Content.ReadAsStringAsync());
        var batch = await ReadAsync<BatchResponse>(response);
        Assert.That(batch.Committed, Is.False);
        Assert.That(batch.Items.Select(i => (i.Index, i.Result)), Is.EqualTo(new[]
        {
            (0, ItemResult.Updated), (1, ItemResult.Created), (2, ItemResult.Rejected),
        }));
        Assert.That(batch.Items[2].Field, Is.EqualTo("period"));
        Assert.That((await SeriesAsync("downtime", "2026-07-01", "2026-07-15")).Items, Is.Empty);
        var revisions = (await RevisionsAsync("defect-rate", "2026-07-14")).Revisions;
        Assert.That(revisions.Select(r => (r.State, r.Value.ToString())), Is.EqualTo(new[] { (ListMeasurementRevisions.RevisionState.Current, "1.5") }));
    }

    [Test]
    public async Task An_atomic_batch_with_an_item_of_a_retired_kpi_stores_nothing()
    {
        await GivenKpiAsync("defect-rate");
        await GivenDowntimeAsync();
        Assert.That((await SendAsync(HttpMethod.Post, "/api/v1/kpis/downtime/retire")).StatusCode, Is.EqualTo(HttpStatusCode.OK));

        var response = await PushBatchAsync(new JsonArray(
            Item("defect-rate", "2026-07-14", 1.5m),
            Item("downtime", "2026-07-14", 45)));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.UnprocessableEntity), await response.Content.ReadAsStringAsync());
        var batch = await ReadAsync<BatchResponse>(response);
        Assert.That(batch.Items[1].Field, Is.EqualTo("kpi"));
        Assert.That((await SeriesAsync("defect-rate", "2026-07-14", "2026-07-14")).Items, Is.Empty);
    }

    [Test]
    public async Task Refuses_a_second_value_for_the_same_kpi_and_period_even_when_named_differently()
    {
        var defects = await GivenKpiAsync("defect-rate");
        await GivenDowntimeAsync();

        var response = await PushBatchAsync(new JsonArray(
            Item("defect-rate", "2026-07-14", 1.5m),
            Item("downtime", "2026-07-14", 45),
            Item(defects.Id.ToString(), "2026-07-14T08:00:00Z", 2.5m)), "partial");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        var batch = await ReadAsync<BatchResponse>(response);
        Assert.That(batch.Items.Select(i => i.Result), Is.EqualTo(new[] { ItemResult.Created, ItemResult.Created, ItemResult.Rejected }));
        Assert.That(batch.Items[2].Field, Is.EqualTo("period"));
        Assert.That(batch.Items[2].Reason, Does.Contain("item 0"));
        var stored = (await SeriesAsync("defect-rate", "2026-07-14", "2026-07-14")).Items;
        Assert.That(stored.Select(m => m.Value.ToString()), Is.EqualTo(new[] { "1.5" }));
    }

    [TestCase("period", "2026-07-16", "period")]
    [TestCase("value", "1.5", "value")]
    [TestCase("source", "import", "source")]
    public async Task Reports_the_field_and_reason_of_a_refused_item(string field, string value, string expectedField)
    {
        await GivenKpiAsync("defect-rate");
        var item = Item("defect-rate", "2026-07-14", 1.5m);
        item[field] = value;

        var response = await PushBatchAsync(new JsonArray(item));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.UnprocessableEntity), await response.Content.ReadAsStringAsync());
        var batch = await ReadAsync<BatchResponse>(response);
        Assert.That((batch.Committed, batch.Rejected), Is.EqualTo((false, 1)));
        Assert.That(batch.Items.Single().Field, Is.EqualTo(expectedField));
        Assert.That(batch.Items.Single().Reason, Is.Not.Empty);
    }

    [Test]
    public async Task Refuses_an_unknown_mode()
    {
        await GivenKpiAsync("defect-rate");

        var response = await PushBatchAsync(new JsonArray(Item("defect-rate", "2026-07-14", 1.5m)), "bogus");

        await FieldErrorsAsync(response, "mode");
        Assert.That((await SeriesAsync("defect-rate", "2026-07-14", "2026-07-14")).Items, Is.Empty);
    }

    [TestCase("""{ "items": [] }""")]
    [TestCase("""{ "items": null }""")]
    [TestCase("""{ }""")]
    public async Task Refuses_a_batch_without_items(string body)
    {
        var response = await PostRawAsync("/api/v1/measurements/batch", body);

        await FieldErrorsAsync(response, "items");
    }

    [TestCase("""{ "items": [null] }""", "items[0]")]
    [TestCase("""{ "items": [{ "period": "2026-07-14", "value": 1 }, null] }""", "items[1]")]
    public async Task Refuses_a_null_item_naming_it(string body, string field)
    {
        var response = await PostRawAsync("/api/v1/measurements/batch", body);

        var messages = await FieldErrorsAsync(response, field);
        Assert.That(messages.Single(), Does.Contain("must be an object"));
    }

    [Test]
    public async Task Refuses_a_batch_of_more_than_5000_items()
    {
        await GivenKpiAsync("defect-rate");

        var response = await PushBatchAsync(DailyItems("defect-rate", 5001));

        var messages = await FieldErrorsAsync(response, "items");
        Assert.That(messages.Single(), Does.Contain("5000"));
        Assert.That((await SeriesAsync("defect-rate", "2026-07-01", "2026-07-15")).Items, Is.Empty);
    }

    [Test]
    public async Task Stores_a_batch_of_exactly_5000_items()
    {
        await GivenKpiAsync("defect-rate");

        var response = await PushBatchAsync(DailyItems("defect-rate", 5000));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        var batch = await ReadAsync<BatchResponse>(response);
        Assert.That(batch.Committed, Is.True);
        Assert.That((batch.Created, batch.Updated, batch.Unchanged, batch.Rejected), Is.EqualTo((5000, 0, 0, 0)));
        Assert.That(batch.Items.Select(i => i.Index), Is.EqualTo(Enumerable.Range(0, 5000)));
        var series = await SeriesAsync("defect-rate", "2012-11-06", "2026-07-15");
        Assert.That(series.Items, Has.Count.EqualTo(5000));
    }

    private static Task<HttpResponseMessage> PushBatchAsync(JsonArray items, string? mode = null) =>
        PostJsonAsync($"/api/v1/measurements/batch{(mode is null ? "" : $"?mode={mode}")}", new JsonObject { ["items"] = items });

    private static JsonObject Item(string? kpi, string period, JsonNode value) => new() { ["kpi"] = kpi, ["period"] = period, ["value"] = value };

    /// <summary>One value per day, going back from the fake clock's day 2026-07-15.</summary>
    private static JsonArray DailyItems(string kpi, int count) =>
        new(Enumerable.Range(0, count).Select(back => (JsonNode)Item(kpi, new DateOnly(2026, 7, 15).AddDays(-back).ToString("yyyy-MM-dd"), back % 5)).ToArray());

    private static Task<KpiResponse> GivenProductionRateAsync() =>
        GivenKpiAsync("production-rate", change: body =>
        {
            body["name"] = "Production rate";
            body["unit"] = "units/h";
            body["valueType"] = "number";
            body["frequency"] = "hourly";
            body["target"] = new JsonObject { ["comparator"] = "atLeast", ["value"] = 100, ["warning"] = 90 };
        });

    private static Task<KpiResponse> GivenDowntimeAsync() =>
        GivenKpiAsync("downtime", change: body =>
        {
            body["name"] = "Unplanned downtime";
            body["unit"] = "min";
            body["valueType"] = "number";
            body["target"] = new JsonObject { ["comparator"] = "atMost", ["value"] = 60, ["warning"] = 90 };
        });
}
