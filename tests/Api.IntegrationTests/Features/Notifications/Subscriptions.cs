using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace OkrKpi.Api.IntegrationTests.Features.Notifications;

/// <summary>Enabled webhook subscriptions whose deliveries go nowhere, for tests about which events are written.</summary>
internal static class Subscriptions
{
    // The discard port on the allowed loopback: a delivery the worker tries is refused at once.
    private const string Nowhere = "http://127.0.0.1:9/okrkpi";

    /// <summary>Subscribes to <paramref name="eventTypes"/> and returns the subscription's id.</summary>
    public static async Task<Guid> GivenListeningToAsync(HttpClient api, params string[] eventTypes)
    {
        var response = await api.PostAsJsonAsync("/api/v1/webhooks", new { name = "listener", url = Nowhere, format = "standard", eventTypes });
        var body = await response.Content.ReadAsStringAsync();
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created), body);
        return JsonNode.Parse(body)!["webhook"]!["id"]!.GetValue<Guid>();
    }
}
