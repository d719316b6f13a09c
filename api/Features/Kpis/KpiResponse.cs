namespace OkrKpi.Api.Features.Kpis;

/// <summary>A KPI definition as every KPI endpoint returns it.</summary>
public sealed record KpiResponse(
    Guid Id,
    string Key,
    string Name,
    string? Description,
    string? Formula,
    string? Unit,
    KpiValueType ValueType,
    KpiFrequency Frequency,
    KpiTarget Target,
    Guid? OwnerTeamId,
    IReadOnlyList<string> Tags,
    KpiStatus Status,
    bool HasMeasurements,
    long Version,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    KpiAggregation Aggregation,
    KpiFedBy FedBy);
