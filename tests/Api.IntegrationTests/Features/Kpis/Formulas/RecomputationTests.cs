using System.Net;
using System.Text.Json.Nodes;
using OkrKpi.Api.Features.Kpis;
using OkrKpi.Api.Features.Kpis.Formulas;
using OkrKpi.Api.Features.Measurements;
using OkrKpi.Api.IntegrationTests.Features.Measurements;

namespace OkrKpi.Api.IntegrationTests.Features.Kpis.Formulas;

/// <summary>Every write path keeps computed KPIs current in its own transaction.</summary>
public sealed class RecomputationTests : ComputedKpiTest
{
    private async Task GivenSignupRateAsync()
    {
        await GivenInputAsync("visitors");
        await GivenInputAsync("signups");
        await GivenComputedAsync("signup-rate", "{signups} / {visitors} * 100");
    }

    [Test]
    public async Task A_batch_across_kpis_computes_each_period_it_completes()
    {
        await GivenSignupRateAsync();

        var response = await PostJsonAsync("/api/v1/measurements/batch", new JsonObject
        {
            ["items"] = new JsonArray(
                new JsonObject { ["kpi"] = "visitors", ["period"] = "2026-W27", ["value"] = 1000 },
                new JsonObject { ["kpi"] = "signups", ["period"] = "2026-W27", ["value"] = 50 },
                new JsonObject { ["kpi"] = "visitors", ["period"] = "2026-W28", ["value"] = 400 }),
        });

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        Assert.That(Plain((await ValueAsync("signup-rate", "2026-W27"))!.Value), Is.EqualTo(5m));
        Assert.That(await ValueAsync("signup-rate", "2026-W28"), Is.Null);
    }

    [Test]
    public async Task A_refused_atomic_batch_leaves_the_computed_kpi_as_it_was()
    {
        await GivenSignupRateAsync();

        var response = await PostJsonAsync("/api/v1/measurements/batch", new JsonObject
        {
            ["items"] = new JsonArray(
                new JsonObject { ["kpi"] = "visitors", ["period"] = "2026-W27", ["value"] = 1000 },
                new JsonObject { ["kpi"] = "signups", ["period"] = "2026-W27", ["value"] = 50 },
                new JsonObject { ["kpi"] = "signups", ["period"] = "2099-W01", ["value"] = 1 }),
        });

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.UnprocessableEntity));
        Assert.That(await ValueAsync("signup-rate", "2026-W27"), Is.Null);
    }

    [TestCase("")]
    [TestCase("?mode=partial")]
    public async Task An_import_computes_the_periods_it_completes_before_it_commits(string query)
    {
        await GivenSignupRateAsync();

        var response = await MeasurementImports.ImportAsync(Api, MeasurementImports.Csv(
            "kpi,period,value\nvisitors,2026-W26,200\nsignups,2026-W26,20\nvisitors,2026-W27,1000\nsignups,2026-W27,50\n"), query);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        Assert.That(Plain((await ValueAsync("signup-rate", "2026-W26"))!.Value), Is.EqualTo(10m));
        Assert.That(Plain((await ValueAsync("signup-rate", "2026-W27"))!.Value), Is.EqualTo(5m));
    }

    [TestCase("?dryRun=true", HttpStatusCode.OK)]
    [TestCase("", HttpStatusCode.UnprocessableEntity)]
    public async Task An_import_that_stores_nothing_computes_nothing(string query, HttpStatusCode status)
    {
        await GivenSignupRateAsync();
        var bad = status == HttpStatusCode.OK ? "" : "signups,2099-W01,1\n";

        var response = await MeasurementImports.ImportAsync(Api, MeasurementImports.Csv($"kpi,period,value\nvisitors,2026-W27,1000\nsignups,2026-W27,50\n{bad}"), query);

        Assert.That(response.StatusCode, Is.EqualTo(status), await response.Content.ReadAsStringAsync());
        Assert.That(await ValueAsync("signup-rate", "2026-W27"), Is.Null);
    }

    [Test]
    public async Task A_computed_kpi_over_computed_kpis_follows_its_inputs_transitively()
    {
        await GivenSignupRateAsync();
        await GivenComputedAsync("signup-rate-change", "{signup-rate} - previous({signup-rate})");
        await GivenValuesAsync("visitors", ("2026-W27", 1000), ("2026-W28", 1000));
        await GivenValuesAsync("signups", ("2026-W27", 50), ("2026-W28", 60));

        Assert.That(Plain((await ValueAsync("signup-rate-change", "2026-W28"))!.Value), Is.EqualTo(1m));

        await GivenValueAsync("signups", "2026-W27", 40);

        Assert.That(Plain((await ValueAsync("signup-rate", "2026-W27"))!.Value), Is.EqualTo(4m));
        Assert.That(Plain((await ValueAsync("signup-rate-change", "2026-W28"))!.Value), Is.EqualTo(2m));
        Assert.That(await ValueAsync("signup-rate-change", "2026-W27"), Is.Null);
    }

    [Test]
    public async Task A_division_by_zero_gives_no_value_never_zero_or_infinity()
    {
        await GivenSignupRateAsync();
        await GivenValuesAsync("visitors", ("2026-W28", 1000));
        await GivenValuesAsync("signups", ("2026-W28", 50));

        await GivenValueAsync("visitors", "2026-W28", 0);

        Assert.That(await ValueAsync("signup-rate", "2026-W28"), Is.Null);
        var explanation = await ExplainAsync("signup-rate", "2026-W28");
        Assert.That(explanation.NoValue!.Reason, Is.EqualTo(NoValueReason.DivisionByZero));
    }

    [Test]
    public async Task A_new_formula_recomputes_the_whole_history_in_one_request()
    {
        await GivenSignupRateAsync();
        await GivenValuesAsync("visitors", ("2026-W26", 100), ("2026-W27", 1000), ("2026-W28", 2000));
        await GivenValuesAsync("signups", ("2026-W26", 10), ("2026-W27", 50), ("2026-W28", 90));

        var response = await PatchAsync("/api/v1/kpis/signup-rate", new JsonObject { ["formula"] = "{signups} / {visitors} * 1000" }, "\"1\"");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        var series = await SeriesAsync("signup-rate", "2026-W26", "2026-W28");
        Assert.That(series.Items.Select(i => Plain(i.Value)), Is.EqualTo(new object[] { 100m, 50m, 45m }));
        Assert.That(series.Items.Select(i => i.Source), Is.All.EqualTo(MeasurementSource.Computed));
        Assert.That(series.FedBy, Is.EqualTo(KpiFedBy.Formula));
    }

    [Test]
    public async Task A_kpi_created_over_inputs_with_history_starts_with_every_value_its_formula_gives()
    {
        await GivenInputAsync("visitors");
        await GivenInputAsync("signups");
        await GivenValuesAsync("visitors", ("2026-W27", 1000), ("2026-W28", 2000));
        await GivenValuesAsync("signups", ("2026-W27", 50));

        await GivenComputedAsync("signup-rate", "{signups} / {visitors} * 100");

        var series = await SeriesAsync("signup-rate", "2026-W27", "2026-W28");
        Assert.That(series.Items.Select(i => (i.Period, Plain(i.Value))), Is.EqualTo(new[] { ("2026-W27", (object?)5m) }));
    }

    [Test]
    public async Task A_quarterly_growth_rate_reads_monthly_revenue_rolled_up_by_its_sum()
    {
        await GivenInputAsync("revenue", frequency: "monthly", aggregation: "sum");
        await GivenComputedAsync("revenue-growth", "({revenue} - previous({revenue})) / previous({revenue}) * 100", frequency: "quarterly");

        await GivenValuesAsync("revenue", ("2026-01", 100), ("2026-02", 100), ("2026-03", 200), ("2026-04", 150), ("2026-05", 150), ("2026-06", 200));

        Assert.That(Plain((await ValueAsync("revenue-growth", "2026-Q2"))!.Value), Is.EqualTo(25m));
        var explanation = await ExplainAsync("revenue-growth", "2026-Q2");
        Assert.That(explanation.Inputs.Select(i => (i.Use, i.Value, i.Values, i.Aggregation)),
            Is.EqualTo(new[] { ("value", (decimal?)500m, 3, (KpiAggregation?)KpiAggregation.Sum),
                ("previous", 400m, 3, KpiAggregation.Sum), ("previous", 400m, 3, KpiAggregation.Sum) }));
    }

    [Test]
    public async Task An_import_of_100000_rows_computes_every_period_and_a_new_formula_recomputes_them_all()
    {
        const int days = 50_000;
        await GivenInputAsync("visits", frequency: "daily");
        await GivenInputAsync("orders", frequency: "daily");
        await GivenComputedAsync("order-rate", "{orders} / {visits} * 100", frequency: "daily");
        var csv = new System.Text.StringBuilder("kpi,period,value\n");
        var last = new DateOnly(2026, 7, 14);
        foreach (var (key, value) in new[] { ("visits", 400), ("orders", 10) })
            for (var d = 0; d < days; d++)
                csv.Append(key).Append(',').Append(last.AddDays(-d).ToString("yyyy-MM-dd")).Append(',').Append(value + d % 7).Append('\n');

        var response = await MeasurementImports.ImportAsync(Api, MeasurementImports.Csv(csv.ToString()));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        Assert.That(await ComputedRowsAsync("order-rate"), Is.EqualTo(days));
        Assert.That(Plain((await ValueAsync("order-rate", "2026-07-14"))!.Value), Is.EqualTo(2.5m));
        // Periods are worked out in chunks ahead of the writer: a day many chunks in still gets its own inputs' result.
        Assert.That(Plain((await ValueAsync("order-rate", last.AddDays(-1500).ToString("yyyy-MM-dd")))!.Value),
            Is.EqualTo(MeasurementRules.Shortest((10m + 1500 % 7) / (400m + 1500 % 7) * 100m).Value));

        var patched = await PatchAsync("/api/v1/kpis/order-rate", new JsonObject { ["formula"] = "{orders} / {visits} * 1000" }, "\"1\"");

        Assert.That(patched.StatusCode, Is.EqualTo(HttpStatusCode.OK), await patched.Content.ReadAsStringAsync());
        Assert.That(await ComputedRowsAsync("order-rate"), Is.EqualTo(days));
        Assert.That(Plain((await ValueAsync("order-rate", "2026-07-14"))!.Value), Is.EqualTo(25m));
    }

    private static async Task<long> ComputedRowsAsync(string key)
    {
        await using var connection = await ApiFixture.Database.OpenAsync();
        return await Dapper.SqlMapper.ExecuteScalarAsync<long>(connection,
            "SELECT COUNT(*) FROM KpiMeasurement AS m INNER JOIN Kpi AS k ON k.Id = m.KpiId WHERE k.KeyNormalized = @Key AND m.Source = 'Computed'", new { Key = key });
    }

    [Test]
    public async Task An_export_leaves_out_computed_values_so_that_it_imports_again()
    {
        await GivenSignupRateAsync();
        await GivenValuesAsync("visitors", ("2026-W28", 2000));
        await GivenValuesAsync("signups", ("2026-W28", 90));

        var export = await (await Api.GetAsync("/api/v1/measurements/export?format=csv")).Content.ReadAsStringAsync();
        var reimport = await MeasurementImports.ImportAsync(Api, MeasurementImports.Csv(export));

        Assert.That(export, Does.Not.Contain("signup-rate"));
        Assert.That(reimport.StatusCode, Is.EqualTo(HttpStatusCode.OK), await reimport.Content.ReadAsStringAsync());
    }
}
