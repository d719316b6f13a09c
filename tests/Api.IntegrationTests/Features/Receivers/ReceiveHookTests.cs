using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Dapper;
using OkrKpi.Api.Features.Receivers;
using OkrKpi.Api.Infrastructure.Security;
using OkrKpi.Api.IntegrationTests.Features.Events;

namespace OkrKpi.Api.IntegrationTests.Features.Receivers;

/// <summary>Providers' own payloads (tests/samples/providers) delivered to receivers made from the presets, with a least-privilege token.</summary>
public sealed class ReceiveHookTests : ReceiversTest
{
    [Test]
    public async Task An_Azure_DevOps_bug_moved_to_Closed_adds_1_to_this_weeks_bugs_closed_once_however_often_it_is_delivered()
    {
        await GivenTeamKpiAsync("bugs-closed");
        var receiver = await GivenReceiverAsync("azure-devops-work-item-resolved", "bugs-closed");
        var payload = Sample("azure-devops-workitem-updated.json");

        var first = await DeliveredAsync(receiver, payload);
        var again = await DeliveredAsync(receiver, payload);

        Assert.That(first.Outcome, Is.EqualTo("recorded"));
        Assert.That(again.Outcome, Is.EqualTo("unchanged"));
        Assert.That(await ValueAsync("bugs-closed", "2026-W29"), Is.EqualTo(1m));
    }

    [Test]
    public async Task An_Azure_DevOps_work_item_created_counts_once_in_the_week_it_was_created()
    {
        await GivenTeamKpiAsync("bugs-opened");
        var receiver = await GivenReceiverAsync("azure-devops-work-item-created", "bugs-opened");

        var first = await DeliveredAsync(receiver, Sample("azure-devops-workitem-created.json"));
        var again = await DeliveredAsync(receiver, Sample("azure-devops-workitem-created.json"));

        Assert.That(first.Events.Single().OccurredAt, Is.EqualTo("2026-07-13T16:48:44.663Z"));
        Assert.That(again.Outcome, Is.EqualTo("unchanged"));
        Assert.That(await ValueAsync("bugs-opened", "2026-W29"), Is.EqualTo(1m));
    }

    [Test]
    public async Task A_work_item_update_that_does_not_change_the_state_is_ignored()
    {
        await GivenTeamKpiAsync("bugs-closed");
        var receiver = await GivenReceiverAsync("azure-devops-work-item-resolved", "bugs-closed");
        var payload = JsonNode.Parse(Sample("azure-devops-workitem-updated.json"))!;
        payload["resource"]!["fields"]!.AsObject().Remove("System.State");

        var ignored = await DeliveredAsync(receiver, payload.ToJsonString());

        Assert.That(ignored.Outcome, Is.EqualTo("ignored"));
    }

    [Test]
    public async Task A_build_completed_counts_a_deployment_and_its_lead_time_lands_in_a_median_KPI()
    {
        await GivenTeamKpiAsync("deployments");
        await GivenTeamKpiAsync("lead-time", aggregation: "median");
        var receiver = await GivenReceiverAsync("azure-devops-build-completed", "deployments", "lead-time");

        await DeliveredAsync(receiver, Sample("azure-devops-build-complete.json"));

        Assert.That(await ValueAsync("deployments", "2026-W29"), Is.EqualTo(1m));
        Assert.That(await ValueAsync("lead-time", "2026-W29"), Is.EqualTo(2.5m), "queueTime 08:00 to finishTime 10:30");
    }

    [Test]
    public async Task A_pipeline_run_completed_counts_a_deployment_and_its_lead_time()
    {
        await GivenTeamKpiAsync("deployments");
        await GivenTeamKpiAsync("lead-time", aggregation: "median");
        var receiver = await GivenReceiverAsync("azure-devops-pipeline-run-completed", "deployments", "lead-time");

        await DeliveredAsync(receiver, Sample("azure-devops-pipeline-run-state-changed.json"));

        Assert.That(await ValueAsync("deployments", "2026-W29"), Is.EqualTo(1m));
        Assert.That(await ValueAsync("lead-time", "2026-W29"), Is.EqualTo(4m));
    }

    [Test]
    public async Task A_Jira_issue_resolved_counts_once()
    {
        await GivenTeamKpiAsync("issues-resolved");
        var receiver = await GivenReceiverAsync("jira-issue-resolved", "issues-resolved");

        await DeliveredAsync(receiver, Sample("jira-issue-resolved.json"));
        var again = await DeliveredAsync(receiver, Sample("jira-issue-resolved.json"));

        Assert.That(again.Outcome, Is.EqualTo("unchanged"));
        Assert.That(await ValueAsync("issues-resolved", "2026-W29"), Is.EqualTo(1m));
    }

    [Test]
    public async Task A_pipeline_stage_event_is_not_counted_as_a_run()
    {
        await GivenTeamKpiAsync("deployments");
        var receiver = await GivenReceiverAsync("azure-devops-pipeline-run-completed", "deployments");
        var stage = Sample("azure-devops-pipeline-run-state-changed.json")
            .Replace("ms.vss-pipelines.run-state-changed-event", "ms.vss-pipelines.stage-state-changed-event");

        var ignored = await DeliveredAsync(receiver, stage);

        Assert.That(ignored.Outcome, Is.EqualTo("ignored"));
    }

    [Test]
    public async Task A_Jira_issue_created_webhook_counts_the_issue_once()
    {
        await GivenTeamKpiAsync("issues-opened");
        var receiver = await GivenReceiverAsync("jira-issue-created", "issues-opened");

        var first = await DeliveredAsync(receiver, Sample("jira-issue-created.json"));
        var again = await DeliveredAsync(receiver, Sample("jira-issue-created.json"));

        Assert.That(first.Events.Single().EventId, Is.EqualTo("OPS-42"));
        Assert.That(again.Outcome, Is.EqualTo("unchanged"));
        Assert.That(await ValueAsync("issues-opened", "2026-W29"), Is.EqualTo(1m));
    }

    [Test]
    public async Task A_Jira_issue_update_before_it_is_resolved_is_ignored()
    {
        await GivenTeamKpiAsync("issues-resolved");
        var receiver = await GivenReceiverAsync("jira-issue-resolved", "issues-resolved");

        var ignored = await DeliveredAsync(receiver, Sample("jira-issue-created.json").Replace("jira:issue_created", "jira:issue_updated"));

        Assert.That(ignored.Outcome, Is.EqualTo("ignored"));
    }

    [Test]
    public async Task A_Jira_Automation_custom_body_whose_resolution_date_rendered_empty_is_ignored()
    {
        await GivenTeamKpiAsync("issues-resolved");
        var receiver = await GivenReceiverAsync("jira-issue-resolved", "issues-resolved");

        var ignored = await DeliveredAsync(receiver, """{ "key": "OPS-44", "fields": { "resolutiondate": "" } }""");

        Assert.That(ignored.Outcome, Is.EqualTo("ignored"));
    }

    [Test]
    public async Task A_Jira_Automation_web_request_with_the_issue_data_counts_in_the_week_of_its_resolution()
    {
        await GivenTeamKpiAsync("issues-resolved");
        var receiver = await GivenReceiverAsync("jira-issue-resolved", "issues-resolved");

        var delivered = await DeliveredAsync(receiver, Sample("jira-automation-issue-resolved.json"));

        Assert.That(delivered.Events.Single(), Is.EqualTo(new MappedEvent("issues-resolved", "2026-07-14T15:20:11.662+05:30", null, "OPS-43@2026-07-14T15:20:11.662+0530")));
        Assert.That(await ValueAsync("issues-resolved", "2026-W29"), Is.EqualTo(1m));
    }

    [Test]
    public async Task A_payload_the_filter_passes_over_is_ignored_and_logged()
    {
        await GivenTeamKpiAsync("bugs-closed");
        var receiver = await GivenReceiverAsync("azure-devops-work-item-resolved", "bugs-closed");
        var active = Sample("azure-devops-workitem-updated.json").Replace("\"newValue\": \"Closed\"", "\"newValue\": \"Active\"");

        var ignored = await DeliveredAsync(receiver, active);

        Assert.That(ignored.Outcome, Is.EqualTo("ignored"));
        Assert.That(await ValueAsync("bugs-closed", "2026-W29"), Is.Null);
        var log = await DeliveriesAsync(receiver.Id);
        Assert.That(log.Select(d => (d.Status, d.Outcome)), Is.EqualTo(new[] { (200, "ignored") }));
    }

    [Test]
    public async Task A_payload_the_mapping_cannot_read_is_a_422_naming_the_path_and_is_logged()
    {
        await GivenTeamKpiAsync("incidents");
        var receiver = await GivenReceiverAsync(ReceiverPresets.Generic, "incidents");

        var problem = await ProblemAsync(await DeliverAsync(receiver, """{ "value": 1, "eventId": "x" }"""), HttpStatusCode.UnprocessableEntity);

        Assert.That(problem["detail"]!.GetValue<string>(), Does.Contain("occurredAt"));
        var log = await DeliveriesAsync(receiver.Id);
        Assert.That(log.Single().Outcome, Is.EqualTo("failed"));
        Assert.That(log.Single().Reason, Does.Contain("occurredAt"));
    }

    [Test]
    public async Task Trying_a_payload_shows_what_would_be_recorded_and_records_nothing()
    {
        await GivenTeamKpiAsync("incidents", aggregation: "sum");
        var receiver = await GivenReceiverAsync(ReceiverPresets.Generic, "incidents");

        var response = await Api.PostAsync($"/api/v1/receivers/{receiver.Id}/try", new StringContent(Sample("generic.json"), Encoding.UTF8, "application/json"));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        var tried = await ReadAsync<ReceiveHook.Response>(response);
        Assert.That(tried.Outcome, Is.EqualTo("wouldRecord"));
        Assert.That(tried.Events, Is.EqualTo(new[] { new MappedEvent("incidents", "2026-07-14T12:00:00Z", 3m, "incident-7") }));
        Assert.That(await ValueAsync("incidents", "2026-W29"), Is.Null);
    }

    [Test]
    public async Task A_token_restricted_to_a_receiver_delivers_there_and_nowhere_else()
    {
        await GivenTeamKpiAsync("incidents");
        var receiver = await GivenReceiverAsync(ReceiverPresets.Generic, "incidents");
        var other = await GivenReceiverAsync(ReceiverPresets.Generic, "incidents");
        var token = await GivenProviderTokenAsync();
        await using (var connection = await ApiFixture.Database.OpenAsync())
            await connection.ExecuteAsync("UPDATE ApiToken SET ReceiverId = @Id WHERE PublicId = @PublicId",
                new { receiver.Id, ApiTokens.Parse(token)!.Value.PublicId });
        var client = Callers.Client(token);

        var there = await client.PostAsync(receiver.HookPath, new StringContent(Sample("generic.json"), Encoding.UTF8, "application/json"));

        Assert.That(there.StatusCode, Is.EqualTo(HttpStatusCode.OK), await there.Content.ReadAsStringAsync());
        await ProblemAsync(await client.PostAsync(other.HookPath, new StringContent(Sample("generic.json"), Encoding.UTF8, "application/json")), HttpStatusCode.Forbidden);
        await ProblemAsync(await client.GetAsync("/api/v1/kpis"), HttpStatusCode.Forbidden);
    }

    [Test]
    public async Task A_receiver_with_an_expression_that_does_not_parse_is_refused_naming_it()
    {
        var problem = await ProblemAsync(await PostJsonAsync("/api/v1/receivers", new JsonObject
        {
            ["name"] = "broken", ["preset"] = ReceiverPresets.Generic,
            ["outputs"] = new JsonArray(new JsonObject { ["kpi"] = "incidents", ["occurredAt"] = "resource.[" }),
        }), HttpStatusCode.BadRequest);

        Assert.That(problem["errors"]!.AsObject().Select(e => e.Key), Does.Contain("outputs[0].occurredAt"));
    }

    [Test]
    public async Task A_token_of_an_editor_of_another_team_records_nothing_and_the_refusal_names_the_team_rule()
    {
        await GivenTeamKpiAsync("incidents");
        var receiver = await GivenReceiverAsync(ReceiverPresets.Generic, "incidents");
        var sales = await GivenTeamAsync("Sales");

        var problem = await ProblemAsync(await DeliverAsync(receiver, Sample("generic.json"), await GivenProviderTokenAsync(sales.Id)), HttpStatusCode.UnprocessableEntity);

        Assert.That(problem["detail"]!.GetValue<string>(), Does.Contain("owned by a team you are not a member of"));
        Assert.That(await ValueAsync("incidents", "2026-W29"), Is.Null);
        Assert.That((await DeliveriesAsync(receiver.Id)).Single().Outcome, Is.EqualTo("refused"));
    }

    [Test]
    public async Task An_admins_token_needs_the_admin_scope_to_feed_a_KPI_no_team_owns_as_it_does_for_events()
    {
        await GivenEventsKpiAsync("incidents");
        var receiver = await GivenReceiverAsync(ReceiverPresets.Generic, "incidents");

        var withoutAdmin = await DeliverAsync(receiver, Sample("generic.json"), await Callers.GivenBearerAsync(Callers.AdminId, [Scopes.MeasurementsWrite]));
        var withAdmin = await DeliverAsync(receiver, Sample("generic.json"), await Callers.GivenBearerAsync(Callers.AdminId, [Scopes.MeasurementsWrite, Scopes.Admin]));

        Assert.That((await ProblemAsync(withoutAdmin, HttpStatusCode.UnprocessableEntity))["detail"]!.GetValue<string>(), Does.Contain("only an admin"));
        Assert.That(withAdmin.StatusCode, Is.EqualTo(HttpStatusCode.OK), await withAdmin.Content.ReadAsStringAsync());
    }

    [Test]
    public async Task A_disabled_receiver_refuses_deliveries_with_403_logs_the_refusal_and_takes_them_again_once_enabled()
    {
        await GivenTeamKpiAsync("incidents", aggregation: "sum");
        var receiver = await GivenReceiverAsync(ReceiverPresets.Generic, "incidents");
        var disabled = await PatchAsync($"/api/v1/receivers/{receiver.Id}", new JsonObject { ["enabled"] = false }, "*");
        Assert.That(disabled.StatusCode, Is.EqualTo(HttpStatusCode.OK), await disabled.Content.ReadAsStringAsync());

        var refused = await ProblemAsync(await DeliverAsync(receiver, Sample("generic.json")), HttpStatusCode.Forbidden);

        Assert.That(refused["detail"]!.GetValue<string>(), Does.Contain("disabled"));
        Assert.That(await ValueAsync("incidents", "2026-W29"), Is.Null);
        Assert.That((await DeliveriesAsync(receiver.Id)).Select(d => (d.Status, d.Outcome)), Is.EqualTo(new[] { (403, "disabled") }));

        await PatchAsync($"/api/v1/receivers/{receiver.Id}", new JsonObject { ["enabled"] = true }, "*");
        var taken = await DeliveredAsync(receiver, Sample("generic.json"));

        Assert.That(taken.Outcome, Is.EqualTo("recorded"));
        Assert.That(await ValueAsync("incidents", "2026-W29"), Is.EqualTo(3m));
    }

    [Test]
    public async Task Trying_a_payload_on_a_disabled_receiver_still_shows_what_it_would_record()
    {
        await GivenTeamKpiAsync("incidents", aggregation: "sum");
        var receiver = await GivenReceiverAsync(ReceiverPresets.Generic, "incidents");
        await PatchAsync($"/api/v1/receivers/{receiver.Id}", new JsonObject { ["enabled"] = false }, "*");

        var response = await Api.PostAsync($"/api/v1/receivers/{receiver.Id}/try", new StringContent(Sample("generic.json"), Encoding.UTF8, "application/json"));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        Assert.That((await ReadAsync<ReceiveHook.Response>(response)).Outcome, Is.EqualTo("wouldRecord"));
        Assert.That(await DeliveriesAsync(receiver.Id), Is.Empty);
    }
}
