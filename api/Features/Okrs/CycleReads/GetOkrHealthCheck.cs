using System.Data.Common;
using System.Globalization;
using Dapper;
using Mediator;
using Microsoft.AspNetCore.Http.HttpResults;
using OkrKpi.Api.Features.Kpis;
using OkrKpi.Api.Infrastructure.Data;

namespace OkrKpi.Api.Features.Okrs;

/// <summary>
/// The OKR health check of a cycle (docs/okrs.md): warnings for the classic ways OKRs go wrong, each with a stable rule id,
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
        public const string KeyResultBelowKpiTarget = "key-result-below-kpi-target";
        public const string KeyResultAlreadyMet = "key-result-already-met";
        public const string ObjectiveOnlyMilestones = "objective-only-milestones";
        public const string KeyResultKpiTooCoarse = "key-result-kpi-too-coarse";
        public const string ObjectiveKpiDoubleCounted = "objective-kpi-double-counted";
        public const string KeyResultImplausibleJump = "key-result-implausible-jump";
        public const string ObjectiveNotAligned = "objective-not-aligned";
    }

    public sealed record Query(Guid CycleId) : IQuery<Response>;

    /// <param name="Thresholds">The configuration the rules ran with.</param>
    /// <param name="Warnings">Ordered by objective (oldest first), the objective's own warnings before its key results'; owners last.</param>
    public sealed record Response(CycleResponse Cycle, Thresholds Thresholds, int ObjectiveCount, IReadOnlyList<Warning> Warnings);

    public sealed record Thresholds(int MaxObjectivesPerOwner, int MinKeyResults, int MaxKeyResults, int MaxLinkedKpis, int MaxAlignmentLevels,
        int StaleAfterDays, int MinKpiPeriodsPerKeyResult, decimal ImplausibleJumpFactor, int ImplausibleJumpWithinDays);

    public sealed record Warning(string Rule, Entity Entity, string Message);

    /// <param name="Type"><c>objective</c>, <c>keyResult</c>, <c>team</c> or <c>user</c>.</param>
    public sealed record Entity(string Type, Guid Id, string Title);

    public static async Task<Ok<Response>> Endpoint(Guid cycleId, ISender sender, CancellationToken ct) =>
        TypedResults.Ok(await sender.Send(new Query(cycleId), ct));

    public sealed class Handler(DbDataSource db, OkrReader reader, Organisation organisation, TimeProvider clock, OkrOptions options)
        : IQueryHandler<Query, Response>
    {
        // TopLevel: a team without a parent team owns company objectives.
        internal const string OwnersSql = """
            SELECT t.Id, t.Name AS Title, CASE WHEN t.ParentTeamId IS NULL THEN 1 ELSE 0 END AS TopLevel FROM Team AS t
            WHERE t.Id IN (SELECT o.OwnerTeamId FROM Objective AS o WHERE o.CycleId = @CycleId)
            UNION ALL
            SELECT u.Id, u.DisplayName AS Title, 0 AS TopLevel FROM AppUser AS u
            WHERE u.Id IN (SELECT o.OwnerUserId FROM Objective AS o WHERE o.CycleId = @CycleId)
            """;

        public async ValueTask<Response> Handle(Query query, CancellationToken ct)
        {
            await using var connection = await db.OpenConnectionAsync(ct);
            var okrs = await CycleOkrs.LoadAsync(connection, query.CycleId, reader, ct);
            if (okrs.Objectives.Count == 0)
                return Check(okrs, new Dictionary<Guid, OkrKpiStatus>(), new Dictionary<Guid, Owner>(), options, organisation.TimeZone);
            var kpis = await CycleKpis.LoadAsync(connection, okrs.Cycle, organisation, clock.GetUtcNow(), ct);
            var owners = (await connection.QueryAsync<OwnerRow>(new CommandDefinition(OwnersSql, new { query.CycleId }, cancellationToken: ct)))
                .ToDictionary(o => o.Id, o => new Owner(o.Title, o.TopLevel == 1));
            return Check(okrs, kpis, owners, options, organisation.TimeZone);
        }
    }

    /// <param name="TopLevel">A team without a parent team: its objectives are the company's.</param>
    internal sealed record Owner(string Title, bool TopLevel);

    /// <summary>Runs every rule over a loaded cycle; pure, so the rules are unit-testable.</summary>
    internal static Response Check(CycleOkrs okrs, IReadOnlyDictionary<Guid, OkrKpiStatus> kpis, IReadOnlyDictionary<Guid, Owner> owners, OkrOptions options,
        TimeZoneInfo zone)
    {
        var limits = options.HealthCheck;
        var levels = okrs.Levels();
        var warnings = new List<Warning>();
        bool OwnedByTopLevel(ObjectiveResponse o) => o.OwnerTeamId is { } team && owners.TryGetValue(team, out var owner) && owner.TopLevel;
        var companyObjective = okrs.Objectives.FirstOrDefault(OwnedByTopLevel);

        foreach (var o in okrs.Objectives)
        {
            var objective = new Entity("objective", o.Id, o.Title);
            var krs = o.KeyResults.Count;
            if (krs > 0 && o.KeyResults.All(k => k.Type == KeyResultType.Milestone))
                warnings.Add(new(Rules.ObjectiveOnlyMilestones, objective,
                    $"Every key result of '{o.Title}' is a milestone: that is a task list, not outcomes. Say what the tasks should change, and measure that."));
            if (companyObjective is not null && o.OwnerTeamId is not null && !OwnedByTopLevel(o) && o.ParentObjectiveId is null)
                warnings.Add(new(Rules.ObjectiveNotAligned, objective,
                    $"'{o.Title}' supports no other objective while the company has '{companyObjective.Title}' in {okrs.Cycle.Name}: align it, or say why it stands alone."));
            var watched = o.Kpis.Select(k => k.Id).ToHashSet();
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
                if (k.Type != KeyResultType.Milestone && k.StartValue is { } startValue && startValue == k.TargetValue)
                    warnings.Add(new(Rules.KeyResultNoMeasurableTarget, keyResult,
                        $"'{k.Title}' starts where it ends ({Show(k.StartValue)} → {Show(k.TargetValue)}): it measures no change. "
                        + "A level to hold belongs on a KPI; a key result should move."));
                if (k.KpiId is { } kpiId && kpis.TryGetValue(kpiId, out var kpi) && k.TargetValue is { } aim && Restates(aim, kpi.Target))
                    warnings.Add(new(Rules.KeyResultRestatesKpiTarget, keyResult,
                        $"'{k.Title}' aims for {Show(k.TargetValue)}, which KPI '{kpi.Key}' already demands as its standing target "
                        + $"({Describe(kpi.Target)}): a key result should aim beyond business as usual."));
                if (k.KpiId is { } fed && kpis.TryGetValue(fed, out var feeding))
                {
                    if (BelowKpiTarget(k, feeding.Target))
                        warnings.Add(new(Rules.KeyResultBelowKpiTarget, keyResult,
                            $"'{k.Title}' aims for {Show(k.TargetValue)}, short of what KPI '{feeding.Key}' already demands ({Describe(feeding.Target)}): "
                            + "aim at least for the KPI's own target."));
                    var (first, last) = (k.StartDate ?? okrs.Cycle.StartDate, k.DueDate ?? okrs.Cycle.EndDate);
                    var (from, until) = OkrProgress.Span(first, last, zone);
                    if (feeding.Latest is { PeriodStart: var periodStart } && periodStart < from
                        && KpiValue(feeding) is { } value && k.TargetValue is { } goal && OkrProgress.Met(value, goal, k.Comparator))
                        warnings.Add(new(Rules.KeyResultAlreadyMet, keyResult,
                            $"'{k.Title}' was met before it began: KPI '{feeding.Key}' stood at {Show(value)} ({feeding.Latest.Period}). Raise the target."));
                    var periods = PeriodsWithin(feeding.Frequency, from, until, zone);
                    if (periods < limits.MinKpiPeriodsPerKeyResult)
                        warnings.Add(new(Rules.KeyResultKpiTooCoarse, keyResult,
                            $"'{k.Title}' follows KPI '{feeding.Key}', measured {feeding.Frequency.ToString().ToLowerInvariant()}: it can move at most "
                            + $"{Count(periods, "time")} in its timeframe. Feed it from a KPI measured more often, or check in by hand."));
                    if (watched.Contains(fed))
                        warnings.Add(new(Rules.ObjectiveKpiDoubleCounted, keyResult,
                            $"KPI '{feeding.Key}' is both a health metric of '{o.Title}' and the feed of its key result '{k.Title}': it is counted twice. "
                            + "Keep it in one role."));
                }
                if (ImplausibleJump(k, okrs.Cycle, limits))
                    warnings.Add(new(Rules.KeyResultImplausibleJump, keyResult,
                        $"'{k.Title}' aims for {Show(k.TargetValue)} from {Show(k.StartValue)}, {Show(Math.Round(k.TargetValue!.Value / k.StartValue!.Value, 1))} times its start, "
                        + $"within {Count(Days(k, okrs.Cycle), "day")}: aim for what can be reached, or give it more time."));
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
            var title = owners.TryGetValue(id, out var known) ? known.Title : id.ToString();
            warnings.Add(new(Rules.OwnerTooManyObjectives, new Entity(teamId is null ? "user" : "team", id, title),
                $"{(teamId is null ? "" : "Team ")}'{title}' owns {owner.Count()} objectives in {okrs.Cycle.Name}; more than {limits.MaxObjectivesPerOwner} spread the effort too thin."));
        }

        var thresholds = new Thresholds(limits.MaxObjectivesPerOwner, limits.MinKeyResults, limits.MaxKeyResults, limits.MaxLinkedKpis,
            limits.MaxAlignmentLevels, options.StaleAfterDays, limits.MinKpiPeriodsPerKeyResult, limits.ImplausibleJumpFactor, limits.ImplausibleJumpWithinDays);
        return new Response(okrs.Cycle, thresholds, okrs.Objectives.Count, warnings);
    }

    /// <summary>The key result's target is one the KPI's target already asks for: its value, or inside its range.</summary>
    internal static bool Restates(decimal target, KpiTarget kpi) => kpi.Comparator switch
    {
        TargetComparator.Between => kpi.Low <= target && target <= kpi.High,
        _ => kpi.Value == target,
    };

    /// <summary>
    /// The key result asks for less than its KPI's standing target: below it for a key result that goes up, above it for
    /// one that goes down. Equality is the restating rule's.
    /// </summary>
    internal static bool BelowKpiTarget(KeyResultResponse k, KpiTarget kpi)
    {
        if (k.Type == KeyResultType.Milestone) return false;
        var up = k.Direction == KeyResultDirection.Increase;
        return (kpi.Comparator, up) switch
        {
            (TargetComparator.AtLeast or TargetComparator.GreaterThan, true) => k.TargetValue < kpi.Value,
            (TargetComparator.AtMost or TargetComparator.LessThan, false) => k.TargetValue > kpi.Value,
            (TargetComparator.Between, true) => k.TargetValue < kpi.Low,
            (TargetComparator.Between, false) => k.TargetValue > kpi.High,
            _ => false,
        };
    }

    private static decimal? KpiValue(OkrKpiStatus kpi) => kpi.Latest?.Value switch
    {
        decimal d => d,
        bool b => b ? 1m : 0m,
        _ => null,
    };

    /// <summary>How many of a KPI's periods start within [from, until): how often its value can move in that time.</summary>
    internal static int PeriodsWithin(KpiFrequency frequency, DateTimeOffset from, DateTimeOffset until, TimeZoneInfo zone)
    {
        var count = 0;
        var period = KpiPeriods.StartOf(frequency, from, zone);
        if (period < from) period = KpiPeriods.Next(frequency, period, zone);
        // Counting stops at 1,000, far above any sensible threshold: an hourly KPI over a year is not walked hour by hour.
        for (; period < until && count < 1000; period = KpiPeriods.Next(frequency, period, zone)) count++;
        return count;
    }

    private static int Days(KeyResultResponse k, CycleResponse cycle) =>
        (k.DueDate ?? cycle.EndDate).DayNumber - (k.StartDate ?? cycle.StartDate).DayNumber + 1;

    /// <summary>Aiming for the configured multiple of its start (or more) within at most a quarter (never one without a start yet).</summary>
    internal static bool ImplausibleJump(KeyResultResponse k, CycleResponse cycle, OkrHealthCheckOptions limits) =>
        k.Type != KeyResultType.Milestone && k.StartValue > 0m && k.TargetValue >= k.StartValue * limits.ImplausibleJumpFactor
        && Days(k, cycle) <= limits.ImplausibleJumpWithinDays;

    private static string Describe(KpiTarget target) => target.Comparator switch
    {
        TargetComparator.AtLeast => $"at least {Show(target.Value)}",
        TargetComparator.AtMost => $"at most {Show(target.Value)}",
        TargetComparator.GreaterThan => $"greater than {Show(target.Value)}",
        TargetComparator.LessThan => $"less than {Show(target.Value)}",
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
        public long TopLevel { get; init; }
    }
}
