namespace OkrKpi.Api.Features.Kpis;

public enum KpiValueType { Number, Percentage, Currency, Boolean }
