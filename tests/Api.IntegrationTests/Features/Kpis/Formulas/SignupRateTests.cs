using System.Net;
using OkrKpi.Api.Features.Kpis;
using OkrKpi.Api.Features.Kpis.Formulas;
using OkrKpi.Api.Features.Measurements;

namespace OkrKpi.Api.IntegrationTests.Features.Kpis.Formulas;

/// <summary>The example, through the API: a signup rate over weekly visitors and signups.</summary>
public sealed class SignupRateTests : ComputedKpiTest
{
    [Test]
    public async Task Signup_rate_follows_every_push_and_delete_of_its_inputs_with_value_status_and_explanation()
    {
        await GivenInputAsync("visitors");
        await GivenInputAsync("signups");
        await GivenComputedAsync("signup-rate", "{signups} / {visitors} * 100");

        await GivenValueAsync("visitors", "2026-W28", 2000);
        await GivenValueAsync("signups", "2026-W28", 90);

        var first = await ValueAsync("signup-rate", "2026-W28");
        Assert.That(Plain(first!.Value), Is.EqualTo(4.5m));
        Assert.That(first.Status, Is.EqualTo(KpiPeriodStatus.AtRisk));
        Assert.That(first.Source, Is.EqualTo(MeasurementSource.Computed));

        await GivenValueAsync("signups", "2026-W28", 120);

        var second = await ValueAsync("signup-rate", "2026-W28");
        Assert.That(Plain(second!.Value), Is.EqualTo(6m));
        Assert.That(second.Status, Is.EqualTo(KpiPeriodStatus.OnTarget));

        var deleted = await SendAsync(HttpMethod.Delete, "/api/v1/kpis/visitors/measurements/2026-W28");
        Assert.That(deleted.StatusCode, Is.EqualTo(HttpStatusCode.NoContent));

        Assert.That(await ValueAsync("signup-rate", "2026-W28"), Is.Null);
        var explanation = await ExplainAsync("signup-rate", "2026-W28");
        Assert.That(explanation.Value, Is.Null);
        Assert.That(explanation.NoValue!.Reason, Is.EqualTo(NoValueReason.MissingInput));
        Assert.That(explanation.NoValue.Kpi, Is.EqualTo("visitors"));
        Assert.That(explanation.NoValue.Message, Does.Contain("visitors"));
        var revisions = await RevisionsAsync("signup-rate", "2026-W28");
        Assert.That(revisions.Revisions.Select(r => (r.State, Plain(r.Value))), Is.EqualTo(new[] { (ListMeasurementRevisions.RevisionState.Deleted, (object?)6m), (ListMeasurementRevisions.RevisionState.Replaced, 4.5m) }));
    }

    [Test]
    public async Task The_explanation_names_the_formula_each_input_its_value_and_the_result()
    {
        await GivenInputAsync("visitors");
        await GivenInputAsync("signups");
        await GivenComputedAsync("signup-rate", "{signups} / {visitors} * 100");
        await GivenValueAsync("visitors", "2026-W28", 2000);
        await GivenValueAsync("signups", "2026-W28", 90);

        var explanation = await ExplainAsync("signup-rate", "2026-W28");

        Assert.That(explanation.Formula, Is.EqualTo("{signups} / {visitors} * 100"));
        Assert.That(Plain(explanation.Value), Is.EqualTo(4.5m));
        Assert.That(explanation.Status, Is.EqualTo(KpiPeriodStatus.AtRisk));
        Assert.That(explanation.NoValue, Is.Null);
        Assert.That(explanation.Inputs.Select(i => (i.Kpi, i.Use, string.Join(",", i.Periods), i.Value)),
            Is.EqualTo(new[] { ("signups", "value", "2026-W28", (decimal?)90m), ("visitors", "value", "2026-W28", 2000m) }));
    }
}
