using System.Net;
using System.Text.Json.Nodes;
using OkrKpi.Api.Features.Kpis;
using OkrKpi.Api.Features.Measurements;
using OkrKpi.Api.IntegrationTests.Features.Measurements;

namespace OkrKpi.Api.IntegrationTests.Features.Kpis.Formulas;

/// <summary>Arranges input KPIs and computed KPIs through the API, and reads a computed KPI's values back.</summary>
public abstract class ComputedKpiTest : MeasurementsTest
{
    protected static Task<KpiResponse> GivenInputAsync(string key, string frequency = "weekly", string aggregation = "sum", string valueType = "number") =>
        GivenKpiAsync(key, change: body =>
        {
            body["frequency"] = frequency;
            body["aggregation"] = aggregation;
            body["valueType"] = valueType;
            body["formula"] = null;
            body["target"] = valueType == "boolean"
                ? new JsonObject { ["comparator"] = "equals", ["value"] = 1 }
                : new JsonObject { ["comparator"] = "atLeast", ["value"] = 0 };
        });

    protected static JsonObject ComputedBody(string key, string formula, string frequency = "weekly") => new()
    {
        ["key"] = key,
        ["name"] = key,
        ["valueType"] = "percentage",
        ["frequency"] = frequency,
        ["fedBy"] = "formula",
        ["formula"] = formula,
        ["target"] = new JsonObject { ["comparator"] = "atLeast", ["value"] = 5, ["warning"] = 4 },
    };

    protected static async Task<KpiResponse> GivenComputedAsync(string key, string formula, string frequency = "weekly")
    {
        var response = await PostJsonAsync("/api/v1/kpis", ComputedBody(key, formula, frequency));
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created), await response.Content.ReadAsStringAsync());
        return await ReadAsync<KpiResponse>(response);
    }

    /// <summary>The KPI's stored value for a period, or null when it has none.</summary>
    protected static async Task<MeasurementResponse?> ValueAsync(string key, string period)
    {
        var response = await Api.GetAsync($"/api/v1/kpis/{key}/measurements/{period}");
        if (response.StatusCode == HttpStatusCode.NotFound) return null;
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        return await ReadAsync<MeasurementResponse>(response);
    }

    protected static async Task<ExplainMeasurement.Response> ExplainAsync(string key, string period)
    {
        var response = await Api.GetAsync($"/api/v1/kpis/{key}/measurements/{period}/explain");
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        return await ReadAsync<ExplainMeasurement.Response>(response);
    }
}
