using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using OkrKpi.Api.Features.Kpis;
using OkrKpi.Api.Features.Measurements;
using OkrKpi.Api.Features.Teams;

namespace OkrKpi.Api.IntegrationTests;

/// <summary>Base of every HTTP test: empty tables and the fake clock back where it was around each test, and arrange-through-the-API helpers.</summary>
public abstract class IntegrationTest
{
    protected static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };

    protected static HttpClient Api => ApiFixture.Api;

    /// <summary>The fake clock's time when the test began; tests move the clock relative to it.</summary>
    protected DateTimeOffset PinnedNow { get; private set; }

    [SetUp]
    public Task ResetDatabase() => ApiFixture.ResetDatabaseAsync();

    [SetUp]
    public void RememberClock() => PinnedNow = ApiFixture.Clock.GetUtcNow();

    // A test that moves the fake clock puts it back: other tests assume its start value.
    [TearDown]
    public void RestoreClock() => ApiFixture.Clock.AdjustTime(PinnedNow);

    protected static async Task<TeamResponse> GivenTeamAsync(string name, Guid? parentTeamId = null)
    {
        var response = await Api.PostAsJsonAsync("/api/v1/teams", new { name, parentTeamId });
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created), await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<TeamResponse>(Json))!;
    }

    /// <summary>A valid KPI body; tests change one field of it to probe one rule.</summary>
    protected static JsonObject KpiBody(string key = "defect-rate", Guid? ownerTeamId = null) => new()
    {
        ["key"] = key,
        ["name"] = "Defect rate",
        ["description"] = "Share of produced units that fail inspection.",
        ["formula"] = "defective units / units produced × 100",
        ["unit"] = "%",
        ["valueType"] = "percentage",
        ["frequency"] = "daily",
        ["target"] = new JsonObject { ["comparator"] = "atMost", ["value"] = 2, ["warning"] = 3 },
        ["ownerTeamId"] = ownerTeamId?.ToString(),
        ["tags"] = new JsonArray("manufacturing", "quality"),
    };

    protected static async Task<KpiResponse> GivenKpiAsync(string key = "defect-rate", Guid? ownerTeamId = null, Action<JsonObject>? change = null)
    {
        var body = KpiBody(key, ownerTeamId);
        change?.Invoke(body);
        var response = await PostJsonAsync("/api/v1/kpis", body);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created), await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<KpiResponse>(Json))!;
    }

    /// <summary>
    /// Pushes one value through the API and asserts it was stored. The default period, 2026-07-14 00:00Z, is the day
    /// before the fake clock's; as an instant it fits a KPI of any frequency.
    /// </summary>
    protected static async Task<MeasurementResponse> GivenMeasurementAsync(Guid kpiId, decimal value = 1.5m, string period = "2026-07-14T00:00:00Z")
    {
        var response = await PushAsync(kpiId.ToString(), MeasurementBody(period, value));
        Assert.That(response.StatusCode, Is.AnyOf(HttpStatusCode.Created, HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        return (await ReadAsync<PushMeasurement.Response>(response)).Measurement;
    }

    /// <summary>A push body; tests add note, externalId or source to probe one rule.</summary>
    protected static JsonObject MeasurementBody(string? period, JsonNode? value) => new() { ["period"] = period, ["value"] = value };

    protected static Task<HttpResponseMessage> PushAsync(string idOrKey, JsonObject body) =>
        PostJsonAsync($"/api/v1/kpis/{idOrKey}/measurements", body);

    protected static async Task<ListMeasurementRevisions.Response> RevisionsAsync(string idOrKey, string period)
    {
        var response = await Api.GetAsync($"/api/v1/kpis/{idOrKey}/measurements/{period}/revisions");
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        return await ReadAsync<ListMeasurementRevisions.Response>(response);
    }

    /// <summary>The stored values of a KPI between two periods (inclusive), as the series endpoint reads them.</summary>
    protected static async Task<GetKpiSeries.Response> SeriesAsync(string idOrKey, string from, string to)
    {
        var response = await Api.GetAsync($"/api/v1/kpis/{idOrKey}/measurements?from={from}&to={to}");
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        return await ReadAsync<GetKpiSeries.Response>(response);
    }

    protected static Task<HttpResponseMessage> PostJsonAsync(string url, JsonNode body) =>
        Api.PostAsync(url, new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json"));

    protected static Task<HttpResponseMessage> PostRawAsync(string url, string json, string contentType = "application/json") =>
        Api.PostAsync(url, new StringContent(json, Encoding.UTF8, contentType));

    protected static Task<HttpResponseMessage> PutJsonAsync(string url, object body, string? ifMatch)
    {
        HttpContent content = body is JsonNode node
            ? new StringContent(node.ToJsonString(), Encoding.UTF8, "application/json")
            : JsonContent.Create(body);
        var request = new HttpRequestMessage(HttpMethod.Put, url) { Content = content };
        if (ifMatch is not null) request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
        return Api.SendAsync(request);
    }

    /// <summary>A JSON Merge Patch (application/merge-patch+json), with If-Match unless null.</summary>
    protected static Task<HttpResponseMessage> PatchAsync(string url, JsonNode patch, string? ifMatch, string contentType = "application/merge-patch+json")
    {
        var request = new HttpRequestMessage(HttpMethod.Patch, url) { Content = new StringContent(patch.ToJsonString(), Encoding.UTF8, contentType) };
        request.Content.Headers.ContentType!.CharSet = null;
        if (ifMatch is not null) request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
        return Api.SendAsync(request);
    }

    protected static Task<HttpResponseMessage> SendAsync(HttpMethod method, string url, string? ifMatch = null)
    {
        var request = new HttpRequestMessage(method, url);
        if (ifMatch is not null) request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
        return Api.SendAsync(request);
    }

    protected static async Task<T> ReadAsync<T>(HttpResponseMessage response) =>
        (await response.Content.ReadFromJsonAsync<T>(Json))!;

    /// <summary>Asserts an RFC 9457 answer with the status, and returns its JSON for further checks.</summary>
    protected static async Task<JsonObject> ProblemAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.That(response.StatusCode, Is.EqualTo(status), text);
        Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"), text);
        var problem = JsonNode.Parse(text)!.AsObject();
        Assert.That(problem["status"]!.GetValue<int>(), Is.EqualTo((int)status));
        return problem;
    }

    /// <summary>Asserts a 400 whose errors name the field, and returns that field's messages.</summary>
    protected static async Task<string[]> FieldErrorsAsync(HttpResponseMessage response, string field)
    {
        var problem = await ProblemAsync(response, HttpStatusCode.BadRequest);
        var errors = problem["errors"]!.AsObject();
        Assert.That(errors.Select(e => e.Key), Does.Contain(field), problem.ToJsonString());
        return errors[field]!.AsArray().Select(m => m!.GetValue<string>()).ToArray();
    }
}
