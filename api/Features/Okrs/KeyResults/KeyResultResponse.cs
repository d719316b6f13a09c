using OkrKpi.Api.Features.Kpis;

namespace OkrKpi.Api.Features.Okrs;

/// <param name="CurrentValue">The check-ins' latest value; for a KPI-linked key result its KPI's latest measurement (null before the first);
/// in a closed cycle the value frozen at close.</param>
/// <param name="CurrentValueAt">When that value was checked in or recorded.</param>
/// <param name="Comparator">atLeast or atMost (reaching the target meets it), greaterThan or lessThan (only passing it does).</param>
/// <param name="StartValue">Null while a relative key result waits for the first check-in that gives its baseline; so is TargetValue.</param>
/// <param name="Change">For a key result declared as a change, the declaration: startValue is its baseline, targetValue what the change makes of it.</param>
/// <param name="StartDate">The first day of the key result's own timeframe; null: the cycle's.</param>
/// <param name="DueDate">The last day of the key result's own timeframe; null: the cycle's. Expected progress, health and staleness run over it.</param>
/// <param name="Stale">No check-in (or KPI measurement) for longer than Okrs:StaleAfterDays in an active cycle; health is then never onTrack.</param>
public sealed record KeyResultResponse(
    Guid Id, Guid ObjectiveId, string Title, KeyResultType Type, string? Unit,
    decimal? StartValue, decimal? TargetValue, KeyResultDirection Direction, TargetComparator Comparator, KeyResultChangeDeclaration? Change,
    DateOnly? StartDate, DateOnly? DueDate, string? TimeframeReason, decimal? CurrentValue, CurrentValueSource CurrentValueSource,
    DateTimeOffset? CurrentValueAt, decimal Weight, Guid? OwnerTeamId, Guid? OwnerUserId, Guid? KpiId, string? KpiKey,
    decimal Progress, decimal ExpectedProgress, OkrHealth Health, bool Stale, DateTimeOffset? LastCheckInAt, decimal? FinalValue,
    long Version, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt);

/// <summary>A relative key result as declared: "+15 % from 2.0" is percent 15 from baseline 2.0.</summary>
/// <param name="Baseline">The start value the change was taken from; null until the first check-in when it comes from there.</param>
/// <param name="BaselineSource">given (startValue), kpi (the linked KPI's latest value when the key result was defined) or
/// firstCheckIn (the value of its first check-in).</param>
public sealed record KeyResultChangeDeclaration(decimal? Percent, decimal? By, decimal? Baseline, BaselineSource BaselineSource);
