namespace OkrKpi.Api.Features.Okrs;

/// <summary>Where a key result's current value comes from: its check-ins, or its KPI's latest measurement.</summary>
public enum CurrentValueSource { CheckIn, Kpi }
