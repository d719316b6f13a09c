namespace OkrKpi.Api.Features.Kpis;

/// <summary>
/// What feeds a KPI its values: pushes and imports (the default), or its <c>formula</c>, an expression over other KPIs
/// that is recomputed in the same transaction as every write to its inputs.
/// </summary>
public enum KpiFedBy { Values, Formula }
