using System.Net;
using System.Text.Json.Nodes;
using OkrKpi.Api.Features.Events;
using OkrKpi.Api.Infrastructure.Http;
using OkrKpi.Api.IntegrationTests.Features.Measurements;

namespace OkrKpi.Api.IntegrationTests.Features.Events;

/// <summary>Arranges KPIs fed by events and records events the way integrators send them. The fake clock is Wednesday 2026-07-15 09:30Z, in ISO week 2026-W29.</summary>
public abstract class EventsTest : MeasurementsTest
{
    protected static Task GivenEventsKpiAsync(string key, string aggregation = "count", string frequency = "weekly", Guid? ownerTeamId = null) =>
        GivenKpiAsync(key, ownerTeamId, change: body =>
        {
            body["fedBy"] = "events";
            body["aggregation"] = aggregation;
            body["frequency"] = frequency;
            body["valueType"] = "number";
            body["unit"] = null;
            body["target"] = new JsonObject { ["comparator"] = "atLeast", ["value"] = 5 };
        });

    protected static JsonObject Event(string? occurredAt = null, JsonNode? value = null, string? eventId = null) =>
        new() { ["occurredAt"] = occurredAt, ["value"] = value, ["eventId"] = eventId };

    protected static Task<HttpResponseMessage> RecordAsync(string kpi, JsonObject body) => PostJsonAsync($"/api/v1/kpis/{kpi}/events", body);

    protected static async Task<RecordKpiEvent.Response> RecordedAsync(string kpi, JsonObject body, HttpStatusCode expected = HttpStatusCode.Created)
    {
        var response = await RecordAsync(kpi, body);
        Assert.That(response.StatusCode, Is.EqualTo(expected), await response.Content.ReadAsStringAsync());
        return await ReadAsync<RecordKpiEvent.Response>(response);
    }

    protected static Task<HttpResponseMessage> BatchAsync(params JsonObject[] items) =>
        PostJsonAsync("/api/v1/events", new JsonObject { ["items"] = new JsonArray(items.Select(i => (JsonNode)i).ToArray()) });

    protected static JsonObject Item(string kpi, string? occurredAt = null, JsonNode? value = null, string? eventId = null)
    {
        var item = Event(occurredAt, value, eventId);
        item["kpi"] = kpi;
        return item;
    }

    protected static async Task<Page<KpiEventResponse>> EventsAsync(string kpi, string query = "")
    {
        var response = await Api.GetAsync($"/api/v1/kpis/{kpi}/events{query}");
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        return await ReadAsync<Page<KpiEventResponse>>(response);
    }
}
