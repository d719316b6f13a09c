using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using OkrKpi.Api.Features.Okrs;

namespace OkrKpi.Api.IntegrationTests.Features.Okrs;

/// <summary>
/// Arrange-through-the-API helpers for OKR tests. The fake clock reads 2026-07-15 09:30 UTC, so the default cycle
/// (2026-Q3, 1 July – 30 September, 92 days) is 345.5 of 2,208 hours in: expected progress 0.1565.
/// </summary>
public abstract class OkrTest : IntegrationTest
{
    protected const decimal Q3Expected = 0.1565m;
    protected static readonly DateTimeOffset Now = new(2026, 7, 15, 9, 30, 0, TimeSpan.Zero);

    private DateTimeOffset _clockBefore;

    // Other tests move the shared clock forward; expected progress needs it at a known instant, and tests after these
    // get it back as they left it. AdjustTime may go back in time (and fires no timers).
    [SetUp]
    public void PinTheClock()
    {
        _clockBefore = ApiFixture.Clock.GetUtcNow();
        ApiFixture.Clock.AdjustTime(Now);
    }

    [TearDown]
    public void RestoreTheClock() => ApiFixture.Clock.AdjustTime(_clockBefore);

    protected static async Task<CycleResponse> GivenCycleAsync(string name = "2026-Q3", string start = "2026-07-01", string end = "2026-09-30", bool activate = true)
    {
        var response = await PostJsonAsync("/api/v1/cycles", new JsonObject { ["name"] = name, ["startDate"] = start, ["endDate"] = end });
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created), await response.Content.ReadAsStringAsync());
        var cycle = await ReadAsync<CycleResponse>(response);
        if (!activate) return cycle;
        var activated = await Api.PostAsync($"/api/v1/cycles/{cycle.Id}/activate", null);
        Assert.That(activated.StatusCode, Is.EqualTo(HttpStatusCode.OK), await activated.Content.ReadAsStringAsync());
        return await ReadAsync<CycleResponse>(activated);
    }

    protected static JsonObject ObjectiveBody(Guid cycleId, Guid? ownerTeamId = null, Guid? ownerUserId = null, string title = "Improve customer satisfaction",
        Guid? parentObjectiveId = null) => new()
    {
        ["cycleId"] = cycleId.ToString(),
        ["title"] = title,
        ["description"] = "Customers recommend us.",
        ["ownerTeamId"] = ownerTeamId?.ToString(),
        ["ownerUserId"] = ownerUserId?.ToString(),
        ["parentObjectiveId"] = parentObjectiveId?.ToString(),
    };

    protected static async Task<ObjectiveResponse> GivenObjectiveAsync(Guid cycleId, Guid? ownerTeamId = null, Guid? ownerUserId = null,
        string title = "Improve customer satisfaction", Guid? parentObjectiveId = null, Action<JsonObject>? change = null)
    {
        if (ownerTeamId is null && ownerUserId is null) ownerTeamId = (await GivenTeamAsync($"Team {Guid.NewGuid():N}")).Id;
        var body = ObjectiveBody(cycleId, ownerTeamId, ownerUserId, title, parentObjectiveId);
        change?.Invoke(body);
        var response = await PostJsonAsync("/api/v1/objectives", body);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created), await response.Content.ReadAsStringAsync());
        return await ReadAsync<ObjectiveResponse>(response);
    }

    protected static JsonObject KeyResultBody(string title = "Raise NPS from 31 to 45", decimal start = 31, decimal target = 45) => new()
    {
        ["title"] = title,
        ["type"] = "number",
        ["startValue"] = start,
        ["targetValue"] = target,
    };

    protected static async Task<KeyResultResponse> GivenKeyResultAsync(Guid objectiveId, decimal start = 31, decimal target = 45, Action<JsonObject>? change = null)
    {
        var body = KeyResultBody(start: start, target: target);
        change?.Invoke(body);
        var response = await PostJsonAsync($"/api/v1/objectives/{objectiveId}/key-results", body);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created), await response.Content.ReadAsStringAsync());
        return await ReadAsync<KeyResultResponse>(response);
    }

    protected static async Task<ObjectiveResponse> ObjectiveAsync(Guid id)
    {
        var response = await Api.GetAsync($"/api/v1/objectives/{id}");
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        return await ReadAsync<ObjectiveResponse>(response);
    }

    protected static async Task<KeyResultResponse> KeyResultAsync(Guid id)
    {
        var response = await Api.GetAsync($"/api/v1/key-results/{id}");
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        return await ReadAsync<KeyResultResponse>(response);
    }

    protected static Task<HttpResponseMessage> CheckInAsync(Guid keyResultId, decimal? value, int? confidence = 7, string? note = null, HttpClient? client = null) =>
        (client ?? Api).PostAsync($"/api/v1/key-results/{keyResultId}/check-ins",
            JsonBody(new JsonObject { ["value"] = value, ["confidence"] = confidence, ["note"] = note }));

    protected static StringContent JsonBody(JsonNode body) => new(body.ToJsonString(), Encoding.UTF8, "application/json");

    protected static Task<HttpResponseMessage> PutAsync(HttpClient client, string url, JsonNode body, string? ifMatch)
    {
        var request = new HttpRequestMessage(HttpMethod.Put, url) { Content = JsonBody(body) };
        if (ifMatch is not null) request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
        return client.SendAsync(request);
    }

    /// <summary>The body of a PUT /objectives/{id} that keeps everything as it is.</summary>
    protected static JsonObject UpdateBodyOf(ObjectiveResponse objective) => new()
    {
        ["title"] = objective.Title,
        ["description"] = objective.Description,
        ["ownerTeamId"] = objective.OwnerTeamId?.ToString(),
        ["ownerUserId"] = objective.OwnerUserId?.ToString(),
        ["parentObjectiveId"] = objective.ParentObjectiveId?.ToString(),
        ["status"] = objective.Status.ToString().ToLowerInvariant(),
        ["kpiIds"] = new JsonArray(objective.Kpis.Select(k => (JsonNode)k.Id.ToString()).ToArray()),
    };

    protected static async Task<HttpResponseMessage> PushValueAsync(string kpiKey, decimal value, string period) =>
        await PushAsync(kpiKey, MeasurementBody(period, value));
}
