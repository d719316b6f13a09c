using System.Net;
using System.Text.Json.Nodes;
using Dapper;
using OkrKpi.Api.Features.Webhooks;
using OkrKpi.Api.Infrastructure.Http;

namespace OkrKpi.Api.IntegrationTests.Features.Notifications;

/// <summary>Webhook tests: a receiver of their own, and helpers to subscribe, push and read the delivery log.</summary>
public abstract class WebhookTest : IntegrationTest
{
    protected WebhookReceiver Receiver { get; private set; } = null!;

    [SetUp]
    public async Task StartReceiver() => Receiver = await WebhookReceiver.StartAsync();

    [TearDown]
    public async Task StopReceiver() => await Receiver.DisposeAsync();

    /// <summary>Defect rate at most 2 %, no warning band: 2.4 is off target.</summary>
    protected static Task<Api.Features.Kpis.KpiResponse> GivenDefectRateAsync(Guid? team = null) =>
        GivenKpiAsync("defect-rate", team, body => body["target"] = new JsonObject { ["comparator"] = "atMost", ["value"] = 2 });

    protected async Task<CreateWebhook.Response> GivenWebhookAsync(string format = "standard", string[]? eventTypes = null, string[]? statuses = null, string? url = null)
    {
        var body = new JsonObject
        {
            ["name"] = $"{format} receiver",
            ["url"] = url ?? Receiver.Url(format),
            ["format"] = format,
            ["eventTypes"] = new JsonArray((eventTypes ?? ["kpi.status.changed"]).Select(t => (JsonNode)t!).ToArray()),
        };
        if (statuses is not null) body["statuses"] = new JsonArray(statuses.Select(s => (JsonNode)s!).ToArray());
        var response = await PostJsonAsync("/api/v1/webhooks", body);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created), await response.Content.ReadAsStringAsync());
        return await ReadAsync<CreateWebhook.Response>(response);
    }

    protected static async Task<IReadOnlyList<WebhookDeliveryResponse>> DeliveriesAsync(Guid webhookId)
    {
        var response = await Api.GetAsync($"/api/v1/webhooks/{webhookId}/deliveries");
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        return (await ReadAsync<Page<WebhookDeliveryResponse>>(response)).Items;
    }

    /// <summary>Polls the delivery log until the condition holds (the worker runs beside the test), or fails.</summary>
    protected static async Task<IReadOnlyList<WebhookDeliveryResponse>> DeliveriesWhenAsync(Guid webhookId, Func<IReadOnlyList<WebhookDeliveryResponse>, bool> done)
    {
        var until = DateTime.UtcNow + TimeSpan.FromSeconds(15);
        while (true)
        {
            var deliveries = await DeliveriesAsync(webhookId);
            if (done(deliveries)) return deliveries;
            if (DateTime.UtcNow > until) Assert.Fail($"The delivery log never reached the expected state: {System.Text.Json.JsonSerializer.Serialize(deliveries)}");
            await Task.Delay(50);
        }
    }

    protected static async Task<IReadOnlyList<(string Type, string Payload)>> OutboxAsync()
    {
        await using var connection = await ApiFixture.Database.OpenAsync();
        return (await connection.QueryAsync<(string, string)>("SELECT Type, Payload FROM OutboxEvent ORDER BY Id")).ToList();
    }
}
