using System.Net;
using System.Text.Json.Nodes;
using OkrKpi.Api.Features.Kpis;
using OkrKpi.Api.IntegrationTests.Features.Okrs;

namespace OkrKpi.Api.IntegrationTests.Features.Measurements;

/// <summary>
/// "Defect rate less than 2 %": greaterThan and lessThan are strict, so the bound itself is not on target. The clock reads
/// 2026-07-15, so a value for 2026-07-14 is the latest of a daily KPI and not late.
/// </summary>
public sealed class StrictTargetsTests : MeasurementsTest
{
    [TestCase("2", "offTarget")]
    [TestCase("1.5", "onTarget")]
    [TestCase("1.9999", "onTarget")]
    public async Task A_kpi_less_than_2_is_not_on_target_at_2(string value, string displayStatus)
    {
        await GivenKpiAsync("defect-rate", change: b => b["target"] = new JsonObject { ["comparator"] = "lessThan", ["value"] = 2 });
        await GivenValueAsync("defect-rate", "2026-07-14", JsonValue.Create(decimal.Parse(value, System.Globalization.CultureInfo.InvariantCulture)));

        var item = (await DashboardAsync("")).Items.Single();

        Assert.That(item.DisplayStatus, Is.EqualTo(displayStatus));
    }

    [TestCase("100", "atRisk")]
    [TestCase("100.01", "onTarget")]
    [TestCase("89", "offTarget")]
    public async Task A_kpi_greater_than_100_with_a_warning_is_at_risk_at_100(string value, string displayStatus)
    {
        await GivenKpiAsync("output", change: b => b["target"] = new JsonObject { ["comparator"] = "greaterThan", ["value"] = 100, ["warning"] = 90 });
        await GivenValueAsync("output", "2026-07-14", JsonValue.Create(decimal.Parse(value, System.Globalization.CultureInfo.InvariantCulture)));

        var item = (await DashboardAsync("")).Items.Single();

        Assert.That(item.DisplayStatus, Is.EqualTo(displayStatus));
    }

    [Test]
    public async Task A_strict_target_keeps_its_comparator_and_refuses_a_warning_on_the_wrong_side()
    {
        var kpi = await GivenKpiAsync("defect-rate", change: b => b["target"] = new JsonObject { ["comparator"] = "lessThan", ["value"] = 2, ["warning"] = 3 });
        var wrongSide = await PostJsonAsync("/api/v1/kpis", KpiBody("scrap-rate").Also(b => b["target"] = new JsonObject { ["comparator"] = "lessThan", ["value"] = 2, ["warning"] = 1 }));

        Assert.That(kpi.Target, Is.EqualTo(new KpiTarget(TargetComparator.LessThan, 2m, null, null, 3m)));
        await FieldErrorsAsync(wrongSide, "target.warning");
        Assert.That((await Api.GetAsync("/api/v1/kpis/scrap-rate")).StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
    }
}
