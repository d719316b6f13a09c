using System.Net;
using System.Text.Json.Nodes;
using OkrKpi.Api.Features.Kpis;

namespace OkrKpi.Api.IntegrationTests.Features.Kpis.Formulas;

/// <summary>POST /api/v1/kpis/formula/check: what a KPI form shows while a formula is typed, by the KPI write's own rules.</summary>
public sealed class CheckFormulaTests : ComputedKpiTest
{
    [SetUp]
    public async Task GivenInputs()
    {
        await GivenInputAsync("visitors");
        await GivenInputAsync("signups");
        await GivenInputAsync("monthly-revenue", frequency: "monthly");
    }

    private static async Task<CheckFormula.Response> CheckAsync(string formula, string? key = "signup-rate", string frequency = "weekly")
    {
        var response = await PostJsonAsync("/api/v1/kpis/formula/check",
            new JsonObject { ["formula"] = formula, ["key"] = key, ["frequency"] = frequency, ["valueType"] = "percentage" });
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        return await ReadAsync<CheckFormula.Response>(response);
    }

    [Test]
    public async Task A_valid_formula_lists_the_kpis_it_references_with_what_they_are()
    {
        var check = await CheckAsync("{signups} / {Visitors} * 100");

        Assert.That(check.Valid, Is.True);
        Assert.That(check.Problem, Is.Null);
        Assert.That(check.References.Select(r => r.Key), Is.EqualTo(new[] { "signups", "visitors" }));
        Assert.That(check.References.All(r => r.Exists && r.Frequency == KpiFrequency.Weekly && r.Name is not null), Is.True);
    }

    [Test]
    public async Task A_syntax_error_gives_its_character_and_the_references_typed_so_far()
    {
        var check = await CheckAsync("  {signups} / ({visitors} * 100");

        Assert.That(check.Valid, Is.False);
        Assert.That(check.Problem!.Position, Is.EqualTo(32));
        Assert.That(check.Problem.Message, Does.Contain("at character 32"));
        Assert.That(check.References.Select(r => r.Key), Is.EqualTo(new[] { "signups", "visitors" }));
    }

    [Test]
    public async Task An_unknown_kpi_is_listed_as_missing_and_the_problem_points_at_it()
    {
        var check = await CheckAsync("{signups} / {nobody}");

        Assert.That(check.Problem!.Message, Does.Contain("not exist: nobody"));
        Assert.That(check.Problem.Position, Is.EqualTo(13));
        Assert.That(check.References.Single(r => r.Key == "nobody").Exists, Is.False);
        Assert.That(check.References.Single(r => r.Key == "signups").Exists, Is.True);
    }

    [Test]
    public async Task A_name_too_long_to_be_a_kpi_key_is_not_listed_but_the_problem_names_it()
    {
        var tooLong = new string('x', KpiDefinition.KeyMaxLength + 1);

        var check = await CheckAsync($"{{signups}} / {{{tooLong}}}");

        Assert.That(check.Valid, Is.False);
        Assert.That(check.Problem!.Message, Does.Contain(tooLong));
        Assert.That(check.References.Select(r => r.Key), Is.EqualTo(new[] { "signups" }));
    }

    [TestCase("{monthly-revenue} / {visitors}", "KPI 'monthly-revenue' is monthly")]
    [TestCase("{signup-rate} + {visitors}", "itself: a cycle")]
    [TestCase("", "needs one")]
    public async Task Answers_the_problem_the_kpi_write_would_refuse_with(string formula, string reason)
    {
        var check = await CheckAsync(formula);
        var write = await FieldErrorsAsync(await PostJsonAsync("/api/v1/kpis", ComputedBody("signup-rate", formula)), "formula");

        Assert.That(check.Problem!.Message, Does.Contain(reason));
        Assert.That(write.Single(), Is.EqualTo(check.Problem.Message));
    }

    [Test]
    public async Task Finds_a_cycle_through_other_formulas_of_the_kpi_being_edited()
    {
        await GivenComputedAsync("a", "{visitors} + 1");
        await GivenComputedAsync("b", "{a} * 2");

        var check = await CheckAsync("{b} + 1", key: "a");

        Assert.That(check.Problem!.Message, Does.Contain("cycle: a → b → a"));
    }

    [Test]
    public async Task Refuses_a_formula_longer_than_a_kpi_may_hold()
    {
        var response = await PostJsonAsync("/api/v1/kpis/formula/check",
            new JsonObject { ["formula"] = new string('1', KpiDefinition.FormulaMaxLength + 1) });

        Assert.That((await FieldErrorsAsync(response, "formula")).Single(), Does.Contain(KpiDefinition.FormulaMaxLength.ToString()));
    }
}
