using OkrKpi.Api.Features.Kpis;
using OkrKpi.Api.Features.Kpis.Formulas;

namespace OkrKpi.Api.UnitTests.Features.Kpis.Formulas;

/// <summary>The formula language evaluated in decimal over monthly inputs a (10, 20, 30, 40 in Jan–Apr 2026), b (4 in April) and z (0 in April).</summary>
public sealed class FormulaEvaluatorTests
{
    private static readonly TimeZoneInfo Utc = TimeZoneInfo.Utc;
    private static readonly DateTimeOffset April = new(2026, 4, 1, 0, 0, 0, TimeSpan.Zero);

    private sealed class Inputs : IFormulaInputs
    {
        public Dictionary<(string, DateTimeOffset), decimal> Values { get; } = new()
        {
            [("a", new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero))] = 10,
            [("a", new(2026, 2, 1, 0, 0, 0, TimeSpan.Zero))] = 20,
            [("a", new(2026, 3, 1, 0, 0, 0, TimeSpan.Zero))] = 30,
            [("a", April)] = 40,
            [("b", April)] = 4,
            [("z", April)] = 0,
            [("big", April)] = 50_000_000_000_000_000_000_000_000m,
        };

        public InputValue? Find(string key, DateTimeOffset periodStart) =>
            Values.TryGetValue((key, periodStart), out var value) ? new InputValue(value, 1, null) : null;
    }

    private static Evaluation Evaluate(string text)
    {
        var (formula, problem) = KpiFormula.Parse(text);
        Assert.That(problem, Is.Null, problem?.Message);
        return new FormulaEvaluator(formula!, KpiFrequency.Monthly, Utc, new Inputs()).Evaluate(April, explain: true);
    }

    [TestCase("{a} + {b} * 2", "48")]
    [TestCase("({a} + {b}) * 2", "88")]
    [TestCase("{a} - {b} - 1", "35")]
    [TestCase("{a} / {b} / 2", "5")]
    [TestCase("-{a} + 1", "-39")]
    [TestCase("{b} / 3", "1.3333333333333333333333333333")]
    [TestCase("0.1 + 0.2 + {z}", "0.3")]
    [TestCase("previous({a})", "30")]
    [TestCase("previous({a}, 3)", "10")]
    [TestCase("({a} - previous({a})) / previous({a}) * 100", "33.333333333333333333333333330")]
    [TestCase("sum({a}, 3)", "90")]
    [TestCase("average({a}, 4)", "25")]
    [TestCase("min({a}, {b}, 7)", "4")]
    [TestCase("max({a}, {b})", "40")]
    [TestCase("abs({b} - {a})", "36")]
    [TestCase("round({b} / 3, 2)", "1.33")]
    [TestCase("round(2.5 + {z}, 0)", "2")]
    [TestCase("if({a} > 30, 1, 2)", "1")]
    [TestCase("if({a} >= 41 or {b} = 4, 1, 2)", "1")]
    [TestCase("if({z} > 0, {a} / {z}, 0)", "0")]
    [TestCase("if(not ({z} = 0), 1, 2)", "2")]
    public void Evaluates_in_decimal(string formula, string expected)
    {
        var result = Evaluate(formula);

        Assert.That(result.NoValue, Is.Null, result.NoValue?.Message);
        Assert.That(result.Value, Is.EqualTo(decimal.Parse(expected, System.Globalization.CultureInfo.InvariantCulture)));
    }

    [TestCase("{a} / {z}", NoValueReason.DivisionByZero, null)]
    [TestCase("{a} + {missing}", NoValueReason.MissingInput, "missing")]
    [TestCase("previous({a}, 4)", NoValueReason.MissingInput, "a")]
    [TestCase("sum({b}, 2)", NoValueReason.MissingInput, "b")]
    [TestCase("{big} * 2", NoValueReason.Overflow, null)]
    [TestCase("{big} * {big} * {big}", NoValueReason.Overflow, null)]
    public void Gives_no_value_and_says_why(string formula, NoValueReason reason, string? kpi)
    {
        var result = Evaluate(formula);

        Assert.That(result.Value, Is.Null);
        Assert.That(result.NoValue!.Reason, Is.EqualTo(reason));
        Assert.That(result.NoValue.Kpi, Is.EqualTo(kpi));
    }

    [Test]
    public void Explains_each_input_read_with_its_periods_and_value()
    {
        var result = Evaluate("sum({a}, 2) / previous({b})");

        Assert.That(result.Inputs.Select(i => (i.Kpi, i.Use, string.Join(",", i.Periods), i.Value)),
            Is.EqualTo(new[] { ("a", "sum of 2 periods", "2026-03,2026-04", (decimal?)70m), ("b", "previous", "2026-03", null) }));
        Assert.That(result.NoValue!.Period, Is.EqualTo("2026-03"));
    }

    [Test]
    public void A_boolean_formula_gives_one_or_zero()
    {
        var (formula, _) = KpiFormula.Parse("{a} > 30");

        var result = new FormulaEvaluator(formula!, KpiFrequency.Monthly, Utc, new Inputs()).Evaluate(April);

        Assert.That(result.Value, Is.EqualTo(1m));
    }
}
