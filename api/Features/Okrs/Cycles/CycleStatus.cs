namespace OkrKpi.Api.Features.Okrs;

public enum CycleStatus { Planning, Active, Closed }
