using System.Data.Common;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace OkrKpi.Api.IntegrationTests.Features.Measurements;

/// <summary>
/// Each read is a fixed number of queries, independent of the number of KPIs or values: the same request over
/// 2 and over 25 KPIs (3 and 300 values) must send the same, small number of commands to the database. Authenticating
/// the request's token is counted apart (one lookup, whatever the read) and checked on its own.
/// </summary>
public sealed class QueryCountTests : MeasurementsTest
{
    private WebApplicationFactory<Program> _factory = null!;
    private HttpClient _counted = null!;

    // Owned (and disposed) by the factory's container.
    private CountingDataSource Counter => _factory.Services.GetRequiredService<CountingDataSource>();

    [OneTimeSetUp]
    public void StartCountingApi()
    {
        // The fixture's API with its settings and clock, but with the DbDataSource wrapped in a counter, and every
        // dashboard read going to the database (the tests write through the fixture's API, another instance). Its
        // notification worker is off: the fixture's delivers the events, and this one's looks would land in any window.
        _factory = ApiFixture.Factory.WithWebHostBuilder(host => host.UseSetting("Dashboard:CacheMilliseconds", "0")
            .UseSetting("Webhooks:WorkerEnabled", "false").ConfigureTestServices(services =>
        {
            var original = services.Last(d => d.ServiceType == typeof(DbDataSource));
            services.Remove(original);
            services.AddSingleton(provider => new CountingDataSource((DbDataSource)original.ImplementationFactory!(provider)));
            services.AddSingleton<DbDataSource>(provider => provider.GetRequiredService<CountingDataSource>());
        }));
        _counted = Callers.ClientOf(_factory);
        _counted.DefaultRequestHeaders.Authorization = new("Bearer", Callers.AdminToken);
    }

    [OneTimeTearDown]
    public async Task StopCountingApi()
    {
        _counted.Dispose();
        await _factory.DisposeAsync();
    }

    [Test]
    public async Task Counts_commands_while_reads_and_transactional_writes_work_as_without_the_counter()
    {
        await GivenKpiAsync("defect-rate");
        Counter.Reset();

        var pushed = await _counted.PostAsync("/api/v1/kpis/defect-rate/measurements",
            new StringContent("""{"period":"2026-07-14","value":1.5}""", Encoding.UTF8, "application/json"));

        Assert.That(pushed.StatusCode, Is.EqualTo(HttpStatusCode.Created), await pushed.Content.ReadAsStringAsync());
        Assert.That(Counter.Commands, Is.GreaterThan(0));
        var read = await CommandsAsync("/api/v1/kpis/defect-rate/measurements", 1);
        Assert.That(read, Is.GreaterThan(0));
    }

    [Test]
    public async Task Reads_the_dashboard_of_25_kpis_with_as_many_commands_as_of_2()
    {
        await GivenKpisWithValuesAsync(0, 2);
        var forTwo = await CommandsAsync("/api/v1/dashboard/kpis", 2);
        await GivenKpisWithValuesAsync(2, 23);

        var forTwentyFive = await CommandsAsync("/api/v1/dashboard/kpis", 25);

        Assert.That(forTwentyFive, Is.EqualTo(forTwo));
        Assert.That(forTwentyFive, Is.InRange(1, 4));
    }

    [Test]
    public async Task Reads_a_filtered_dashboard_page_of_25_kpis_with_as_many_commands_as_of_2()
    {
        await GivenKpisWithValuesAsync(0, 2);
        var forTwo = await CommandsAsync("/api/v1/dashboard/kpis?tag=quality&sparkline=30&limit=25", 2);
        await GivenKpisWithValuesAsync(2, 30);

        var forTwentyFive = await CommandsAsync("/api/v1/dashboard/kpis?tag=quality&sparkline=30&limit=25", 25);

        Assert.That(forTwentyFive, Is.EqualTo(forTwo));
        Assert.That(forTwentyFive, Is.InRange(1, 4));
    }

    [Test]
    public async Task Reads_a_series_of_300_values_with_as_many_commands_as_of_3()
    {
        await GivenKpiAsync("few");
        await GivenKpiAsync("many");
        await GivenValuesAsync("few", Days(3));
        await GivenValuesAsync("many", Days(300));
        const string range = "from=2025-09-01&to=2026-07-15";

        var forThree = await CommandsAsync($"/api/v1/kpis/few/measurements?{range}", 3);
        var forThreeHundred = await CommandsAsync($"/api/v1/kpis/many/measurements?{range}", 300);

        Assert.That(forThreeHundred, Is.EqualTo(forThree));
        Assert.That(forThreeHundred, Is.InRange(1, 4));
    }

    [Test]
    public async Task Lists_25_kpis_with_as_many_commands_as_2()
    {
        await GivenKpisWithValuesAsync(0, 2);
        var forTwo = await CommandsAsync("/api/v1/kpis", 2);
        await GivenKpisWithValuesAsync(2, 23);

        var forTwentyFive = await CommandsAsync("/api/v1/kpis", 25);

        Assert.That(forTwentyFive, Is.EqualTo(forTwo));
        Assert.That(forTwentyFive, Is.InRange(1, 4));
    }

    /// <summary>KPIs kpi-00, kpi-01, … with three values each, every one with its own tags.</summary>
    private static async Task GivenKpisWithValuesAsync(int first, int count)
    {
        for (var i = first; i < first + count; i++)
        {
            var key = $"kpi-{i:D2}";
            await GivenKpiAsync(key, change: b => b["tags"] = new JsonArray("quality", $"line-{i}"));
            await GivenValuesAsync(key, Days(3));
        }
    }

    /// <summary>One value a day for the last <paramref name="count"/> days up to today (2026-07-15).</summary>
    private static (string, JsonNode)[] Days(int count) =>
        Enumerable.Range(0, count).Select(d => (new DateOnly(2026, 7, 15).AddDays(-d).ToString("yyyy-MM-dd"), (JsonNode)(1m + d))).ToArray();

    /// <summary>The commands one GET sent, after checking it answered 200 with the expected number of items (null: a single resource).</summary>
    private async Task<int> CommandsAsync(string url, int? items)
    {
        Counter.Reset();

        var response = await _counted.GetAsync(url);

        var commands = Counter.Commands;
        var body = await response.Content.ReadAsStringAsync();
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), body);
        // A token's last use is recorded after the request, in the background (left out of the counts, see CountingDataSource).
        Assert.That(Counter.AuthenticationCommands, Is.EqualTo(1), "authentication: one token lookup");
        if (items is { } expected)
            Assert.That(JsonNode.Parse(body)!["items"]!.AsArray(), Has.Count.EqualTo(expected));
        return commands;
    }
}
