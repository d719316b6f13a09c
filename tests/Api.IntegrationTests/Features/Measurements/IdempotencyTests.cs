using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Dapper;
using OkrKpi.Api.Features.Measurements;
using OkrKpi.Api.Infrastructure.Security;

namespace OkrKpi.Api.IntegrationTests.Features.Measurements;

/// <summary>
/// A push retried with its Idempotency-Key replays the first answer and changes nothing again; the key
/// with another request is refused; keys are remembered for the retention period (48 hours by default).
/// </summary>
public sealed class IdempotencyTests : MeasurementsTest
{
    private const string Replayed = "Idempotent-Replayed";

    [Test]
    public async Task Replays_the_first_response_for_the_same_key_and_body()
    {
        await GivenKpiAsync("defect-rate");
        var body = Value("2026-07-14", 1.5m);

        var first = await PushAsync("/api/v1/kpis/defect-rate/measurements", body, "push-1");
        var retry = await PushAsync("/api/v1/kpis/defect-rate/measurements", body, "push-1");

        Assert.That(first.StatusCode, Is.EqualTo(HttpStatusCode.Created));
        Assert.That(first.Headers.Contains(Replayed), Is.False);
        Assert.That(retry.StatusCode, Is.EqualTo(HttpStatusCode.Created));
        Assert.That(retry.Headers.GetValues(Replayed), Is.EqualTo(new[] { "true" }));
        Assert.That(await retry.Content.ReadAsStringAsync(), Is.EqualTo(await first.Content.ReadAsStringAsync()));
        Assert.That(retry.Content.Headers.ContentType?.MediaType, Is.EqualTo(first.Content.Headers.ContentType?.MediaType));
        Assert.That(retry.Headers.Location, Is.EqualTo(first.Headers.Location));
        var revisions = await RevisionsAsync("defect-rate", "2026-07-14");
        Assert.That(revisions.Revisions.Select(r => Plain(r.Value)), Is.EqualTo(new object[] { 1.5m }));
    }

    [Test]
    public async Task Replays_a_retry_whose_body_differs_only_in_spacing_and_property_order()
    {
        await GivenKpiAsync("defect-rate");

        var first = await PushRawAsync("/api/v1/kpis/defect-rate/measurements", """{"period":"2026-07-14","value":1.5,"note":"shift A"}""", "push-1");
        var retry = await PushRawAsync("/api/v1/kpis/defect-rate/measurements", """{ "note": "shift A",  "value": 1.5, "period": "2026-07-14" }""", "push-1");

        Assert.That(first.StatusCode, Is.EqualTo(HttpStatusCode.Created));
        Assert.That(retry.StatusCode, Is.EqualTo(HttpStatusCode.Created));
        Assert.That(retry.Headers.GetValues(Replayed), Is.EqualTo(new[] { "true" }));
        Assert.That(await retry.Content.ReadAsStringAsync(), Is.EqualTo(await first.Content.ReadAsStringAsync()));
    }

    [Test]
    public async Task Does_not_apply_a_retried_push_again_after_the_value_moved_on()
    {
        await GivenKpiAsync("defect-rate");
        var first = await PushAsync("/api/v1/kpis/defect-rate/measurements", Value("2026-07-14", 1.5m), "push-1");
        await GivenValueAsync("defect-rate", "2026-07-14", 2.5m);

        var retry = await PushAsync("/api/v1/kpis/defect-rate/measurements", Value("2026-07-14", 1.5m), "push-1");

        Assert.That(retry.StatusCode, Is.EqualTo(HttpStatusCode.Created));
        Assert.That(retry.Headers.GetValues(Replayed), Is.EqualTo(new[] { "true" }));
        Assert.That(await retry.Content.ReadAsStringAsync(), Is.EqualTo(await first.Content.ReadAsStringAsync()));
        var revisions = await RevisionsAsync("defect-rate", "2026-07-14");
        Assert.That(revisions.Revisions.Select(r => Plain(r.Value)), Is.EqualTo(new object[] { 2.5m, 1.5m }));
        Assert.That(revisions.Revisions.Select(r => r.State), Is.EqualTo(new[]
        {
            ListMeasurementRevisions.RevisionState.Current, ListMeasurementRevisions.RevisionState.Replaced,
        }));
    }

    [Test]
    public async Task Refuses_the_same_key_with_another_body_with_422_and_keeps_the_first_value()
    {
        await GivenKpiAsync("defect-rate");
        await PushAsync("/api/v1/kpis/defect-rate/measurements", Value("2026-07-14", 1.5m), "push-1");

        var response = await PushAsync("/api/v1/kpis/defect-rate/measurements", Value("2026-07-14", 2.5m), "push-1");

        var problem = await ProblemAsync(response, HttpStatusCode.UnprocessableEntity);
        Assert.That(problem["detail"]!.GetValue<string>(), Does.Contain("push-1").And.Contain("different request"));
        Assert.That(response.Headers.Contains(Replayed), Is.False);
        var revisions = await RevisionsAsync("defect-rate", "2026-07-14");
        Assert.That(revisions.Revisions.Select(r => Plain(r.Value)), Is.EqualTo(new object[] { 1.5m }));
    }

    [TestCase("/api/v1/kpis/scrap-rate/measurements", false, TestName = "Refuses_a_key_reused_for_another_kpi")]
    [TestCase("/api/v1/kpis/defect-rate/measurements/batch", true, TestName = "Refuses_a_key_reused_on_the_kpi_batch_endpoint")]
    public async Task Refuses_a_key_reused_on_another_endpoint_or_kpi(string url, bool batch)
    {
        await GivenKpiAsync("defect-rate");
        await GivenKpiAsync("scrap-rate");
        await PushAsync("/api/v1/kpis/defect-rate/measurements", Value("2026-07-14", 1.5m), "push-1");
        var body = batch ? new JsonObject { ["items"] = new JsonArray(Value("2026-07-13", 1.5m)) } : Value("2026-07-14", 1.5m);

        var response = await PushAsync(url, body, "push-1");

        await ProblemAsync(response, HttpStatusCode.UnprocessableEntity);
        Assert.That(await SeriesValuesAsync("scrap-rate"), Is.Empty);
        Assert.That(await SeriesValuesAsync("defect-rate"), Is.EqualTo(new object[] { 1.5m }));
    }

    [TestCase("/api/v1/kpis/defect-rate/measurements/batch")]
    [TestCase("/api/v1/measurements/batch")]
    public async Task Refuses_a_batch_key_reused_with_the_same_body_in_another_mode(string url)
    {
        await GivenKpiAsync("defect-rate");
        var body = BatchBody(url, ("defect-rate", "2026-07-14", 1.5m));
        await PushAsync(url, body, "batch-1");

        var response = await PushAsync($"{url}?mode=partial", body, "batch-1");

        await ProblemAsync(response, HttpStatusCode.UnprocessableEntity);
    }

    [Test]
    public async Task Refuses_a_key_of_a_kpi_batch_reused_on_the_batch_across_kpis()
    {
        await GivenKpiAsync("defect-rate");
        var kpiBatch = new JsonObject { ["items"] = new JsonArray(Value("2026-07-14", 1.5m)) };
        var acrossBatch = new JsonObject { ["items"] = new JsonArray(new JsonObject { ["kpi"] = "defect-rate", ["period"] = "2026-07-14", ["value"] = 1.5m }) };
        await PushAsync("/api/v1/kpis/defect-rate/measurements/batch", kpiBatch, "batch-1");

        var response = await PushAsync("/api/v1/measurements/batch", acrossBatch, "batch-1");

        await ProblemAsync(response, HttpStatusCode.UnprocessableEntity);
    }

    [TestCase(201)]
    [TestCase(250)]
    public async Task Refuses_a_key_longer_than_200_characters_naming_the_header(int length)
    {
        await GivenKpiAsync("defect-rate");

        var response = await PushAsync("/api/v1/kpis/defect-rate/measurements", Value("2026-07-14", 1.5m), new string('k', length));

        var messages = await FieldErrorsAsync(response, "Idempotency-Key");
        Assert.That(messages.Single(), Does.Contain("200"));
        Assert.That(await SeriesValuesAsync("defect-rate"), Is.Empty);
    }

    [Test]
    public async Task Accepts_a_key_of_exactly_200_characters()
    {
        await GivenKpiAsync("defect-rate");

        var response = await PushAsync("/api/v1/kpis/defect-rate/measurements", Value("2026-07-14", 1.5m), new string('k', 200));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created), await response.Content.ReadAsStringAsync());
    }

    [TestCase("clé-1")]
    [TestCase("ключ")]
    [TestCase("two words")]
    [TestCase("tab\tinside")]
    public async Task Refuses_a_key_that_is_not_visible_ascii_naming_the_header(string key)
    {
        await GivenKpiAsync("defect-rate");

        var response = await PushAsync("/api/v1/kpis/defect-rate/measurements", Value("2026-07-14", 1.5m), key);

        await FieldErrorsAsync(response, "Idempotency-Key");
        Assert.That(await SeriesValuesAsync("defect-rate"), Is.Empty);
    }

    [TestCase("/api/v1/kpis/defect-rate/measurements/batch")]
    [TestCase("/api/v1/measurements/batch")]
    public async Task Refuses_an_invalid_key_on_the_batch_endpoints_too(string url)
    {
        await GivenKpiAsync("defect-rate");

        var response = await PushAsync(url, BatchBody(url, ("defect-rate", "2026-07-14", 1.5m)), new string('k', 201));

        await FieldErrorsAsync(response, "Idempotency-Key");
    }

    [TestCase("/api/v1/kpis/defect-rate/measurements/batch")]
    [TestCase("/api/v1/measurements/batch")]
    public async Task Replays_a_batch_for_the_same_key_and_body(string url)
    {
        await GivenKpiAsync("defect-rate");
        var body = BatchBody(url, ("defect-rate", "2026-07-13", 1.5m), ("defect-rate", "2026-07-14", 2.5m));

        var first = await PushAsync(url, body, "batch-1");
        var retry = await PushAsync(url, body, "batch-1");

        Assert.That(first.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That((await ReadAsync<BatchResponse>(first)).Created, Is.EqualTo(2));
        Assert.That(retry.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(retry.Headers.GetValues(Replayed), Is.EqualTo(new[] { "true" }));
        Assert.That(await retry.Content.ReadAsStringAsync(), Is.EqualTo(await first.Content.ReadAsStringAsync()));
        Assert.That(await HistoryRowsAsync(), Is.Zero);
        Assert.That(await SeriesValuesAsync("defect-rate"), Is.EqualTo(new object[] { 1.5m, 2.5m }));
    }

    [Test]
    public async Task Replays_a_refused_atomic_batch_even_after_the_cause_was_fixed()
    {
        await GivenKpiAsync("defect-rate");
        await GivenKpiAsync("scrap-rate");
        await SendAsync(HttpMethod.Post, "/api/v1/kpis/scrap-rate/retire");
        var body = BatchBody("/api/v1/measurements/batch", ("defect-rate", "2026-07-14", 1.5m), ("scrap-rate", "2026-07-14", 0.5m));
        var first = await PushAsync("/api/v1/measurements/batch", body, "batch-1");
        await SendAsync(HttpMethod.Post, "/api/v1/kpis/scrap-rate/reactivate");

        var retry = await PushAsync("/api/v1/measurements/batch", body, "batch-1");

        Assert.That(first.StatusCode, Is.EqualTo(HttpStatusCode.UnprocessableEntity));
        var refused = await ReadAsync<BatchResponse>(first);
        Assert.That(refused.Committed, Is.False);
        Assert.That(refused.Items[1].Result, Is.EqualTo(ItemResult.Rejected));
        Assert.That(retry.StatusCode, Is.EqualTo(HttpStatusCode.UnprocessableEntity));
        Assert.That(retry.Headers.GetValues(Replayed), Is.EqualTo(new[] { "true" }));
        Assert.That(await ReportAsync(retry), Is.EqualTo(await ReportAsync(first)));
        Assert.That(await SeriesValuesAsync("defect-rate"), Is.Empty);
        Assert.That(await SeriesValuesAsync("scrap-rate"), Is.Empty);
    }

    [Test]
    public async Task Replays_a_refused_atomic_kpi_batch()
    {
        await GivenKpiAsync("defect-rate");
        var body = new JsonObject { ["items"] = new JsonArray(Value("2026-07-14", 1.5m), Value("2026-07-16", 2.5m)) };
        var first = await PushAsync("/api/v1/kpis/defect-rate/measurements/batch", body, "batch-1");

        var retry = await PushAsync("/api/v1/kpis/defect-rate/measurements/batch", body, "batch-1");

        Assert.That(first.StatusCode, Is.EqualTo(HttpStatusCode.UnprocessableEntity));
        Assert.That(retry.StatusCode, Is.EqualTo(HttpStatusCode.UnprocessableEntity));
        Assert.That(retry.Headers.GetValues(Replayed), Is.EqualTo(new[] { "true" }));
        Assert.That(await ReportAsync(retry), Is.EqualTo(await ReportAsync(first)));
        Assert.That(await SeriesValuesAsync("defect-rate"), Is.Empty);
    }

    [Test]
    public async Task Applies_fifty_parallel_requests_with_one_key_exactly_once()
    {
        var kpi = await GivenKpiAsync("defect-rate");
        var body = Value("2026-07-14", 1.5m).ToJsonString();

        var responses = await Task.WhenAll(Enumerable.Range(0, 50).Select(_ => PushRawAsync("/api/v1/kpis/defect-rate/measurements", body, "burst-1")));

        var answers = await Task.WhenAll(responses.Select(async r => (r.StatusCode, Body: await r.Content.ReadAsStringAsync(), Replayed: r.Headers.Contains(Replayed))));
        Assert.That(answers.Select(a => a.StatusCode), Has.All.AnyOf(HttpStatusCode.Created, HttpStatusCode.Conflict), string.Join("\n", answers.Select(a => a.Body)));
        var created = answers.Where(a => a.StatusCode == HttpStatusCode.Created).ToList();
        Assert.That(created, Is.Not.Empty);
        Assert.That(created.Select(a => a.Body).Distinct().Count(), Is.EqualTo(1));
        Assert.That(created.Count(a => !a.Replayed), Is.EqualTo(1), "exactly one answer is the original, every other 201 a replay");
        await using var connection = await ApiFixture.Database.OpenAsync();
        var values = await connection.QueryAsync<decimal>("SELECT Value FROM KpiMeasurement WHERE KpiId = @KpiId", new { KpiId = kpi.Id });
        Assert.That(values, Is.EqualTo(new[] { 1.5m }));
        Assert.That(await HistoryRowsAsync(), Is.Zero);
    }

    // AdjustTime moves the clock without firing timers, so the hourly cleanup stays out of these two tests:
    // the request itself must tell a live key from an expired one.
    [Test]
    public async Task Remembers_a_key_for_48_hours_by_default()
    {
        await GivenKpiAsync("defect-rate");
        await PushAsync("/api/v1/kpis/defect-rate/measurements", Value("2026-07-14", 1.5m), "push-1");
        ApiFixture.Clock.AdjustTime(PinnedNow.AddHours(47));

        var response = await PushAsync("/api/v1/kpis/defect-rate/measurements", Value("2026-07-14", 2.5m), "push-1");

        await ProblemAsync(response, HttpStatusCode.UnprocessableEntity);
    }

    [Test]
    public async Task Forgets_a_key_after_the_retention_period_and_accepts_it_for_another_request()
    {
        await GivenKpiAsync("defect-rate");
        await PushAsync("/api/v1/kpis/defect-rate/measurements", Value("2026-07-14", 1.5m), "push-1");
        ApiFixture.Clock.AdjustTime(PinnedNow.AddHours(49));

        var response = await PushAsync("/api/v1/kpis/defect-rate/measurements", Value("2026-07-14", 2.5m), "push-1");
        var retry = await PushAsync("/api/v1/kpis/defect-rate/measurements", Value("2026-07-14", 2.5m), "push-1");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        Assert.That(response.Headers.Contains(Replayed), Is.False);
        Assert.That((await ReadAsync<PushMeasurement.Response>(response)).Result, Is.EqualTo(ItemResult.Updated));
        Assert.That(retry.Headers.GetValues(Replayed), Is.EqualTo(new[] { "true" }), "the key is remembered again for its new request");
        Assert.That(await retry.Content.ReadAsStringAsync(), Is.EqualTo(await response.Content.ReadAsStringAsync()));
        Assert.That(await SeriesValuesAsync("defect-rate"), Is.EqualTo(new object[] { 2.5m }));
    }

    [Test]
    public async Task Deletes_expired_keys_in_the_background_and_keeps_live_ones()
    {
        await GivenKpiAsync("defect-rate");
        await PushAsync("/api/v1/kpis/defect-rate/measurements", Value("2026-07-13", 1.5m), "old-key");
        ApiFixture.Clock.AdjustTime(PinnedNow.AddHours(2));
        await PushAsync("/api/v1/kpis/defect-rate/measurements", Value("2026-07-14", 1.5m), "new-key");

        ApiFixture.Clock.Advance(TimeSpan.FromHours(47));   // old-key is 49 hours old, new-key 47: the hourly timer fires

        var keys = await KeysEventuallyAsync(keys => !keys.Contains("old-key"));
        Assert.That(keys, Is.EqualTo(new[] { "new-key" }));
    }

    [Test]
    public async Task Reports_a_repeated_push_without_a_key_as_unchanged()
    {
        await GivenKpiAsync("defect-rate");
        var first = await PushAsync("/api/v1/kpis/defect-rate/measurements", Value("2026-07-14", 1.5m), key: null);

        var second = await PushAsync("/api/v1/kpis/defect-rate/measurements", Value("2026-07-14", 1.5m), key: null);

        Assert.That(first.StatusCode, Is.EqualTo(HttpStatusCode.Created));
        Assert.That(second.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(second.Headers.Contains(Replayed), Is.False);
        var pushed = await ReadAsync<PushMeasurement.Response>(second);
        Assert.That(pushed.Result, Is.EqualTo(ItemResult.Unchanged));
        Assert.That(pushed.Measurement.RecordedAt, Is.EqualTo((await ReadAsync<PushMeasurement.Response>(first)).Measurement.RecordedAt));
        Assert.That(await HistoryRowsAsync(), Is.Zero);
    }

    [Test]
    public async Task A_key_belongs_to_its_caller_so_another_caller_reusing_it_makes_a_request_of_its_own()
    {
        var team = (await GivenTeamAsync("Quality")).Id;
        await GivenKpiAsync("defect-rate", team);
        using var integrator = await Callers.GivenPersonClientAsync(Role.Editor, team);
        var first = await PushAsync("/api/v1/kpis/defect-rate/measurements", Value("2026-07-14", 1.5m), "shared-key");

        var other = await SendWithKeyAsync(integrator, "/api/v1/kpis/defect-rate/measurements", Value("2026-07-14", 2.5m), "shared-key");
        var otherRetry = await SendWithKeyAsync(integrator, "/api/v1/kpis/defect-rate/measurements", Value("2026-07-14", 2.5m), "shared-key");
        var firstRetry = await PushAsync("/api/v1/kpis/defect-rate/measurements", Value("2026-07-14", 1.5m), "shared-key");

        Assert.That(first.StatusCode, Is.EqualTo(HttpStatusCode.Created));
        Assert.That(other.StatusCode, Is.EqualTo(HttpStatusCode.OK), "not a 422 for a key reused with another body, nor a replay of someone else's answer");
        Assert.That(other.Headers.Contains(Replayed), Is.False);
        Assert.That(otherRetry.Headers.Contains(Replayed), Is.True, "the second caller's retry replays its own answer");
        Assert.That(await otherRetry.Content.ReadAsStringAsync(), Is.EqualTo(await other.Content.ReadAsStringAsync()));
        Assert.That(firstRetry.Headers.Contains(Replayed), Is.True);
        Assert.That(await firstRetry.Content.ReadAsStringAsync(), Is.EqualTo(await first.Content.ReadAsStringAsync()));
        var revisions = await RevisionsAsync("defect-rate", "2026-07-14");
        Assert.That(revisions.Revisions.Select(r => Plain(r.Value)), Is.EquivalentTo(new object[] { 1.5m, 2.5m }));
    }

    [Test]
    public async Task Refuses_a_batch_item_whose_note_is_a_lone_surrogate_sent_with_a_key_naming_the_item_field()
    {
        await GivenKpiAsync("defect-rate");

        var response = await PushRawAsync("/api/v1/measurements/batch", """{ "items": [ { "kpi": "defect-rate", "period": "2026-07-14", "value": 1, "note": "\ud800" } ] }""", "surrogate-note-1");

        await FieldErrorsAsync(response, "items[0].note");
        Assert.That((await SeriesValuesAsync("defect-rate")).Length, Is.Zero);
    }

    // A lone surrogate is valid JSON escaping but not text: the fingerprint of the key must still be made, and the
    // request refused by the checks that name the field, as without a key.
    [TestCase("/api/v1/kpis/defect-rate/measurements", """{ "period": "2026-07-14", "value": "\ud800" }""", "value")]
    [TestCase("/api/v1/kpis/defect-rate/measurements", """{ "period": "2026-07-14", "value": 1.5, "note": "a \ud800 b" }""", "note")]
    [TestCase("/api/v1/kpis/defect-rate/measurements", """{ "period": "2026-07-14", "value": 1.5, "externalId": "\udc00" }""", "externalId")]
    public async Task Refuses_a_lone_surrogate_sent_with_a_key_naming_the_field(string url, string json, string field)
    {
        await GivenKpiAsync("defect-rate");

        var response = await PushRawAsync(url, json, "surrogate-1");

        var messages = await FieldErrorsAsync(response, field);
        Assert.That(messages, Is.Not.Empty);
        Assert.That(await HistoryRowsAsync() + (await SeriesValuesAsync("defect-rate")).Length, Is.Zero);
    }

    [TestCase("/api/v1/kpis/defect-rate/measurements/batch", """{ "items": [ { "period": "2026-07-14", "value": "\ud800" } ] }""")]
    [TestCase("/api/v1/measurements/batch", """{ "items": [ { "kpi": "defect-rate", "period": "2026-07-14", "value": "\ud800" } ] }""")]
    public async Task Rejects_a_batch_item_whose_value_is_a_lone_surrogate_sent_with_a_key(string url, string json)
    {
        await GivenKpiAsync("defect-rate");

        var response = await PushRawAsync(url, json, "surrogate-batch-1");
        var retry = await PushRawAsync(url, json, "surrogate-batch-1");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.UnprocessableEntity), await response.Content.ReadAsStringAsync());
        var batch = await ReadAsync<BatchResponse>(response);
        Assert.That((batch.Committed, batch.Items.Single().Result), Is.EqualTo((false, ItemResult.Rejected)));
        Assert.That(retry.Headers.Contains("Idempotent-Replayed"), Is.True, "the refused batch was stored for its key and replayed");
        Assert.That((await SeriesValuesAsync("defect-rate")).Length, Is.Zero);
    }

    private static Task<HttpResponseMessage> SendWithKeyAsync(HttpClient client, string url, JsonNode body, string key)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json") };
        request.Headers.TryAddWithoutValidation("Idempotency-Key", key);
        return client.SendAsync(request);
    }

    private static JsonObject Value(string period, decimal value) => new() { ["period"] = period, ["value"] = value };

    /// <summary>A batch body for either batch endpoint: the batch across KPIs names the KPI in each item.</summary>
    private static JsonObject BatchBody(string url, params (string Kpi, string Period, decimal Value)[] items) => new()
    {
        ["items"] = new JsonArray(items.Select(i =>
        {
            var item = Value(i.Period, i.Value);
            if (url.StartsWith("/api/v1/measurements")) item["kpi"] = i.Kpi;
            return (JsonNode)item;
        }).ToArray()),
    };

    private static Task<HttpResponseMessage> PushAsync(string url, JsonNode body, string? key) => PushRawAsync(url, body.ToJsonString(), key);

    private static Task<HttpResponseMessage> PushRawAsync(string url, string json, string? key)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        if (key is not null) request.Headers.TryAddWithoutValidation("Idempotency-Key", key);
        return Api.SendAsync(request);
    }

    private static async Task<object?[]> SeriesValuesAsync(string kpi)
    {
        var response = await Api.GetAsync($"/api/v1/kpis/{kpi}/measurements");
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        return (await ReadAsync<GetKpiSeries.Response>(response)).Items.Select(i => Plain(i.Value)).ToArray();
    }

    /// <summary>The stored keys once <paramref name="done"/> holds for them, or after five seconds.</summary>
    private static async Task<string[]> KeysEventuallyAsync(Func<string[], bool> done)
    {
        var deadline = DateTime.UtcNow.AddSeconds(5);
        while (true)
        {
            await using var connection = await ApiFixture.Database.OpenAsync();
            var keys = (await connection.QueryAsync<string>("SELECT IdempotencyKey FROM IdempotencyRecord ORDER BY IdempotencyKey")).ToArray();
            if (done(keys) || DateTime.UtcNow > deadline) return keys;
            await Task.Delay(20);
        }
    }

    private static async Task<int> HistoryRowsAsync()
    {
        await using var connection = await ApiFixture.Database.OpenAsync();
        return await connection.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM KpiMeasurementHistory");
    }

    /// <summary>A refused batch's answer (a problem) without its traceId, which names the request that got it.</summary>
    private static async Task<string> ReportAsync(HttpResponseMessage response)
    {
        var problem = JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();
        problem.Remove("traceId");
        return problem.ToJsonString();
    }
}
