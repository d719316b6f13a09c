using System.Globalization;
using OkrKpi.Api.Features.Kpis;
using OkrKpi.Api.Features.Kpis.Formulas;
using OkrKpi.Api.Testing;

namespace OkrKpi.Api.UnitTests.Features.Kpis.Formulas;

/// <summary>Every row of the README's table of formula examples evaluates to the result it shows.</summary>
public sealed class ReadmeFormulaExamplesTests
{
    private static readonly DateTimeOffset ThisWeek = new(2026, 7, 13, 0, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset LastWeek = ThisWeek.AddDays(-7);

    private sealed class Week : IFormulaInputs
    {
        private readonly Dictionary<(string, DateTimeOffset), decimal> _values = new()
        {
            [("visitors", ThisWeek)] = 2000, [("signups", ThisWeek)] = 90, [("refunds", ThisWeek)] = 0,
            [("visitors", LastWeek)] = 1600, [("signups", LastWeek)] = 80, [("refunds", LastWeek)] = 0,
        };

        public InputValue? Find(string key, DateTimeOffset periodStart) =>
            _values.TryGetValue((key, periodStart), out var value) ? new InputValue(value, 1, null) : null;
    }

    public static IEnumerable<TestCaseData> Examples()
    {
        var lines = File.ReadAllLines(RepositoryFiles.PathOf("README.md"));
        var start = Array.IndexOf(lines, "<!-- formula-examples -->");
        var end = Array.IndexOf(lines, "<!-- /formula-examples -->");
        return lines[(start + 3)..end]
            .Select(line => line.Trim().Trim('|').Split(" | "))
            .Select(cells => new TestCaseData(cells[0].Trim().Trim('`'), cells[1].Trim()).SetArgDisplayNames(cells[0].Trim()));
    }

    [Test]
    public void The_readme_has_examples()
    {
        Assert.That(Examples().Count(), Is.GreaterThanOrEqualTo(10));
    }

    [TestCaseSource(nameof(Examples))]
    public void Evaluates_as_the_readme_says(string text, string shown)
    {
        var (formula, problem) = KpiFormula.Parse(text);
        Assert.That(problem, Is.Null, problem?.Message);

        var result = new FormulaEvaluator(formula!, KpiFrequency.Weekly, TimeZoneInfo.Utc, new Week()).Evaluate(ThisWeek);

        if (shown.StartsWith("no value: division by zero"))
            Assert.That(result.NoValue?.Reason, Is.EqualTo(NoValueReason.DivisionByZero));
        else if (shown.StartsWith("no value"))
            Assert.That(result.NoValue?.Reason, Is.EqualTo(NoValueReason.MissingInput));
        else if (shown.StartsWith("true"))
            Assert.That(result.Value, Is.EqualTo(1m));
        else
            Assert.That(result.Value, Is.EqualTo(decimal.Parse(shown, CultureInfo.InvariantCulture)));
    }
}
