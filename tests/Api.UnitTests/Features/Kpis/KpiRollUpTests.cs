using OkrKpi.Api.Features.Kpis;

namespace OkrKpi.Api.UnitTests.Features.Kpis;

/// <summary>How values combine into a coarser period, and which frequencies nest in which.</summary>
public sealed class KpiRollUpTests
{
    private static readonly decimal[] Values = [3, 1, 4, 1.5m];

    [TestCase(KpiAggregation.Sum, "9.5")]
    [TestCase(KpiAggregation.Average, "2.375")]
    [TestCase(KpiAggregation.Last, "1.5")]
    [TestCase(KpiAggregation.Min, "1")]
    [TestCase(KpiAggregation.Max, "4")]
    [TestCase(KpiAggregation.Count, "4")]
    [TestCase(KpiAggregation.Median, "2.25")]
    public void Combines_the_values_of_a_period(KpiAggregation aggregation, string expected)
    {
        Assert.That(KpiRollUp.Combine(aggregation, Values), Is.EqualTo(decimal.Parse(expected, System.Globalization.CultureInfo.InvariantCulture)));
    }

    [Test]
    public void A_period_without_values_and_a_sum_beyond_decimals_have_no_value()
    {
        Assert.That(KpiRollUp.Combine(KpiAggregation.Sum, []), Is.Null);
        Assert.That(KpiRollUp.Combine(KpiAggregation.Sum, [decimal.MaxValue, decimal.MaxValue]), Is.Null);
    }

    [TestCase(KpiFrequency.Daily, KpiFrequency.Monthly, true)]
    [TestCase(KpiFrequency.Hourly, KpiFrequency.Weekly, true)]
    [TestCase(KpiFrequency.Monthly, KpiFrequency.Quarterly, true)]
    [TestCase(KpiFrequency.Weekly, KpiFrequency.Monthly, false)]
    [TestCase(KpiFrequency.Monthly, KpiFrequency.Weekly, false)]
    [TestCase(KpiFrequency.Yearly, KpiFrequency.Quarterly, false)]
    public void Weeks_nest_only_in_weeks(KpiFrequency from, KpiFrequency to, bool nests)
    {
        Assert.That(KpiRollUp.Nests(from, to), Is.EqualTo(nests));
    }
}
