using System.Data.Common;
using System.Diagnostics;
using System.Net;
using Dapper;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using OkrKpi.Api.Features.Okrs;

namespace OkrKpi.Api.IntegrationTests.Features.Okrs;

/// <summary>
/// The whole-cycle reads cost a fixed number of queries whatever the size of the cycle (no query per objective or key
/// result), answer a cycle of 1,000 objectives, and refuse one above the documented bound.
/// </summary>
public sealed class CycleReadsScaleTests : OkrTest
{
    private static readonly string[] Reads = ["alignment", "matrix", "evaluation", "health-check", "matrix?format=csv"];

    private WebApplicationFactory<Program> _factory = null!;
    private HttpClient _counted = null!;

    private CountingDataSource Counter => _factory.Services.GetRequiredService<CountingDataSource>();

    [OneTimeSetUp]
    public void StartCountingApi()
    {
        // The fixture's API delivers the events; this one's notification worker would land its looks in any window.
        _factory = ApiFixture.Factory.WithWebHostBuilder(host => host.UseSetting("Webhooks:WorkerEnabled", "false").ConfigureTestServices(services =>
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
    public async Task Each_read_costs_as_many_queries_for_30_objectives_as_for_2()
    {
        var year = await GivenCycleAsync("2026", "2026-01-01", "2026-12-31");
        var cycle = await GivenCycleAsync();
        var company = await GivenObjectiveAsync(year.Id, title: "Company");
        var kpi = await GivenKpiAsync("nps");
        await GivenMeasurementAsync(kpi.Id, 40m);
        var team = (await GivenTeamAsync("Team")).Id;
        async Task GivenObjectivesAsync(int count)
        {
            for (var i = 0; i < count; i++)
            {
                var objective = await GivenObjectiveAsync(cycle.Id, team, parentObjectiveId: company.Id,
                    change: b => b["kpiIds"] = new System.Text.Json.Nodes.JsonArray(kpi.Id.ToString()));
                await GivenKeyResultAsync(objective.Id, change: b => b["kpiKey"] = "nps");
                await GivenKeyResultAsync(objective.Id);
            }
        }

        await GivenObjectivesAsync(2);
        var forTwo = new Dictionary<string, int>();
        foreach (var read in Reads) forTwo[read] = await CommandsAsync($"/api/v1/cycles/{cycle.Id}/{read}");
        await GivenObjectivesAsync(28);

        foreach (var read in Reads)
        {
            var forThirty = await CommandsAsync($"/api/v1/cycles/{cycle.Id}/{read}");
            Assert.That(forThirty, Is.EqualTo(forTwo[read]), read);
            // Authentication's token lookup, the cycle, three for the objectives, the enclosing-cycle ancestors (a walk and
            // their objectives), the KPIs and the owners' names: about a dozen at most, never one per objective.
            Assert.That(forThirty, Is.InRange(1, 12), read);
        }
    }

    [Test]
    public async Task A_cycle_of_1000_objectives_answers_and_one_above_the_bound_is_refused()
    {
        var cycle = await GivenCycleAsync();
        var team = (await GivenTeamAsync("Everyone")).Id;
        await InsertObjectivesAsync(cycle.Id, team, 1000);

        foreach (var read in Reads)
        {
            var clock = Stopwatch.StartNew();
            var response = await Api.GetAsync($"/api/v1/cycles/{cycle.Id}/{read}");
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), read);
            Assert.That(clock.Elapsed, Is.LessThan(TimeSpan.FromSeconds(20)), read);
        }
        var tree = await ReadAsync<GetAlignment.Response>(await Api.GetAsync($"/api/v1/cycles/{cycle.Id}/alignment"));
        Assert.That(tree.Nodes, Has.Count.EqualTo(1000));
        Assert.That(tree.Nodes.Max(n => n.Depth), Is.EqualTo(9), "chains of ten objectives");

        await InsertObjectivesAsync(cycle.Id, team, OkrLimits.MaxObjectivesPerCycleRead - 1000 + 1);

        foreach (var read in Reads)
        {
            var problem = await ProblemAsync(await Api.GetAsync($"/api/v1/cycles/{cycle.Id}/{read}"), HttpStatusCode.UnprocessableEntity);
            Assert.That(problem["detail"]!.GetValue<string>(), Does.Contain("up to 2000"), read);
        }
    }

    /// <summary>Rows written directly, in one transaction: a thousand objectives through HTTP would only slow the suite.</summary>
    private static async Task InsertObjectivesAsync(Guid cycleId, Guid teamId, int count)
    {
        const string objectiveSql = """
            INSERT INTO Objective (Id, CycleId, Title, Description, OwnerTeamId, OwnerUserId, ParentObjectiveId, Status, Score, ScoreNote,
                CarriedFromObjectiveId, Version, CreatedAt, UpdatedAt)
            VALUES (@Id, @CycleId, @Title, NULL, @OwnerTeamId, NULL, @ParentObjectiveId, 'Active', NULL, NULL, NULL, 1, @Now, @Now)
            """;
        const string keyResultSql = """
            INSERT INTO KeyResult (Id, ObjectiveId, Ordinal, Title, Type, Unit, StartValue, TargetValue, Direction, CurrentValue, Weight,
                OwnerTeamId, OwnerUserId, KpiId, LastCheckInAt, FinalValue, Version, CreatedAt, UpdatedAt)
            VALUES (@Id, @ObjectiveId, @Ordinal, @Title, 'Number', NULL, @StartValue, @TargetValue, @Direction, @CurrentValue, @Weight,
                @OwnerTeamId, NULL, NULL, NULL, NULL, 1, @Now, @Now)
            """;
        var now = ApiFixture.Clock.GetUtcNow();
        await using DbConnection connection = await ApiFixture.Database.OpenAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        Guid? parent = null;
        for (var i = 0; i < count; i++)
        {
            var id = Guid.CreateVersion7();
            // Chains of ten: every tenth objective starts a new one.
            parent = i % 10 == 0 ? null : parent;
            await connection.ExecuteAsync(objectiveSql, new { Id = id, CycleId = cycleId, Title = $"Objective {i}", OwnerTeamId = teamId, ParentObjectiveId = parent, Now = now }, transaction);
            await connection.ExecuteAsync(keyResultSql, new[]
            {
                new { Id = Guid.CreateVersion7(), ObjectiveId = id, Ordinal = 1, Title = $"Key result {i}.1", StartValue = 0m, TargetValue = 100m, Direction = "Increase", CurrentValue = (decimal)(i % 100), Weight = 1m, OwnerTeamId = teamId, Now = now },
                new { Id = Guid.CreateVersion7(), ObjectiveId = id, Ordinal = 2, Title = $"Key result {i}.2", StartValue = 10m, TargetValue = 0m, Direction = "Decrease", CurrentValue = 5m, Weight = 2m, OwnerTeamId = teamId, Now = now },
            }, transaction);
            parent = id;
        }
        await transaction.CommitAsync();
    }

    private async Task<int> CommandsAsync(string url)
    {
        Counter.Reset();
        var response = await _counted.GetAsync(url);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        return Counter.Commands;
    }
}
