namespace OkrKpi.Api.Features.Kpis;

/// <summary>
/// What feeds a KPI its values: pushes and imports (the default); its <c>formula</c>, an expression over other KPIs
/// that is recomputed in the same transaction as every write to its inputs; or <c>events</c>, occurrences recorded one
/// by one, each period's value derived from its events by the KPI's aggregation (see docs/events.md).
/// </summary>
public enum KpiFedBy { Values, Formula, Events }
