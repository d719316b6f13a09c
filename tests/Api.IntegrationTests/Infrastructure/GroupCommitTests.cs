using System.Net;
using System.Text.Json.Nodes;
using Dapper;

namespace OkrKpi.Api.IntegrationTests.Infrastructure;

/// <summary>Concurrent single pushes share transactions on SQLite; each still succeeds or fails on its own.</summary>
public sealed class GroupCommitTests : IntegrationTest
{
    [Test]
    public async Task Stores_every_valid_push_of_a_concurrent_burst_and_refuses_only_the_invalid_ones()
    {
        await GivenKpiAsync("defect-rate");
        var day = new DateOnly(2026, 7, 14);

        var responses = await Task.WhenAll(Enumerable.Range(0, 60).Select(i => PostJsonAsync("/api/v1/kpis/defect-rate/measurements", new JsonObject
        {
            ["period"] = day.AddDays(-i).ToString("yyyy-MM-dd"),
            ["value"] = i % 6 == 5 ? JsonValue.Create("not a number") : JsonValue.Create(i),
        })));

        var statuses = responses.Select(r => r.StatusCode).ToList();
        Assert.That(statuses.Count(s => s == HttpStatusCode.Created), Is.EqualTo(50));
        Assert.That(statuses.Count(s => s == HttpStatusCode.BadRequest), Is.EqualTo(10));
        await using var connection = await ApiFixture.Database.OpenAsync();
        Assert.That(await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM KpiMeasurement"), Is.EqualTo(50));
    }

    [Test]
    public async Task Commands_outside_the_write_queue_and_pushes_through_it_all_succeed_when_they_run_at_once()
    {
        await GivenKpiAsync("defect-rate");
        var day = new DateOnly(2026, 7, 14);

        var creates = Enumerable.Range(0, 80).Select(i => PostJsonAsync("/api/v1/kpis", KpiBody($"concurrent-{i}")));
        var pushes = Enumerable.Range(0, 80).Select(i => PostJsonAsync("/api/v1/kpis/defect-rate/measurements", new JsonObject
        {
            ["period"] = day.AddDays(-i).ToString("yyyy-MM-dd"),
            ["value"] = i,
        }));
        var responses = await Task.WhenAll(creates.Concat(pushes));

        Assert.That(responses.Select(r => r.StatusCode), Is.All.EqualTo(HttpStatusCode.Created),
            string.Join("\n", await Task.WhenAll(responses.Where(r => r.StatusCode != HttpStatusCode.Created).Select(r => r.Content.ReadAsStringAsync()))));
    }
}
