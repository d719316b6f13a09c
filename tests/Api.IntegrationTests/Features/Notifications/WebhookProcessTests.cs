using System.Net;
using System.Text;
using System.Text.Json.Nodes;

namespace OkrKpi.Api.IntegrationTests.Features.Notifications;

/// <summary>
/// Delivery across real server processes sharing one SQLite file: an event committed by a process killed (SIGKILL)
/// before it could deliver is delivered after a restart, two instances delivering at once send each event once, and
/// two instances sweeping at once emit a late KPI once.
/// </summary>
public sealed class WebhookProcessTests
{
    private static readonly string[] Receivers = ["--Webhooks:AllowedNetworks:0=127.0.0.1/32", "--Webhooks:RetryBaseDelayMs=20", "--Webhooks:PollIntervalMs=100"];

    private string _database = null!;

    [SetUp]
    public void NewDatabase() => _database = ApiProcess.NewDatabaseFile("webhooks");

    [TearDown]
    public void DeleteDatabase() => ApiProcess.DeleteDatabaseFile(_database);

    private static async Task PostAsync(HttpClient client, string url, JsonNode body, HttpStatusCode expected = HttpStatusCode.Created)
    {
        using var response = await client.PostAsync(url, new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json"));
        Assert.That(response.StatusCode, Is.EqualTo(expected), await response.Content.ReadAsStringAsync());
    }

    private static async Task GivenKpiAndWebhookAsync(HttpClient client, WebhookReceiver receiver)
    {
        await PostAsync(client, "/api/v1/kpis", new JsonObject
        {
            ["key"] = "defect-rate", ["name"] = "Defect rate", ["unit"] = "%", ["valueType"] = "percentage", ["frequency"] = "daily",
            ["target"] = new JsonObject { ["comparator"] = "atMost", ["value"] = 2 },
        });
        await PostAsync(client, "/api/v1/webhooks", new JsonObject
        {
            ["name"] = "receiver", ["url"] = receiver.Url(), ["eventTypes"] = new JsonArray("kpi.status.changed", "kpi.value.recorded"),
        });
    }

    private static Task PushAsync(HttpClient client, string day, decimal value) =>
        PostAsync(client, "/api/v1/kpis/defect-rate/measurements", new JsonObject { ["period"] = day, ["value"] = value });

    [Test]
    public async Task An_event_committed_before_a_kill_is_delivered_after_the_restart()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        using (var stopped = await ApiProcess.StartAsync(_database, [.. Receivers, "--Webhooks:WorkerEnabled=false"]))
        {
            await GivenKpiAndWebhookAsync(stopped.Client, receiver);
            await PushAsync(stopped.Client, "2026-11-30", 2.4m);
            stopped.Kill();
        }
        Assert.That(receiver.Requests, Is.Zero);

        using var restarted = await ApiProcess.StartAsync(_database, Receivers);

        var received = await receiver.WaitForAsync(2, TimeSpan.FromSeconds(20));
        Assert.That(received.Select(r => JsonNode.Parse(r.Body)!["type"]!.GetValue<string>()), Is.EquivalentTo(new[] { "kpi.value.recorded", "kpi.status.changed" }));
    }

    [Test]
    public async Task Two_instances_deliver_each_event_once()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        using var first = await ApiProcess.StartAsync(_database, Receivers);
        using var second = await ApiProcess.StartAsync(_database, Receivers);
        await GivenKpiAndWebhookAsync(first.Client, receiver);

        // Alternating sides of the target, on both instances: every push records a value and changes the status.
        for (var day = 0; day < 20; day++)
            await PushAsync(day % 2 == 0 ? first.Client : second.Client, new DateOnly(2026, 11, 1).AddDays(day).ToString("yyyy-MM-dd"), day % 2 == 0 ? 2.4m : 1.5m);

        var received = await receiver.WaitForAsync(40, TimeSpan.FromSeconds(30));
        await Task.Delay(1000);
        Assert.That(receiver.Received.Select(r => r.Id).Distinct().Count(), Is.EqualTo(40));
        Assert.That(receiver.Received, Has.Count.EqualTo(40), "an event was delivered twice");
    }

    [Test]
    public async Task Two_instances_sweeping_every_second_emit_a_late_kpi_once()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        string[] sweeping = [.. Receivers, "--Webhooks:SweepIntervalSeconds=1"];
        using var first = await ApiProcess.StartAsync(_database, sweeping);
        using var second = await ApiProcess.StartAsync(_database, sweeping);
        await PostAsync(first.Client, "/api/v1/kpis", new JsonObject
        {
            ["key"] = "defect-rate", ["name"] = "Defect rate", ["unit"] = "%", ["valueType"] = "percentage", ["frequency"] = "daily",
            ["target"] = new JsonObject { ["comparator"] = "atMost", ["value"] = 2 },
        });
        await PostAsync(second.Client, "/api/v1/webhooks", new JsonObject
        {
            ["name"] = "receiver", ["url"] = receiver.Url(), ["eventTypes"] = new JsonArray("kpi.late"),
        });

        // The processes keep real time: a value ten days old leaves yesterday, the last completed day, without one.
        await PushAsync(first.Client, DateOnly.FromDateTime(DateTime.UtcNow).AddDays(-10).ToString("yyyy-MM-dd"), 1.5m);

        var received = await receiver.WaitForAsync(1, TimeSpan.FromSeconds(30));
        await Task.Delay(3000); // several more sweeps of each instance
        Assert.That(JsonNode.Parse(received[0].Body)!["type"]!.GetValue<string>(), Is.EqualTo("kpi.late"));
        Assert.That(receiver.Received, Has.Count.EqualTo(1), "the late KPI was emitted more than once");
    }
}
