using System.Net;
using System.Text.Json.Nodes;
using OkrKpi.Api.IntegrationTests.Features.Measurements;

namespace OkrKpi.Api.IntegrationTests.Features.Kpis.Formulas;

/// <summary>What a formula may say (400 naming formula), and what a KPI that formulas read or that is computed refuses (409).</summary>
public sealed class FormulaRulesTests : ComputedKpiTest
{
    [SetUp]
    public async Task GivenInputs()
    {
        await GivenInputAsync("visitors");
        await GivenInputAsync("signups");
        await GivenInputAsync("deployed", valueType: "boolean", aggregation: "last");
        await GivenInputAsync("monthly-revenue", frequency: "monthly");
    }

    [TestCase("{signups} / ({visitors} * 100", "at character 30")]
    [TestCase("{signups} / {nobody}", "not exist: nobody")]
    [TestCase("{deployed} * 100", "KPI 'deployed' is boolean")]
    [TestCase("{monthly-revenue} / {visitors}", "KPI 'monthly-revenue' is monthly")]
    [TestCase("{signup-rate} + {visitors}", "itself: a cycle")]
    [TestCase("", "needs one")]
    public async Task Refuses_a_formula_naming_the_problem(string formula, string reason)
    {
        var response = await PostJsonAsync("/api/v1/kpis", ComputedBody("signup-rate", formula));

        var errors = await FieldErrorsAsync(response, "formula");
        Assert.That(errors.Single(), Does.Contain(reason));
    }

    [Test]
    public async Task Refuses_a_cycle_through_other_computed_kpis_naming_its_path()
    {
        await GivenComputedAsync("a", "{visitors} + 1");
        await GivenComputedAsync("b", "{a} * 2");

        var response = await PatchAsync("/api/v1/kpis/a", new JsonObject { ["formula"] = "{b} + 1" }, "\"1\"");

        var errors = await FieldErrorsAsync(response, "formula");
        Assert.That(errors.Single(), Does.Contain("cycle: a → b → a"));
    }

    [Test]
    public async Task A_kpi_that_formulas_read_cannot_be_deleted_or_retired_and_says_which_read_it()
    {
        await GivenComputedAsync("signup-rate", "{signups} / {visitors} * 100");

        var deleted = await ProblemAsync(await SendAsync(HttpMethod.Delete, "/api/v1/kpis/visitors"), HttpStatusCode.Conflict);
        var retired = await ProblemAsync(await SendAsync(HttpMethod.Post, "/api/v1/kpis/visitors/retire"), HttpStatusCode.Conflict);

        Assert.That(deleted["detail"]!.GetValue<string>(), Does.Contain("signup-rate"));
        Assert.That(retired["detail"]!.GetValue<string>(), Does.Contain("signup-rate"));
    }

    [Test]
    public async Task A_computed_kpi_refuses_pushes_imports_and_deletes_of_its_values()
    {
        await GivenComputedAsync("signup-rate", "{signups} / {visitors} * 100");

        var pushed = await ProblemAsync(await PushAsync("signup-rate", MeasurementBody("2026-W28", 5)), HttpStatusCode.Conflict);
        var batch = await ProblemAsync(await PostJsonAsync("/api/v1/kpis/signup-rate/measurements/batch",
            new JsonObject { ["items"] = new JsonArray(new JsonObject { ["period"] = "2026-W28", ["value"] = 5 }) }), HttpStatusCode.Conflict);
        var imported = await MeasurementImports.ImportAsync(Api, MeasurementImports.Csv("kpi,period,value\nsignup-rate,2026-W28,5\n"));
        var deleted = await SendAsync(HttpMethod.Delete, "/api/v1/kpis/signup-rate/measurements/2026-W28");

        Assert.That(pushed["detail"]!.GetValue<string>(), Does.Contain("computed by its formula"));
        Assert.That(batch["detail"]!.GetValue<string>(), Does.Contain("computed by its formula"));
        Assert.That(imported.StatusCode, Is.EqualTo(HttpStatusCode.UnprocessableEntity));
        Assert.That(await imported.Content.ReadAsStringAsync(), Does.Contain("computed by its formula"));
        Assert.That(deleted.StatusCode, Is.EqualTo(HttpStatusCode.Conflict));
    }

    [Test]
    public async Task Explaining_a_kpi_fed_by_values_is_a_conflict()
    {
        var response = await Api.GetAsync("/api/v1/kpis/visitors/measurements/2026-W28/explain");

        await ProblemAsync(response, HttpStatusCode.Conflict);
    }
}
