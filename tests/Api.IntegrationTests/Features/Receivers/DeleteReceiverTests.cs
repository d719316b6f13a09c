using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Dapper;
using OkrKpi.Api.Features.Receivers;

namespace OkrKpi.Api.IntegrationTests.Features.Receivers;

/// <summary>Deleting a receiver takes its delivery log with it; its hook URL then answers 404 and the events it recorded stay.</summary>
public sealed class DeleteReceiverTests : ReceiversTest
{
    [Test]
    public async Task Deletes_a_receiver_and_its_log_after_which_its_hook_answers_404()
    {
        await GivenTeamKpiAsync("incidents", aggregation: "sum");
        var receiver = await GivenReceiverAsync(ReceiverPresets.Generic, "incidents");
        await DeliveredAsync(receiver, Sample("generic.json"));

        var response = await SendAsync(HttpMethod.Delete, $"/api/v1/receivers/{receiver.Id}", $"\"{receiver.Version}\"");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.NoContent), await response.Content.ReadAsStringAsync());
        await ProblemAsync(await Api.GetAsync($"/api/v1/receivers/{receiver.Id}"), HttpStatusCode.NotFound);
        await ProblemAsync(await DeliverAsync(receiver, Sample("generic.json")), HttpStatusCode.NotFound);
        await ProblemAsync(await Api.GetAsync($"/api/v1/receivers/{receiver.Id}/deliveries"), HttpStatusCode.NotFound);
        await using (var connection = await ApiFixture.Database.OpenAsync())
            Assert.That(await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM ReceiverDelivery"), Is.Zero);
        Assert.That(await ValueAsync("incidents", "2026-W29"), Is.EqualTo(3m), "the events it recorded stay");
        var audit = await Api.GetFromJsonAsync<JsonObject>($"/api/v1/audit?entity=receiver&entityId={receiver.Id}&action=delete", Json);
        Assert.That(audit!["items"]!.AsArray(), Has.Count.EqualTo(1));
    }

    [Test]
    public async Task Answers_404_problem_for_an_unknown_receiver()
    {
        await ProblemAsync(await SendAsync(HttpMethod.Delete, $"/api/v1/receivers/{Guid.NewGuid()}"), HttpStatusCode.NotFound);
    }

    [Test]
    public async Task Refuses_a_stale_If_Match_with_412_and_keeps_the_receiver()
    {
        await GivenTeamKpiAsync("incidents");
        var receiver = await GivenReceiverAsync(ReceiverPresets.Generic, "incidents");
        await PatchAsync($"/api/v1/receivers/{receiver.Id}", new JsonObject { ["name"] = "Renamed" }, "*");

        await ProblemAsync(await SendAsync(HttpMethod.Delete, $"/api/v1/receivers/{receiver.Id}", $"\"{receiver.Version}\""), HttpStatusCode.PreconditionFailed);

        Assert.That((await Api.GetAsync($"/api/v1/receivers/{receiver.Id}")).StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }
}
