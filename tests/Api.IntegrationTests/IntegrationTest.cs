using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Dapper;
using OkrKpi.Api.Features.Kpis;
using OkrKpi.Api.Features.Teams;

namespace OkrKpi.Api.IntegrationTests;

/// <summary>Base of every HTTP test: empty tables before each test, and arrange-through-the-API helpers.</summary>
public abstract class IntegrationTest
{
    protected static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };

    protected static HttpClient Api => ApiFixture.Api;

    [SetUp]
    public Task ResetDatabase() => ApiFixture.ResetDatabaseAsync();

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

    /// <summary>Until measurements can be pushed through the API, one is written straight into the real table.</summary>
    protected static async Task GivenMeasurementAsync(Guid kpiId, decimal value = 1.5m)
    {
        await using var connection = await ApiFixture.Database.OpenAsync();
        await connection.ExecuteAsync(
            "INSERT INTO KpiMeasurement (Id, KpiId, PeriodStart, Value, Source, RecordedAt) VALUES (@Id, @KpiId, @PeriodStart, @Value, 'api', @RecordedAt)",
            new { Id = Guid.NewGuid(), KpiId = kpiId, PeriodStart = new DateTimeOffset(2026, 7, 14, 0, 0, 0, TimeSpan.Zero), Value = value, RecordedAt = ApiFixture.Clock.GetUtcNow() });
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
