using System.Net;
using System.Text.Json.Nodes;
using OkrKpi.Api.Features.Alerts;
using OkrKpi.Api.Infrastructure.Security;
using OkrKpi.Api.IntegrationTests.Security;

namespace OkrKpi.Api.IntegrationTests.Features.Notifications;

/// <summary>In-app alerts reach the members of the owning team and whoever follows the KPI; following is one call.</summary>
public sealed class AlertTests : IntegrationTest
{
    private static async Task<AlertPage> AlertsWhenAsync(HttpClient person, Func<AlertPage, bool> done)
    {
        var until = DateTime.UtcNow + TimeSpan.FromSeconds(15);
        while (true)
        {
            var response = await person.GetAsync("/api/v1/alerts");
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
            var page = await ReadAsync<AlertPage>(response);
            if (done(page)) return page;
            if (DateTime.UtcNow > until) Assert.Fail($"The alerts never reached the expected state: {System.Text.Json.JsonSerializer.Serialize(page)}");
            await Task.Delay(50);
        }
    }

    [Test]
    public async Task A_team_member_and_a_follower_get_an_alert_when_the_kpi_goes_off_target_and_can_mark_it_read()
    {
        var team = await GivenTeamAsync("Manufacturing");
        var kpi = await GivenKpiAsync("defect-rate", team.Id, body => body["target"] = new JsonObject { ["comparator"] = "atMost", ["value"] = 2 });
        var member = (await SessionClients.SignedInAsync(await Callers.GivenUserAsync(Role.Editor, [team.Id]))).Client;
        var follower = (await SessionClients.SignedInAsync(await Callers.GivenUserAsync(Role.Viewer))).Client;
        var bystander = (await SessionClients.SignedInAsync(await Callers.GivenUserAsync(Role.Viewer))).Client;
        var followed = await follower.PutAsync("/api/v1/follows/kpis/defect-rate", null);
        Assert.That((await ReadAsync<FollowsResponse>(followed)).KpiIds, Is.EqualTo(new[] { kpi.Id }));

        await GivenMeasurementAsync(kpi.Id, 2.4m, "2026-07-14");

        // The worker may write the alert between the page's two reads: wait for both to show it.
        var alerts = await AlertsWhenAsync(member, page => page.Items.Count == 1 && page.UnreadCount == 1);
        Assert.That(alerts.Items.Single().Summary, Is.EqualTo("Defect rate is off target: 2.4 % against ≤ 2 % for 2026-07-14"));
        Assert.That(alerts.Items.Single().KpiKey, Is.EqualTo("defect-rate"));
        await AlertsWhenAsync(follower, page => page.Items.Count == 1 && page.UnreadCount == 1);
        Assert.That((await AlertsWhenAsync(bystander, _ => true)).Items, Is.Empty);

        var read = await member.PostAsync($"/api/v1/alerts/{alerts.Items[0].Id}/read", null);

        Assert.That(read.StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
        var after = await AlertsWhenAsync(member, _ => true);
        Assert.That((after.UnreadCount, after.Items[0].ReadAt), Is.EqualTo((0L, (DateTimeOffset?)PinnedNow)));
    }

    [Test]
    public async Task Unfollowing_stops_the_alerts()
    {
        var kpi = await GivenKpiAsync("defect-rate", change: body => body["target"] = new JsonObject { ["comparator"] = "atMost", ["value"] = 2 });
        var follower = (await SessionClients.SignedInAsync(await Callers.GivenUserAsync(Role.Viewer))).Client;
        await follower.PutAsync("/api/v1/follows/kpis/defect-rate", null);

        var unfollowed = await follower.DeleteAsync("/api/v1/follows/kpis/defect-rate");
        await GivenMeasurementAsync(kpi.Id, 2.4m, "2026-07-14");
        await Task.Delay(500);

        Assert.That((await ReadAsync<FollowsResponse>(unfollowed)).KpiIds, Is.Empty);
        Assert.That((await AlertsWhenAsync(follower, _ => true)).Items, Is.Empty);
    }
}
