using System.Net;
using OkrKpi.Api.Features.Receivers;

namespace OkrKpi.Api.IntegrationTests.Features.Receivers;

/// <summary>One receiver, as its page and its edit form read it.</summary>
public sealed class GetReceiverTests : ReceiversTest
{
    [Test]
    public async Task Reads_a_receiver_with_its_ETag_and_whether_it_takes_deliveries()
    {
        await GivenTeamKpiAsync("deployments");
        var created = await GivenReceiverAsync("azure-devops-build-completed", "deployments");

        var response = await Api.GetAsync($"/api/v1/receivers/{created.Id}");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        Assert.That(response.Headers.ETag?.Tag, Is.EqualTo($"\"{created.Version}\""));
        var receiver = await ReadAsync<ReceiverResponse>(response);
        Assert.That((receiver.Name, receiver.Preset, receiver.Enabled, receiver.HookPath),
            Is.EqualTo(("azure-devops-build-completed", "azure-devops-build-completed", true, $"/api/v1/hooks/{created.Id}")));
        Assert.That(receiver.Definition.Outputs.Select(o => o.Kpi), Is.EqualTo(new[] { "deployments" }));
    }

    [Test]
    public async Task Answers_404_problem_for_an_unknown_receiver()
    {
        await ProblemAsync(await Api.GetAsync($"/api/v1/receivers/{Guid.NewGuid()}"), HttpStatusCode.NotFound);
    }
}
