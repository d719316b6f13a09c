using System.Net;
using System.Text.Json.Nodes;
using OkrKpi.Api.Features.Kpis;
using OkrKpi.Api.Features.Measurements;
using OkrKpi.Api.Infrastructure.Http;

namespace OkrKpi.Api.IntegrationTests.Features.Measurements;

/// <summary>
/// GET /api/v1/dashboard/kpis: every KPI's latest and previous value, change, status, lateness and sparkline in
/// one call. The clock reads 2026-07-15T09:30Z, so for a daily KPI the current period is 2026-07-15 and the last
/// completed one 2026-07-14.
/// </summary>
public sealed class GetDashboardTests : MeasurementsTest
{
    [Test]
    public async Task Summarizes_several_kpis_in_one_call()
    {
        await GivenKpiAsync("defect-rate");   // atMost 2, warning 3
        await GivenKpiAsync("scrap-rate");
        await GivenValuesAsync("defect-rate", ("2026-07-12", 2.5m), ("2026-07-14", 1.5m));
        await GivenValuesAsync("scrap-rate", ("2026-07-10", 9m), ("2026-07-13", 2m), ("2026-07-14", 3.25m));

        var dashboard = await DashboardAsync("sparkline=5");

        Assert.That(dashboard.Items.Select(i => i.Key), Is.EqualTo(new[] { "defect-rate", "scrap-rate" }));
        var defects = dashboard.Items[0];
        Assert.That(defects.Latest!.Period, Is.EqualTo("2026-07-14"));
        Assert.That(Plain(defects.Latest.Value), Is.EqualTo(1.5m));
        Assert.That(defects.Previous!.Period, Is.EqualTo("2026-07-12"));
        Assert.That(Plain(defects.Previous.Value), Is.EqualTo(2.5m));
        Assert.That(defects.Change, Is.EqualTo(-1m));
        Assert.That(defects.Status, Is.EqualTo(KpiPeriodStatus.OnTarget));
        Assert.That(defects.Late, Is.False);
        Assert.That(defects.DisplayStatus, Is.EqualTo("onTarget"));
        Assert.That(defects.Sparkline.Select(p => p.Period), Is.EqualTo(new[] { "2026-07-11", "2026-07-12", "2026-07-13", "2026-07-14", "2026-07-15" }));
        Assert.That(defects.Sparkline.Select(p => Plain(p.Value)), Is.EqualTo(new object?[] { null, 2.5m, null, 1.5m, null }));
        var scrap = dashboard.Items[1];
        Assert.That(Plain(scrap.Latest!.Value), Is.EqualTo(3.25m));
        Assert.That(Plain(scrap.Previous!.Value), Is.EqualTo(2m));
        Assert.That(scrap.Change, Is.EqualTo(1.25m));
        Assert.That(scrap.Status, Is.EqualTo(KpiPeriodStatus.OffTarget));
        Assert.That(scrap.DisplayStatus, Is.EqualTo("offTarget"));
        Assert.That(scrap.Sparkline.Select(p => Plain(p.Value)), Is.EqualTo(new object?[] { null, null, 2m, 3.25m, null }));
    }

    [Test]
    public async Task Shows_12_periods_of_sparkline_by_default_oldest_first_ending_at_the_current_period()
    {
        await GivenKpiAsync("defect-rate");
        await GivenValuesAsync("defect-rate", ("2026-07-03", 1m), ("2026-07-04", 2m), ("2026-07-15", 3m));

        var item = (await DashboardAsync("")).Items.Single();

        Assert.That(item.Sparkline.Select(p => p.PeriodStart), Is.EqualTo(Enumerable.Range(0, 12).Select(d => new DateTimeOffset(2026, 7, 4 + d, 0, 0, 0, TimeSpan.Zero))));
        Assert.That(item.Sparkline.Select(p => Plain(p.Value)), Is.EqualTo(new object?[] { 2m, null, null, null, null, null, null, null, null, null, null, 3m }));
    }

    [Test]
    public async Task Shows_only_the_newest_values_of_a_long_history_in_the_sparkline()
    {
        await GivenKpiAsync("defect-rate");
        await GivenValuesAsync("defect-rate", Enumerable.Range(0, 40).Select(d => (new DateOnly(2026, 6, 6).AddDays(d).ToString("yyyy-MM-dd"), (JsonNode)(d + 0.5m))).ToArray());

        var item = (await DashboardAsync("sparkline=4")).Items.Single();

        Assert.That(item.Sparkline.Select(p => p.Period), Is.EqualTo(new[] { "2026-07-12", "2026-07-13", "2026-07-14", "2026-07-15" }));
        Assert.That(item.Sparkline.Select(p => Plain(p.Value)), Is.EqualTo(new object?[] { 36.5m, 37.5m, 38.5m, 39.5m }));
        Assert.That(Plain(item.Latest!.Value), Is.EqualTo(39.5m));
        Assert.That(Plain(item.Previous!.Value), Is.EqualTo(38.5m));
    }

    [Test]
    public async Task Keeps_the_previous_value_and_change_with_a_one_period_sparkline()
    {
        await GivenKpiAsync("defect-rate");
        await GivenValuesAsync("defect-rate", ("2026-07-01", 4m), ("2026-07-14", 1m));

        var item = (await DashboardAsync("sparkline=1")).Items.Single();

        Assert.That(item.Sparkline.Select(p => p.Period), Is.EqualTo(new[] { "2026-07-15" }));
        Assert.That(item.Sparkline.Select(p => Plain(p.Value)), Is.EqualTo(new object?[] { null }));
        Assert.That(item.Previous!.Period, Is.EqualTo("2026-07-01"));
        Assert.That(item.Change, Is.EqualTo(-3m));
        Assert.That(item.ChangePercent, Is.EqualTo(-75m));
    }

    [TestCase(80, 100, 25)]
    [TestCase(-80, -100, -25)]
    [TestCase(-50, 50, 200)]
    [TestCase(3, 1, -66.67)]
    [TestCase(3, 4, 33.33)]
    [TestCase(0, 5, null)]
    public async Task Reports_the_change_as_a_percentage_of_the_previous_values_magnitude(decimal previous, decimal latest, decimal? percent)
    {
        await GivenKpiAsync("defect-rate");
        await GivenValuesAsync("defect-rate", ("2026-07-13", previous), ("2026-07-14", latest));

        var item = (await DashboardAsync("")).Items.Single();

        Assert.That(item.Change, Is.EqualTo(latest - previous));
        Assert.That(item.ChangePercent, Is.EqualTo(percent));
    }

    [Test]
    public async Task Shows_100_periods_of_sparkline_at_most()
    {
        await GivenKpiAsync("defect-rate");

        var item = (await DashboardAsync("sparkline=100")).Items.Single();

        Assert.That(item.Sparkline, Has.Count.EqualTo(100));
        Assert.That(item.Sparkline[0].Period, Is.EqualTo("2026-04-07"));
        Assert.That(item.Sparkline[^1].Period, Is.EqualTo("2026-07-15"));
    }

    [Test]
    public async Task Shows_the_sparkline_in_the_periods_of_the_kpis_frequency()
    {
        await GivenKpiAsync("revenue", change: b => b["frequency"] = "monthly");
        await GivenKpiAsync("throughput", change: b => b["frequency"] = "weekly");
        await GivenValuesAsync("revenue", ("2026-05-20", 1.5m), ("2026-06", 1m));
        await GivenValuesAsync("throughput", ("2026-W28", 2m));

        var dashboard = await DashboardAsync("sparkline=3");

        var revenue = dashboard.Items.Single(i => i.Key == "revenue");
        Assert.That(revenue.Sparkline.Select(p => p.Period), Is.EqualTo(new[] { "2026-05", "2026-06", "2026-07" }));
        Assert.That(revenue.Sparkline.Select(p => Plain(p.Value)), Is.EqualTo(new object?[] { 1.5m, 1m, null }));
        Assert.That(revenue.Late, Is.False);
        var throughput = dashboard.Items.Single(i => i.Key == "throughput");
        Assert.That(throughput.Sparkline.Select(p => p.Period), Is.EqualTo(new[] { "2026-W27", "2026-W28", "2026-W29" }));
        Assert.That(throughput.Sparkline.Select(p => Plain(p.Value)), Is.EqualTo(new object?[] { null, 2m, null }));
        Assert.That(throughput.Late, Is.False);
    }

    [Test]
    public async Task Shows_a_kpi_whose_last_completed_period_has_no_value_as_late_even_when_its_last_value_was_on_target()
    {
        await GivenKpiAsync("defect-rate");
        await GivenValueAsync("defect-rate", "2026-07-13", 1m);

        var item = (await DashboardAsync("")).Items.Single();

        Assert.That(item.Late, Is.True);
        Assert.That(item.DisplayStatus, Is.EqualTo("late"));
        Assert.That(item.Status, Is.EqualTo(KpiPeriodStatus.OnTarget), "the value's own status is still reported");
        Assert.That(item.Latest!.Period, Is.EqualTo("2026-07-13"));
    }

    [TestCase("daily", "2026-07-15", false)]
    [TestCase("daily", "2026-07-14", false)]
    [TestCase("daily", "2026-07-13", true)]
    [TestCase("weekly", "2026-W28", false)]
    [TestCase("weekly", "2026-W27", true)]
    [TestCase("monthly", "2026-06", false)]
    [TestCase("monthly", "2026-05", true)]
    [TestCase("quarterly", "2026-Q2", false)]
    [TestCase("quarterly", "2026-Q1", true)]
    [TestCase("hourly", "2026-07-15T08:00:00Z", false)]
    [TestCase("hourly", "2026-07-15T07:59:59Z", true)]
    public async Task Is_late_only_when_the_newest_value_is_older_than_the_last_completed_period(string frequency, string newest, bool late)
    {
        await GivenKpiAsync("kpi", change: b => b["frequency"] = frequency);
        await GivenValueAsync("kpi", newest, 1m);

        var item = (await DashboardAsync("")).Items.Single();

        Assert.That(item.Late, Is.EqualTo(late));
        Assert.That(item.DisplayStatus, Is.EqualTo(late ? "late" : "onTarget"));
    }

    [Test]
    public async Task Shows_a_kpi_never_measured_as_no_data_and_not_late()
    {
        await GivenKpiAsync("defect-rate");

        var item = (await DashboardAsync("sparkline=3")).Items.Single();

        Assert.That(item.Status, Is.EqualTo(KpiPeriodStatus.NoData));
        Assert.That(item.Late, Is.False);
        Assert.That(item.DisplayStatus, Is.EqualTo("noData"));
        Assert.That(item.Latest, Is.Null);
        Assert.That(item.Previous, Is.Null);
        Assert.That(item.Change, Is.Null);
        Assert.That(item.Sparkline.Select(p => Plain(p.Value)), Is.EqualTo(new object?[] { null, null, null }));
    }

    [Test]
    public async Task Has_no_change_with_a_single_value()
    {
        await GivenKpiAsync("defect-rate");
        await GivenValueAsync("defect-rate", "2026-07-14", 1m);

        var item = (await DashboardAsync("")).Items.Single();

        Assert.That(Plain(item.Latest!.Value), Is.EqualTo(1m));
        Assert.That(item.Previous, Is.Null);
        Assert.That(item.Change, Is.Null);
        Assert.That(item.ChangePercent, Is.Null);
    }

    [Test]
    public async Task Shows_true_and_false_for_a_boolean_kpi_without_a_change()
    {
        await GivenKpiAsync("audit-passed", change: b =>
        {
            b["valueType"] = "boolean";
            b["unit"] = null;
            b["target"] = new JsonObject { ["comparator"] = "equals", ["value"] = 1 };
        });
        await GivenValuesAsync("audit-passed", ("2026-07-13", true), ("2026-07-14", false));

        var response = await Api.GetAsync("/api/v1/dashboard/kpis?sparkline=3");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        var item = JsonNode.Parse(await response.Content.ReadAsStringAsync())!["items"]![0]!;
        Assert.That(item["latest"]!["value"]!.ToJsonString(), Is.EqualTo("false"));
        Assert.That(item["previous"]!["value"]!.ToJsonString(), Is.EqualTo("true"));
        Assert.That(item["change"], Is.Null);
        Assert.That(item["changePercent"], Is.Null);
        Assert.That(item["status"]!.GetValue<string>(), Is.EqualTo("offTarget"));
        Assert.That(item["sparkline"]!.AsArray().Select(p => p!["value"]?.ToJsonString()), Is.EqualTo(new[] { "true", "false", null }));
    }

    [TestCase("keys=scrap-rate,oee", new[] { "oee", "scrap-rate" })]
    [TestCase("keys=scrap-rate", new[] { "scrap-rate" })]
    [TestCase("keys=%20SCRAP-RATE%20,,Defect-Rate", new[] { "defect-rate", "scrap-rate" })]
    [TestCase("keys=no-such-kpi", new string[0])]
    public async Task Filters_by_comma_separated_keys(string query, string[] expected)
    {
        await GivenKpiAsync("defect-rate");
        await GivenKpiAsync("scrap-rate");
        await GivenKpiAsync("oee");

        var dashboard = await DashboardAsync(query);

        Assert.That(dashboard.Items.Select(i => i.Key), Is.EqualTo(expected));
    }

    [Test]
    public async Task Filters_by_owner_team()
    {
        var quality = await GivenTeamAsync("Quality");
        var sales = await GivenTeamAsync("Sales");
        await GivenKpiAsync("defect-rate", quality.Id);
        await GivenKpiAsync("revenue", sales.Id);
        await GivenKpiAsync("scrap-rate", quality.Id);
        await GivenKpiAsync("unowned");

        var dashboard = await DashboardAsync($"ownerTeamId={quality.Id}");

        Assert.That(dashboard.Items.Select(i => i.Key), Is.EqualTo(new[] { "defect-rate", "scrap-rate" }));
        Assert.That(dashboard.Items.Select(i => i.OwnerTeamId), Has.All.EqualTo(quality.Id));
    }

    [TestCase("quality")]
    [TestCase("Quality")]
    public async Task Filters_by_tag_ignoring_case(string tag)
    {
        await GivenKpiAsync("defect-rate", change: b => b["tags"] = new JsonArray("quality"));
        await GivenKpiAsync("revenue", change: b => b["tags"] = new JsonArray("finance"));
        await GivenKpiAsync("first-pass-yield", change: b => b["tags"] = new JsonArray("lean", "quality"));

        var dashboard = await DashboardAsync($"tag={tag}");

        Assert.That(dashboard.Items.Select(i => i.Key), Is.EqualTo(new[] { "defect-rate", "first-pass-yield" }));
        Assert.That(dashboard.Items[1].Tags, Is.EqualTo(new[] { "lean", "quality" }));
    }

    [TestCase("late", new[] { "late-but-green" })]
    [TestCase("onTarget", new[] { "on-target" })]
    [TestCase("atRisk", new[] { "at-risk" })]
    [TestCase("offTarget", new[] { "off-target" })]
    [TestCase("noData", new[] { "never-measured" })]
    public async Task Filters_by_display_status(string status, string[] expected)
    {
        await GivenKpiAsync("late-but-green");
        await GivenKpiAsync("on-target");
        await GivenKpiAsync("at-risk");
        await GivenKpiAsync("off-target");
        await GivenKpiAsync("never-measured");
        await GivenValueAsync("late-but-green", "2026-07-10", 1m);
        await GivenValueAsync("on-target", "2026-07-14", 1m);
        await GivenValueAsync("at-risk", "2026-07-14", 2.5m);
        await GivenValueAsync("off-target", "2026-07-15", 4m);

        var dashboard = await DashboardAsync($"status={status}");

        Assert.That(dashboard.Items.Select(i => i.Key), Is.EqualTo(expected));
        Assert.That(dashboard.Items.Select(i => i.DisplayStatus), Has.All.EqualTo(status));
    }

    [Test]
    public async Task Hides_retired_kpis_unless_asked_to_include_them()
    {
        await GivenKpiAsync("defect-rate");
        await GivenKpiAsync("scrap-rate");
        await GivenValueAsync("scrap-rate", "2026-07-14", 1m);
        var retired = await SendAsync(HttpMethod.Post, "/api/v1/kpis/scrap-rate/retire");
        Assert.That(retired.StatusCode, Is.EqualTo(HttpStatusCode.OK));

        var hidden = await DashboardAsync("");
        var included = await DashboardAsync("includeRetired=true");
        var named = await DashboardAsync("keys=scrap-rate");

        Assert.That(hidden.Items.Select(i => i.Key), Is.EqualTo(new[] { "defect-rate" }));
        Assert.That(included.Items.Select(i => i.Key), Is.EqualTo(new[] { "defect-rate", "scrap-rate" }));
        Assert.That(included.Items[1].KpiStatus, Is.EqualTo(KpiStatus.Retired));
        Assert.That(Plain(included.Items[1].Latest!.Value), Is.EqualTo(1m));
        Assert.That(named.Items, Is.Empty);
    }

    [Test]
    public async Task Pages_through_the_kpis_with_limit_and_cursor()
    {
        foreach (var key in new[] { "e-kpi", "a-kpi", "d-kpi", "b-kpi", "c-kpi" })
            await GivenKpiAsync(key);
        await GivenValueAsync("c-kpi", "2026-07-14", 1m);

        var first = await DashboardAsync("limit=2");
        var second = await DashboardAsync($"limit=2&cursor={first.NextCursor}");
        var third = await DashboardAsync($"limit=2&cursor={second.NextCursor}");

        Assert.That(first.Items.Select(i => i.Key), Is.EqualTo(new[] { "a-kpi", "b-kpi" }));
        Assert.That(second.Items.Select(i => i.Key), Is.EqualTo(new[] { "c-kpi", "d-kpi" }));
        Assert.That(Plain(second.Items[0].Latest!.Value), Is.EqualTo(1m));
        Assert.That(third.Items.Select(i => i.Key), Is.EqualTo(new[] { "e-kpi" }));
        Assert.That(third.NextCursor, Is.Null);
    }

    [TestCase("sparkline=0", "sparkline")]
    [TestCase("sparkline=101", "sparkline")]
    [TestCase("sparkline=-1", "sparkline")]
    [TestCase("status=green", "status")]
    [TestCase("status=late,onTarget", "status")]
    [TestCase("limit=0", "limit")]
    [TestCase("limit=201", "limit")]
    [TestCase("cursor=not-a-cursor", "cursor")]
    [TestCase("sparkline=twelve", "sparkline")]
    [TestCase("limit=ten", "limit")]
    [TestCase("ownerTeamId=quality", "ownerTeamId")]
    [TestCase("includeRetired=maybe", "includeRetired")]
    public async Task Refuses_an_invalid_query_naming_the_parameter(string query, string field)
    {
        var response = await Api.GetAsync($"/api/v1/dashboard/kpis?{query}");

        await FieldErrorsAsync(response, field);
    }

    [Test]
    public async Task Refuses_more_than_200_keys()
    {
        var keys = string.Join(',', Enumerable.Range(0, 201).Select(i => $"kpi-{i}"));

        var response = await Api.GetAsync($"/api/v1/dashboard/kpis?keys={keys}");

        await FieldErrorsAsync(response, "keys");
    }

    [Test]
    public async Task Answers_an_empty_page_when_there_are_no_kpis()
    {
        var dashboard = await DashboardAsync("");

        Assert.That(dashboard.Items, Is.Empty);
        Assert.That(dashboard.NextCursor, Is.Null);
    }
}
