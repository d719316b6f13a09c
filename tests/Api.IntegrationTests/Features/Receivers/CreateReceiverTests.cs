using System.Net;
using System.Text.Json.Nodes;
using OkrKpi.Api.Features.Receivers;

namespace OkrKpi.Api.IntegrationTests.Features.Receivers;

/// <summary>An admin defines a receiver: every KPI it feeds must exist and be fed by events, so no delivery is refused for it later.</summary>
public sealed class CreateReceiverTests : ReceiversTest
{
    [Test]
    public async Task Refuses_a_KPI_that_does_not_exist_naming_its_place_in_kpis()
    {
        await GivenTeamKpiAsync("deployments");

        var errors = await FieldErrorsAsync(await PostJsonAsync("/api/v1/receivers",
            ReceiverBody("azure-devops-build-completed", "deployments", "no-such-kpi")), "kpis[1]");

        Assert.That(errors, Has.Some.Contains("'no-such-kpi' was not found"));
        Assert.That((await ReadAsync<ListReceivers.Response>(await Api.GetAsync("/api/v1/receivers"))).Items, Is.Empty);
    }

    [Test]
    public async Task Refuses_a_KPI_fed_by_pushed_values_naming_the_output()
    {
        await GivenKpiAsync("defect-rate");
        var body = new JsonObject
        {
            ["name"] = "Defects", ["preset"] = ReceiverPresets.Generic,
            ["outputs"] = new JsonArray(new JsonObject { ["kpi"] = "defect-rate", ["occurredAt"] = "occurredAt" }),
        };

        var errors = await FieldErrorsAsync(await PostJsonAsync("/api/v1/receivers", body), "outputs[0].kpi");

        Assert.That(errors, Has.Some.Contains("not events"));
    }
}
