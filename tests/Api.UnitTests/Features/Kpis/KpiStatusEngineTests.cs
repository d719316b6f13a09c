using OkrKpi.Api.Testing;
using System.Globalization;
using System.Reflection;
using System.Text.Json;
using OkrKpi.Api.Features.Kpis;
using OkrKpi.Api.Features.Measurements;
using OkrKpi.Api.Infrastructure.Http;

namespace OkrKpi.Api.UnitTests.Features.Kpis;

public sealed class KpiStatusEngineTests
{
    private const string ConformanceTable = "docs/kpis.md";

    private static readonly TimeZoneInfo Utc = TimeZoneInfo.Utc;
    private static readonly TimeZoneInfo Berlin = TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin");

    // Cells are written as in the conformance table of docs/kpis.md: wire names, "low..high" for between, "none" for absent.
    // Another test checks that the document holds exactly these rows, in this order.
    [TestCase("atLeast", "100", "90", "80", "offTarget")]
    [TestCase("atLeast", "100", "90", "89.999999999999", "offTarget")]
    [TestCase("atLeast", "100", "90", "90", "atRisk")]
    [TestCase("atLeast", "100", "90", "95", "atRisk")]
    [TestCase("atLeast", "100", "90", "99.9999999999999999", "atRisk")]
    [TestCase("atLeast", "100", "90", "99.99999999999999", "atRisk")]
    [TestCase("atLeast", "100", "90", "99.999999999999999999999999999999", "onTarget")]
    [TestCase("atLeast", "100", "90", "100", "onTarget")]
    [TestCase("atLeast", "100", "90", "100.00", "onTarget")]
    [TestCase("atLeast", "100", "90", "250", "onTarget")]
    [TestCase("atLeast", "100", "90", "none", "noData")]
    [TestCase("atLeast", "100", "none", "99.99", "offTarget")]
    [TestCase("atLeast", "100", "none", "0", "offTarget")]
    [TestCase("atLeast", "100", "none", "100", "onTarget")]
    [TestCase("atLeast", "-5", "-10", "-12", "offTarget")]
    [TestCase("atLeast", "-5", "-10", "-10", "atRisk")]
    [TestCase("atLeast", "-5", "-10", "-7.5", "atRisk")]
    [TestCase("atLeast", "-5", "-10", "-5", "onTarget")]
    [TestCase("atLeast", "-5", "-10", "0", "onTarget")]
    [TestCase("atLeast", "0", "-1", "-0.5", "atRisk")]
    [TestCase("atLeast", "0", "-1", "0", "onTarget")]
    [TestCase("atMost", "5", "8", "10", "offTarget")]
    [TestCase("atMost", "5", "8", "8.000000000001", "offTarget")]
    [TestCase("atMost", "5", "8", "8", "atRisk")]
    [TestCase("atMost", "5", "8", "6.5", "atRisk")]
    [TestCase("atMost", "5", "8", "5", "onTarget")]
    [TestCase("atMost", "5", "8", "0", "onTarget")]
    [TestCase("atMost", "5", "8", "-3", "onTarget")]
    [TestCase("atMost", "5", "8", "none", "noData")]
    [TestCase("atMost", "0", "none", "0", "onTarget")]
    [TestCase("atMost", "0", "none", "0.0000000001", "offTarget")]
    [TestCase("atMost", "-2.5", "-1", "-0.5", "offTarget")]
    [TestCase("atMost", "-2.5", "-1", "-1", "atRisk")]
    [TestCase("atMost", "-2.5", "-1", "-2.5", "onTarget")]
    [TestCase("greaterThan", "100", "90", "100.0000001", "onTarget")]
    [TestCase("greaterThan", "100", "90", "100", "atRisk")]
    [TestCase("greaterThan", "100", "90", "95", "atRisk")]
    [TestCase("greaterThan", "100", "90", "90", "atRisk")]
    [TestCase("greaterThan", "100", "90", "89.99", "offTarget")]
    [TestCase("greaterThan", "100", "none", "100", "offTarget")]
    [TestCase("greaterThan", "0", "none", "0.0000000001", "onTarget")]
    [TestCase("greaterThan", "-5", "-10", "-5", "atRisk")]
    [TestCase("greaterThan", "100", "90", "none", "noData")]
    [TestCase("lessThan", "2", "none", "2", "offTarget")]
    [TestCase("lessThan", "2", "none", "1.5", "onTarget")]
    [TestCase("lessThan", "2", "none", "1.9999999999", "onTarget")]
    [TestCase("lessThan", "2", "3", "2", "atRisk")]
    [TestCase("lessThan", "2", "3", "3", "atRisk")]
    [TestCase("lessThan", "2", "3", "3.0001", "offTarget")]
    [TestCase("lessThan", "0", "none", "-0.5", "onTarget")]
    [TestCase("lessThan", "0", "none", "0", "offTarget")]
    [TestCase("lessThan", "-2.5", "-1", "-2.5", "atRisk")]
    [TestCase("lessThan", "2", "3", "none", "noData")]
    [TestCase("between", "10..20", "8", "7", "offTarget")]
    [TestCase("between", "10..20", "8", "8", "atRisk")]
    [TestCase("between", "10..20", "8", "9", "atRisk")]
    [TestCase("between", "10..20", "8", "10", "onTarget")]
    [TestCase("between", "10..20", "8", "15", "onTarget")]
    [TestCase("between", "10..20", "8", "20", "onTarget")]
    [TestCase("between", "10..20", "8", "21", "atRisk")]
    [TestCase("between", "10..20", "8", "22", "atRisk")]
    [TestCase("between", "10..20", "8", "22.0000001", "offTarget")]
    [TestCase("between", "10..20", "8", "30", "offTarget")]
    [TestCase("between", "10..20", "8", "none", "noData")]
    [TestCase("between", "10..20", "25", "25", "atRisk")]
    [TestCase("between", "10..20", "25", "25.01", "offTarget")]
    [TestCase("between", "10..20", "25", "5", "atRisk")]
    [TestCase("between", "10..20", "25", "4.99", "offTarget")]
    [TestCase("between", "-1.5..1.5", "none", "-1.5", "onTarget")]
    [TestCase("between", "-1.5..1.5", "none", "0", "onTarget")]
    [TestCase("between", "-1.5..1.5", "none", "1.50001", "offTarget")]
    [TestCase("between", "-1.5..1.5", "none", "-2", "offTarget")]
    [TestCase("between", "0..0", "none", "0", "onTarget")]
    [TestCase("equals", "50", "45", "44.9", "offTarget")]
    [TestCase("equals", "50", "45", "45", "atRisk")]
    [TestCase("equals", "50", "45", "47", "atRisk")]
    [TestCase("equals", "50", "45", "50", "onTarget")]
    [TestCase("equals", "50", "45", "50.00", "onTarget")]
    [TestCase("equals", "50", "45", "50.0000000001", "atRisk")]
    [TestCase("equals", "50", "45", "55", "atRisk")]
    [TestCase("equals", "50", "45", "56", "offTarget")]
    [TestCase("equals", "50", "45", "none", "noData")]
    [TestCase("equals", "3.14159265358979", "none", "3.14159265358979", "onTarget")]
    [TestCase("equals", "3.14159265358979", "none", "3.1415926535898", "offTarget")]
    [TestCase("equals", "0.3", "none", "0.30000000000000004", "offTarget")]
    [TestCase("equals", "0.3", "none", "0.3000000000000000000000000000", "onTarget")]
    [TestCase("atMost", "2", "none", "2.0000000000000004", "offTarget")]
    [TestCase("equals", "-4", "-3", "-5", "atRisk")]
    [TestCase("equals", "-4", "-3", "-2.5", "offTarget")]
    [TestCase("equals", "1", "none", "1", "onTarget")]
    [TestCase("equals", "1", "none", "0", "offTarget")]
    [TestCase("equals", "0", "none", "0", "onTarget")]
    [TestCase("equals", "0", "none", "1", "offTarget")]
    [TestCase("equals", "1", "none", "none", "noData")]
    public void Evaluates_each_conformance_row_to_its_published_status(
        string comparator, string target, string warning, string value, string status)
    {
        var row = new ConformanceRow(comparator, target, warning, value, status);

        Assert.That(KpiStatusEngine.Evaluate(row.Target, row.Value), Is.EqualTo(row.Status));
    }

    [Test]
    public void The_published_conformance_table_has_exactly_the_rows_of_the_test_cases()
    {
        var testCases = typeof(KpiStatusEngineTests)
            .GetMethod(nameof(Evaluates_each_conformance_row_to_its_published_status))!
            .GetCustomAttributes<TestCaseAttribute>()
            .Select(c => string.Join(" | ", c.Arguments))
            .ToList();

        var published = ReadPublishedRows().Select(r => string.Join(" | ", r.Cells)).ToList();

        Assert.That(published, Is.EqualTo(testCases));
        Assert.That(published, Has.Count.GreaterThanOrEqualTo(36));
    }

    [Test]
    public void Every_row_of_the_published_conformance_table_evaluates_to_its_stated_status()
    {
        var rows = ReadPublishedRows();

        Assert.That(rows, Is.Not.Empty);
        Assert.Multiple(() =>
        {
            foreach (var row in rows)
                Assert.That(KpiStatusEngine.Evaluate(row.Target, row.Value), Is.EqualTo(row.Status), string.Join(" | ", row.Cells));
        });
    }

    [Test]
    public void A_target_missing_the_field_its_comparator_needs_is_a_programming_error()
    {
        var incomplete = new KpiTarget(TargetComparator.Between, null, 10m, null, null);

        Assert.That(() => KpiStatusEngine.Evaluate(incomplete, 12m), Throws.ArgumentException);
    }

    [Test]
    public void A_missing_value_is_no_data_even_for_an_incomplete_target()
    {
        var incomplete = new KpiTarget(null, null, null, null, null);

        Assert.That(KpiStatusEngine.Evaluate(incomplete, null), Is.EqualTo(KpiPeriodStatus.NoData));
    }

    // now = Wednesday 2026-07-15 10:30 UTC. The last completed period is the one before the period holding now.
    [TestCase(KpiFrequency.Hourly, "2026-07-15T10:00:00Z", false, TestName = "An hourly KPI measured in the current hour is not late")]
    [TestCase(KpiFrequency.Hourly, "2026-07-15T09:00:00Z", false, TestName = "An hourly KPI measured in the last completed hour is not late")]
    [TestCase(KpiFrequency.Hourly, "2026-07-15T08:00:00Z", true, TestName = "An hourly KPI last measured two hours ago is late")]
    [TestCase(KpiFrequency.Daily, "2026-07-14T00:00:00Z", false, TestName = "A daily KPI measured yesterday is not late")]
    [TestCase(KpiFrequency.Daily, "2026-07-13T00:00:00Z", true, TestName = "A daily KPI last measured the day before yesterday is late")]
    [TestCase(KpiFrequency.Weekly, "2026-07-06T00:00:00Z", false, TestName = "A weekly KPI measured last week is not late")]
    [TestCase(KpiFrequency.Weekly, "2026-06-29T00:00:00Z", true, TestName = "A weekly KPI last measured two weeks ago is late")]
    [TestCase(KpiFrequency.Monthly, "2026-06-01T00:00:00Z", false, TestName = "A monthly KPI measured last month is not late")]
    [TestCase(KpiFrequency.Monthly, "2026-05-01T00:00:00Z", true, TestName = "A monthly KPI last measured two months ago is late")]
    [TestCase(KpiFrequency.Quarterly, "2026-04-01T00:00:00Z", false, TestName = "A quarterly KPI measured last quarter is not late")]
    [TestCase(KpiFrequency.Quarterly, "2026-01-01T00:00:00Z", true, TestName = "A quarterly KPI last measured two quarters ago is late")]
    [TestCase(KpiFrequency.Yearly, "2025-01-01T00:00:00Z", false, TestName = "A yearly KPI measured last year is not late")]
    [TestCase(KpiFrequency.Yearly, "2024-01-01T00:00:00Z", true, TestName = "A yearly KPI last measured two years ago is late")]
    public void A_kpi_is_late_when_its_last_completed_period_has_no_value(KpiFrequency frequency, string newestPeriodStart, bool late)
    {
        var now = Instant("2026-07-15T10:30:00Z");

        Assert.That(KpiStatusEngine.IsLate(frequency, Instant(newestPeriodStart), now, Utc), Is.EqualTo(late));
    }

    [TestCase(KpiFrequency.Hourly)]
    [TestCase(KpiFrequency.Daily)]
    [TestCase(KpiFrequency.Weekly)]
    [TestCase(KpiFrequency.Monthly)]
    [TestCase(KpiFrequency.Quarterly)]
    [TestCase(KpiFrequency.Yearly)]
    public void A_kpi_never_measured_is_not_late(KpiFrequency frequency)
    {
        Assert.That(KpiStatusEngine.IsLate(frequency, null, Instant("2026-07-15T10:30:00Z"), Utc), Is.False);
    }

    [Test]
    public void Lateness_follows_the_days_of_the_organisations_time_zone()
    {
        // 22:30 UTC on the 14th is already the 15th in Berlin, so Berlin's last completed day is the 14th.
        var now = Instant("2026-07-14T22:30:00Z");
        var berlinJuly14 = Instant("2026-07-14T00:00:00+02:00");
        var berlinJuly13 = Instant("2026-07-13T00:00:00+02:00");

        Assert.Multiple(() =>
        {
            Assert.That(KpiStatusEngine.IsLate(KpiFrequency.Daily, berlinJuly14, now, Berlin), Is.False);
            Assert.That(KpiStatusEngine.IsLate(KpiFrequency.Daily, berlinJuly13, now, Berlin), Is.True);
            Assert.That(KpiStatusEngine.IsLate(KpiFrequency.Daily, Instant("2026-07-13T00:00:00Z"), now, Utc), Is.False);
        });
    }

    [Test]
    public void A_late_kpi_displays_as_late_even_when_its_last_value_was_on_target()
    {
        var target = new KpiTarget(TargetComparator.AtLeast, 100m, null, null, 90m);

        var health = KpiStatusEngine.Summarize(target, 120m, Instant("2026-07-01T00:00:00Z"),
            KpiFrequency.Daily, Instant("2026-07-15T10:30:00Z"), Utc);

        Assert.That(health, Is.EqualTo(new KpiHealth(KpiPeriodStatus.OnTarget, Late: true)));
        Assert.That(health.DisplayStatus, Is.EqualTo("late"));
    }

    [TestCase("120", "onTarget")]
    [TestCase("95", "atRisk")]
    [TestCase("80", "offTarget")]
    public void A_kpi_measured_on_time_displays_the_status_of_its_value(string value, string displayStatus)
    {
        var target = new KpiTarget(TargetComparator.AtLeast, 100m, null, null, 90m);

        var health = KpiStatusEngine.Summarize(target, decimal.Parse(value, CultureInfo.InvariantCulture),
            Instant("2026-07-14T00:00:00Z"), KpiFrequency.Daily, Instant("2026-07-15T10:30:00Z"), Utc);

        Assert.That(health.Late, Is.False);
        Assert.That(health.DisplayStatus, Is.EqualTo(displayStatus));
    }

    [Test]
    public void A_kpi_never_measured_displays_as_no_data()
    {
        var target = new KpiTarget(TargetComparator.AtMost, 5m, null, null, null);

        var health = KpiStatusEngine.Summarize(target, null, null, KpiFrequency.Weekly, Instant("2026-07-15T10:30:00Z"), Utc);

        Assert.That(health, Is.EqualTo(new KpiHealth(KpiPeriodStatus.NoData, Late: false)));
        Assert.That(health.DisplayStatus, Is.EqualTo("noData"));
    }

    [Test]
    public void Display_statuses_are_the_camel_case_wire_names_of_the_statuses()
    {
        var options = new JsonSerializerOptions();
        StrictJson.Configure(options);

        foreach (var status in Enum.GetValues<KpiPeriodStatus>())
            Assert.That(new KpiHealth(status, Late: false).DisplayStatus, Is.EqualTo(JsonSerializer.Serialize(status, options).Trim('"')));
    }

    private static DateTimeOffset Instant(string text) =>
        DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind);

    private static IReadOnlyList<ConformanceRow> ReadPublishedRows()
    {
        var lines = File.ReadAllLines(RepositoryFiles.PathOf(ConformanceTable));
        var header = Array.FindIndex(lines, l => l.StartsWith("| comparator | target | warning | value | status |", StringComparison.Ordinal));
        Assert.That(header, Is.GreaterThanOrEqualTo(0), $"{ConformanceTable} has no conformance table.");

        return lines
            .Skip(header + 2)
            .TakeWhile(l => l.StartsWith('|'))
            .Select(l => l.Trim().Trim('|').Split('|').Select(c => c.Trim()).ToArray())
            .Select(c => new ConformanceRow(c[0], c[1], c[2], c[3], c[4]))
            .ToList();
    }

    /// <summary>One row of the conformance table, read through the API's own JSON names.</summary>
    private sealed record ConformanceRow(string Comparator, string TargetText, string Warning, string ValueText, string StatusText)
    {
        private static readonly JsonSerializerOptions Json = CreateJson();

        public string[] Cells => [Comparator, TargetText, Warning, ValueText, StatusText];

        public KpiTarget Target
        {
            get
            {
                var comparator = WireEnum<TargetComparator>(Comparator);
                if (comparator is not TargetComparator.Between)
                    return new KpiTarget(comparator, Number(TargetText), null, null, Number(Warning));

                var range = TargetText.Split("..");
                return new KpiTarget(comparator, null, Number(range[0]), Number(range[1]), Number(Warning));
            }
        }

        // The value as a push or an import stores it (rounded half to even beyond 28 digits), which is what a status compares.
        public decimal? Value => ValueText == "none" ? null : MeasurementRules.ReadValue(new RawValue(RawValueKind.Number, ValueText), KpiValueType.Number).Value.Value;

        public KpiPeriodStatus Status => WireEnum<KpiPeriodStatus>(StatusText);

        private static decimal? Number(string cell) =>
            cell == "none" ? null : decimal.Parse(cell, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture);

        private static T WireEnum<T>(string name) => JsonSerializer.Deserialize<T>($"\"{name}\"", Json)!;

        private static JsonSerializerOptions CreateJson()
        {
            var options = new JsonSerializerOptions();
            StrictJson.Configure(options);
            return options;
        }
    }
}
