using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using System.Text.Json;
using OkrKpi.Api.Features.Kpis;
using OkrKpi.Api.Infrastructure.OpenApi;

namespace OkrKpi.Api.Features.Measurements;

public enum MeasurementSource { Manual, Api, Import, Computed, Events }

public enum ItemResult { Created, Updated, Unchanged, Rejected }

/// <summary>One value as an integrator sends it for a KPI named elsewhere (the route).</summary>
/// <param name="Period">An instant, a date or a label inside the period: 2026-07-14, 2026-W29, 2026-07, 2026-Q3, 2026.</param>
/// <param name="Value">A JSON number; true or false for boolean KPIs.</param>
/// <param name="Source">Where the value comes from; a push that names none is recorded as <c>api</c>.</param>
// The attributes document limits that MeasurementWrites enforces with the same constants.
public sealed record MeasurementInput(
    [property: Required, MaxLength(MeasurementLimits.PeriodMaxLength)] string? Period,
    [property: Required, NumberOrBoolean] JsonElement? Value,
    [property: MaxLength(MeasurementLimits.NoteMaxLength)] string? Note,
    [property: MaxLength(MeasurementLimits.ExternalIdMaxLength)] string? ExternalId,
    [property: DefaultValue(MeasurementLimits.DefaultSource)] MeasurementSource? Source);

/// <summary>One value of a batch across KPIs; <c>kpi</c> is the KPI's key or id.</summary>
/// <param name="Source">Where the value comes from; a push that names none is recorded as <c>api</c>.</param>
public sealed record BatchItemInput(
    [property: Required, MaxLength(KpiDefinition.KeyMaxLength)] string? Kpi,
    [property: Required, MaxLength(MeasurementLimits.PeriodMaxLength)] string? Period,
    [property: Required, NumberOrBoolean] JsonElement? Value,
    [property: MaxLength(MeasurementLimits.NoteMaxLength)] string? Note,
    [property: MaxLength(MeasurementLimits.ExternalIdMaxLength)] string? ExternalId,
    [property: DefaultValue(MeasurementLimits.DefaultSource)] MeasurementSource? Source);

/// <summary>The stored value of one period of one KPI.</summary>
public sealed record MeasurementResponse(
    Guid KpiId,
    string KpiKey,
    string Period,
    DateTimeOffset PeriodStart,
    [property: NumberOrBoolean] object Value,
    KpiPeriodStatus Status,
    MeasurementSource Source,
    string? Note,
    string? ExternalId,
    DateTimeOffset RecordedAt,
    string? RecordedBy);

/// <summary>
/// What happened to one pushed item: where it landed and why, if it was refused; <c>rounded</c> when its value had more
/// digits than are stored. In a batch that was not committed, the result of an accepted item is what would have happened.
/// </summary>
public sealed record ItemOutcome(
    int Index,
    ItemResult Result,
    string? Kpi,
    Guid? KpiId,
    string? Period,
    DateTimeOffset? PeriodStart,
    string? Field,
    string? Reason,
    bool Rounded = false);

/// <summary>
/// The answer to a batch: committed is false when an atomic batch was refused and nothing was stored; its counts of
/// created, updated and unchanged values are then 0 (the items still tell what would have happened to each).
/// </summary>
public sealed record BatchResponse(bool Committed, int Created, int Updated, int Unchanged, int Rejected, IReadOnlyList<ItemOutcome> Items)
{
    public static BatchResponse From(bool committed, IReadOnlyList<ItemOutcome> items) => new(
        committed,
        committed ? items.Count(i => i.Result == ItemResult.Created) : 0,
        committed ? items.Count(i => i.Result == ItemResult.Updated) : 0,
        committed ? items.Count(i => i.Result == ItemResult.Unchanged) : 0,
        items.Count(i => i.Result == ItemResult.Rejected),
        items);
}

public static class MeasurementLimits
{
    public const int MaxBatchItems = 5000;
    public const int BatchBodyBytes = 8 * 1024 * 1024;
    public const int NoteMaxLength = 1000;
    public const int ExternalIdMaxLength = 200;
    public const int PeriodMaxLength = 64;

    /// <summary>The source of a pushed value that names none: whatever client sent it, it came through the API.</summary>
    public const MeasurementSource DefaultSource = MeasurementSource.Api;
}
