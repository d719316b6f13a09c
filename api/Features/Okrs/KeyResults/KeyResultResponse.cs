namespace OkrKpi.Api.Features.Okrs;

/// <param name="CurrentValue">The check-ins' latest value; for a KPI-linked key result its KPI's latest measurement (null before the first);
/// in a closed cycle the value frozen at close.</param>
/// <param name="CurrentValueAt">When that value was checked in or recorded.</param>
/// <param name="Stale">No check-in (or KPI measurement) for longer than Okrs:StaleAfterDays in an active cycle; health is then never onTrack.</param>
public sealed record KeyResultResponse(
    Guid Id, Guid ObjectiveId, string Title, KeyResultType Type, string? Unit,
    decimal StartValue, decimal TargetValue, KeyResultDirection Direction, decimal? CurrentValue, CurrentValueSource CurrentValueSource,
    DateTimeOffset? CurrentValueAt, decimal Weight, Guid? OwnerTeamId, Guid? OwnerUserId, Guid? KpiId, string? KpiKey,
    decimal Progress, decimal ExpectedProgress, OkrHealth Health, bool Stale, DateTimeOffset? LastCheckInAt, decimal? FinalValue,
    long Version, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt);
