using System.Net;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using OkrKpi.Api.Features.Measurements;
using OkrKpi.Api.Infrastructure.Data;
using OkrKpi.Api.Infrastructure.Http;

namespace OkrKpi.Api.IntegrationTests.Features.Measurements;

/// <summary>
/// The dashboard's per-instance cache: an instance answers a repeated query from memory, drops its answers when it
/// finishes a command (so a client reads its own writes at once), and shows another instance's writes once the time
/// to live has passed. "Another instance" is a second API on the same database: the fixture's own. (Shared reads:
/// DashboardCacheTests in the unit tests.)
/// </summary>
public sealed class GetDashboardCacheTests : MeasurementsTest
{
    private static readonly TimeSpan TimeToLive = TimeSpan.FromMinutes(1);

    private WebApplicationFactory<Program> _factory = null!;
    private HttpClient _cached = null!;

    [OneTimeSetUp]
    public void StartCachingApi()
    {
        // A time to live far beyond the test's duration, so that only the fake clock ends it.
        _factory = ApiFixture.Factory.WithWebHostBuilder(host => host
            .UseSetting("Dashboard:CacheMilliseconds", TimeToLive.TotalMilliseconds.ToString("0")));
        _cached = Callers.ClientOf(_factory);
        _cached.DefaultRequestHeaders.Authorization = new("Bearer", Callers.AdminToken);
    }

    [OneTimeTearDown]
    public async Task StopCachingApi()
    {
        _cached.Dispose();
        await _factory.DisposeAsync();
    }

    [SetUp]
    public void ForgetThePreviousTest()
    {
        // The fixture emptied the tables behind this instance's back too.
        _factory.Services.GetRequiredService<LocalWrites>().Changed();
    }

    [Test]
    public async Task Keeps_apart_queries_that_differ_in_any_parameter()
    {
        await GivenKpiAsync("defect-rate");
        await GivenKpiAsync("scrap-rate");
        await DashboardAsync(_cached, "keys=defect-rate");

        var both = await DashboardAsync(_cached, "keys=defect-rate,scrap-rate");
        var oneSparkline = await DashboardAsync(_cached, "keys=defect-rate&sparkline=1");

        Assert.That(both.Items.Select(i => i.Key), Is.EqualTo(new[] { "defect-rate", "scrap-rate" }));
        Assert.That(oneSparkline.Items.Single().Sparkline, Has.Count.EqualTo(1));
    }

    [Test]
    public async Task Shows_a_write_through_the_same_instance_in_the_next_read()
    {
        await GivenKpiAsync("defect-rate");
        await GivenValueAsync("defect-rate", "2026-07-14", 1.5m);
        Assert.That(await LatestAsync(_cached, "defect-rate"), Is.EqualTo(1.5m));

        var pushed = await _cached.PostAsync("/api/v1/kpis/defect-rate/measurements", JsonBody("""{"period":"2026-07-15","value":2.5}"""));

        Assert.That(pushed.StatusCode, Is.EqualTo(HttpStatusCode.Created), await pushed.Content.ReadAsStringAsync());
        Assert.That(await LatestAsync(_cached, "defect-rate"), Is.EqualTo(2.5m));
    }

    [Test]
    public async Task Shows_a_write_through_another_instance_once_the_time_to_live_has_passed()
    {
        await GivenKpiAsync("defect-rate");
        await GivenValueAsync("defect-rate", "2026-07-14", 1.5m);
        Assert.That(await LatestAsync(_cached, "defect-rate"), Is.EqualTo(1.5m));

        await GivenValueAsync("defect-rate", "2026-07-15", 2.5m);   // through the fixture's API
        var meanwhile = await LatestAsync(_cached, "defect-rate");
        ApiFixture.Clock.AdjustTime(PinnedNow + TimeToLive);
        var after = await LatestAsync(_cached, "defect-rate");

        Assert.That(meanwhile, Is.EqualTo(1.5m), "within the time to live the other instance's write is not seen yet");
        Assert.That(after, Is.EqualTo(2.5m));
    }

    [Test]
    public async Task Reads_again_when_the_clock_goes_back()
    {
        await GivenKpiAsync("defect-rate");
        ApiFixture.Clock.AdjustTime(PinnedNow.AddDays(2));
        var later = await DashboardAsync(_cached, "sparkline=1");

        ApiFixture.Clock.AdjustTime(PinnedNow);
        var now = await DashboardAsync(_cached, "sparkline=1");

        Assert.That(later.Items.Single().Sparkline.Single().Period, Is.EqualTo("2026-07-17"));
        Assert.That(now.Items.Single().Sparkline.Single().Period, Is.EqualTo("2026-07-15"));
    }

    private static StringContent JsonBody(string json) => new(json, System.Text.Encoding.UTF8, "application/json");

    private static async Task<Page<GetDashboard.Item>> DashboardAsync(HttpClient client, string query)
    {
        var response = await client.GetAsync($"/api/v1/dashboard/kpis?{query}");
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        return await ReadAsync<Page<GetDashboard.Item>>(response);
    }

    private static async Task<object?> LatestAsync(HttpClient client, string key) =>
        Plain((await DashboardAsync(client, $"keys={key}")).Items.Single().Latest?.Value);
}
