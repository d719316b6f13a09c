using System.Net;
using System.Text.Json.Nodes;
using OkrKpi.Api.Features.Kpis;
using OkrKpi.Api.Features.Measurements;

namespace OkrKpi.Api.IntegrationTests.Features.Measurements;

public sealed class PushMeasurementTests : IntegrationTest
{
    // The clock is pinned to 2026-07-15T09:30Z and the organisation's time zone is UTC.
    private static readonly DateTimeOffset Now = new(2026, 7, 15, 9, 30, 0, TimeSpan.Zero);

    [TestCase("production-rate", "hourly", "number", "atLeast", 100, 90, "2026-07-15T08:00:00Z", "110", KpiPeriodStatus.OnTarget)]
    [TestCase("production-rate", "hourly", "number", "atLeast", 100, 90, "2026-07-15T08:00:00Z", "100", KpiPeriodStatus.OnTarget)]
    [TestCase("production-rate", "hourly", "number", "atLeast", 100, 90, "2026-07-15T08:00:00Z", "95", KpiPeriodStatus.AtRisk)]
    [TestCase("production-rate", "hourly", "number", "atLeast", 100, 90, "2026-07-15T08:00:00Z", "89.9", KpiPeriodStatus.OffTarget)]
    [TestCase("defect-rate", "daily", "percentage", "atMost", 2, 3, "2026-07-14", "1.5", KpiPeriodStatus.OnTarget)]
    [TestCase("defect-rate", "daily", "percentage", "atMost", 2, 3, "2026-07-14", "2", KpiPeriodStatus.OnTarget)]
    [TestCase("defect-rate", "daily", "percentage", "atMost", 2, 3, "2026-07-14", "2.5", KpiPeriodStatus.AtRisk)]
    [TestCase("defect-rate", "daily", "percentage", "atMost", 2, 3, "2026-07-14", "3.01", KpiPeriodStatus.OffTarget)]
    [TestCase("downtime", "daily", "number", "atMost", 60, 90, "2026-07-14", "45", KpiPeriodStatus.OnTarget)]
    [TestCase("downtime", "daily", "number", "atMost", 60, 90, "2026-07-14", "75", KpiPeriodStatus.AtRisk)]
    public async Task Answers_the_status_a_manufacturing_value_earns_against_its_target(
        string key, string frequency, string valueType, string comparator, int target, int warning, string period, string value, KpiPeriodStatus status)
    {
        await GivenKpiAsync(key, change: body =>
        {
            body["frequency"] = frequency;
            body["valueType"] = valueType;
            body["target"] = new JsonObject { ["comparator"] = comparator, ["value"] = target, ["warning"] = warning };
        });

        var response = await PushAsync(key, MeasurementBody(period, JsonNode.Parse(value)));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created), await response.Content.ReadAsStringAsync());
        var pushed = await ReadAsync<PushMeasurement.Response>(response);
        Assert.That(pushed.Result, Is.EqualTo(ItemResult.Created));
        Assert.That(pushed.Measurement.Status, Is.EqualTo(status));
        Assert.That(pushed.Measurement.Value.ToString(), Is.EqualTo(value));
    }

    [Test]
    public async Task Answers_201_with_the_location_of_the_period_and_the_stored_measurement()
    {
        var kpi = await GivenKpiAsync("defect-rate");

        var response = await PushAsync("defect-rate", MeasurementBody("2026-07-14", 1.5m));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created), await response.Content.ReadAsStringAsync());
        Assert.That(response.Headers.Location?.ToString(), Is.EqualTo($"/api/v1/kpis/{kpi.Id}/measurements/2026-07-14"));
        var pushed = await ReadAsync<PushMeasurement.Response>(response);
        Assert.That(pushed.Result, Is.EqualTo(ItemResult.Created));
        var measurement = pushed.Measurement;
        Assert.That(measurement.KpiId, Is.EqualTo(kpi.Id));
        Assert.That(measurement.KpiKey, Is.EqualTo("defect-rate"));
        Assert.That(measurement.Period, Is.EqualTo("2026-07-14"));
        Assert.That(measurement.PeriodStart, Is.EqualTo(new DateTimeOffset(2026, 7, 14, 0, 0, 0, TimeSpan.Zero)));
        Assert.That(measurement.Value.ToString(), Is.EqualTo("1.5"));
        Assert.That(measurement.Status, Is.EqualTo(KpiPeriodStatus.OnTarget));
        Assert.That(measurement.Source, Is.EqualTo(MeasurementSource.Api));
        Assert.That(measurement.Note, Is.Null);
        Assert.That(measurement.ExternalId, Is.Null);
        Assert.That(measurement.RecordedAt, Is.EqualTo(ApiFixture.Clock.GetUtcNow()));
        var series = await SeriesAsync("defect-rate", "2026-07-01", "2026-07-15");
        Assert.That(series.Items.Select(m => (m.Period, m.Value.ToString())), Is.EqualTo(new[] { ("2026-07-14", "1.5") }));
    }

    [TestCase("hourly", "2026-07-15T08:00:00Z", "2026-07-15T08:00:00Z", "2026-07-15T08:00:00Z")]
    [TestCase("hourly", "2026-07-15T08:47:12.345Z", "2026-07-15T08:00:00Z", "2026-07-15T08:00:00Z")]
    [TestCase("hourly", "2026-07-15T10:05+02:00", "2026-07-15T08:00:00Z", "2026-07-15T08:00:00Z")]
    [TestCase("hourly", "2026-07-14T23:59:59-01:00", "2026-07-15T00:00:00Z", "2026-07-15T00:00:00Z")]
    [TestCase("daily", "2026-07-14", "2026-07-14", "2026-07-14T00:00:00Z")]
    [TestCase("daily", "2026-07-14T23:59:59Z", "2026-07-14", "2026-07-14T00:00:00Z")]
    [TestCase("daily", "2026-07-15T01:00:00+02:00", "2026-07-14", "2026-07-14T00:00:00Z")]
    [TestCase("weekly", "2026-W29", "2026-W29", "2026-07-13T00:00:00Z")]
    [TestCase("weekly", "2026-W28", "2026-W28", "2026-07-06T00:00:00Z")]
    [TestCase("weekly", "2026-07-12", "2026-W28", "2026-07-06T00:00:00Z")]
    [TestCase("weekly", "2026-W01", "2026-W01", "2025-12-29T00:00:00Z")]
    [TestCase("monthly", "2026-07", "2026-07", "2026-07-01T00:00:00Z")]
    [TestCase("monthly", "2026-06-30", "2026-06", "2026-06-01T00:00:00Z")]
    [TestCase("monthly", "2026-07-15T09:00:00Z", "2026-07", "2026-07-01T00:00:00Z")]
    [TestCase("quarterly", "2026-Q3", "2026-Q3", "2026-07-01T00:00:00Z")]
    [TestCase("quarterly", "2026-05", "2026-Q2", "2026-04-01T00:00:00Z")]
    [TestCase("quarterly", "2026-03-31", "2026-Q1", "2026-01-01T00:00:00Z")]
    [TestCase("yearly", "2026", "2026", "2026-01-01T00:00:00Z")]
    [TestCase("yearly", "2026-Q3", "2026", "2026-01-01T00:00:00Z")]
    [TestCase("yearly", "2025-12", "2025", "2025-01-01T00:00:00Z")]
    [TestCase("yearly", "2026-07-14", "2026", "2026-01-01T00:00:00Z")]
    [TestCase("daily", " 2026-07-14 ", "2026-07-14", "2026-07-14T00:00:00Z")]
    public async Task Normalises_every_accepted_form_of_a_period_to_its_start(string frequency, string period, string label, string start)
    {
        await GivenKpiAsync("defect-rate", change: body => body["frequency"] = frequency);

        var response = await PushAsync("defect-rate", MeasurementBody(period, 1.5m));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created), await response.Content.ReadAsStringAsync());
        var measurement = (await ReadAsync<PushMeasurement.Response>(response)).Measurement;
        Assert.That(measurement.Period, Is.EqualTo(label));
        Assert.That(measurement.PeriodStart, Is.EqualTo(DateTimeOffset.Parse(start)));
        Assert.That((await RevisionsAsync("defect-rate", label)).Revisions, Has.Count.EqualTo(1));
    }

    [TestCase("hourly", "2026-07-15")]
    [TestCase("daily", "2026-07")]
    [TestCase("daily", "2026-W28")]
    [TestCase("daily", "2026")]
    [TestCase("weekly", "2026-07")]
    [TestCase("monthly", "2026-W27")]
    [TestCase("monthly", "2026-Q2")]
    [TestCase("quarterly", "2026")]
    [TestCase("quarterly", "2026-W27")]
    public async Task Refuses_a_period_label_that_does_not_fit_the_kpi_frequency(string frequency, string period)
    {
        await GivenKpiAsync("defect-rate", change: body => body["frequency"] = frequency);

        var response = await PushAsync("defect-rate", MeasurementBody(period, 1.5m));

        var messages = await FieldErrorsAsync(response, "period");
        Assert.That(messages.Single(), Does.Contain($"'{period}'").And.Contain("accepts"));
    }

    [TestCase("hourly", "2026-07-15T10:00:00Z")]
    [TestCase("hourly", "2026-07-15T12:15:00+02:00")]
    [TestCase("daily", "2026-07-16")]
    [TestCase("daily", "2026-07-16T00:00:00Z")]
    [TestCase("weekly", "2026-W30")]
    [TestCase("monthly", "2026-08")]
    [TestCase("quarterly", "2026-Q4")]
    [TestCase("yearly", "2027")]
    public async Task Refuses_a_period_that_has_not_started_yet(string frequency, string period)
    {
        await GivenKpiAsync("defect-rate", change: body => body["frequency"] = frequency);

        var response = await PushAsync("defect-rate", MeasurementBody(period, 1.5m));

        var messages = await FieldErrorsAsync(response, "period");
        Assert.That(messages.Single(), Does.Contain("has not started yet"));
    }

    [Test]
    public async Task A_period_that_starts_within_five_minutes_of_the_server_clock_is_the_current_one()
    {
        await GivenKpiAsync("defect-rate", change: body => body["frequency"] = "hourly");
        ApiFixture.Clock.AdjustTime(new DateTimeOffset(2026, 7, 15, 9, 57, 0, TimeSpan.Zero));

        var response = await PushAsync("defect-rate", MeasurementBody("2026-07-15T10:01:00Z", 1.5m));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created), await response.Content.ReadAsStringAsync());
        var pushed = await ReadAsync<PushMeasurement.Response>(response);
        Assert.That(pushed.Measurement.Period, Is.EqualTo("2026-07-15T09:00:00Z"));
    }

    [TestCase("hourly", "2026-07-15T09:59:59Z", "2026-07-15T09:00:00Z")]
    [TestCase("daily", "2026-07-15", "2026-07-15")]
    [TestCase("daily", "2026-07-15T23:59:59Z", "2026-07-15")]
    [TestCase("weekly", "2026-W29", "2026-W29")]
    [TestCase("monthly", "2026-07", "2026-07")]
    [TestCase("quarterly", "2026-Q3", "2026-Q3")]
    [TestCase("yearly", "2026", "2026")]
    public async Task Accepts_a_value_for_the_current_period(string frequency, string period, string label)
    {
        await GivenKpiAsync("defect-rate", change: body => body["frequency"] = frequency);

        var response = await PushAsync("defect-rate", MeasurementBody(period, 1.5m));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created), await response.Content.ReadAsStringAsync());
        var measurement = (await ReadAsync<PushMeasurement.Response>(response)).Measurement;
        Assert.That(measurement.Period, Is.EqualTo(label));
        Assert.That(measurement.PeriodStart, Is.LessThanOrEqualTo(Now));
    }

    [TestCase("yesterday")]
    [TestCase("2026-13")]
    [TestCase("2026-02-30")]
    [TestCase("2026-W54")]
    [TestCase("2026-Q5")]
    [TestCase("14/07/2026")]
    [TestCase("2026-07-14T10:00")]
    [TestCase("2026-07-14T25:00:00Z")]
    [TestCase("")]
    [TestCase("   ")]
    [TestCase("2026-07-14                                                              ")]
    public async Task Refuses_a_period_that_is_not_a_period(string period)
    {
        await GivenKpiAsync("defect-rate");

        var response = await PushAsync("defect-rate", MeasurementBody(period, 1.5m));

        await FieldErrorsAsync(response, "period");
        Assert.That((await SeriesAsync("defect-rate", "2026-06-16", "2026-07-15")).Items, Is.Empty);
    }

    [Test]
    public async Task Refuses_a_push_without_a_period()
    {
        await GivenKpiAsync("defect-rate");

        var response = await PostRawAsync("/api/v1/kpis/defect-rate/measurements", """{ "value": 1.5 }""");

        var messages = await FieldErrorsAsync(response, "period");
        Assert.That(messages.Single(), Does.Contain("required"));
    }

    [TestCase("1.5")]
    [TestCase("-3.25")]
    [TestCase("0")]
    [TestCase("-42")]
    [TestCase("0.000000000001")]
    [TestCase("-0.000000000001")]
    [TestCase("123456789.012345")]
    [TestCase("1234567890123456.123456789012")]
    [TestCase("99999999999999999999999999")]
    public async Task Stores_and_returns_the_value_exactly(string value)
    {
        await GivenKpiAsync("defect-rate", change: body => body["valueType"] = "number");

        var response = await PostRawAsync("/api/v1/kpis/defect-rate/measurements", $$"""{ "period": "2026-07-14", "value": {{value}} }""");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created), await response.Content.ReadAsStringAsync());
        var pushed = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.That(pushed["measurement"]!["value"]!.ToJsonString(), Is.EqualTo(value));
        var series = JsonNode.Parse(await Api.GetStringAsync("/api/v1/kpis/defect-rate/measurements?from=2026-07-14&to=2026-07-14"))!;
        Assert.That(series["items"]![0]!["value"]!.ToJsonString(), Is.EqualTo(value));
        var revisions = JsonNode.Parse(await Api.GetStringAsync("/api/v1/kpis/defect-rate/measurements/2026-07-14/revisions"))!;
        Assert.That(revisions["revisions"]![0]!["value"]!.ToJsonString(), Is.EqualTo(value));
    }

    // At least 15 significant digits at any magnitude from 10^-14 up to 10^26, whatever the number of decimals:
    // values that scripts compute in floating point arrive with 16 or 17.
    [TestCase("0.1234567890123")]
    [TestCase("1.0000000000001")]
    [TestCase("-0.0000000000001")]
    [TestCase("0.000123456789012345")]
    [TestCase("1.1000000000000001")]
    [TestCase("0.30000000000000004")]
    [TestCase("123456789012345")]
    [TestCase("0.0000000000000123456789012345")]
    [TestCase("12345678901234.5678901234567")]
    [TestCase("-98765432109876543210.98765")]
    public async Task Keeps_every_digit_of_a_value_with_up_to_28_significant_digits(string value)
    {
        await GivenKpiAsync("defect-rate", change: body => body["valueType"] = "number");

        var response = await PostRawAsync("/api/v1/kpis/defect-rate/measurements", $$"""{ "period": "2026-07-14", "value": {{value}} }""");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created), await response.Content.ReadAsStringAsync());
        var pushed = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.That(pushed["rounded"]!.GetValue<bool>(), Is.False);
        Assert.That(pushed["measurement"]!["value"]!.ToJsonString(), Is.EqualTo(value));
        var series = JsonNode.Parse(await Api.GetStringAsync("/api/v1/kpis/defect-rate/measurements?from=2026-07-14&to=2026-07-14"))!;
        Assert.That(series["items"]![0]!["value"]!.ToJsonString(), Is.EqualTo(value));
    }

    // More digits than are kept: rounded half to even, stored, and answered as stored with rounded = true, never a 400.
    [TestCase("1e-400", "0", true)]
    [TestCase("5.551115123125783e-17", "0.0000000000000000555111512313", true)]
    [TestCase("0.12345678901234567890123456789", "0.1234567890123456789012345679", true)]
    [TestCase("0.00000000000000000000000000025", "0.0000000000000000000000000002", true)]
    [TestCase("0.00000000000000000000000000035", "0.0000000000000000000000000004", true)]
    [TestCase("12345678901234567890.123456789012", "12345678901234567890.123456789", true)]
    [TestCase("1.5e3", "1500", false)]
    [TestCase("2.50", "2.5", false)]
    public async Task Rounds_a_value_with_more_digits_than_are_stored_and_answers_the_stored_value(string value, string stored, bool rounded)
    {
        await GivenKpiAsync("defect-rate", change: body => body["valueType"] = "number");

        var response = await PostRawAsync("/api/v1/kpis/defect-rate/measurements", $$"""{ "period": "2026-07-14", "value": {{value}} }""");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created), await response.Content.ReadAsStringAsync());
        var pushed = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.That(pushed["measurement"]!["value"]!.ToJsonString(), Is.EqualTo(stored));
        Assert.That(pushed["rounded"]!.GetValue<bool>(), Is.EqualTo(rounded));
        var series = JsonNode.Parse(await Api.GetStringAsync("/api/v1/kpis/defect-rate/measurements?from=2026-07-14&to=2026-07-14"))!;
        Assert.That(series["items"]![0]!["value"]!.ToJsonString(), Is.EqualTo(stored));
    }

    [Test]
    public async Task Answers_a_resent_value_that_rounds_to_the_stored_one_as_unchanged()
    {
        await GivenKpiAsync("defect-rate", change: body => body["valueType"] = "number");
        await PostRawAsync("/api/v1/kpis/defect-rate/measurements", """{ "period": "2026-07-14", "value": 0.1234567890123456789012345679 }""");

        var response = await PostRawAsync("/api/v1/kpis/defect-rate/measurements", """{ "period": "2026-07-14", "value": 0.12345678901234567890123456789 }""");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        var pushed = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.That((pushed["result"]!.GetValue<string>(), pushed["rounded"]!.GetValue<bool>()), Is.EqualTo(("unchanged", true)));
    }

    // Each of these is outside the range stored: a magnitude of 10^26 or more.
    [TestCase("1e400")]
    [TestCase("-1e400")]
    [TestCase("1E26")]
    [TestCase("100000000000000000000000000")]
    public async Task Refuses_a_value_it_cannot_store_exactly(string value)
    {
        await GivenKpiAsync("defect-rate");

        var response = await PostRawAsync("/api/v1/kpis/defect-rate/measurements", $$"""{ "period": "2026-07-14", "value": {{value}} }""");

        var messages = await FieldErrorsAsync(response, "value");
        Assert.That(messages.Single(), Does.Contain("10^26"));
        Assert.That((await SeriesAsync("defect-rate", "2026-07-14", "2026-07-14")).Items, Is.Empty);
    }

    [TestCase("\"5\"", "JSON number")]
    [TestCase("true", "boolean")]
    [TestCase("false", "boolean")]
    [TestCase("null", "required")]
    [TestCase("{}", "JSON number")]
    [TestCase("[1]", "JSON number")]
    public async Task Refuses_a_value_that_is_not_a_json_number_on_a_numeric_kpi(string value, string hint)
    {
        await GivenKpiAsync("defect-rate");

        var response = await PostRawAsync("/api/v1/kpis/defect-rate/measurements", $$"""{ "period": "2026-07-14", "value": {{value}} }""");

        var messages = await FieldErrorsAsync(response, "value");
        Assert.That(messages.Single(), Does.Contain(hint));
    }

    [Test]
    public async Task Refuses_a_push_without_a_value()
    {
        await GivenKpiAsync("defect-rate");

        var response = await PostRawAsync("/api/v1/kpis/defect-rate/measurements", """{ "period": "2026-07-14" }""");

        var messages = await FieldErrorsAsync(response, "value");
        Assert.That(messages.Single(), Does.Contain("required"));
    }

    [TestCase("true", KpiPeriodStatus.OnTarget)]
    [TestCase("false", KpiPeriodStatus.OffTarget)]
    public async Task Takes_true_and_false_on_a_boolean_kpi_and_answers_them_as_booleans(string value, KpiPeriodStatus status)
    {
        await GivenBooleanKpiAsync("audit-passed");

        var response = await PostRawAsync("/api/v1/kpis/audit-passed/measurements", $$"""{ "period": "2026-07-14", "value": {{value}} }""");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created), await response.Content.ReadAsStringAsync());
        var pushed = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.That(pushed["measurement"]!["value"]!.ToJsonString(), Is.EqualTo(value));
        Assert.That(pushed["measurement"]!["status"]!.GetValue<string>(), Is.EqualTo(status == KpiPeriodStatus.OnTarget ? "onTarget" : "offTarget"));
        var series = JsonNode.Parse(await Api.GetStringAsync("/api/v1/kpis/audit-passed/measurements?from=2026-07-14&to=2026-07-14"))!;
        Assert.That(series["items"]![0]!["value"]!.ToJsonString(), Is.EqualTo(value));
    }

    [TestCase("1")]
    [TestCase("0")]
    [TestCase("\"true\"")]
    public async Task Refuses_anything_but_true_or_false_on_a_boolean_kpi(string value)
    {
        await GivenBooleanKpiAsync("audit-passed");

        var response = await PostRawAsync("/api/v1/kpis/audit-passed/measurements", $$"""{ "period": "2026-07-14", "value": {{value}} }""");

        var messages = await FieldErrorsAsync(response, "value");
        Assert.That(messages.Single(), Does.Contain("true or false"));
    }

    [Test]
    public async Task Refuses_a_new_value_for_a_retired_kpi()
    {
        var kpi = await GivenKpiAsync("defect-rate");
        await GivenMeasurementAsync(kpi.Id, 1.5m, "2026-07-13");
        Assert.That((await SendAsync(HttpMethod.Post, "/api/v1/kpis/defect-rate/retire")).StatusCode, Is.EqualTo(HttpStatusCode.OK));

        var response = await PushAsync("defect-rate", MeasurementBody("2026-07-14", 1m));

        var problem = await ProblemAsync(response, HttpStatusCode.Conflict);
        Assert.That(problem["detail"]!.GetValue<string>(), Does.Contain("retired"));
        var series = await SeriesAsync("defect-rate", "2026-07-01", "2026-07-15");
        Assert.That(series.Items.Select(m => m.Period), Is.EqualTo(new[] { "2026-07-13" }));
    }

    [TestCase("no-such-kpi")]
    [TestCase("0f8fad5b-d9cb-469f-a165-70867728950e")]
    public async Task Answers_404_for_an_unknown_kpi(string idOrKey)
    {
        await GivenKpiAsync("defect-rate");

        var response = await PushAsync(idOrKey, MeasurementBody("2026-07-14", 1.5m));

        await ProblemAsync(response, HttpStatusCode.NotFound);
    }

    [Test]
    public async Task Re_sending_the_same_value_answers_unchanged_and_adds_no_revision()
    {
        await GivenKpiAsync("defect-rate");
        var first = await PushAsync("defect-rate", MeasurementBody("2026-07-14", 1.5m));
        Assert.That(first.StatusCode, Is.EqualTo(HttpStatusCode.Created));

        var response = await PushAsync("defect-rate", MeasurementBody("2026-07-14T18:00:00Z", 1.50m));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        Assert.That(response.Headers.Location, Is.Null);
        var pushed = await ReadAsync<PushMeasurement.Response>(response);
        Assert.That(pushed.Result, Is.EqualTo(ItemResult.Unchanged));
        Assert.That(pushed.Measurement.Value.ToString(), Is.EqualTo("1.5"));
        var revisions = await RevisionsAsync("defect-rate", "2026-07-14");
        Assert.That(revisions.Revisions.Select(r => r.State), Is.EqualTo(new[] { ListMeasurementRevisions.RevisionState.Current }));
    }

    [Test]
    public async Task A_new_value_replaces_the_old_one_which_is_kept_in_the_revisions()
    {
        await GivenKpiAsync("defect-rate");
        await PushAsync("defect-rate", MeasurementBody("2026-07-14", 1.5m));

        var response = await PushAsync("defect-rate", MeasurementBody("2026-07-14", 2.5m));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        var pushed = await ReadAsync<PushMeasurement.Response>(response);
        Assert.That(pushed.Result, Is.EqualTo(ItemResult.Updated));
        Assert.That(pushed.Measurement.Value.ToString(), Is.EqualTo("2.5"));
        Assert.That(pushed.Measurement.Status, Is.EqualTo(KpiPeriodStatus.AtRisk));
        var series = await SeriesAsync("defect-rate", "2026-07-01", "2026-07-15");
        Assert.That(series.Items.Select(m => m.Value.ToString()), Is.EqualTo(new[] { "2.5" }));
        var revisions = (await RevisionsAsync("defect-rate", "2026-07-14")).Revisions;
        Assert.That(revisions.Select(r => (r.State, r.Value.ToString())), Is.EqualTo(new[]
        {
            (ListMeasurementRevisions.RevisionState.Current, "2.5"),
            (ListMeasurementRevisions.RevisionState.Replaced, "1.5"),
        }));
        Assert.That(revisions[0].EndedAt, Is.Null);
        Assert.That(revisions[1].EndedAt, Is.EqualTo(ApiFixture.Clock.GetUtcNow()));
    }

    [Test]
    public async Task A_kpi_addressed_by_key_and_by_id_writes_the_same_period()
    {
        var kpi = await GivenKpiAsync("defect-rate");
        var byKey = await PushAsync("Defect-Rate", MeasurementBody("2026-07-14", 1.5m));
        Assert.That(byKey.StatusCode, Is.EqualTo(HttpStatusCode.Created), await byKey.Content.ReadAsStringAsync());

        var byId = await PushAsync(kpi.Id.ToString(), MeasurementBody("2026-07-14T12:00:00Z", 1.75m));

        Assert.That(byId.StatusCode, Is.EqualTo(HttpStatusCode.OK), await byId.Content.ReadAsStringAsync());
        var pushed = await ReadAsync<PushMeasurement.Response>(byId);
        Assert.That(pushed.Result, Is.EqualTo(ItemResult.Updated));
        Assert.That(pushed.Measurement.KpiId, Is.EqualTo(kpi.Id));
        Assert.That(pushed.Measurement.KpiKey, Is.EqualTo("defect-rate"));
        Assert.That(pushed.Measurement.Period, Is.EqualTo("2026-07-14"));
        var series = await SeriesAsync("defect-rate", "2026-07-01", "2026-07-15");
        Assert.That(series.Items.Select(m => (m.Period, m.Value.ToString())), Is.EqualTo(new[] { ("2026-07-14", "1.75") }));
    }

    [Test]
    public async Task Records_the_source_as_api_unless_told_otherwise()
    {
        await GivenKpiAsync("defect-rate");

        var response = await PushAsync("defect-rate", MeasurementBody("2026-07-14", 1.5m));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created), await response.Content.ReadAsStringAsync());
        var pushed = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.That(pushed["measurement"]!["source"]!.GetValue<string>(), Is.EqualTo("api"));
    }

    [TestCase("manual")]
    [TestCase("computed")]
    [TestCase("api")]
    public async Task Records_the_source_it_is_given(string source)
    {
        await GivenKpiAsync("defect-rate");
        var body = MeasurementBody("2026-07-14", 1.5m);
        body["source"] = source;

        var response = await PushAsync("defect-rate", body);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created), await response.Content.ReadAsStringAsync());
        var pushed = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.That(pushed["measurement"]!["source"]!.GetValue<string>(), Is.EqualTo(source));
        var revisions = JsonNode.Parse(await Api.GetStringAsync("/api/v1/kpis/defect-rate/measurements/2026-07-14/revisions"))!;
        Assert.That(revisions["revisions"]![0]!["source"]!.GetValue<string>(), Is.EqualTo(source));
    }

    [TestCase("import")]
    [TestCase("spreadsheet")]
    [TestCase("")]
    public async Task Refuses_a_source_a_push_may_not_claim(string source)
    {
        await GivenKpiAsync("defect-rate");
        var body = MeasurementBody("2026-07-14", 1.5m);
        body["source"] = source;

        var response = await PushAsync("defect-rate", body);

        await FieldErrorsAsync(response, "source");
        Assert.That((await SeriesAsync("defect-rate", "2026-07-14", "2026-07-14")).Items, Is.Empty);
    }

    [Test]
    public async Task Stores_the_note_the_external_id_and_when_the_value_was_recorded()
    {
        await GivenKpiAsync("defect-rate");
        var body = MeasurementBody("2026-07-14", 1.5m);
        body["note"] = "Line 2 stopped for a die change";
        body["externalId"] = "mes-4711";

        var response = await PushAsync("defect-rate", body);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created), await response.Content.ReadAsStringAsync());
        var measurement = (await ReadAsync<PushMeasurement.Response>(response)).Measurement;
        Assert.That(measurement.Note, Is.EqualTo("Line 2 stopped for a die change"));
        Assert.That(measurement.ExternalId, Is.EqualTo("mes-4711"));
        Assert.That(measurement.RecordedAt, Is.EqualTo(ApiFixture.Clock.GetUtcNow()));
        var stored = (await SeriesAsync("defect-rate", "2026-07-14", "2026-07-14")).Items.Single();
        Assert.That(stored.Note, Is.EqualTo("Line 2 stopped for a die change"));
        Assert.That(stored.ExternalId, Is.EqualTo("mes-4711"));
        Assert.That(stored.RecordedAt, Is.EqualTo(ApiFixture.Clock.GetUtcNow()));
    }

    [Test]
    public async Task A_changed_note_alone_updates_the_value_and_keeps_the_old_note()
    {
        await GivenKpiAsync("defect-rate");
        var first = MeasurementBody("2026-07-14", 1.5m);
        first["note"] = "first count";
        await PushAsync("defect-rate", first);
        var second = MeasurementBody("2026-07-14", 1.5m);
        second["note"] = "recounted";

        var response = await PushAsync("defect-rate", second);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        Assert.That((await ReadAsync<PushMeasurement.Response>(response)).Result, Is.EqualTo(ItemResult.Updated));
        var revisions = (await RevisionsAsync("defect-rate", "2026-07-14")).Revisions;
        Assert.That(revisions.Select(r => r.Note), Is.EqualTo(new[] { "recounted", "first count" }));
    }

    [TestCase("note", 1000, true)]
    [TestCase("note", 1001, false)]
    [TestCase("externalId", 200, true)]
    [TestCase("externalId", 201, false)]
    public async Task Limits_the_length_of_note_and_external_id(string field, int length, bool accepted)
    {
        await GivenKpiAsync("defect-rate");
        var body = MeasurementBody("2026-07-14", 1.5m);
        body[field] = new string('x', length);

        var response = await PushAsync("defect-rate", body);

        if (accepted)
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created), await response.Content.ReadAsStringAsync());
        else
            Assert.That((await FieldErrorsAsync(response, field)).Single(), Does.Contain($"at most {length - 1} characters"));
    }

    private static Task<KpiResponse> GivenBooleanKpiAsync(string key) =>
        GivenKpiAsync(key, change: body =>
        {
            body["name"] = "Safety audit passed";
            body["unit"] = null;
            body["valueType"] = "boolean";
            body["target"] = new JsonObject { ["comparator"] = "equals", ["value"] = 1 };
        });
}
