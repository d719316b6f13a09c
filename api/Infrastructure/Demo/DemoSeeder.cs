using System.Data.Common;
using System.Text.Json;
using Dapper;
using Mediator;
using Microsoft.Extensions.Options;
using OkrKpi.Api.Features.Kpis;
using OkrKpi.Api.Features.Teams;
using OkrKpi.Api.Infrastructure.Data;
using OkrKpi.Api.Infrastructure.Http;
using OkrKpi.Api.Infrastructure.Security;

namespace OkrKpi.Api.Infrastructure.Demo;

public sealed class DemoOptions
{
    /// <summary>Seed the demo organisation (db/seed/demo.json) once, on the first start of an empty database.</summary>
    public bool Enabled { get; set; }
}

/// <summary>
/// Loads the demo organisation through the same commands the API uses, so demo data obeys every rule.
/// An AppState marker makes it happen once: deleting demo data later does not bring it back.
/// </summary>
public sealed class DemoSeeder(ISender sender, DbDataSource db, TimeProvider clock, Organisation organisation, ILogger<DemoSeeder> logger)
{
    private const string MarkerName = "demo-seeded";
    private const string MarkerSql = "SELECT COUNT(*) FROM AppState WHERE Name = @Name";
    private const string SetMarkerSql = "INSERT INTO AppState (Name, Value) VALUES (@Name, @Value)";

    private sealed record Seed(List<SeedTeam> Teams, List<SeedKpi> Kpis);
    private sealed record SeedTeam(string Name, string? Parent);
    private sealed record SeedKpi(string Key, string Name, string? Description, string? Formula, string? Unit,
        KpiValueType ValueType, KpiFrequency Frequency, KpiTarget Target, string? Owner, List<string>? Tags, KpiAggregation? Aggregation, KpiFedBy? FedBy);

    public static string SeedFile => Path.Combine(AppContext.BaseDirectory, "db", "seed", "demo.json");

    public async Task SeedOnceAsync(CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        if (await connection.ExecuteScalarAsync<long>(new CommandDefinition(MarkerSql, new { Name = MarkerName }, cancellationToken: ct)) > 0)
            return;

        var options = new JsonSerializerOptions();
        StrictJson.Configure(options);
        await using var file = File.OpenRead(SeedFile);
        var seed = await JsonSerializer.DeserializeAsync<Seed>(file, options, ct) ?? throw new InvalidOperationException("Empty demo seed.");

        var teams = new Dictionary<string, Guid>();
        foreach (var team in seed.Teams)
            teams[team.Name] = (await sender.Send(new CreateTeam.Command(team.Name, team.Parent is null ? null : teams[team.Parent]), ct)).Id;

        var kpis = new Dictionary<string, Guid>();
        foreach (var kpi in seed.Kpis)
            kpis[kpi.Key] = (await sender.Send(new CreateKpi.Command(kpi.Key, kpi.Name, kpi.Description, kpi.Formula, kpi.Unit, kpi.ValueType,
                kpi.Frequency, kpi.Target, kpi.Owner is null ? null : teams[kpi.Owner], kpi.Tags, kpi.Aggregation, kpi.FedBy), ct)).Id;

        var objectives = await new DemoOkrs(sender, clock, organisation)
            .SeedAsync(connection, teams, kpis, seed.Kpis.ToDictionary(k => k.Key, k => k.Frequency),
                seed.Kpis.Where(k => k.FedBy == KpiFedBy.Events).Select(k => k.Key).ToHashSet(), ct);

        await connection.ExecuteAsync(new CommandDefinition(SetMarkerSql, new { Name = MarkerName, Value = clock.GetUtcNow().ToString("O") }, cancellationToken: ct));
        logger.LogInformation("Seeded the demo organisation: {Teams} teams, {Kpis} KPIs with history, {Objectives} objectives in three cycles",
            seed.Teams.Count, seed.Kpis.Count, objectives);
    }
}
