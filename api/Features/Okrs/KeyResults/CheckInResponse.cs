namespace OkrKpi.Api.Features.Okrs;

/// <summary>A dated update of a key result: the value reached, how confident the owner is (0–10), and a note.</summary>
/// <param name="Value">The value checked in; on a KPI-fed key result, the KPI's latest value when the check-in was made.</param>
/// <param name="ValueSource">checkIn (the value was given) or kpi (it was the KPI's).</param>
public sealed record CheckInResponse(Guid Id, Guid KeyResultId, long Sequence, decimal Value, CurrentValueSource ValueSource, int? Confidence, string? Note,
    Guid? AuthorId, string Author, DateTimeOffset CreatedAt);
