using System.Net;
using System.Text.Json.Nodes;
using OkrKpi.Api.Features.Okrs;

namespace OkrKpi.Api.IntegrationTests.Features.Okrs;

/// <summary>GET /api/v1/cycles/matrix?from=&amp;to=: the OKR–KPI matrix of several cycles in one table.</summary>
public sealed class OkrKpiMatrixAcrossCyclesTests : OkrTest
{
    [Test]
    public async Task Shows_each_cycle_within_the_range_and_a_closed_cycles_kpis_as_they_stood_at_its_end()
    {
        var kpi = await GivenKpiAsync("defect-rate");
        var q2 = await GivenCycleAsync("2026-Q2", "2026-04-01", "2026-06-30");
        var q3 = await GivenCycleAsync();
        await GivenCycleAsync("FY 2026", "2026-01-01", "2026-12-31");
        Action<JsonObject> watch = b => b["kpiIds"] = new JsonArray(kpi.Id.ToString());
        await GivenObjectiveAsync(q2.Id, title: "Fewer defects in Q2", change: watch);
        await GivenObjectiveAsync(q3.Id, title: "Fewer defects in Q3", change: watch);
        await PushValueAsync("defect-rate", 2.5m, "2026-06-30");
        await PushValueAsync("defect-rate", 1.5m, "2026-07-14");
        Assert.That((await Api.PostAsync($"/api/v1/cycles/{q2.Id}/close", null)).StatusCode, Is.EqualTo(HttpStatusCode.OK));

        var response = await Api.GetAsync("/api/v1/cycles/matrix?from=2026-04-01&to=2026-09-30");
        var csv = await Api.GetAsync("/api/v1/cycles/matrix?from=2026-04-01&to=2026-09-30&format=csv");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        var matrix = await ReadAsync<GetOkrKpiMatrixAcrossCycles.Response>(response);
        Assert.That(matrix.Cycles.Select(c => c.Cycle.Name), Is.EqualTo(new[] { "2026-Q2", "2026-Q3" }), "the year reaches beyond the range");
        var closed = matrix.Cycles[0].Objectives.Single().Kpis.Single();
        var open = matrix.Cycles[1].Objectives.Single().Kpis.Single();
        Assert.That((closed.Latest!.Period, closed.DisplayStatus), Is.EqualTo(("2026-06-30", "atRisk")));
        Assert.That((open.Latest!.Period, open.DisplayStatus), Is.EqualTo(("2026-07-14", "onTarget")));
        Assert.That(csv.Content.Headers.ContentDisposition?.FileName, Is.EqualTo("okr-kpi-matrix-2026-04-01-to-2026-09-30.csv"));
        var rows = (await csv.Content.ReadAsStringAsync()).TrimEnd('\n').Split('\n');
        Assert.That(rows[0], Does.StartWith("cycle,objectiveId,objective,"));
        Assert.That(rows.Skip(1).Select(r => (r.Split(',')[0], r.Split(',')[18])), Is.EqualTo(new[] { ("2026-Q2", "2.5"), ("2026-Q3", "1.5") }));
    }

    [TestCase("to=2026-09-30", "from")]
    [TestCase("from=2026-04-01", "to")]
    [TestCase("from=2026-09-30&to=2026-04-01", "to")]
    [TestCase("from=2026-04-01&to=2026-09-30&format=xml", "format")]
    public async Task Refuses_a_range_it_cannot_read_naming_the_parameter(string query, string field)
    {
        await FieldErrorsAsync(await Api.GetAsync($"/api/v1/cycles/matrix?{query}"), field);
    }

    [Test]
    public async Task Refuses_more_cycles_than_the_limit_with_a_422()
    {
        for (var month = 1; month <= OkrLimits.MaxCyclesPerMatrix + 1; month++)
            await GivenCycleAsync($"2025-M{month:00}", $"{2024 + (month + 11) / 12}-{(month - 1) % 12 + 1:00}-01", $"{2024 + (month + 11) / 12}-{(month - 1) % 12 + 1:00}-28", activate: false);

        var response = await Api.GetAsync("/api/v1/cycles/matrix?from=2025-01-01&to=2026-12-31");

        var problem = await ProblemAsync(response, HttpStatusCode.UnprocessableEntity);
        Assert.That(problem["detail"]!.GetValue<string>(), Does.Contain($"up to {OkrLimits.MaxCyclesPerMatrix}"));
    }
}
