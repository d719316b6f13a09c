using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using OkrKpi.Api.Features.Measurements;
using OkrKpi.Api.Infrastructure.Http;

namespace OkrKpi.Api.IntegrationTests.Features.Measurements;

/// <summary>Arranges values through the push endpoints, the way integrators write them.</summary>
public abstract class MeasurementsTest : IntegrationTest
{
    /// <summary>Pushes values of one KPI in one atomic batch and asserts that all of them were stored.</summary>
    protected static async Task GivenValuesAsync(string kpi, params (string Period, JsonNode Value)[] values)
    {
        var items = new JsonArray(values.Select(v => (JsonNode)new JsonObject { ["period"] = v.Period, ["value"] = v.Value.DeepClone() }).ToArray());

        var response = await PostJsonAsync($"/api/v1/kpis/{kpi}/measurements/batch", new JsonObject { ["items"] = items });

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        var batch = await ReadAsync<BatchResponse>(response);
        Assert.That(batch.Rejected, Is.Zero);
    }

    /// <summary>GET /api/v1/dashboard/kpis with this query string.</summary>
    protected static async Task<Page<GetDashboard.Item>> DashboardAsync(string query)
    {
        var response = await Api.GetAsync($"/api/v1/dashboard/kpis?{query}");
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        return await ReadAsync<Page<GetDashboard.Item>>(response);
    }

    protected static Task GivenValueAsync(string kpi, string period, JsonNode value) => GivenValuesAsync(kpi, (period, value));

    /// <summary>A value as the API wrote it (a JSON number, true/false or null), as a decimal, bool or null for comparisons.</summary>
    protected static object? Plain(object? value) => value switch
    {
        null => null,
        JsonElement { ValueKind: JsonValueKind.Null } => null,
        JsonElement { ValueKind: JsonValueKind.Number } number => number.GetDecimal(),
        JsonElement { ValueKind: JsonValueKind.True } => true,
        JsonElement { ValueKind: JsonValueKind.False } => false,
        JsonElement other => throw new AssertionException($"Unexpected JSON value {other.GetRawText()}."),
        _ => value,
    };
}
