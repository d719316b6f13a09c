using System.Data.Common;
using System.Globalization;
using Dapper;
using Mediator;
using Microsoft.AspNetCore.Http.HttpResults;
using OkrKpi.Api.Features.Kpis;
using OkrKpi.Api.Infrastructure.Data;

namespace OkrKpi.Api.Features.Okrs;

/// <summary>
/// The OKR health check of a cycle (DESIGN §3): warnings for the classic ways OKRs go wrong, each with a stable rule id,
/// the entity it is about and a message. Thresholds come from configuration (Okrs:HealthCheck, Okrs:StaleAfterDays).
/// </summary>
public static class GetOkrHealthCheck
{
    /// <summary>The rule ids; clients may key on them, so they never change meaning.</summary>
    public static class Rules
    {
        public const string OwnerTooManyObjectives = "owner-too-many-objectives";
        public const string ObjectiveTooFewKeyResults = "objective-too-few-key-results";
        public const string ObjectiveTooManyKeyResults = "objective-too-many-key-results";
        public const string ObjectiveTooManyKpis = "objective-too-many-kpis";
        public const string ObjectiveAlignmentTooDeep = "objective-alignment-too-deep";
        public const string KeyResultNoMeasurableTarget = "key-result-no-measurable-target";
        public const string KeyResultRestatesKpiTarget = "key-result-restates-kpi-target";
        public const string KeyResultStale = "key-result-stale";
    }

    public sealed record Query(Guid CycleId) : IQuery<Response>;

    /// <param name="Thresholds">The configuration the rules ran with.</param>
    /// <param name="Warnings">Ordered by objective (oldest first), the objective's own warnings before its key results'; owners last.</param>
    public sealed record Response(CycleResponse Cycle, Thresholds Thresholds, int ObjectiveCount, IReadOnlyList<Warning> Warnings);

    public sealed record Thresholds(int MaxObjectivesPerOwner, int MinKeyResults, int MaxKeyResults, int MaxLinkedKpis, int MaxAlignmentLevels,
        int StaleAfterDays);

    public sealed record Warning(string Rule, Entity Entity, string Message);

    /// <param name="Type"><c>objective</c>, <c>keyResult</c>, <c>team</c> or <c>user</c>.</param>
    public sealed record Entity(string Type, Guid Id, string Title);

    public static async Task<Ok<Response>> Endpoint(Guid cycleId, ISender sender, CancellationToken ct) =>
        TypedResults.Ok(await sender.Send(new Query(cycleId), ct));

    public sealed class Handler(DbDataSource db, OkrReader reader, Organisation organisation, TimeProvider clock, OkrOptions options)
        : IQueryHandler<Query, Response>
    {
        internal const string OwnersSql = """
            SELECT t.Id, t.Name AS Title FROM Team AS t
            WHERE t.Id IN (SELECT o.OwnerTeamId FROM Objective AS o WHERE o.CycleId = @CycleId)
            UNION ALL
            SELECT u.Id, u.DisplayName AS Title FROM AppUser AS u
            WHERE u.Id IN (SELECT o.OwnerUserId FROM Objective AS o WHERE o.CycleId = @CycleId)
            """;

        public async ValueTask<Response> Handle(Query query, CancellationToken ct)
        {
            await using var connection = await db.OpenConnectionAsync(ct);
            var okrs = await CycleOkrs.LoadAsync(connection, query.CycleId, reader, ct);
            if (okrs.Objectives.Count == 0)
                return Check(okrs, new Dictionary<Guid, OkrKpiStatus>(), new Dictionary<Guid, string>(), options);
            var kpis = await CycleKpis.LoadAsync(connection, query.CycleId, organisation, clock.GetUtcNow(), ct);
            var owners = (await connection.QueryAsync<OwnerRow>(new CommandDefinition(OwnersSql, new { query.CycleId }, cancellationToken: ct)))
                .ToDictionary(o => o.Id, o => o.Title);
            return Check(okrs, kpis, owners, options);
        }
    }

    /// <summary>Runs every rule over a loaded cycle; pure, so the rules are unit-testable.</summary>
    internal static Response Check(CycleOkrs okrs, IReadOnlyDictionary<Guid, OkrKpiStatus> kpis, IReadOnlyDictionary<Guid, string> owners, OkrOptions options)
    {
        var limits = options.HealthCheck;
        var levels = okrs.Levels();
        var warnings = new List<Warning>();

        foreach (var o in okrs.Objectives)
        {
            var objective = new Entity("objective", o.Id, o.Title);
            var krs = o.KeyResults.Count;
            if (krs < limits.MinKeyResults)
                warnings.Add(new(Rules.ObjectiveTooFewKeyResults, objective,
                    $"'{o.Title}' has {Count(krs, "key result")}; at least {limits.MinKeyResults} say whether it is reached."));
            if (krs > limits.MaxKeyResults)
                warnings.Add(new(Rules.ObjectiveTooManyKeyResults, objective,
                    $"'{o.Title}' has {krs} key results; more than {limits.MaxKeyResults} dilute the focus: keep the few that matter."));
            if (o.Kpis.Count > limits.MaxLinkedKpis)
                warnings.Add(new(Rules.ObjectiveTooManyKpis, objective,
                    $"'{o.Title}' watches {o.Kpis.Count} KPIs as health metrics; more than {limits.MaxLinkedKpis} are no longer watched."));
            var level = levels(o.Id);
            if (level > limits.MaxAlignmentLevels)
                warnings.Add(new(Rules.ObjectiveAlignmentTooDeep, objective,
                    $"'{o.Title}' sits {level} levels deep in its alignment chain; more than {limits.MaxAlignmentLevels} levels lose the line of sight to the top objective."));

            foreach (var k in o.KeyResults)
            {
                var keyResult = new Entity("keyResult", k.Id, k.Title);
                if (k.Type != KeyResultType.Milestone && k.StartValue == k.TargetValue)
                    warnings.Add(new(Rules.KeyResultNoMeasurableTarget, keyResult,
                        $"'{k.Title}' starts where it ends ({Show(k.StartValue)} → {Show(k.TargetValue)}): it measures no change. "
                        + "A level to hold belongs on a KPI; a key result should move."));
                if (k.KpiId is { } kpiId && kpis.TryGetValue(kpiId, out var kpi) && Restates(k.TargetValue, kpi.Target))
                    warnings.Add(new(Rules.KeyResultRestatesKpiTarget, keyResult,
                        $"'{k.Title}' aims for {Show(k.TargetValue)}, which KPI '{kpi.Key}' already demands as its standing target "
                        + $"({Describe(kpi.Target)}): a key result should aim beyond business as usual."));
                if (k.Stale)
                    warnings.Add(new(Rules.KeyResultStale, keyResult,
                        k.CurrentValueAt is { } at
                            ? $"'{k.Title}' was last updated on {at:yyyy-MM-dd}, more than {Count(options.StaleAfterDays, "day")} ago; check in."
                            : $"'{k.Title}' has had no check-in {(k.CurrentValueSource == CurrentValueSource.Kpi ? "(nor KPI value) " : "")}for more than {Count(options.StaleAfterDays, "day")}; check in."));
            }
        }

        var byOwner = okrs.Objectives.GroupBy(o => (o.OwnerTeamId, o.OwnerUserId));
        foreach (var owner in byOwner.Where(g => g.Count() > limits.MaxObjectivesPerOwner))
        {
            var (teamId, userId) = owner.Key;
            var id = teamId ?? userId!.Value;
            var title = owners.GetValueOrDefault(id, id.ToString());
            warnings.Add(new(Rules.OwnerTooManyObjectives, new Entity(teamId is null ? "user" : "team", id, title),
                $"{(teamId is null ? "" : "Team ")}'{title}' owns {owner.Count()} objectives in {okrs.Cycle.Name}; more than {limits.MaxObjectivesPerOwner} spread the effort too thin."));
        }

        var thresholds = new Thresholds(limits.MaxObjectivesPerOwner, limits.MinKeyResults, limits.MaxKeyResults, limits.MaxLinkedKpis,
            limits.MaxAlignmentLevels, options.StaleAfterDays);
        return new Response(okrs.Cycle, thresholds, okrs.Objectives.Count, warnings);
    }

    /// <summary>The key result's target is one the KPI's target already asks for: its value, or inside its range.</summary>
    internal static bool Restates(decimal target, KpiTarget kpi) => kpi.Comparator switch
    {
        TargetComparator.Between => kpi.Low <= target && target <= kpi.High,
        _ => kpi.Value == target,
    };

    private static string Describe(KpiTarget target) => target.Comparator switch
    {
        TargetComparator.AtLeast => $"at least {Show(target.Value)}",
        TargetComparator.AtMost => $"at most {Show(target.Value)}",
        TargetComparator.Between => $"between {Show(target.Low)} and {Show(target.High)}",
        _ => $"equal to {Show(target.Value)}",
    };

    // Dividing by 1.000… drops trailing zeros a stored decimal may carry (45.000 → 45).
    private static string Show(decimal? value) => (value / 1.0000000000000000000000000000m)?.ToString(CultureInfo.InvariantCulture) ?? "";

    private static string Count(int n, string noun) => n == 1 ? $"1 {noun}" : $"{n} {noun}s";

    private sealed class OwnerRow
    {
        public Guid Id { get; init; }
        public string Title { get; init; } = "";
    }
}
