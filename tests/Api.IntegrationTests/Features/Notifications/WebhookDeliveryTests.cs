using System.Net;
using System.Text.Json.Nodes;
using OkrKpi.Api.Features.Notifications;
using OkrKpi.Api.Features.Webhooks;

namespace OkrKpi.Api.IntegrationTests.Features.Notifications;

public sealed class WebhookDeliveryTests : WebhookTest
{
    [Test]
    public async Task Pushing_a_defect_rate_above_its_target_delivers_one_signed_status_change()
    {
        var kpi = await GivenDefectRateAsync();
        var webhook = await GivenWebhookAsync(statuses: ["offTarget"]);
        await GivenMeasurementAsync(kpi.Id, 1.5m, "2026-07-13");

        await GivenMeasurementAsync(kpi.Id, 2.4m, "2026-07-14");

        var received = (await Receiver.WaitForAsync(1)).Single();
        var signed = WebhookSender.Sign([webhook.Secret], received.Id!, DateTimeOffset.FromUnixTimeSeconds(long.Parse(received.Timestamp!)), received.Body);
        Assert.That(received.Signature, Is.EqualTo(signed));
        var payload = JsonNode.Parse(received.Body)!;
        Assert.That(payload["type"]!.GetValue<string>(), Is.EqualTo("kpi.status.changed"));
        Assert.That(payload["id"]!.GetValue<string>(), Is.EqualTo(received.Id));
        Assert.That(payload["data"]!["from"]!.GetValue<string>(), Is.EqualTo("onTarget"));
        Assert.That(payload["data"]!["to"]!.GetValue<string>(), Is.EqualTo("offTarget"));
        Assert.That(payload["data"]!["summary"]!.GetValue<string>(), Is.EqualTo("Defect rate is off target: 2.4 % against ≤ 2 % for 2026-07-14"));
        await Task.Delay(500);
        Assert.That(Receiver.Received, Has.Count.EqualTo(1));
    }

    [Test]
    public async Task A_receiver_failing_twice_then_succeeding_gives_three_attempts_in_the_log_and_one_delivery()
    {
        var kpi = await GivenDefectRateAsync();
        var webhook = await GivenWebhookAsync();
        Receiver.FailNext(2);

        await GivenMeasurementAsync(kpi.Id, 2.4m, "2026-07-14");

        await Receiver.WaitForAsync(1);
        var delivery = (await DeliveriesWhenAsync(webhook.Webhook.Id, d => d.Count == 1 && d[0].Status == WebhookDeliveryStatus.Delivered)).Single();
        Assert.That(delivery.AttemptLog.Select(a => a.StatusCode ?? 0), Is.EqualTo(new[] { 500, 500, 200 }));
        Assert.That(delivery.AttemptLog.Select(a => a.Succeeded), Is.EqualTo(new[] { false, false, true }));
        Assert.That(delivery.AttemptLog[2].ResponseBody, Does.Contain("thanks"));
        Assert.That(delivery.Attempts, Is.EqualTo(3));
        Assert.That(Receiver.Received, Has.Count.EqualTo(1));
    }

    [Test]
    public async Task A_slack_subscription_receives_readable_text_with_a_link_back()
    {
        var kpi = await GivenDefectRateAsync();
        await GivenWebhookAsync("slack");

        await GivenMeasurementAsync(kpi.Id, 2.4m, "2026-07-14");

        var received = (await Receiver.WaitForAsync(1)).Single();
        Assert.That(JsonNode.Parse(received.Body)!["text"]!.GetValue<string>(),
            Is.EqualTo("Defect rate is off target: 2.4 % against ≤ 2 % for 2026-07-14 <https://okr.example.com/kpis/defect-rate|Open in OkrKpi>"));
    }

    [Test]
    public async Task A_teams_subscription_receives_an_adaptive_card_with_the_sentence()
    {
        var kpi = await GivenDefectRateAsync();
        await GivenWebhookAsync("teams");

        await GivenMeasurementAsync(kpi.Id, 2.4m, "2026-07-14");

        var card = JsonNode.Parse((await Receiver.WaitForAsync(1)).Single().Body)!["attachments"]![0]!;
        Assert.That(card["contentType"]!.GetValue<string>(), Is.EqualTo("application/vnd.microsoft.card.adaptive"));
        Assert.That(card["content"]!["body"]![0]!["text"]!.GetValue<string>(), Is.EqualTo("Defect rate is off target: 2.4 % against ≤ 2 % for 2026-07-14"));
    }

    [Test]
    public async Task A_receiver_that_keeps_failing_is_disabled_and_that_emits_webhook_disabled()
    {
        var kpi = await GivenDefectRateAsync();
        var webhook = await GivenWebhookAsync();
        Receiver.FailNext(int.MaxValue);

        await GivenMeasurementAsync(kpi.Id, 2.4m, "2026-07-14");

        for (var round = 1; round <= 5; round++)
        {
            await DeliveriesWhenAsync(webhook.Webhook.Id, d => d.Count == 1 && d[0].Attempts == round * 3);
            ApiFixture.Clock.Advance(TimeSpan.FromHours(12));
        }
        var disabled = await ReadAsync<WebhookResponse>(await Api.GetAsync($"/api/v1/webhooks/{webhook.Webhook.Id}"));
        Assert.That(disabled.Enabled, Is.False);
        Assert.That(disabled.DisabledReason, Does.StartWith("Disabled after 5 failed deliveries in a row"));
        Assert.That((await OutboxAsync()).Select(e => e.Type), Does.Contain(EventTypes.WebhookDisabled));
    }

    [Test]
    public async Task A_delivery_is_replayed_with_the_same_webhook_id()
    {
        var kpi = await GivenDefectRateAsync();
        var webhook = await GivenWebhookAsync();
        await GivenMeasurementAsync(kpi.Id, 2.4m, "2026-07-14");
        var first = (await Receiver.WaitForAsync(1)).Single();
        var delivery = (await DeliveriesWhenAsync(webhook.Webhook.Id, d => d.Count == 1 && d[0].Status == WebhookDeliveryStatus.Delivered)).Single();

        var replay = await Api.PostAsync($"/api/v1/webhooks/{webhook.Webhook.Id}/deliveries/{delivery.Id}/replay", null);

        Assert.That(replay.StatusCode, Is.EqualTo(HttpStatusCode.Accepted));
        var again = (await Receiver.WaitForAsync(2))[1];
        Assert.That(again.Id, Is.EqualTo(first.Id));
        Assert.That(again.Body, Is.EqualTo(first.Body));
    }

    [Test]
    public async Task A_test_send_reaches_the_receiver_and_shows_in_the_log()
    {
        var webhook = await GivenWebhookAsync();

        var response = await Api.PostAsync($"/api/v1/webhooks/{webhook.Webhook.Id}/test", null);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Accepted));
        var received = (await Receiver.WaitForAsync(1)).Single();
        Assert.That(JsonNode.Parse(received.Body)!["type"]!.GetValue<string>(), Is.EqualTo("webhook.test"));
        var delivery = (await DeliveriesWhenAsync(webhook.Webhook.Id, d => d.Count == 1 && d[0].Status == WebhookDeliveryStatus.Delivered)).Single();
        Assert.That(delivery.EventType, Is.EqualTo("webhook.test"));
    }

    [Test]
    public async Task After_a_rotation_both_secrets_sign_until_the_overlap_ends()
    {
        var webhook = await GivenWebhookAsync();

        var rotated = await ReadAsync<CreateWebhook.Response>(await Api.PostAsync($"/api/v1/webhooks/{webhook.Webhook.Id}/rotate-secret", null));
        await Api.PostAsync($"/api/v1/webhooks/{webhook.Webhook.Id}/test", null);

        var received = (await Receiver.WaitForAsync(1)).Single();
        var timestamp = DateTimeOffset.FromUnixTimeSeconds(long.Parse(received.Timestamp!));
        Assert.That(rotated.Secret, Is.Not.EqualTo(webhook.Secret));
        Assert.That(received.Signature!.Split(' '), Is.EquivalentTo(new[]
        {
            WebhookSender.Sign([rotated.Secret], received.Id!, timestamp, received.Body),
            WebhookSender.Sign([webhook.Secret], received.Id!, timestamp, received.Body),
        }));
        Assert.That(rotated.Webhook.PreviousSecretExpiresAt, Is.EqualTo(PinnedNow.AddHours(24)));
    }

    [TestCase("http://10.0.0.1/hook")]
    [TestCase("http://169.254.169.254/latest/meta-data")]
    [TestCase("http://[::1]:8080/hook")]
    [TestCase("http://192.168.1.20/hook")]
    public async Task A_subscription_to_an_address_that_is_not_public_is_refused(string url)
    {
        var response = await PostJsonAsync("/api/v1/webhooks", new JsonObject
        {
            ["name"] = "inside", ["url"] = url, ["eventTypes"] = new JsonArray("kpi.status.changed"),
        });

        var errors = await FieldErrorsAsync(response, "url");
        Assert.That(errors.Single(), Does.Contain("not public"));
    }
}

public sealed class WebhookSecretTests : WebhookTest
{
    [Test]
    public async Task The_secret_is_in_the_creating_answer_only_and_stored_encrypted()
    {
        var webhook = await GivenWebhookAsync();
        await Api.PostAsync($"/api/v1/webhooks/{webhook.Webhook.Id}/rotate-secret", null);

        var read = await (await Api.GetAsync($"/api/v1/webhooks/{webhook.Webhook.Id}")).Content.ReadAsStringAsync();
        var listed = await (await Api.GetAsync("/api/v1/webhooks")).Content.ReadAsStringAsync();
        var audit = await (await Api.GetAsync("/api/v1/audit?entity=webhook")).Content.ReadAsStringAsync();
        await using var connection = await ApiFixture.Database.OpenAsync();
        var stored = await Dapper.SqlMapper.QuerySingleAsync<string>(connection, "SELECT Secret || ' ' || PreviousSecret FROM WebhookSubscription");

        Assert.That(webhook.Secret, Does.StartWith("whsec_"));
        Assert.That(new[] { read, listed, audit, stored, string.Join('\n', CapturedLogs.Lines) }, Has.None.Contains("whsec_"));
        Assert.That(audit, Does.Contain("rotateSecret"));
    }
}
