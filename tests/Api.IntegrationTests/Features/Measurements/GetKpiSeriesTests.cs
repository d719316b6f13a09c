using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using OkrKpi.Api.Features.Kpis;
using OkrKpi.Api.Features.Measurements;

namespace OkrKpi.Api.IntegrationTests.Features.Measurements;

/// <summary>GET /api/v1/kpis/{idOrKey}/measurements: a KPI's values over a range of periods, each with its status. The clock reads 2026-07-15T09:30Z.</summary>
public sealed class GetKpiSeriesTests : MeasurementsTest
{
    [Test]
    public async Task Returns_the_values_of_the_range_oldest_first_with_value_status_and_label()
    {
        await GivenKpiAsync("defect-rate");   // atMost 2, warning 3
        await GivenValuesAsync("defect-rate", ("2026-07-09", 0.5m), ("2026-07-14", 4m), ("2026-07-10", 1.5m), ("2026-07-12T18:45:00Z", 2.5m), ("2026-07-15", 1m));

        var series = await SeriesAsync("defect-rate", "from=2026-07-10&to=2026-07-14");

        Assert.That(series.Items.Select(i => i.Period), Is.EqualTo(new[] { "2026-07-10", "2026-07-12", "2026-07-14" }));
        Assert.That(series.Items.Select(i => Plain(i.Value)), Is.EqualTo(new object[] { 1.5m, 2.5m, 4m }));
        Assert.That(series.Items.Select(i => i.Status), Is.EqualTo(new[] { KpiPeriodStatus.OnTarget, KpiPeriodStatus.AtRisk, KpiPeriodStatus.OffTarget }));
        Assert.That(series.Items.Select(i => i.PeriodStart), Is.EqualTo(new[] { Utc(2026, 7, 10), Utc(2026, 7, 12), Utc(2026, 7, 14) }));
        Assert.That(series.From, Is.EqualTo(Utc(2026, 7, 10)));
        Assert.That(series.To, Is.EqualTo(Utc(2026, 7, 14)));
        Assert.That(series.KpiKey, Is.EqualTo("defect-rate"));
        Assert.That(series.Frequency, Is.EqualTo(KpiFrequency.Daily));
    }

    [Test]
    public async Task Reads_the_same_series_by_id_as_by_key()
    {
        var kpi = await GivenKpiAsync("defect-rate");
        await GivenValuesAsync("defect-rate", ("2026-07-13", 1m), ("2026-07-14", 2m));

        var byId = await SeriesAsync(kpi.Id.ToString(), "from=2026-07-13&to=2026-07-14");

        Assert.That(byId.KpiId, Is.EqualTo(kpi.Id));
        Assert.That(byId.Items.Select(i => Plain(i.Value)), Is.EqualTo(new object[] { 1m, 2m }));
    }

    [Test]
    public async Task Covers_the_last_30_periods_up_to_the_current_one_by_default()
    {
        await GivenKpiAsync("defect-rate");
        await GivenValuesAsync("defect-rate", ("2026-06-15", 1m), ("2026-06-16", 2m), ("2026-07-01", 3m), ("2026-07-15", 4m));

        var series = await SeriesAsync("defect-rate", "");

        Assert.That(series.From, Is.EqualTo(Utc(2026, 6, 16)));
        Assert.That(series.To, Is.EqualTo(Utc(2026, 7, 15)));
        Assert.That(series.Items.Select(i => i.Period), Is.EqualTo(new[] { "2026-06-16", "2026-07-01", "2026-07-15" }));
    }

    [Test]
    public async Task Covers_30_periods_of_the_kpis_frequency_by_default()
    {
        await GivenKpiAsync("revenue", change: b => b["frequency"] = "monthly");
        await GivenValuesAsync("revenue", ("2024-01", 1m), ("2024-02", 2m), ("2026-07", 3m));

        var series = await SeriesAsync("revenue", "");

        Assert.That(series.From, Is.EqualTo(Utc(2024, 2, 1)));
        Assert.That(series.To, Is.EqualTo(Utc(2026, 7, 1)));
        Assert.That(series.Items.Select(i => i.Period), Is.EqualTo(new[] { "2024-02", "2026-07" }));
    }

    [Test]
    public async Task Ends_the_default_range_at_to_when_only_to_is_given()
    {
        await GivenKpiAsync("defect-rate");
        await GivenValuesAsync("defect-rate", ("2026-05-31", 1m), ("2026-06-01", 2m), ("2026-06-30", 3m), ("2026-07-01", 4m));

        var series = await SeriesAsync("defect-rate", "to=2026-06-30");

        Assert.That(series.From, Is.EqualTo(Utc(2026, 6, 1)));
        Assert.That(series.Items.Select(i => i.Period), Is.EqualTo(new[] { "2026-06-01", "2026-06-30" }));
    }

    [TestCase("weekly", "from=2026-W26&to=2026-W28", "2026-06-22", "2026-07-06", new[] { "2026-W26", "2026-W28" })]
    [TestCase("weekly", "from=2026-06-24&to=2026-07-12", "2026-06-22", "2026-07-06", new[] { "2026-W26", "2026-W28" })]
    [TestCase("monthly", "from=2026-02&to=2026-05", "2026-02-01", "2026-05-01", new[] { "2026-02", "2026-05" })]
    [TestCase("quarterly", "from=2025-Q4&to=2026-Q2", "2025-10-01", "2026-04-01", new[] { "2025-Q4", "2026-Q2" })]
    [TestCase("quarterly", "from=2025-11&to=2026-06-30", "2025-10-01", "2026-04-01", new[] { "2025-Q4", "2026-Q2" })]
    [TestCase("yearly", "from=2024&to=2025", "2024-01-01", "2025-01-01", new[] { "2024", "2025" })]
    [TestCase("hourly", "from=2026-07-14T08:00:00Z&to=2026-07-14T10:59:59Z", "2026-07-14T08:00:00Z", "2026-07-14T10:00:00Z", new[] { "2026-07-14T08:00:00Z", "2026-07-14T10:00:00Z" })]
    public async Task Accepts_labels_and_instants_of_the_kpis_frequency_for_from_and_to(string frequency, string range, string from, string to, string[] periods)
    {
        await GivenKpiAsync("kpi", change: b => b["frequency"] = frequency);
        await GivenValuesAsync("kpi", (periods[0], 1m), (periods[1], 2m), ("2023-12-31T23:00:00Z", 0m));

        var series = await SeriesAsync("kpi", range);

        Assert.That(series.From, Is.EqualTo(DateTimeOffset.Parse(from, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal)));
        Assert.That(series.To, Is.EqualTo(DateTimeOffset.Parse(to, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal)));
        Assert.That(series.Items.Select(i => i.Period), Is.EqualTo(periods));
    }

    [Test]
    public async Task Answers_an_empty_series_for_a_range_without_values()
    {
        await GivenKpiAsync("defect-rate");
        await GivenValueAsync("defect-rate", "2026-07-14", 1m);

        var series = await SeriesAsync("defect-rate", "from=2026-07-01&to=2026-07-10");

        Assert.That(series.Items, Is.Empty);
    }

    [Test]
    public async Task Accepts_a_one_period_range()
    {
        await GivenKpiAsync("defect-rate");
        await GivenValuesAsync("defect-rate", ("2026-07-13", 1m), ("2026-07-14", 2m));

        var series = await SeriesAsync("defect-rate", "from=2026-07-14&to=2026-07-14");

        Assert.That(series.Items.Select(i => Plain(i.Value)), Is.EqualTo(new object[] { 2m }));
    }

    [Test]
    public async Task Refuses_a_range_whose_from_is_after_its_to()
    {
        await GivenKpiAsync("defect-rate");

        var response = await Api.GetAsync("/api/v1/kpis/defect-rate/measurements?from=2026-07-14&to=2026-07-13");

        await FieldErrorsAsync(response, "from");
    }

    [Test]
    public async Task Refuses_a_from_after_the_current_period_when_to_is_left_out()
    {
        await GivenKpiAsync("defect-rate");

        var response = await Api.GetAsync("/api/v1/kpis/defect-rate/measurements?from=2026-07-16");

        await FieldErrorsAsync(response, "from");
    }

    [Test]
    public async Task Accepts_a_range_of_exactly_5000_periods()
    {
        await GivenKpiAsync("defect-rate");
        await GivenValueAsync("defect-rate", "2026-07-15", 1m);
        var from = new DateOnly(2026, 7, 15).AddDays(-4999);

        var series = await SeriesAsync("defect-rate", $"from={from:yyyy-MM-dd}&to=2026-07-15");

        Assert.That(series.From, Is.EqualTo(new DateTimeOffset(from.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero)));
        Assert.That(series.Items, Has.Count.EqualTo(1));
    }

    [TestCase("daily", "to=2026-07-15", 5001)]
    [TestCase("daily", "", 5001)]
    [TestCase("daily", "to=2026-07-15", 20000)]
    [TestCase("hourly", "to=2026-07-15T09:00:00Z", 5001)]
    public async Task Refuses_a_range_of_more_than_5000_periods_naming_from(string frequency, string to, int periods)
    {
        await GivenKpiAsync("kpi", change: b => b["frequency"] = frequency);
        var current = new DateTimeOffset(2026, 7, 15, frequency == "hourly" ? 9 : 0, 0, 0, TimeSpan.Zero);
        var from = frequency == "hourly" ? current.AddHours(-(periods - 1)).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'") : current.AddDays(-(periods - 1)).ToString("yyyy-MM-dd");

        var response = await Api.GetAsync($"/api/v1/kpis/kpi/measurements?from={from}&{to}");

        var messages = await FieldErrorsAsync(response, "from");
        Assert.That(messages.Single(), Does.Contain("5000"));
    }

    [TestCase("from=2026-13-01", "from")]
    [TestCase("from=yesterday", "from")]
    [TestCase("from=2026-W29", "from")]
    [TestCase("from=2026-07", "from")]
    [TestCase("to=2026-02-30", "to")]
    [TestCase("to=2026-07-14T10:00", "to")]
    [TestCase("from=2026-07-01&to=2026-Q3", "to")]
    public async Task Refuses_a_period_that_is_not_a_label_of_the_kpis_frequency_naming_the_parameter(string query, string field)
    {
        await GivenKpiAsync("defect-rate");

        var response = await Api.GetAsync($"/api/v1/kpis/defect-rate/measurements?{query}");

        await FieldErrorsAsync(response, field);
    }

    [TestCase("no-such-kpi")]
    [TestCase("0198f3a2-7c1e-7b00-8000-000000000000")]
    public async Task Answers_404_for_an_unknown_kpi(string idOrKey)
    {
        await GivenKpiAsync("defect-rate");

        var response = await Api.GetAsync($"/api/v1/kpis/{idOrKey}/measurements");

        var problem = await ProblemAsync(response, HttpStatusCode.NotFound);
        Assert.That(problem["detail"]!.GetValue<string>(), Does.Contain(idOrKey));
    }

    [Test]
    public async Task Rates_each_value_of_a_between_kpi_against_its_range_and_band()
    {
        await GivenKpiAsync("cycle-time", change: b => b["target"] = new JsonObject { ["comparator"] = "between", ["low"] = 10, ["high"] = 20, ["warning"] = 8 });
        await GivenValuesAsync("cycle-time", ("2026-07-08", 7m), ("2026-07-09", 8m), ("2026-07-10", 10m), ("2026-07-11", 15m), ("2026-07-12", 20m), ("2026-07-13", 22m), ("2026-07-14", 22.5m));

        var series = await SeriesAsync("cycle-time", "from=2026-07-08&to=2026-07-14");

        Assert.That(series.Items.Select(i => i.Status), Is.EqualTo(new[]
        {
            KpiPeriodStatus.OffTarget, KpiPeriodStatus.AtRisk, KpiPeriodStatus.OnTarget, KpiPeriodStatus.OnTarget,
            KpiPeriodStatus.OnTarget, KpiPeriodStatus.AtRisk, KpiPeriodStatus.OffTarget,
        }));
    }

    [Test]
    public async Task Rates_each_value_of_an_equals_kpi_against_its_value_and_band()
    {
        await GivenKpiAsync("fill-weight", change: b => b["target"] = new JsonObject { ["comparator"] = "equals", ["value"] = 100, ["warning"] = 95 });
        await GivenValuesAsync("fill-weight", ("2026-07-10", 94.9m), ("2026-07-11", 95m), ("2026-07-12", 100m), ("2026-07-13", 105m), ("2026-07-14", 105.1m));

        var series = await SeriesAsync("fill-weight", "from=2026-07-10&to=2026-07-14");

        Assert.That(series.Items.Select(i => i.Status), Is.EqualTo(new[]
        {
            KpiPeriodStatus.OffTarget, KpiPeriodStatus.AtRisk, KpiPeriodStatus.OnTarget, KpiPeriodStatus.AtRisk, KpiPeriodStatus.OffTarget,
        }));
    }

    [Test]
    public async Task Answers_true_and_false_for_a_boolean_kpi()
    {
        await GivenKpiAsync("audit-passed", change: b =>
        {
            b["valueType"] = "boolean";
            b["unit"] = null;
            b["target"] = new JsonObject { ["comparator"] = "equals", ["value"] = 1 };
        });
        await GivenValuesAsync("audit-passed", ("2026-07-13", true), ("2026-07-14", false));

        var response = await Api.GetAsync("/api/v1/kpis/audit-passed/measurements?from=2026-07-13&to=2026-07-14");

        var items = JsonNode.Parse(await response.Content.ReadAsStringAsync())!["items"]!.AsArray();
        Assert.That(items.Select(i => i!["value"]!.ToJsonString()), Is.EqualTo(new[] { "true", "false" }));
        Assert.That(items.Select(i => i!["status"]!.GetValue<string>()), Is.EqualTo(new[] { "onTarget", "offTarget" }));
    }

    private static DateTimeOffset Utc(int year, int month, int day) => new(year, month, day, 0, 0, 0, TimeSpan.Zero);

    private static async Task<GetKpiSeries.Response> SeriesAsync(string idOrKey, string query)
    {
        var response = await Api.GetAsync($"/api/v1/kpis/{idOrKey}/measurements?{query}");
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        return await ReadAsync<GetKpiSeries.Response>(response);
    }
}
