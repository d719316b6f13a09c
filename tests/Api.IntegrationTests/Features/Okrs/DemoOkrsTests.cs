using System.Net;
using Microsoft.Extensions.DependencyInjection;
using OkrKpi.Api.Features.Measurements;
using OkrKpi.Api.Features.Okrs;
using OkrKpi.Api.Infrastructure.Demo;
using OkrKpi.Api.Infrastructure.Http;

namespace OkrKpi.Api.IntegrationTests.Features.Okrs;

/// <summary>
/// The demo organisation gives every OKR view something true to show: seeded on 2026-07-15 (the fake clock), the company
/// cycle is FY 2026/27, the previous quarter 2026-Q2 is closed with scores and 2026-Q3 is active.
/// </summary>
public sealed class DemoOkrsTests : OkrTest
{
    [Test]
    public async Task The_demo_seeds_aligned_okrs_in_three_cycles_with_kpi_history_check_ins_and_a_closed_quarter_once()
    {
        await SeedAsync();
        await SeedAsync();

        var cycles = await GetAsync<Page<CycleResponse>>("/api/v1/cycles");
        Assert.That(cycles.Items.Select(c => (c.Name, c.Status)), Is.EquivalentTo(new[]
        {
            ("FY 2026/27", CycleStatus.Active), ("2026-Q2", CycleStatus.Closed), ("2026-Q3", CycleStatus.Active),
        }));
        var previous = cycles.Items.Single(c => c.Name == "2026-Q2");
        var current = cycles.Items.Single(c => c.Name == "2026-Q3");

        var tree = await GetAsync<GetAlignment.Response>($"/api/v1/cycles/{current.Id}/alignment");
        Assert.That(tree.Nodes.Select(n => (n.Title, n.Depth, n.InCycle)), Is.EqualTo(new[]
        {
            ("Become our customers' first choice", 0, false),
            ("Improve customer satisfaction", 1, true),
            ("Accelerate development velocity", 1, true),
            ("Make deployments boring", 2, true),
        }));
        Assert.That(tree.Nodes.Where(n => n.InCycle).Select(n => n.Progress), Is.EqualTo(new decimal?[] { 0.2834m, 0.3313m, 0m }),
            "July is not over, so the monthly change failure rate has not moved since the quarter began: silence is never progress");

        var velocityKeyResults = (await GetAsync<ObjectiveResponse>($"/api/v1/objectives/{tree.Nodes[2].Id}")).KeyResults;
        Assert.That(velocityKeyResults[0].Change, Is.EqualTo(new KeyResultChangeDeclaration(50m, null, 7m, BaselineSource.Kpi)),
            "the baseline is the deployment frequency of the week the quarter began in, 2026-W27");
        Assert.That((velocityKeyResults[0].StartValue, velocityKeyResults[0].TargetValue, velocityKeyResults[0].CurrentValue), Is.EqualTo((7m, 10.5m, (decimal?)8m)));

        var evaluation = await GetAsync<GetCycleEvaluation.Response>($"/api/v1/cycles/{previous.Id}/evaluation");
        var sales = evaluation.Objectives.Single();
        Assert.That((evaluation.Final, sales.Title, sales.Provisional), Is.EqualTo((true, "Increase sales revenue", false)));
        Assert.That(sales.Score, Is.GreaterThan(0m).And.LessThan(1m));
        Assert.That(sales.KeyResults.Select(k => k.Value), Is.EqualTo(new decimal?[] { 1040000m, 88.5m, 10m }),
            "frozen at what the quarter knew: June's revenue, Q2's retention, the last check-in");

        var matrix = await GetAsync<GetOkrKpiMatrix.Response>($"/api/v1/cycles/{current.Id}/matrix");
        var velocity = matrix.Objectives.Single(o => o.Title == "Accelerate development velocity");
        Assert.That(velocity.KeyResults[0].Kpi!.Latest!.Period, Is.EqualTo("2026-W28"));
        Assert.That(velocity.Kpis.Single().Key, Is.EqualTo("change-failure-rate"));

        var check = await GetAsync<GetOkrHealthCheck.Response>($"/api/v1/cycles/{current.Id}/health-check");
        Assert.That(check.Warnings.Select(w => w.Rule), Is.EquivalentTo(new[]
        {
            GetOkrHealthCheck.Rules.KeyResultRestatesKpiTarget, GetOkrHealthCheck.Rules.KeyResultStale, GetOkrHealthCheck.Rules.ObjectiveTooFewKeyResults,
        }), "lead time aims at its KPI's own target; test automation was last checked in before the quarter; the platform objective has one key result");

        var history = await GetAsync<Page<CheckInResponse>>($"/api/v1/key-results/{sales.KeyResults[2].Id}/check-ins?limit=10");
        Assert.That(history.Items, Has.Count.EqualTo(7));
        Assert.That(history.Items.Select(c => c.CreatedAt), Is.Ordered.Descending);
        Assert.That(history.Items[^1].CreatedAt, Is.LessThan(history.Items[0].CreatedAt.AddDays(-35)), "a few weeks of check-ins");

        var dashboard = await GetAsync<Page<GetDashboard.Item>>("/api/v1/dashboard/kpis?limit=100");
        Assert.That(dashboard.Items.Where(i => i.Latest is null).Select(i => i.Key), Is.Empty, "the manufacturing KPIs carry values too");
        Assert.That(dashboard.Items.Select(i => i.Late), Has.All.False);
        Assert.That(dashboard.Items.Select(i => i.Latest!.PeriodStart), Has.All.LessThan(ApiFixture.Clock.GetUtcNow().AddHours(-1)),
            "no value for a period not yet over");

        foreach (var cycle in cycles.Items.Where(c => c.Name != "2026-Q3"))
        {
            var other = await GetAsync<GetOkrHealthCheck.Response>($"/api/v1/cycles/{cycle.Id}/health-check");
            Assert.That(other.Warnings.Select(w => w.Rule), Is.Empty, $"{cycle.Name} shows no mistake it does not mean to");
        }
    }

    [Test]
    public async Task The_demo_counts_production_deployments_from_their_events()
    {
        await SeedAsync();

        var series = await GetAsync<GetKpiSeries.Response>("/api/v1/kpis/production-deployments/measurements?from=2026-W17&to=2026-W28");
        var events = await GetAsync<Page<OkrKpi.Api.Features.Events.KpiEventResponse>>("/api/v1/kpis/production-deployments/events?limit=200");

        Assert.That(series.Items.Select(m => m.Value.ToString()), Is.EqualTo(new[] { "3", "4", "2", "5", "4", "6", "5", "3", "6", "7", "5", "8" }));
        Assert.That(series.Items.Select(m => m.Source).Distinct(), Is.EqualTo(new[] { MeasurementSource.Events }));
        Assert.That(events.Items, Has.Count.EqualTo(58));
        Assert.That(events.Items[0].Period, Is.EqualTo("2026-W28"));
    }

    private static async Task SeedAsync()
    {
        await using var scope = ApiFixture.Factory.Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<DemoSeeder>().SeedOnceAsync(CancellationToken.None);
    }

    private static async Task<T> GetAsync<T>(string url)
    {
        var response = await Api.GetAsync(url);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        return await ReadAsync<T>(response);
    }
}
