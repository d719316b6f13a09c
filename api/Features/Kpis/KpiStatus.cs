namespace OkrKpi.Api.Features.Kpis;

/// <summary>A retired KPI keeps its history and takes no new values.</summary>
public enum KpiStatus { Active, Retired }
