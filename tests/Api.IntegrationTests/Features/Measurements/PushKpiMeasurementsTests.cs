using System.Net;
using System.Text.Json.Nodes;
using OkrKpi.Api.Features.Measurements;

namespace OkrKpi.Api.IntegrationTests.Features.Measurements;

public sealed class PushKpiMeasurementsTests : IntegrationTest
{
    [Test]
    public async Task Answers_created_updated_or_unchanged_for_each_item()
    {
        var kpi = await GivenKpiAsync("defect-rate");
        await GivenMeasurementAsync(kpi.Id, 1m, "2026-07-12");
        await GivenMeasurementAsync(kpi.Id, 2m, "2026-07-13");

        var response = await PushBatchAsync("defect-rate", new JsonArray(
            MeasurementBody("2026-07-12", 1.25m),
            MeasurementBody("2026-07-13", 2m),
            MeasurementBody("2026-07-14T17:45:00Z", 1.5m)));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        var batch = await ReadAsync<BatchResponse>(response);
        Assert.That(batch.Committed, Is.True);
        Assert.That((batch.Created, batch.Updated, batch.Unchanged, batch.Rejected), Is.EqualTo((1, 1, 1, 0)));
        Assert.That(batch.Items.Select(i => (i.Index, i.Result, i.Period)), Is.EqualTo(new[]
        {
            (0, ItemResult.Updated, "2026-07-12"),
            (1, ItemResult.Unchanged, "2026-07-13"),
            (2, ItemResult.Created, "2026-07-14"),
        }));
        Assert.That(batch.Items.Select(i => (i.Kpi, i.KpiId)), Is.All.EqualTo(("defect-rate", (Guid?)kpi.Id)));
        Assert.That(batch.Items[2].PeriodStart, Is.EqualTo(new DateTimeOffset(2026, 7, 14, 0, 0, 0, TimeSpan.Zero)));
        Assert.That(batch.Items.Select(i => i.Field ?? i.Reason), Is.All.Null);
        var series = await SeriesAsync("defect-rate", "2026-07-01", "2026-07-15");
        Assert.That(series.Items.Select(m => (m.Period, m.Value.ToString())), Is.EqualTo(new[]
        {
            ("2026-07-12", "1.25"), ("2026-07-13", "2"), ("2026-07-14", "1.5"),
        }));
        var replaced = (await RevisionsAsync("defect-rate", "2026-07-12")).Revisions;
        Assert.That(replaced.Select(r => (r.State, r.Value.ToString())), Is.EqualTo(new[]
        {
            (ListMeasurementRevisions.RevisionState.Current, "1.25"),
            (ListMeasurementRevisions.RevisionState.Replaced, "1"),
        }));
        Assert.That((await RevisionsAsync("defect-rate", "2026-07-13")).Revisions, Has.Count.EqualTo(1));
    }

    [Test]
    public async Task An_atomic_batch_with_a_refused_item_answers_422_and_stores_nothing()
    {
        var kpi = await GivenKpiAsync("defect-rate");
        await GivenMeasurementAsync(kpi.Id, 1m, "2026-07-12");

        var response = await PushBatchAsync("defect-rate", new JsonArray(
            MeasurementBody("2026-07-12", 9m),
            MeasurementBody("2026-07-13", 2m),
            MeasurementBody("2026-07-16", 1.5m)));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.UnprocessableEntity), await response.Content.ReadAsStringAsync());
        var batch = await ReadAsync<BatchResponse>(response);
        Assert.That(batch.Committed, Is.False);
        Assert.That(batch.Rejected, Is.EqualTo(1));
        Assert.That(batch.Items.Select(i => (i.Index, i.Result)), Is.EqualTo(new[]
        {
            (0, ItemResult.Updated), (1, ItemResult.Created), (2, ItemResult.Rejected),
        }));
        Assert.That(batch.Items[2].Field, Is.EqualTo("period"));
        Assert.That(batch.Items[2].Reason, Does.Contain("has not started yet"));
        var series = await SeriesAsync("defect-rate", "2026-07-01", "2026-07-15");
        Assert.That(series.Items.Select(m => (m.Period, m.Value.ToString())), Is.EqualTo(new[] { ("2026-07-12", "1") }));
        Assert.That((await RevisionsAsync("defect-rate", "2026-07-12")).Revisions, Has.Count.EqualTo(1));
    }

    [TestCase("atomic")]
    [TestCase("Atomic")]
    public async Task Mode_atomic_is_the_default_and_may_be_named(string mode)
    {
        await GivenKpiAsync("defect-rate");

        var response = await PushBatchAsync("defect-rate", new JsonArray(
            MeasurementBody("2026-07-13", 2m),
            MeasurementBody("2026-07-14", "2")), mode);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.UnprocessableEntity), await response.Content.ReadAsStringAsync());
        Assert.That((await ReadAsync<BatchResponse>(response)).Committed, Is.False);
        Assert.That((await SeriesAsync("defect-rate", "2026-07-01", "2026-07-15")).Items, Is.Empty);
    }

    [Test]
    public async Task A_partial_batch_stores_the_valid_items_and_reports_the_refused_ones()
    {
        var kpi = await GivenKpiAsync("defect-rate");
        await GivenMeasurementAsync(kpi.Id, 1m, "2026-07-12");

        var response = await PushBatchAsync("defect-rate", new JsonArray(
            MeasurementBody("2026-07-12", 9m),
            MeasurementBody("2026-07", 2m),
            MeasurementBody("2026-07-13", 2m),
            MeasurementBody("2026-07-14", "1.5")), "partial");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        var batch = await ReadAsync<BatchResponse>(response);
        Assert.That(batch.Committed, Is.True);
        Assert.That((batch.Created, batch.Updated, batch.Unchanged, batch.Rejected), Is.EqualTo((1, 1, 0, 2)));
        Assert.That(batch.Items.Select(i => (i.Result, i.Field)), Is.EqualTo(new[]
        {
            (ItemResult.Updated, (string?)null), (ItemResult.Rejected, "period"), (ItemResult.Created, null), (ItemResult.Rejected, "value"),
        }));
        Assert.That(batch.Items[1].Reason, Does.Contain("'2026-07'"));
        Assert.That(batch.Items[3].Reason, Does.Contain("JSON number"));
        var series = await SeriesAsync("defect-rate", "2026-07-01", "2026-07-15");
        Assert.That(series.Items.Select(m => (m.Period, m.Value.ToString())), Is.EqualTo(new[] { ("2026-07-12", "9"), ("2026-07-13", "2") }));
    }

    [TestCase("period", "yesterday", "period")]
    [TestCase("period", null, "period")]
    [TestCase("value", "5", "value")]
    [TestCase("value", null, "value")]
    [TestCase("source", "import", "source")]
    [TestCase("note", "1001", "note")]
    [TestCase("externalId", "201", "externalId")]
    public async Task Reports_the_field_and_reason_of_a_refused_item(string field, string? value, string expectedField)
    {
        await GivenKpiAsync("defect-rate");
        var item = MeasurementBody("2026-07-14", 1.5m);
        item[field] = field is "note" or "externalId" ? new string('x', int.Parse(value!)) : value;

        var response = await PushBatchAsync("defect-rate", new JsonArray(MeasurementBody("2026-07-13", 2m), item), "partial");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        var batch = await ReadAsync<BatchResponse>(response);
        Assert.That(batch.Items.Select(i => i.Result), Is.EqualTo(new[] { ItemResult.Created, ItemResult.Rejected }));
        Assert.That(batch.Items[1].Field, Is.EqualTo(expectedField));
        Assert.That(batch.Items[1].Reason, Is.Not.Empty);
        Assert.That((await SeriesAsync("defect-rate", "2026-07-01", "2026-07-15")).Items.Select(m => m.Period), Is.EqualTo(new[] { "2026-07-13" }));
    }

    [Test]
    public async Task Refuses_a_second_value_for_the_same_period_in_one_batch()
    {
        await GivenKpiAsync("defect-rate");

        var response = await PushBatchAsync("defect-rate", new JsonArray(
            MeasurementBody("2026-07-14", 1.5m),
            MeasurementBody("2026-07-13", 1m),
            MeasurementBody("2026-07-14T20:00:00Z", 2.5m)), "partial");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        var batch = await ReadAsync<BatchResponse>(response);
        Assert.That(batch.Items.Select(i => i.Result), Is.EqualTo(new[] { ItemResult.Created, ItemResult.Created, ItemResult.Rejected }));
        Assert.That(batch.Items[2].Field, Is.EqualTo("period"));
        Assert.That(batch.Items[2].Period, Is.EqualTo("2026-07-14"));
        Assert.That(batch.Items[2].Reason, Does.Contain("item 0"));
        var series = await SeriesAsync("defect-rate", "2026-07-01", "2026-07-15");
        Assert.That(series.Items.Select(m => (m.Period, m.Value.ToString())), Is.EqualTo(new[] { ("2026-07-13", "1"), ("2026-07-14", "1.5") }));
    }

    [Test]
    public async Task Refuses_an_unknown_mode()
    {
        await GivenKpiAsync("defect-rate");

        var response = await PushBatchAsync("defect-rate", new JsonArray(MeasurementBody("2026-07-14", 1.5m)), "bogus");

        await FieldErrorsAsync(response, "mode");
        Assert.That((await SeriesAsync("defect-rate", "2026-07-01", "2026-07-15")).Items, Is.Empty);
    }

    [TestCase("""{ "items": [] }""")]
    [TestCase("""{ "items": null }""")]
    [TestCase("""{ }""")]
    public async Task Refuses_a_batch_without_items(string body)
    {
        await GivenKpiAsync("defect-rate");

        var response = await PostRawAsync("/api/v1/kpis/defect-rate/measurements/batch", body);

        await FieldErrorsAsync(response, "items");
    }

    [TestCase("""{ "items": [null] }""", "items[0]")]
    [TestCase("""{ "items": [{ "period": "2026-07-14", "value": 1 }, null] }""", "items[1]")]
    public async Task Refuses_a_null_item_naming_it(string body, string field)
    {
        await GivenKpiAsync("defect-rate");

        var response = await PostRawAsync("/api/v1/kpis/defect-rate/measurements/batch", body);

        var messages = await FieldErrorsAsync(response, field);
        Assert.That(messages.Single(), Does.Contain("must be an object"));
    }

    [Test]
    public async Task Refuses_a_batch_of_more_than_5000_items()
    {
        await GivenKpiAsync("defect-rate");

        var response = await PushBatchAsync("defect-rate", DailyItems(5001));

        var messages = await FieldErrorsAsync(response, "items");
        Assert.That(messages.Single(), Does.Contain("5000"));
        Assert.That((await SeriesAsync("defect-rate", "2026-07-01", "2026-07-15")).Items, Is.Empty);
    }

    [Test]
    public async Task Stores_a_batch_of_exactly_5000_items()
    {
        await GivenKpiAsync("defect-rate");

        var response = await PushBatchAsync("defect-rate", DailyItems(5000));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        var batch = await ReadAsync<BatchResponse>(response);
        Assert.That(batch.Committed, Is.True);
        Assert.That((batch.Created, batch.Updated, batch.Unchanged, batch.Rejected), Is.EqualTo((5000, 0, 0, 0)));
        Assert.That(batch.Items, Has.Count.EqualTo(5000));
        var series = await SeriesAsync("defect-rate", DailyPeriod(4999), DailyPeriod(0));
        Assert.That(series.Items, Has.Count.EqualTo(5000));
        Assert.That(series.Items[0].Period, Is.EqualTo("2012-11-06"));
        Assert.That(series.Items[^1].Period, Is.EqualTo("2026-07-15"));
    }

    [Test]
    public async Task Refuses_values_for_a_retired_kpi_with_409()
    {
        await GivenKpiAsync("defect-rate");
        Assert.That((await SendAsync(HttpMethod.Post, "/api/v1/kpis/defect-rate/retire")).StatusCode, Is.EqualTo(HttpStatusCode.OK));

        var response = await PushBatchAsync("defect-rate", new JsonArray(MeasurementBody("2026-07-14", 1.5m)), "partial");

        var problem = await ProblemAsync(response, HttpStatusCode.Conflict);
        Assert.That(problem["detail"]!.GetValue<string>(), Does.Contain("retired"));
        Assert.That((await SeriesAsync("defect-rate", "2026-07-01", "2026-07-15")).Items, Is.Empty);
    }

    [TestCase("no-such-kpi")]
    [TestCase("0f8fad5b-d9cb-469f-a165-70867728950e")]
    public async Task Answers_404_for_an_unknown_kpi(string idOrKey)
    {
        await GivenKpiAsync("defect-rate");

        var response = await PushBatchAsync(idOrKey, new JsonArray(MeasurementBody("2026-07-14", 1.5m)));

        await ProblemAsync(response, HttpStatusCode.NotFound);
    }

    [Test]
    public async Task Addresses_the_kpi_by_its_id_as_well_as_by_its_key()
    {
        var kpi = await GivenKpiAsync("defect-rate");
        await PushBatchAsync("DEFECT-RATE", new JsonArray(MeasurementBody("2026-07-14", 1.5m)));

        var response = await PushBatchAsync(kpi.Id.ToString(), new JsonArray(MeasurementBody("2026-07-14", 1.5m), MeasurementBody("2026-07-13", 1m)));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        var batch = await ReadAsync<BatchResponse>(response);
        Assert.That(batch.Items.Select(i => i.Result), Is.EqualTo(new[] { ItemResult.Unchanged, ItemResult.Created }));
        Assert.That(batch.Items.Select(i => i.Kpi), Is.All.EqualTo("defect-rate"));
    }

    private static Task<HttpResponseMessage> PushBatchAsync(string idOrKey, JsonArray items, string? mode = null) =>
        PostJsonAsync($"/api/v1/kpis/{idOrKey}/measurements/batch{(mode is null ? "" : $"?mode={mode}")}", new JsonObject { ["items"] = items });

    /// <summary>One value per day, going back from the fake clock's day 2026-07-15.</summary>
    private static JsonArray DailyItems(int count) =>
        new(Enumerable.Range(0, count).Select(back => (JsonNode)MeasurementBody(DailyPeriod(back), back % 5)).ToArray());

    private static string DailyPeriod(int daysBack) => new DateOnly(2026, 7, 15).AddDays(-daysBack).ToString("yyyy-MM-dd");
}
