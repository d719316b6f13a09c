using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using OkrKpi.Api.Features.Receivers;

namespace OkrKpi.Api.IntegrationTests.Features.Receivers;

/// <summary>Editing a receiver (JSON Merge Patch with If-Match): name, filter, outputs and enabled, checked as on creation.</summary>
public sealed class PatchReceiverTests : ReceiversTest
{
    private static Task<HttpResponseMessage> PatchAsync(ReceiverResponse receiver, JsonObject patch, string? ifMatch = "current") =>
        PatchAsync($"/api/v1/receivers/{receiver.Id}", patch, ifMatch == "current" ? $"\"{receiver.Version}\"" : ifMatch);

    [Test]
    public async Task Renames_a_receiver_points_it_at_other_KPIs_and_paths_and_logs_the_change()
    {
        await GivenTeamKpiAsync("incidents");
        await GivenTeamKpiAsync("incident-hours", aggregation: "sum");
        var receiver = await GivenReceiverAsync(ReceiverPresets.Generic, "incidents");
        var outputs = new JsonArray(new JsonObject { ["kpi"] = "incident-hours", ["occurredAt"] = "at", ["value"] = "hours", ["eventId"] = "id" });

        var response = await PatchAsync(receiver, new JsonObject { ["name"] = "Incidents from PagerDuty", ["filter"] = "hours > `0`", ["outputs"] = outputs });

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        Assert.That(response.Headers.ETag?.Tag, Is.EqualTo($"\"{receiver.Version + 1}\""));
        var edited = await ReadAsync<ReceiverResponse>(response);
        Assert.That((edited.Name, edited.Definition.Filter, edited.Enabled, edited.Preset), Is.EqualTo(("Incidents from PagerDuty", "hours > `0`", true, ReceiverPresets.Generic)));
        Assert.That(edited.Definition.Outputs, Is.EqualTo(new[] { new ReceiverOutput("incident-hours", OccurredAt: "at", Value: "hours", EventId: "id") }));
        var delivered = await DeliveredAsync(edited, """{ "at": "2026-07-14T08:00:00Z", "hours": 2.5, "id": "INC-1" }""");
        Assert.That(delivered.Outcome, Is.EqualTo("recorded"));
        Assert.That(await ValueAsync("incident-hours", "2026-W29"), Is.EqualTo(2.5m));
        var audit = await Api.GetFromJsonAsync<JsonObject>($"/api/v1/audit?entity=receiver&entityId={receiver.Id}", Json);
        Assert.That(audit!["items"]!.AsArray().Select(e => e!["action"]!.GetValue<string>()), Is.EquivalentTo(new[] { "create", "update" }));
    }

    [Test]
    public async Task Answers_404_problem_for_an_unknown_receiver()
    {
        await ProblemAsync(await PatchAsync($"/api/v1/receivers/{Guid.NewGuid()}", new JsonObject { ["enabled"] = false }, "*"), HttpStatusCode.NotFound);
    }

    [Test]
    public async Task Needs_If_Match_428_and_refuses_a_stale_version_412_changing_nothing()
    {
        await GivenTeamKpiAsync("incidents");
        var receiver = await GivenReceiverAsync(ReceiverPresets.Generic, "incidents");
        await PatchAsync(receiver, new JsonObject { ["name"] = "First edit" });

        await ProblemAsync(await PatchAsync(receiver, new JsonObject { ["name"] = "No If-Match" }, ifMatch: null), HttpStatusCode.PreconditionRequired);
        await ProblemAsync(await PatchAsync(receiver, new JsonObject { ["name"] = "Stale" }), HttpStatusCode.PreconditionFailed);

        var current = await ReadAsync<ReceiverResponse>(await Api.GetAsync($"/api/v1/receivers/{receiver.Id}"));
        Assert.That((current.Name, current.Version), Is.EqualTo(("First edit", receiver.Version + 1)));
    }

    [Test]
    public async Task Refuses_a_KPI_that_does_not_exist_or_is_not_fed_by_events_naming_the_output()
    {
        await GivenTeamKpiAsync("incidents");
        await GivenKpiAsync("defect-rate");
        var receiver = await GivenReceiverAsync(ReceiverPresets.Generic, "incidents");
        var outputs = new JsonArray(new JsonObject { ["kpi"] = "no-such-kpi" }, new JsonObject { ["kpi"] = "defect-rate" });

        var response = await PatchAsync(receiver, new JsonObject { ["outputs"] = outputs });

        Assert.That(await FieldErrorsAsync(response, "outputs[0].kpi"), Has.Some.Contains("was not found"));
        var problem = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.That(problem["errors"]!["outputs[1].kpi"]!.ToJsonString(), Does.Contain("not events"));
        var current = await ReadAsync<ReceiverResponse>(await Api.GetAsync($"/api/v1/receivers/{receiver.Id}"));
        Assert.That(current.Version, Is.EqualTo(receiver.Version));
    }

    [Test]
    public async Task Refuses_an_empty_name_no_outputs_a_cleared_enabled_and_an_expression_that_does_not_parse_naming_each_field()
    {
        await GivenTeamKpiAsync("incidents");
        var receiver = await GivenReceiverAsync(ReceiverPresets.Generic, "incidents");

        var response = await PatchAsync(receiver, new JsonObject { ["name"] = " ", ["filter"] = "resource.[", ["outputs"] = new JsonArray(), ["enabled"] = null });

        var problem = await ProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.That(problem["errors"]!.AsObject().Select(e => e.Key), Is.SupersetOf(new[] { "name", "filter", "outputs", "enabled" }));
    }

    [Test]
    public async Task Refuses_the_preset_which_stays_as_the_receiver_started()
    {
        await GivenTeamKpiAsync("incidents");
        var receiver = await GivenReceiverAsync(ReceiverPresets.Generic, "incidents");

        var problem = await ProblemAsync(await PatchAsync(receiver, new JsonObject { ["preset"] = "jira-issue-created" }), HttpStatusCode.BadRequest);

        Assert.That(problem.ToJsonString(JsonSerializerOptions.Default), Does.Contain("preset"));
    }
}
