using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using OkrKpi.Api.Features.Receivers;
using OkrKpi.Api.Infrastructure.Security;
using OkrKpi.Api.IntegrationTests.Features.Events;

namespace OkrKpi.Api.IntegrationTests.Features.Receivers;

/// <summary>
/// Arranges receivers as an admin defines them and delivers payloads as a provider does: with the token of an editor of
/// the team owning the KPIs, holding measurements:write only, as the password of Basic auth. The clock is in ISO week 2026-W29.
/// </summary>
public abstract class ReceiversTest : EventsTest
{
    /// <summary>The team owning the KPIs the receivers feed; the provider's token is one of its editors'.</summary>
    protected Guid Engineering { get; private set; }

    [SetUp]
    public async Task GivenEngineering() => Engineering = (await GivenTeamAsync("Engineering")).Id;

    protected static string Sample(string name) => File.ReadAllText(Path.Combine(TestContext.CurrentContext.TestDirectory, "samples", "providers", name));

    /// <summary>A KPI of <see cref="Engineering"/> fed by events.</summary>
    protected Task GivenTeamKpiAsync(string key, string aggregation = "count") => GivenEventsKpiAsync(key, aggregation, ownerTeamId: Engineering);

    protected static async Task<ReceiverResponse> GivenReceiverAsync(string preset, params string[] kpis)
    {
        var response = await PostJsonAsync("/api/v1/receivers", ReceiverBody(preset, kpis));
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created), await response.Content.ReadAsStringAsync());
        return await ReadAsync<ReceiverResponse>(response);
    }

    protected static JsonObject ReceiverBody(string preset, params string[] kpis) => new()
    {
        ["name"] = preset, ["preset"] = preset, ["kpis"] = new JsonArray(kpis.Select(k => (JsonNode)k).ToArray()),
    };

    /// <summary>A provider's token: an editor of <paramref name="team"/> (Engineering by default) with measurements:write only.</summary>
    protected async Task<string> GivenProviderTokenAsync(Guid? team = null) =>
        await Callers.GivenBearerAsync(await Callers.GivenUserAsync(Role.Editor, [team ?? Engineering]), [Scopes.MeasurementsWrite]);

    /// <summary>As Azure DevOps sends it: the token as the password of Basic auth.</summary>
    protected async Task<HttpResponseMessage> DeliverAsync(ReceiverResponse receiver, string payload, string? token = null)
    {
        token ??= await GivenProviderTokenAsync();
        var client = Callers.Client();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"azure-devops:{token}")));
        return await client.PostAsync(receiver.HookPath, new StringContent(payload, Encoding.UTF8, "application/json"));
    }

    protected async Task<ReceiveHook.Response> DeliveredAsync(ReceiverResponse receiver, string payload)
    {
        var response = await DeliverAsync(receiver, payload);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        return await ReadAsync<ReceiveHook.Response>(response);
    }

    protected static async Task<List<ReceiverDeliveryResponse>> DeliveriesAsync(Guid receiverId) =>
        (await Api.GetFromJsonAsync<List<ReceiverDeliveryResponse>>($"/api/v1/receivers/{receiverId}/deliveries", Json))!;

    protected static async Task<decimal?> ValueAsync(string kpi, string period)
    {
        var response = await Api.GetAsync($"/api/v1/kpis/{kpi}/measurements/{period}");
        if (response.StatusCode == HttpStatusCode.NotFound) return null;
        var body = await response.Content.ReadFromJsonAsync<JsonObject>();
        return body!["value"]!.GetValue<decimal>();
    }
}
