using OkrKpi.Api.Features.Kpis;
using OkrKpi.Api.Features.Kpis.Formulas;

namespace OkrKpi.Api.UnitTests.Features.Kpis.Formulas;

/// <summary>What the formula language accepts, what it refuses and with which words.</summary>
public sealed class KpiFormulaTests
{
    [Test]
    public void Reads_the_kpis_a_formula_names_and_how_far_back_it_looks()
    {
        var (formula, problem) = KpiFormula.Parse("({Revenue} - previous({revenue}, 4)) / sum({costs}, 3)");

        Assert.That(problem, Is.Null);
        Assert.That(formula!.Keys, Is.EqualTo(new[] { "revenue", "costs" }));
        Assert.That(formula.PeriodsBack, Is.EqualTo(4));
    }

    [TestCase("({a} + 2", 9)]
    [TestCase("{a} +", 5)]
    [TestCase("{a} {b}", 5)]
    public void A_syntax_error_names_its_character(string text, int position)
    {
        var (_, problem) = KpiFormula.Parse(text);

        Assert.That(problem!.Position, Is.EqualTo(position));
        Assert.That(problem.Message, Does.Contain($"at character {position}"));
    }

    [TestCase("{a} % 2", "not part of the formula language")]
    [TestCase("'text' + {a}", "the text 'text'")]
    [TestCase("sqrt({a})", "no function 'sqrt'")]
    [TestCase("previous({a} + 1)", "previous takes a KPI")]
    [TestCase("sum({a})", "sum takes a KPI and a number of periods")]
    [TestCase("sum({a}, 0)", "from 1 to 400")]
    [TestCase("average({a}, 401)", "from 1 to 400")]
    [TestCase("round({a}, 1.5)", "whole number of decimal places")]
    [TestCase("if({a} > 1, 2)", "if takes a condition and two values")]
    [TestCase("1 + 2", "names no KPI")]
    public void Refuses_what_the_language_does_not_have(string text, string reason)
    {
        var (_, problem) = KpiFormula.Parse(text);

        Assert.That(problem!.Message, Does.Contain(reason));
    }

    [TestCase("{flag} * 100", KpiValueType.Percentage, "KPI 'flag' is boolean")]
    [TestCase("sum({flag}, 2)", KpiValueType.Number, "KPI 'flag' is boolean")]
    [TestCase("if({a}, 1, 0)", KpiValueType.Number, "if needs a condition")]
    [TestCase("{a} > 1", KpiValueType.Number, "is a condition")]
    [TestCase("{a} + 1", KpiValueType.Boolean, "must be a condition")]
    [TestCase("if({a} > 1, {flag}, 2)", KpiValueType.Number, "both be numbers or both be conditions")]
    public void Keeps_booleans_to_conditions(string text, KpiValueType resultType, string reason)
    {
        var (formula, _) = KpiFormula.Parse(text);

        var problem = formula!.TypeProblem(key => key == "flag" ? KpiValueType.Boolean : KpiValueType.Number, resultType);

        Assert.That(problem, Does.Contain(reason));
    }

    [TestCase("if({flag}, {a}, 0)", KpiValueType.Number)]
    [TestCase("{flag} and {a} > 0", KpiValueType.Boolean)]
    [TestCase("not {flag}", KpiValueType.Boolean)]
    public void Takes_a_boolean_kpi_as_a_condition(string text, KpiValueType resultType)
    {
        var (formula, _) = KpiFormula.Parse(text);

        Assert.That(formula!.TypeProblem(key => key == "flag" ? KpiValueType.Boolean : KpiValueType.Number, resultType), Is.Null);
    }
}
