using System.ComponentModel.DataAnnotations;
using System.Text.Json;
using OkrKpi.Api.Features.Kpis;
using OkrKpi.Api.Features.Measurements;
using OkrKpi.Api.Infrastructure.OpenApi;

namespace OkrKpi.Api.Features.Events;

/// <summary>One occurrence for the KPI the route names.</summary>
/// <param name="OccurredAt">When it happened: an instant with an offset (2026-07-14T10:15:00+02:00) or a date, read in the organisation's time zone. Omitted: now.</param>
/// <param name="Value">A JSON number (true or false for a boolean KPI); optional when the KPI counts its events, required otherwise.</param>
/// <param name="EventId">The sender's id of the occurrence: an event redelivered with the same id is recorded once.</param>
// The attributes document limits that EventRules enforces with the same constants.
public sealed record EventInput(
    [property: MaxLength(EventLimits.OccurredAtMaxLength)] string? OccurredAt,
    [property: NumberOrBoolean] JsonElement? Value,
    [property: MaxLength(EventLimits.EventIdMaxLength)] string? EventId);

/// <summary>One occurrence of a batch across KPIs; <c>kpi</c> is the KPI's key or id.</summary>
/// <param name="OccurredAt">When it happened: an instant with an offset or a date, read in the organisation's time zone. Omitted: now.</param>
/// <param name="Value">A JSON number (true or false for a boolean KPI); optional when the KPI counts its events, required otherwise.</param>
/// <param name="EventId">The sender's id of the occurrence: an event redelivered with the same id is recorded once.</param>
public sealed record EventBatchItemInput(
    [property: Required, MaxLength(KpiDefinition.KeyMaxLength)] string? Kpi,
    [property: MaxLength(EventLimits.OccurredAtMaxLength)] string? OccurredAt,
    [property: NumberOrBoolean] JsonElement? Value,
    [property: MaxLength(EventLimits.EventIdMaxLength)] string? EventId);

/// <summary>One recorded occurrence of a KPI and the period it landed in.</summary>
/// <param name="Late">True when the event arrived after its period had ended: it updated a past period's value.</param>
public sealed record KpiEventResponse(
    Guid Id,
    Guid KpiId,
    string KpiKey,
    DateTimeOffset OccurredAt,
    [property: NumberOrBoolean] object? Value,
    string? EventId,
    string Period,
    DateTimeOffset PeriodStart,
    DateTimeOffset RecordedAt,
    string? RecordedBy,
    bool Late);

/// <summary>
/// What happened to one event of a batch: <c>created</c> (recorded), <c>unchanged</c> (its eventId was recorded
/// before, or earlier in this batch: nothing was added) or <c>rejected</c> with the field and the reason. In a batch
/// that was not committed, the result of an accepted event is what would have happened.
/// </summary>
public sealed record EventOutcome(
    int Index,
    ItemResult Result,
    string? Kpi,
    Guid? KpiId,
    string? EventId,
    DateTimeOffset? OccurredAt,
    string? Period,
    DateTimeOffset? PeriodStart,
    string? Field,
    string? Reason,
    bool Late = false);

/// <summary>
/// The answer to a batch of events: committed is false when an atomic batch was refused and nothing was stored; the
/// counts of created and unchanged events are then 0. <c>periods</c> are the period values the batch changed.
/// </summary>
public sealed record EventBatchResponse(bool Committed, int Created, int Unchanged, int Rejected, IReadOnlyList<EventOutcome> Items,
    IReadOnlyList<MeasurementResponse> Periods);

public static class EventLimits
{
    public const int MaxBatchItems = 10_000;
    public const int BatchBodyBytes = 8 * 1024 * 1024;
    public const int EventIdMaxLength = 200;
    public const int OccurredAtMaxLength = 64;
}
