namespace OkrKpi.Api.Features.Kpis;

/// <summary>How often a KPI is measured; its periods (the hour, the day, the ISO week, …) follow from it.</summary>
public enum KpiFrequency { Hourly, Daily, Weekly, Monthly, Quarterly, Yearly }
